from django.core.management.base import BaseCommand, CommandError

from quality.weekly import services, weeks


class Command(BaseCommand):
    help = "Build the weekly incomplete-data list for an ISO week (default: this week) and send the digests."

    def add_arguments(self, parser):
        parser.add_argument("--week", help="ISO week like 2026-W48 (default: the current week)")
        parser.add_argument(
            "--no-digests", action="store_true", help="Build the list without mailing anyone."
        )

    def handle(self, *args, week=None, no_digests=False, **options):
        try:
            week = weeks.normalise(week)
        except ValueError as exc:
            raise CommandError(str(exc)) from exc
        result = services.build_weekly_list(week)
        sent = 0 if no_digests else services.send_weekly_digests(week)
        self.stdout.write(
            f"{result.iso_week}: {result.entries} findings for {result.coaches} coaches "
            f"({result.removed} no longer hold), {sent} digests sent"
        )
