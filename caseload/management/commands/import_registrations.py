from django.core.management.base import BaseCommand, CommandError

from caseload.importer import EXIT_STATUS, import_export
from caseload.models import ImportRun


class Command(BaseCommand):
    help = (
        "Import an export of the registration system (a folder of CSV files, "
        "docs/registration-export.md). Exit status: 0 imported with no rejected rows; "
        "3 imported, with rejected rows (listed); 1 failed, nothing was changed."
    )
    # The system checks load every URLconf and view (charts, statistics): memory and seconds an
    # import does not need. `manage.py check` and the web process run them.
    requires_system_checks = []

    def add_arguments(self, parser):
        parser.add_argument("directory", help="Folder with teams.csv, staff.csv, clients.csv, ...")
        parser.add_argument(
            "--show-rejects", type=int, default=50, help="How many rejected rows to print."
        )

    def handle(self, directory, show_rejects, **options):
        run = import_export(directory)
        self.stdout.write(f"Import run {run.pk} from {run.source}: {run.get_status_display()}")
        if run.status == ImportRun.Status.FAILED:
            raise CommandError(
                f"Import failed, nothing was changed:\n{run.error}",
                returncode=EXIT_STATUS[run.status],
            )
        header = (
            f"{'file':<20} {'created':>8} {'updated':>8} {'unchanged':>10} {'rejected':>9} "
            f"{'conflicts':>9}"
        )
        self.stdout.write(header)
        for filename, figures in run.summary.items():
            if not figures["present"]:
                self.stdout.write(f"{filename:<20} {'(not in export)':>38}")
                continue
            self.stdout.write(
                f"{filename:<20} {figures['created']:>8} {figures['updated']:>8} "
                f"{figures['unchanged']:>10} {figures['rejected']:>9} {figures['conflicts']:>9}"
            )
            for warning in figures["warnings"]:
                self.stdout.write(self.style.WARNING(f"  warning: {warning}"))
        for conflict in run.conflicts.all():
            self.stdout.write(
                self.style.WARNING(
                    f"  conflict {conflict.file}:{conflict.line} {conflict.key} [{conflict.column}] "
                    f"app: {conflict.recorded_value} ({conflict.recorded_at:%Y-%m-%d}), export: "
                    f"{conflict.imported_value} ({conflict.imported_date or '-'}); kept: "
                    f"{conflict.get_kept_display()}"
                )
            )
        rejects = run.rejects.all()
        total = rejects.count()
        for reject in rejects[:show_rejects]:
            self.stdout.write(
                self.style.ERROR(
                    f"  rejected {reject.file}:{reject.line} [{reject.column or '-'}] {reject.reason}"
                )
            )
        if total > show_rejects:
            self.stdout.write(
                f"  ... and {total - show_rejects} more (see the import run in the admin)"
            )
        if run.status == ImportRun.Status.PARTIAL:
            raise CommandError(
                f"{total} rejected row(s); the valid rows were imported.",
                returncode=EXIT_STATUS[run.status],
            )
