from django.core.management.base import BaseCommand, CommandError

from dashboards.team.services import snapshot_week, take_team_snapshots


class Command(BaseCommand):
    help = (
        "Store this week's team figures for the trends. Safe to run again: it overwrites the week."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--week",
            help="ISO week, for example 2026-W07; only the current week (the figures are today's).",
        )

    def handle(self, week, **options):
        try:
            week = snapshot_week(week)
        except ValueError as exc:
            raise CommandError(f"--week: {exc}") from exc
        rows = take_team_snapshots(week)
        self.stdout.write(f"Stored {rows} coach snapshot(s) for {week}.")
