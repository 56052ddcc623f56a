from django.core.management.base import BaseCommand, CommandError

from caseload.gdpr import erase_client
from caseload.models import Client, User


class Command(BaseCommand):
    help = "Erase a client and all their personal data (GDPR); the access log keeps a pseudonym."

    def add_arguments(self, parser):
        parser.add_argument("client_number")
        parser.add_argument("--by", help="username of the staff member who asked for the erasure")
        parser.add_argument("--reason", default="erasure request")

    def handle(self, client_number, by=None, reason="erasure request", **options):
        try:
            client = Client.objects.get(client_number=client_number)
        except Client.DoesNotExist as exc:
            raise CommandError(f"no client {client_number}") from exc
        user = None
        if by:
            user = User.objects.filter(username=by).first()
            if user is None:
                raise CommandError(f"no staff member {by}")
        record = erase_client(client, by_user=user, reason=reason)
        self.stdout.write(f"erased; pseudonym {record.pseudonym}")
