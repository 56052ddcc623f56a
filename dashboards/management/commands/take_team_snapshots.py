from django.core.management.base import BaseCommand, CommandError

from dashboards.team_services import iso_week_label, parse_iso_week, take_team_snapshots


class Command(BaseCommand):
    help = "Store this week's (or --week's) team figures for the trends. Safe to run again: it overwrites."

    def add_arguments(self, parser):
        parser.add_argument("--week", help="ISO week, for example 2026-W07 (default: the current week).")

    def handle(self, week, **options):
        if week:
            try:
                week = iso_week_label(parse_iso_week(week))
            except ValueError as exc:
                raise CommandError(f"--week: expected an ISO week like 2026-W07, got {week!r}") from exc
        rows = take_team_snapshots(week)
        self.stdout.write(f"Stored {rows} coach snapshot(s) for {week or 'the current week'}.")
