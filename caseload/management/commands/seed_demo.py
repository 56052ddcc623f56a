import tempfile
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from caseload.demo import DEMO_CAST, DEMO_PASSWORD, apply_team_norms, write_demo_export
from caseload.importer import import_export
from caseload.models import Client, ImportRun, User
from caseload.signals import demo_seeded


class Command(BaseCommand):
    help = "Generate synthetic demo data (deterministic for a seed), import it, and create demo logins."

    def add_arguments(self, parser):
        parser.add_argument("--clients", type=int, default=3000)
        parser.add_argument("--seed", type=int, default=1)
        parser.add_argument(
            "--if-empty", action="store_true", help="Do nothing if there are clients already."
        )
        parser.add_argument(
            "--keep-export", help="Also keep the generated CSV export in this folder."
        )
        parser.add_argument("--force", action="store_true", help="Allow running with DEBUG off.")
        parser.add_argument(
            "--history-weeks",
            type=int,
            default=11,
            help="Weeks of history (weekly lists, snapshots, visibility trend) to write before the current week "
            "(default 11: with this week, the 12 weeks the trends show).",
        )

    def handle(self, clients, seed, if_empty, keep_export, force, history_weeks, **options):
        if not settings.DEBUG and not force:
            raise CommandError(
                "seed_demo creates demo logins with a known password; refusing with DEBUG off."
            )
        if if_empty and Client.objects.exists():
            self.stdout.write("Database already has clients: demo data not loaded.")
            self.print_logins()
            return
        with tempfile.TemporaryDirectory() as scratch:
            directory = Path(keep_export) if keep_export else Path(scratch)
            counts = write_demo_export(directory, clients, seed, timezone.localdate())
            run = import_export(directory)
        if run.status == ImportRun.Status.FAILED:
            raise CommandError(f"demo import failed: {run.error}")
        apply_team_norms()
        self.stdout.write(
            f"Demo data: {counts['teams']} teams, {counts['staff']} staff, {counts['clients']} clients, "
            f"{counts['contacts']} contacts ({run.rejects.count()} rejected rows)."
        )
        for member in DEMO_CAST:
            user = User.objects.get(username=member.username)
            user.set_password(DEMO_PASSWORD)
            user.save(update_fields=["password"])
        admin, _created = User.objects.get_or_create(
            username="admin",
            defaults={"full_name": "Administrator", "is_staff": True, "is_superuser": True},
        )
        admin.set_password(DEMO_PASSWORD)
        admin.is_staff = admin.is_superuser = True
        admin.save()
        # The feature apps write their weekly history, so every trend of a fresh demo has a line.
        # A receiver may answer with a line saying what it wrote.
        answers = demo_seeded.send(
            sender=None, today=timezone.localdate(), weeks_back=history_weeks
        )
        for _receiver, said in answers:
            if isinstance(said, str):
                self.stdout.write(said)
        self.print_logins()

    def print_logins(self):
        self.stdout.write(self.style.SUCCESS(f"Demo logins (password for all: {DEMO_PASSWORD}):"))
        for member in DEMO_CAST:
            self.stdout.write(f"  {member.username:<16} {member.role}")
        self.stdout.write(f"  {'admin':<16} superuser")
