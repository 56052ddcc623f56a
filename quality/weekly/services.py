"""Writes of the weekly list: building it (idempotent upsert), explanations, digests."""

from __future__ import annotations

import logging
import time
from collections import defaultdict
from contextlib import contextmanager
from dataclasses import dataclass, field

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import connection, transaction
from django.db.models import Count, F, Q
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from caseload.freshness import last_import_finished_at
from caseload.models import Client, ClientStatus, Role, User
from quality.models import (
    DigestSent,
    FindingAction,
    FindingExplanation,
    QualitySnapshot,
    WeeklyListBuild,
    WeeklyListEntry,
)
from quality.rules import RULE_ORDER, RULES, RULES_BY_ID

from . import weeks

logger = logging.getLogger(__name__)

RANKED_TABLE = "quality_weekly_ranked"  # a temporary table, one per build
BATCH = 2000


class ClosedWeek(ValueError):
    """Only the current week's list is built: a past week is closed, a future one not started."""


@dataclass
class BuildResult:
    iso_week: str
    entries: int
    removed: int
    coaches: int
    seconds: dict = field(default_factory=dict)  # per step of the build (the bench reports them)


class Steps:
    """Seconds per named step: `with steps("name"): ...`."""

    def __init__(self):
        self.seconds: dict[str, float] = {}

    @contextmanager
    def __call__(self, name: str):
        started = time.perf_counter()
        try:
            yield
        finally:
            self.seconds[name] = round(time.perf_counter() - started, 2)

    def __str__(self):
        return ", ".join(f"{name} {seconds:.1f} s" for name, seconds in self.seconds.items())


def check_buildable(iso_week: str) -> str:
    """`iso_week` if it is the current week; ClosedWeek (with a message for the reader) if not."""
    iso_week = weeks.normalise(iso_week)
    current = weeks.current_iso_week()
    if iso_week < current:
        raise ClosedWeek(
            _(
                "The list of %(week)s is closed: it is kept as it was built. A correction goes "
                "into this week's list (%(current)s)."
            )
            % {"week": iso_week, "current": current}
        )
    if iso_week > current:
        raise ClosedWeek(
            _("%(week)s has not started yet: only this week's list (%(current)s) can be built.")
            % {"week": iso_week, "current": current}
        )
    return iso_week


def build_weekly_list(
    iso_week: str | None = None, team_id: int | None = None, *, reason: str = "scheduled"
) -> BuildResult:
    """Build (or bring up to date) the list of the current ISO week. Idempotent: the same data
    give the same rows. A past week is closed (ClosedWeek): its list stays as it was built.

    `team_id` limits the build to one team's caseloads (the button on the page); None, the weekly
    job and the build after an import, covers every team. Only rule ids are stored: the texts come
    from the rule registry in the reader's language.
    """
    iso_week = check_buildable(iso_week)
    return write_week(iso_week, team_id=team_id, reason=reason)


def write_week(
    iso_week: str, *, team_id: int | None = None, reason: str, current: bool = True
) -> BuildResult:
    """The build itself, set-based in SQL, in one transaction (see build_weekly_list; the demo's
    history writes past weeks through it with current=False: evaluated on their own Monday, and
    leaving the explanations, which belong to the current week, alone).

    1. findings: every rule's clients (each rule a queryset, `quality.rules`, one UNION ALL)
       with their rank, computed once per client by a window function (per coach: the client
       whose gaps block most first: worst severity, then number of findings, then client
       number), into a temporary table, one statement;
    2. entries: a week not built before is one INSERT ... SELECT; a rebuild updates the rows that
       changed, inserts the new ones and deletes those whose finding no longer holds (joins, no
       row-by-row upsert);
    3. explanations of findings that no longer hold closed (and the closing recorded), and the
       coaches' snapshots upserted.

    Builds of the lists run one at a time (an advisory lock on PostgreSQL; SQLite writes one at a
    time anyway), so a build after an import and the Monday job cannot interleave.
    """
    started = timezone.now()
    reference_day = weeks.monday_of(iso_week)
    clients = (
        Client.objects.all() if team_id is None else Client.objects.filter(coach__team_id=team_id)
    )
    data_as_of = last_import_finished_at()
    steps = Steps()
    with transaction.atomic(), connection.cursor() as cursor:
        sql = _BuildSQL(cursor, iso_week, team_id)
        sql.prepare()
        with steps("findings"):
            entries, coaches = sql.collect(clients, reference_day)
        in_scope = _entries_in_scope(iso_week, team_id, clients)
        removed = 0
        if in_scope.exists():
            with steps("entries"):
                sql.analyze_entries()
                sql.update_changed()
                sql.insert_new()
            with steps("prune"):
                removed = sql.prune(in_scope)
        else:
            with steps("entries"):
                sql.insert_all()
        with steps("explanations"):
            if current:
                sql.close_lapsed_explanations(clients, started)
        with steps("snapshots"):
            sql.store_snapshots()
        sql.drop()
        WeeklyListBuild.objects.create(
            iso_week=iso_week,
            team_id=team_id,
            reason=reason,
            started_at=started,
            finished_at=timezone.now(),
            import_finished_at=data_as_of,
            findings=entries,
        )
    logger.info("Weekly list %s (%s): %s findings; %s", iso_week, reason, entries, steps)
    return BuildResult(
        iso_week=iso_week, entries=entries, removed=removed, coaches=coaches, seconds=steps.seconds
    )


def _entries_in_scope(iso_week: str, team_id: int | None, clients):
    built = WeeklyListEntry.objects.filter(iso_week=iso_week)
    if team_id is not None:
        # Only this team's rows: another team's list is not this build's to prune.
        built = built.filter(Q(team_id=team_id) | Q(client__in=clients.values("pk")))
    return built


def _compiled(queryset) -> tuple[str, tuple]:
    sql, params = queryset.query.get_compiler(using=queryset.db).as_sql()
    return sql, tuple(params)


# PostgreSQL: one build at a time (a transaction-level advisory lock on this key), and room for
# the sorts and hashes of a national list in memory.
BUILD_LOCK = 0x5745454B4C59  # "WEEKLY"
BUILD_WORK_MEM = "256MB"
ENTRY_COLUMNS = ("coach_id", "team_id", "client_id", "rule_id", "rank", "severity", "explained")
CHANGING = ("coach_id", "team_id", "rank", "severity", "explained")


class _BuildSQL:
    """The statements of one build, on one cursor, around one temporary table: the list's rows
    as they should be."""

    def __init__(self, cursor, iso_week: str, team_id: int | None):
        self.cursor = cursor
        self.iso_week = iso_week
        self.team_id = team_id
        self.q = connection.ops.quote_name
        self.entry = self.q(WeeklyListEntry._meta.db_table)
        self.ranked = self.q(RANKED_TABLE)

    def prepare(self) -> None:
        if connection.vendor == "postgresql":
            self.cursor.execute("SELECT pg_advisory_xact_lock(%s)", [BUILD_LOCK])
            self.cursor.execute(f"SET LOCAL work_mem = '{BUILD_WORK_MEM}'")
        self.cursor.execute(f"DROP TABLE IF EXISTS {self.ranked}")

    def collect(self, clients, reference_day) -> tuple[int, int]:
        """The list's rows in a temporary table, in one statement: every rule's clients (one
        UNION ALL, read once), each client's rank computed once per client by a window function,
        whether an explanation is in force. Returns (findings, coaches)."""
        parts, params = [], []
        for rule in RULES:
            rule_sql, rule_params = _compiled(
                rule.apply(clients, reference_day).order_by().values(broken_id=F("pk"))
            )
            parts.append(
                "SELECT broken.broken_id AS client_id, CAST(%s AS varchar(64)) AS rule_id, "
                f"CAST(%s AS integer) AS severity FROM ({rule_sql}) broken"
            )
            params.extend([rule.id, rule.severity, *rule_params])
        client = self.q(Client._meta.db_table)
        user = self.q(User._meta.db_table)
        explanation = self.q(FindingExplanation._meta.db_table)
        self.cursor.execute(
            f"CREATE TEMPORARY TABLE {self.ranked} AS "
            # Materialised: whatever the planner thinks of the tables' sizes, the rule queries
            # run once (never once per client of a nested loop).
            f"WITH broken AS MATERIALIZED ({' UNION ALL '.join(parts)}), "
            "found AS ("
            "SELECT f.client_id, f.rule_id, f.severity, c.coach_id, u.team_id, c.client_number "
            "FROM broken f "
            f"JOIN {client} c ON c.id = f.client_id "
            f"LEFT JOIN {user} u ON u.id = c.coach_id"
            "), places AS ("
            "SELECT client_id, ROW_NUMBER() OVER (PARTITION BY coach_id "
            "ORDER BY worst DESC, n DESC, client_number) AS place FROM ("
            "SELECT client_id, coach_id, client_number, MAX(severity) AS worst, COUNT(*) AS n "
            "FROM found GROUP BY client_id, coach_id, client_number) per_client"
            ") "
            "SELECT f.coach_id, f.team_id, f.client_id, f.rule_id, p.place AS rank, f.severity, "
            "CASE WHEN e.client_id IS NULL THEN FALSE ELSE TRUE END AS explained "
            "FROM found f JOIN places p ON p.client_id = f.client_id "
            f"LEFT JOIN (SELECT DISTINCT client_id, rule_id FROM {explanation} "
            "WHERE withdrawn_at IS NULL) e ON e.client_id = f.client_id AND e.rule_id = f.rule_id",
            params,
        )
        if connection.vendor == "postgresql":  # temporary tables are never analysed by autovacuum
            self.cursor.execute(f"ANALYZE {self.ranked}")
        self.cursor.execute(f"SELECT COUNT(*), COUNT(DISTINCT coach_id) FROM {self.ranked}")
        entries, coaches = self.cursor.fetchone()
        return entries, coaches

    def _insert(self, where: str = "", params=()) -> None:
        columns = ", ".join(self.q(c) for c in ENTRY_COLUMNS)
        selected = ", ".join(f"n.{self.q(c)}" for c in ENTRY_COLUMNS)
        self.cursor.execute(
            f"INSERT INTO {self.entry} (iso_week, {columns}) "
            f"SELECT CAST(%s AS varchar(8)), {selected} FROM {self.ranked} n {where}",
            [self.iso_week, *params],
        )

    def analyze_entries(self) -> None:
        """Fresh statistics of the list rows before joining them with the new ones: a week just
        written (a first build, the demo's history) is not analysed yet, and without statistics
        the planner joins row by row. ANALYZE reads a fixed sample, whatever the table's size."""
        if connection.vendor == "postgresql":
            self.cursor.execute(f"ANALYZE {self.entry}")

    def insert_all(self) -> None:
        """A week not built before (in this scope): every row, one statement."""
        self._insert()

    def insert_new(self) -> None:
        self._insert(
            f"WHERE NOT EXISTS (SELECT 1 FROM {self.entry} e WHERE e.iso_week = %s "
            "AND e.client_id = n.client_id AND e.rule_id = n.rule_id)",
            [self.iso_week],
        )

    def update_changed(self) -> None:
        """Rows whose coach, team, rank, severity or explanation changed (and only those)."""
        assignments = ", ".join(f"{self.q(c)} = n.{self.q(c)}" for c in CHANGING)
        changed = " OR ".join(
            f"{self.entry}.{self.q(c)} IS DISTINCT FROM n.{self.q(c)}" for c in CHANGING
        )
        self.cursor.execute(
            f"UPDATE {self.entry} SET {assignments} FROM {self.ranked} n "
            f"WHERE {self.entry}.iso_week = %s AND {self.entry}.client_id = n.client_id "
            f"AND {self.entry}.rule_id = n.rule_id AND ({changed})",
            [self.iso_week],
        )

    def prune(self, entries_in_scope) -> int:
        """Delete the week's rows (in scope) whose finding no longer holds."""
        if self.team_id is None:
            scope, params = f"{self.entry}.iso_week = %s", [self.iso_week]
        else:
            scope_sql, params = _compiled(entries_in_scope.values("pk"))
            scope = f"{self.entry}.id IN ({scope_sql})"
        self.cursor.execute(
            f"DELETE FROM {self.entry} WHERE {scope} AND NOT EXISTS ("
            f"SELECT 1 FROM {self.ranked} f WHERE f.client_id = {self.entry}.client_id "
            f"AND f.rule_id = {self.entry}.rule_id)",
            params,
        )
        return self.cursor.rowcount

    def close_lapsed_explanations(self, clients, now) -> None:
        """An explanation carries over from week to week while its finding holds; once the
        finding is gone it is closed, and the closing recorded (should the gap come back, it
        needs a new explanation)."""
        explanation = self.q(FindingExplanation._meta.db_table)
        clients_sql, clients_params = _compiled(clients.order_by().values("pk"))
        self.cursor.execute(
            f"SELECT e.id, e.client_id, e.rule_id FROM {explanation} e "
            f"WHERE e.withdrawn_at IS NULL AND e.client_id IN ({clients_sql}) AND NOT EXISTS ("
            f"SELECT 1 FROM {self.ranked} f WHERE f.client_id = e.client_id "
            "AND f.rule_id = e.rule_id)",
            clients_params,
        )
        closing = self.cursor.fetchall()
        if not closing:
            return
        FindingAction.objects.bulk_create(
            [
                FindingAction(
                    client_id=client_id, rule_id=rule_id, action=FindingAction.Action.LAPSED
                )
                for _pk, client_id, rule_id in closing
            ],
            batch_size=BATCH,
        )
        for start in range(0, len(closing), BATCH):
            FindingExplanation.objects.filter(
                pk__in=[pk for pk, _client, _rule in closing[start : start + BATCH]]
            ).update(withdrawn_at=now)

    def store_snapshots(self) -> None:
        """Per work coach (of the team, or every team) and rule: the clients breaking it this
        week, over the coach's active clients."""
        snapshot = self.q(QualitySnapshot._meta.db_table)
        client = self.q(Client._meta.db_table)
        user = self.q(User._meta.db_table)
        rule_values = ", ".join(["(CAST(%s AS varchar(64)))"] * len(RULES))
        team_condition = " AND u.team_id = %s" if self.team_id is not None else ""
        params = [self.iso_week, *[rule.id for rule in RULES], ClientStatus.ACTIVE, Role.WORK_COACH]
        if self.team_id is not None:
            params.append(self.team_id)
        key = self.q("key")
        self.cursor.execute(
            f"INSERT INTO {snapshot} (iso_week, team_id, coach_id, {key}, {self.q('count')}, total) "
            "SELECT CAST(%s AS varchar(8)), u.team_id, u.id, r.column1, COALESCE(found.n, 0), COALESCE(active.n, 0) "
            f"FROM {user} u CROSS JOIN (VALUES {rule_values}) r "
            "LEFT JOIN (SELECT coach_id, rule_id, COUNT(*) AS n "
            f"FROM {self.ranked} GROUP BY coach_id, rule_id) found "
            "ON found.coach_id = u.id AND found.rule_id = r.column1 "
            f"LEFT JOIN (SELECT coach_id, COUNT(*) AS n FROM {client} WHERE status = %s "
            "GROUP BY coach_id) active ON active.coach_id = u.id "
            f"WHERE u.role = %s{team_condition} "
            f"ON CONFLICT (iso_week, coach_id, {key}) DO UPDATE SET team_id = excluded.team_id, "
            f"{self.q('count')} = excluded.{self.q('count')}, total = excluded.total",
            params,
        )
        QualitySnapshot.objects.filter(iso_week=self.iso_week).exclude(key__in=RULES_BY_ID).delete()

    def drop(self) -> None:
        self.cursor.execute(f"DROP TABLE {self.ranked}")


# --- acting on findings --------------------------------------------------------------------------
def _findings_condition(pairs) -> Q:
    """Rows of any of these (client id, rule id) findings."""
    condition = Q()
    for client_id, rule_id in pairs:
        condition |= Q(client_id=client_id, rule_id=rule_id)
    return condition


def _on_current_list(pairs: list[tuple[int, str]]):
    return WeeklyListEntry.objects.filter(
        _findings_condition(pairs), iso_week=weeks.current_iso_week()
    )


def _checked_pairs(findings: list[tuple[Client, str]]) -> list[tuple[int, str]]:
    """(client id, rule id) of findings on this week's list; ValidationError naming the field."""
    if not findings:
        raise ValidationError({"findings": _("Select at least one finding.")})
    unknown = sorted({rule_id for _client, rule_id in findings if rule_id not in RULES_BY_ID})
    if unknown:
        raise ValidationError(
            {"findings": _("Unknown rule: %(rules)s.") % {"rules": ", ".join(unknown)}}
        )
    pairs = sorted({(client.pk, rule_id) for client, rule_id in findings})
    listed = set(_on_current_list(pairs).values_list("client_id", "rule_id"))
    missing = [pair for pair in pairs if pair not in listed]
    if missing:
        numbers = {client.pk: client.client_number for client, _rule in findings}
        raise ValidationError(
            {
                "findings": _("Not on this week's list: %(findings)s.")
                % {
                    "findings": ", ".join(
                        f"{numbers[client_id]} ({RULES_BY_ID[rule_id].finding_label})"
                        for client_id, rule_id in missing
                    )
                }
            }
        )
    return pairs


def _record(pairs, action: str, *, user, note: str = "") -> None:
    FindingAction.objects.bulk_create(
        [
            FindingAction(client_id=client_id, rule_id=rule_id, action=action, note=note, by=user)
            for client_id, rule_id in pairs
        ]
    )


def _withdraw_in_force(pairs) -> None:
    FindingExplanation.objects.in_force().filter(_findings_condition(pairs)).update(
        withdrawn_at=timezone.now()
    )


def explain_findings(*, user, findings: list[tuple[Client, str]], reason: str) -> int:
    """Explain findings of this week's list with one reason: each leaves the coach's open list
    (now and in the coming weeks, while the finding holds); the quality officer sees the reason.
    The caller has scoped every client with visible_to. Returns the number explained."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Give a reason: the quality officer reads it.")})
    pairs = _checked_pairs(findings)
    with transaction.atomic():
        _withdraw_in_force(pairs)
        FindingExplanation.objects.bulk_create(
            [
                FindingExplanation(
                    client_id=client_id, rule_id=rule_id, reason=reason, explained_by=user
                )
                for client_id, rule_id in pairs
            ]
        )
        _record(pairs, FindingAction.Action.EXPLAINED, user=user, note=reason)
        _on_current_list(pairs).update(explained=True)
    return len(pairs)


def explain_finding(*, user, client: Client, rule_id: str, reason: str) -> FindingExplanation:
    """One finding explained (see explain_findings)."""
    explain_findings(user=user, findings=[(client, rule_id)], reason=reason)
    return FindingExplanation.objects.in_force().get(client=client, rule_id=rule_id)


def return_findings(*, user, findings: list[tuple[Client, str]], note: str) -> int:
    """A quality officer sends findings back to the coach with a note: an explanation in force is
    withdrawn and the finding is open on the coach's list again. Returns the number returned."""
    note = (note or "").strip()
    if not note:
        raise ValidationError({"reason": _("Write a note: the coach reads why it comes back.")})
    pairs = _checked_pairs(findings)
    with transaction.atomic():
        _withdraw_in_force(pairs)
        _record(pairs, FindingAction.Action.RETURNED, user=user, note=note)
        _on_current_list(pairs).update(explained=False)
    return len(pairs)


def withdraw_explanations(*, user, findings: list[tuple[Client, str]]) -> int:
    """The coach takes explanations back: the findings are open on this week's list again.
    Returns the number withdrawn (findings without an explanation in force are left alone)."""
    pairs = _checked_pairs(findings)
    with transaction.atomic():
        explained = list(
            FindingExplanation.objects.in_force()
            .filter(_findings_condition(pairs))
            .values_list("client_id", "rule_id")
        )
        if not explained:
            raise ValidationError({"findings": _("None of the selected findings is explained.")})
        _withdraw_in_force(explained)
        _record(explained, FindingAction.Action.WITHDRAWN, user=user)
        _on_current_list(explained).update(explained=False)
    return len(explained)


# --- digests ------------------------------------------------------------------------------------
def digest_recipients(iso_week: str) -> list[tuple[User, dict]]:
    """Each coach with their own open findings (the most blocking clients, up to
    WEEKLY_LIST["DIGEST_CLIENTS"]); each quality officer with their team's open findings per
    coach. Reads only the rows it mails."""
    top = settings.WEEKLY_LIST["DIGEST_CLIENTS"]
    week_entries = WeeklyListEntry.objects.filter(iso_week=iso_week)
    open_counts = defaultdict(lambda: {"findings": 0, "clients": 0})
    for row in (
        week_entries.filter(explained=False, coach__isnull=False)
        .values("coach_id")
        .annotate(findings=Count("pk"), clients=Count("client_id", distinct=True))
        .order_by()
    ):
        open_counts[row["coach_id"]] = row
    shown: dict[int, list] = defaultdict(list)
    for entry in (
        week_entries.filter(explained=False, coach__isnull=False, rank__lte=top)
        .select_related("client")
        .order_by("coach_id", "rank", "-severity", "rule_id")
    ):
        shown[entry.coach_id].append(entry)
    recipients = []
    coaches = User.objects.filter(pk__in=list(shown), is_active=True, role=Role.WORK_COACH)
    for coach in coaches.order_by("pk"):
        recipients.append(
            (coach, {"items": grouped_by_client(shown[coach.pk]), **open_counts[coach.pk]})
        )
    teams = defaultdict(list)
    for coach in User.objects.filter(role=Role.WORK_COACH, pk__in=list(open_counts)).order_by(
        "full_name"
    ):
        teams[coach.team_id].append({"coach": coach, **open_counts[coach.pk]})
    for officer in User.objects.filter(
        role=Role.QUALITY_OFFICER, is_active=True, team_id__in=list(teams)
    ).order_by("pk"):
        per_coach = teams[officer.team_id]
        recipients.append(
            (
                officer,
                {
                    "coaches": per_coach,
                    "findings": sum(row["findings"] for row in per_coach),
                    "clients": sum(row["clients"] for row in per_coach),
                },
            )
        )
    return recipients


def grouped_by_client(entries) -> list[dict]:
    """Entries (ordered by rank) as one item per client with its findings, gravest first."""
    clients: dict[int, dict] = {}
    for entry in entries:
        item = clients.setdefault(
            entry.client_id, {"client": entry.client, "rank": entry.rank, "entries": []}
        )
        item["entries"].append(entry)
    for item in clients.values():
        item["entries"].sort(key=lambda e: (-e.severity, RULE_ORDER.get(e.rule_id, len(RULES))))
    return list(clients.values())


def send_weekly_digests(iso_week: str) -> int:
    """Mail each recipient their digest once per week (a DigestSent row guards against re-runs).
    Texts in the installation's language; links to the list and the clients on the site."""
    iso_week = weeks.normalise(iso_week)
    sent = 0
    with translation.override(settings.LANGUAGE_CODE):
        for recipient, digest in digest_recipients(iso_week):
            if not recipient.email:
                logger.warning(
                    "No email address for %s: weekly digest %s not sent", recipient.pk, iso_week
                )
                continue
            with transaction.atomic():
                _record_sent, created = DigestSent.objects.get_or_create(
                    iso_week=iso_week,
                    recipient=recipient,
                    defaults={"findings": digest["findings"]},
                )
                if not created:
                    continue
                context = {
                    "recipient": recipient,
                    "iso_week": iso_week,
                    "team_view": recipient.role == Role.QUALITY_OFFICER,
                    "site_url": settings.SITE_URL.rstrip("/"),
                    **digest,
                }
                # A failing mail server rolls the DigestSent row back, so the retry sends it.
                send_mail(
                    subject=_("Incomplete data, week %(week)s") % {"week": iso_week},
                    message=render_to_string("quality/email/digest.txt", context),
                    from_email=settings.DEFAULT_FROM_EMAIL,
                    recipient_list=[recipient.email],
                )
                sent += 1
    return sent
