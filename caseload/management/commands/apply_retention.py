from django.conf import settings
from django.core.management.base import BaseCommand

from caseload.gdpr import apply_retention, clients_past_retention


class Command(BaseCommand):
    help = "Erase exited clients whose exit date is more than RETENTION_DAYS_AFTER_EXIT days ago."

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="only count them")

    def handle(self, dry_run=False, **options):
        days = settings.RETENTION_DAYS_AFTER_EXIT
        if dry_run:
            self.stdout.write(
                f"{clients_past_retention().count()} client(s) past {days} days after exit"
            )
            return
        self.stdout.write(f"erased {apply_retention()} client(s) past {days} days after exit")
