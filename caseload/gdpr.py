"""GDPR erasure and retention.

`erase_client` removes a client and everything about them: the client row, contacts, action
plans, referrals, enrolments, quality findings and explanations (cascade), their change history,
the raw rows of rejected imports that mention them and the admin's change messages. The access log
and the shortlist log are evidence and keep their rows, but the client number in them becomes the
keyed pseudonym (caseload.privacy), as does the ErasureRecord that says when and by whom the client
was erased. Feature apps that keep client references of their own register a scrubber
(`register_scrubber`): the team dashboard's reassignment log loses the erased client's id. The
importer refuses to bring back a client with an ErasureRecord (caseload.importer).

`apply_retention` erases exited clients RETENTION_DAYS_AFTER_EXIT days after their exit date.
"""

from __future__ import annotations

import datetime
import logging
from collections.abc import Callable

from django.conf import settings
from django.contrib.admin.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.db.models import Q, TextField, Value
from django.db.models.functions import Cast, Replace
from django.utils import timezone

from .access_log import AccessAction, log_access
from .matching.models import ShortlistRun
from .models import (
    AccessLog,
    ActionPlan,
    Client,
    ClientStatus,
    Contact,
    Enrolment,
    ErasureRecord,
    ImportReject,
    Referral,
)
from .privacy import pseudonym

logger = logging.getLogger(__name__)

# Called as scrubber(client_pk, client_number, alias) inside the erasure's transaction, after the
# client row is gone: feature apps register what they must also remove (from AppConfig.ready).
SCRUBBERS: list[Callable[[int, str, str], None]] = []


def register_scrubber(scrubber: Callable[[int, str, str], None]) -> None:
    if scrubber not in SCRUBBERS:
        SCRUBBERS.append(scrubber)


# Records that hang off a client and are deleted with it (on_delete=CASCADE).
DEPENDENTS = [
    (Contact, "contact_id"),
    (ActionPlan, "plan_id"),
    (Referral, "referral_id"),
    (Enrolment, "enrolment_id"),
]


@transaction.atomic
def erase_client(client: Client, by_user=None, reason: str = "erasure request") -> ErasureRecord:
    number, pk = client.client_number, client.pk
    alias = pseudonym(number)
    dependents = {
        model: list(model.objects.filter(client_id=pk).values_list("pk", key))
        for model, key in DEPENDENTS
    }

    Client.objects.filter(pk=pk).delete()  # cascades to the dependents
    # History last: the deletion itself has just written history rows too.
    Client.history.filter(id=pk).delete()
    for model, _key in DEPENDENTS:
        model.history.filter(client_id=pk).delete()

    AccessLog.objects.pseudonymise_client(number, alias)
    scrub_admin_log(Client, [(pk, number)], alias)
    for model, rows in dependents.items():
        scrub_admin_log(model, rows, alias)
    scrub_import_rejects(
        [number, *(key for rows in dependents.values() for _pk, key in rows)], alias
    )
    scrub_shortlists(number, alias)
    for scrubber in SCRUBBERS:
        scrubber(pk, number, alias)

    record = ErasureRecord.objects.create(pseudonym=alias, erased_by=by_user, reason=reason[:200])
    if by_user is not None:
        log_access(by_user, AccessAction.ERASE, [alias])
    logger.info("erased client %s (%s)", alias, reason)
    return record


def scrub_admin_log(model, rows: list[tuple[int, str]], alias: str) -> None:
    if not rows:
        return
    LogEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(model),
        object_id__in=[str(pk) for pk, _key in rows],
    ).update(object_repr=alias, change_message="")


def scrub_import_rejects(keys: list[str], alias: str) -> None:
    """Rejected rows keep the raw values; any that mention the client lose them. Keys are matched
    whole (quoted as in JSON and in the importer's messages), so a longer number is not hit."""
    mentions = Q()
    for key in keys:
        mentions |= Q(row_text__contains=f'"{key}"') | Q(reason__contains=f"'{key}'")
    rejects = ImportReject.objects.annotate(row_text=Cast("row", TextField())).filter(mentions)
    ids = list(rejects.values_list("pk", flat=True))
    for key in keys:  # the reason may quote a key ("duplicate key 'C00001'")
        ImportReject.objects.filter(pk__in=ids, reason__contains=f"'{key}'").update(
            reason=Replace("reason", Value(f"'{key}'"), Value(f"'{alias}'"))
        )
    ImportReject.objects.filter(pk__in=ids).update(row={"erased": alias})


def scrub_shortlists(number: str, alias: str) -> None:
    """A logged ranking is [[client number, score], ...]: the erased client's entry keeps its place
    and score under the pseudonym, so the run still says how many were ranked and in what order."""
    runs = list(
        ShortlistRun.objects.annotate(ranking_text=Cast("ranking", TextField()))
        .filter(ranking_text__contains=f'"{number}"')
        .only("pk", "ranking")
    )
    for run in runs:
        run.ranking = [
            [alias, *entry[1:]] if entry and entry[0] == number else entry for entry in run.ranking
        ]
    ShortlistRun.objects.bulk_update(runs, ["ranking"])


def clients_past_retention(today: datetime.date | None = None):
    today = today or timezone.localdate()
    cutoff = today - datetime.timedelta(days=settings.RETENTION_DAYS_AFTER_EXIT)
    return Client.objects.filter(status=ClientStatus.EXITED, exit_date__lt=cutoff)


def apply_retention(today: datetime.date | None = None) -> int:
    """Erase every exited client past the retention period; returns how many."""
    erased = 0
    for client in clients_past_retention(today).iterator():
        erase_client(client, reason="retention period after exit")
        erased += 1
    return erased
