"""GDPR erasure and retention.

`erase_client` removes a client and everything about them: the client row, contacts, action
plans, referrals, enrolments, quality findings and explanations (cascade), their change history,
the raw rows of rejected imports that mention them and the admin's change messages. The access log
and the shortlist log are evidence and keep their rows, but the client number in them becomes the
keyed pseudonym (caseload.privacy), as does the ErasureRecord that says when and by whom the client
was erased.

Whatever else may quote the number — a saved view named "Follow-up <number>", a note on another
record, a session, a login attempt — is found by the text scrubbers: every app registers the
models it keeps (`register_text_scrubbers`, from AppConfig.ready), and each free-text and JSON
field of them has the number replaced by the pseudonym wherever it stands as a whole key. Feature
apps that keep client references of another kind register a scrubber of their own
(`register_scrubber`): the team dashboard's reassignment log loses the erased client's id. A test
writes the number into every such field of every installed model and finds none left. The
importer refuses to bring back a client with an ErasureRecord (caseload.importer).

`apply_retention` erases exited clients RETENTION_DAYS_AFTER_EXIT days after their exit date.
"""

from __future__ import annotations

import datetime
import logging
import re
from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.contrib.admin.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import FieldDoesNotExist
from django.db import models, transaction
from django.db.models import Q, TextField, Value
from django.db.models.functions import Cast, Replace
from django.utils import timezone

from .access_log import AccessAction, log_access
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


def register_text_scrubbers(*models_kept) -> None:
    """Scrub the erased client's number from every free-text and JSON field of these models."""
    for model in models_kept:
        register_scrubber(TextScrubber(model))


# A client number stands as a whole key: letters, digits and "_" continue a key, and so do "." and
# "-" when a key character follows ("C12-3" is another key, "see C12." mentions C12).
KEY_CHARACTER = "[A-Za-z0-9_]"


def mention_pattern(number: str) -> re.Pattern:
    return re.compile(
        rf"(?<!{KEY_CHARACTER})(?<!{KEY_CHARACTER}[.-]){re.escape(number)}"
        rf"(?!{KEY_CHARACTER})(?![.-]{KEY_CHARACTER})"
    )


def is_key(model, field) -> bool:
    """A record's own identifier (also in its change history): another record's key that happens
    to equal a client number is not a mention of that client."""
    if field.primary_key or field.unique:
        return True
    original = getattr(model, "instance_type", None)  # a django-simple-history model
    if original is not None and original is not model:
        try:
            return is_key(original, original._meta.get_field(field.name))
        except FieldDoesNotExist:  # a field of the history itself (history_change_reason, ...)
            return False
    return False


def text_fields(model) -> list:
    """The fields of a model that can quote a client number: free text and JSON. Codes from a
    closed set of choices and the record's own key cannot."""
    return [
        field
        for field in model._meta.concrete_fields
        if isinstance(field, models.CharField | models.TextField | models.JSONField)
        and not field.choices
        and not is_key(model, field)
    ]


def replace_mentions(value, pattern: re.Pattern, alias: str):
    """The value with every mention replaced, walking JSON lists and objects (keys included)."""
    if isinstance(value, str):
        return pattern.sub(alias, value)
    if isinstance(value, list):
        return [replace_mentions(item, pattern, alias) for item in value]
    if isinstance(value, dict):
        return {
            replace_mentions(key, pattern, alias): replace_mentions(item, pattern, alias)
            for key, item in value.items()
        }
    return value


@dataclass(frozen=True)
class TextScrubber:
    """Replaces the erased client's number by the pseudonym in a model's text fields. Candidates
    are found in SQL (the number as a substring, JSON as its text); the whole-key match and the
    replacement are made here, so they are the same on every database."""

    model: type[models.Model]

    def __call__(self, client_pk: int, number: str, alias: str) -> int:
        fields = text_fields(self.model)
        if not fields:
            return 0
        pattern = mention_pattern(number)
        candidates = self.model._base_manager.annotate(
            **{
                f"_text_{field.name}": Cast(field.name, TextField())
                for field in fields
                if isinstance(field, models.JSONField)
            }
        )
        mentions = Q()
        for field in fields:
            name = f"_text_{field.name}" if isinstance(field, models.JSONField) else field.name
            mentions |= Q(**{f"{name}__contains": number})
        changed = 0
        for row in candidates.filter(mentions).only("pk", *(f.name for f in fields)).iterator():
            update = {}
            for field in fields:
                value = getattr(row, field.attname)
                scrubbed = replace_mentions(value, pattern, alias)
                if scrubbed != value:
                    max_length = getattr(field, "max_length", None)
                    update[field.attname] = scrubbed[:max_length] if max_length else scrubbed
            if update:
                self.model._base_manager.filter(pk=row.pk).update(**update)
                changed += 1
        return changed


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
    for scrubber in SCRUBBERS:
        scrubber(pk, number, alias)

    reason = mention_pattern(number).sub(alias, reason)[:200]
    record = ErasureRecord.objects.create(pseudonym=alias, erased_by=by_user, reason=reason)
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
