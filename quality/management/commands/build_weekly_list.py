from django.core.management.base import BaseCommand, CommandError

from quality.weekly import services


class Command(BaseCommand):
    help = (
        "Build (or bring up to date) this week's incomplete-data list and send the digests. "
        "A past week is closed: it stays as it was built."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--week", help="ISO week like 2026-W48; only the current week (the default) is built"
        )
        parser.add_argument(
            "--no-digests", action="store_true", help="Build the list without mailing anyone."
        )

    def handle(self, *args, week=None, no_digests=False, **options):
        try:
            week = services.check_buildable(week)
        except ValueError as exc:  # not an ISO week, or a closed / future one
            raise CommandError(str(exc)) from exc
        result = services.build_weekly_list(week, reason="command")
        sent = 0 if no_digests else services.send_weekly_digests(week)
        self.stdout.write(
            f"{result.iso_week}: {result.entries} findings for {result.coaches} coaches "
            f"({result.removed} no longer hold), {sent} digests sent"
        )
