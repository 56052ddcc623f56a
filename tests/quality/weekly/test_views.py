"""Pages: roles, scoping, every figure equals the list behind it, query counts, the trigger."""

import datetime
import re
import time

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from caseload.access_log import AccessAction
from caseload.models import AccessLog
from quality import tasks
from quality.models import DigestSent, FindingAction, FindingExplanation, WeeklyListEntry
from quality.weekly import services, weeks
from quality.weekly.forms import WeekForm
from tests.quality.factories import CASES, seen_client

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(cast):
    coach_a, coach_b = cast["coach_a"], cast["coach_b"]
    for rule_id, (make_breaker, make_keeper) in CASES.items():
        make_breaker(coach=coach_a)
        make_keeper(coach=coach_b)
        if rule_id.startswith("cv"):
            make_breaker(coach=coach_b)
    CASES["cv_not_registered"][0](coach=cast["other_coach"])
    return cast


@pytest.mark.parametrize(
    "role, status",
    [
        ("coach_a", 200),
        ("quality_officer", 200),
        ("team_manager", 200),
        ("superuser", 200),
        ("other_manager", 200),
    ],
)
def test_dashboard_roles(login, world, role, status):
    assert login(world[role]).get(reverse("quality_dashboard")).status_code == status


def test_dashboard_needs_login(client):
    assert client.get(reverse("quality_dashboard")).status_code == 302


def test_staff_without_role_gets_403(login, world):
    from tests.factories import UserFactory

    nobody = UserFactory(username="norole", role="")
    assert login(nobody).get(reverse("quality_dashboard")).status_code == 403
    assert login(nobody).get(reverse("quality_my_list")).status_code == 403


def figure_links(html: str) -> list[tuple[str, int]]:
    return [
        (href.replace("&amp;", "&"), int(count))
        for href, count in re.findall(
            r'<a href="(/clients/\?[^"]*finding=[^"]+)"[^>]*data-figure="[^"]+"[^>]*>(\d+)</a>',
            html,
        )
    ]


@pytest.mark.parametrize("role", ["quality_officer", "coach_a", "superuser"])
def test_every_figure_equals_the_length_of_its_client_list(login, world, role):
    client = login(world[role])
    html = client.get(reverse("quality_dashboard")).content.decode()
    links = figure_links(html)
    assert len(links) > 20
    assert any(count > 0 for _url, count in links)
    for url, count in links:
        response = client.get(url)
        assert response.context["filterset"].is_valid(), url
        assert response.context["page"].paginator.count == count, url


def test_team_figures_stay_in_the_team(login, world):
    html = login(world["quality_officer"]).get(reverse("quality_dashboard")).content.decode()
    cv_total = dict(figure_links(html))["/clients/?finding=cv_not_registered"]
    assert cv_total == 2  # coach A's and coach B's, not the other team's
    assert "Other coach" not in html


def test_dashboard_query_count_does_not_grow_with_caseload(
    login, world, django_assert_max_num_queries
):
    client = login(world["quality_officer"])
    url = reverse("quality_dashboard")
    with django_assert_max_num_queries(40) as small:
        client.get(url)
    for index in range(190):
        make_breaker = CASES[sorted(CASES)[index % len(CASES)]][0]
        make_breaker(coach=world["coach_a"] if index % 2 else world["coach_b"])
    with django_assert_max_num_queries(len(small.captured_queries)):
        assert client.get(url).status_code == 200


def test_dashboard_says_what_it_does_not_measure(login, world):
    response = login(world["quality_officer"]).get(reverse("quality_dashboard"))
    assert b"service quality" in response.content


def test_unknown_finding_is_a_field_error_on_the_list(login, world):
    response = login(world["coach_a"]).get(reverse("caseload:client_list") + "?finding=nope")
    assert response.status_code == 200
    assert "finding" in response.context["filterset"].errors


WEEK = weeks.current_iso_week()


def act(browser, url, action, findings, reason=""):
    return browser.post(url, {"action": action, "findings": findings, "reason": reason})


def key(entry) -> str:
    return f"{entry.client.client_number}:{entry.rule_id}"


def test_coach_marks_a_finding_explained(login, world):
    coach = world["coach_a"]
    services.build_weekly_list()
    entry = (
        WeeklyListEntry.objects.filter(coach=coach, rule_id="cv_not_registered")
        .select_related("client")
        .get()
    )
    client = login(coach)
    page = client.get(reverse("quality_my_list"))
    assert entry.client.client_number.encode() in page.content
    response = act(client, reverse("quality_my_list"), "explain", [key(entry)], "Refuses a CV")
    assert response.status_code == 302
    explanation = FindingExplanation.objects.get()
    assert (explanation.client, explanation.explained_by, explanation.reason) == (
        entry.client,
        coach,
        "Refuses a CV",
    )
    entry.refresh_from_db()
    assert entry.explained  # off the coach's open list at once, not only from the next build
    action = FindingAction.objects.get()
    assert (action.action, action.by, action.note) == ("explained", coach, "Refuses a CV")


def test_coach_explains_several_findings_at_once_with_one_reason(login, world):
    coach = world["coach_a"]
    services.build_weekly_list()
    entries = list(
        WeeklyListEntry.objects.filter(coach=coach).select_related("client").order_by("pk")[:3]
    )
    response = act(
        login(coach), reverse("quality_my_list"), "explain", [key(e) for e in entries], "Agreed"
    )
    assert response.status_code == 302
    assert FindingExplanation.objects.in_force().count() == 3
    assert set(FindingExplanation.objects.values_list("reason", flat=True)) == {"Agreed"}
    open_numbers = re.findall(
        r'data-client="([^"]+)"', login(coach).get(reverse("quality_my_list")).content.decode()
    )
    explained_only = {
        e.client.client_number
        for e in entries
        if not WeeklyListEntry.objects.filter(client=e.client, explained=False).exists()
    }
    assert not explained_only & set(open_numbers)


def test_explaining_without_reason_names_the_field_and_keeps_the_selection(login, world):
    services.build_weekly_list()
    entry = WeeklyListEntry.objects.filter(coach=world["coach_a"]).select_related("client").first()
    response = act(login(world["coach_a"]), reverse("quality_my_list"), "explain", [key(entry)])
    assert response.status_code == 400
    assert b"Reason or note" in response.content
    assert f'value="{key(entry)}" id='.encode() in response.content
    assert b"checked" in response.content
    assert not FindingExplanation.objects.exists()


def test_selecting_nothing_names_the_field(login, world):
    services.build_weekly_list()
    response = act(login(world["coach_a"]), reverse("quality_my_list"), "explain", [], "x")
    assert response.status_code == 400
    assert b"Select at least one finding" in response.content


def test_coach_cannot_explain_another_coachs_client(login, world):
    services.build_weekly_list()
    response = act(
        login(world["coach_a"]),
        reverse("quality_my_list"),
        "explain",
        ["CB0001:cv_not_registered"],
        "x",
    )
    assert response.status_code == 404
    assert not FindingExplanation.objects.exists()


def test_quality_officer_explains_and_returns_within_the_team(login, world):
    services.build_weekly_list()
    officer = login(world["quality_officer"])
    url = reverse("quality_weekly_latest")
    entry = (
        WeeklyListEntry.objects.filter(coach=world["coach_b"], rule_id="cv_not_registered")
        .select_related("client")
        .first()
    )
    assert act(officer, url, "explain", [key(entry)], "Known to the officer").status_code == 302
    assert act(officer, url, "return", [key(entry)]).status_code == 400  # a note is required
    assert act(officer, url, "return", [key(entry)], "Please ask again").status_code == 302
    assert not FindingExplanation.objects.in_force().exists()
    entry.refresh_from_db()
    assert not entry.explained
    assert list(FindingAction.objects.order_by("at", "pk").values_list("action", "by", "note")) == [
        ("explained", world["quality_officer"].pk, "Known to the officer"),
        ("returned", world["quality_officer"].pk, "Please ask again"),
    ]
    coach_page = login(world["coach_b"]).get(reverse("quality_my_list")).content.decode()
    assert "Please ask again" in coach_page
    other = CASES["cv_not_registered"][0](coach=world["other_coach"])
    services.build_weekly_list()
    officer = login(world["quality_officer"])
    assert (
        act(officer, url, "return", [f"{other.client_number}:cv_not_registered"], "x").status_code
        == 404
    )


def test_team_manager_and_coach_cannot_return(login, world):
    services.build_weekly_list()
    entry = WeeklyListEntry.objects.filter(coach=world["coach_a"]).select_related("client").first()
    manager = act(
        login(world["team_manager"]), reverse("quality_weekly_latest"), "return", [key(entry)], "x"
    )
    assert manager.status_code == 403  # a manager does not act on findings
    coach = act(login(world["coach_a"]), reverse("quality_my_list"), "return", [key(entry)], "x")
    assert coach.status_code == 400 and b"Action" in coach.content
    assert not FindingAction.objects.exists()


def test_a_past_week_takes_no_action(login, world):
    services.write_week(weeks.previous(WEEK), reason="demo", current=False)
    entry = WeeklyListEntry.objects.filter(coach=world["coach_a"]).select_related("client").first()
    response = act(
        login(world["coach_a"]),
        reverse("quality_weekly_list", args=[weeks.previous(WEEK)]),
        "explain",
        [key(entry)],
        "x",
    )
    assert response.status_code == 400
    assert not FindingExplanation.objects.exists()


def test_the_list_is_one_row_per_client_paged_and_filtered(login, world):
    services.build_weekly_list()
    officer = login(world["quality_officer"])
    url = reverse("quality_weekly_latest")
    response = officer.get(url, {"page_size": 2})
    rows = response.context["rows"]
    assert len(rows) == 2 and response.context["page"].paginator.num_pages > 1
    numbers = [row["client__client_number"] for row in rows]
    assert len(set(numbers)) == len(numbers)
    everyone = officer.get(url, {"page_size": 200}).context["rows"]
    assert len({r["client__client_number"] for r in everyone}) == len(everyone)
    coach_b = world["coach_b"]
    one = officer.get(url, {"coach": coach_b.pk, "rule": "cv_not_registered"}).context["rows"]
    expected = set(
        WeeklyListEntry.objects.filter(coach=coach_b, rule_id="cv_not_registered").values_list(
            "client__client_number", flat=True
        )
    )
    assert {r["client__client_number"] for r in one} == expected
    assert all(e.rule_id == "cv_not_registered" for r in one for e in r["entries"])
    high = officer.get(url, {"severity": "3", "kind": "missing"}).context["rows"]
    assert all(e.severity == 3 and e.rule.kind == "missing" for r in high for e in r["entries"])
    # another team's coach selects nothing, as on the client list (the rows are scoped already)
    other = officer.get(url, {"coach": world["other_coach"].pk})
    assert other.status_code == 200 and other.context["rows"] == []
    bad = officer.get(url, {"coach": "x"})
    assert bad.status_code == 400 and "coach" in bad.context["filterset"].errors


def test_counts_per_coach_link_to_that_coachs_rows(login, world):
    services.build_weekly_list()
    response = login(world["quality_officer"]).get(reverse("quality_weekly_latest"))
    per_coach = {row["coach"].pk: row for row in response.context["per_coach"]}
    coach_a = world["coach_a"]
    assert per_coach[coach_a.pk]["clients"] == (
        WeeklyListEntry.objects.filter(coach=coach_a).values("client").distinct().count()
    )
    assert f'href="?coach={coach_a.pk}"'.encode() in response.content
    assert world["other_coach"].pk not in per_coach


def test_english_page_shows_no_dutch_rule_text_and_dutch_none_english(login, world, settings):
    services.build_weekly_list()
    officer = login(world["quality_officer"])
    url = reverse("quality_weekly_latest")
    settings.LANGUAGE_CODE = "nl"
    dutch = officer.get(url, HTTP_ACCEPT_LANGUAGE="nl").content.decode()
    settings.LANGUAGE_CODE = "en"
    english = officer.get(url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    from django.utils import translation

    from quality.rules import RULES

    for rule in RULES:
        with translation.override("en"):
            label_en, blocks_en = str(rule.label), str(rule.blocks)
        with translation.override("nl"):
            label_nl, blocks_nl = str(rule.label), str(rule.blocks)
        assert label_en != label_nl and blocks_en != blocks_nl, rule.id
        assert label_nl not in english and blocks_nl not in english, rule.id
        assert blocks_en not in dutch, rule.id
    assert "Cannot be referred" in english or "nobody knows if a CV exists" in english


def test_trigger_builds_the_officers_team_only_and_mails_no_one(login, world):
    response = login(world["quality_officer"]).post(
        reverse("quality_trigger_weekly_list"), {"week": WEEK}, follow=True
    )
    assert response.status_code == 200
    assert b"queued" in response.content
    built = WeeklyListEntry.objects.filter(iso_week=WEEK)
    assert built.filter(coach=world["coach_a"]).exists()
    assert not built.filter(
        coach=world["other_coach"]
    ).exists()  # another team's list is not theirs to build
    assert mail.outbox == []
    assert not DigestSent.objects.exists()  # so the scheduled run still mails this week's digests


def test_trigger_does_not_prune_another_teams_list(login, world):
    week = weeks.current_iso_week()
    services.build_weekly_list(week)
    others = set(
        WeeklyListEntry.objects.filter(coach=world["other_coach"]).values_list("pk", "rank")
    )
    assert others
    login(world["quality_officer"]).post(reverse("quality_trigger_weekly_list"), {"week": week})
    assert (
        set(WeeklyListEntry.objects.filter(coach=world["other_coach"]).values_list("pk", "rank"))
        == others
    )


def test_superuser_trigger_builds_every_team(login, world):
    login(world["superuser"]).post(reverse("quality_trigger_weekly_list"), {"week": ""})
    assert WeeklyListEntry.objects.filter(iso_week=WEEK, coach=world["other_coach"]).exists()
    assert mail.outbox == []


def test_trigger_refuses_a_future_week_and_queues_nothing(login, world, monkeypatch):
    queued = []
    monkeypatch.setattr(
        tasks, "queue_weekly_list", lambda *args, **kwargs: queued.append((args, kwargs))
    )
    next_week = weeks.iso_week_of(timezone.localdate() + datetime.timedelta(days=7))
    response = login(world["quality_officer"]).post(
        reverse("quality_trigger_weekly_list"), {"week": next_week}, follow=True
    )
    assert response.status_code == 200
    assert f"Week: {next_week} has not started yet".encode() in response.content
    assert queued == []
    assert not WeeklyListEntry.objects.exists()


def test_week_form_takes_this_week_only():
    today = timezone.localdate()
    assert WeekForm({"week": weeks.current_iso_week()}).is_valid()
    empty = WeekForm({"week": ""})
    assert empty.is_valid() and empty.cleaned_data["week"] == weeks.current_iso_week()
    past = WeekForm({"week": weeks.iso_week_of(today - datetime.timedelta(days=400))})
    assert not past.is_valid() and "closed" in past.errors["week"][0]
    future = WeekForm({"week": weeks.iso_week_of(today + datetime.timedelta(days=7))})
    assert not future.is_valid()
    assert list(future.errors) == ["week"]


def test_teamless_officer_cannot_trigger(login, world):
    from tests.factories import UserFactory

    officer = UserFactory(username="officer.noteam", role="quality_officer", team=None)
    assert (
        login(officer).post(reverse("quality_trigger_weekly_list"), {"week": ""}).status_code == 403
    )
    assert not WeeklyListEntry.objects.exists()


def test_trigger_rejects_a_bad_week_and_coaches(login, world):
    response = login(world["quality_officer"]).post(
        reverse("quality_trigger_weekly_list"), {"week": "48"}, follow=True
    )
    assert b"Week:" in response.content
    assert not WeeklyListEntry.objects.exists()
    assert login(world["coach_a"]).post(reverse("quality_trigger_weekly_list")).status_code == 403


@pytest.fixture
def broker_down():
    """The real (non-eager) publishing path, against a port where no Redis listens."""
    from config.celery import app

    def reset_pool():
        # Forget the cached pools, so the next publish connects to the broker configured now.
        app._pool = None
        app.amqp._producer_pool = None

    previous = (app.conf.broker_url, app.conf.task_always_eager)
    reset_pool()
    app.conf.broker_url = "redis://127.0.0.1:6399/0"
    app.conf.task_always_eager = False
    yield
    reset_pool()
    app.conf.broker_url, app.conf.task_always_eager = previous


def test_redis_down_pages_still_serve_and_the_trigger_answers_fast(login, world, broker_down):
    pages = {
        "team_manager": ("team_dashboard", "quality_dashboard"),
        "coach_a": ("coach_dashboard", "quality_my_list", "quality_dashboard"),
        "quality_officer": ("quality_dashboard", "quality_weekly_latest", "caseload:client_list"),
    }
    for role, names in pages.items():
        reader = login(world[role])
        for name in names:
            assert reader.get(reverse(name)).status_code == 200, (role, name)
    client = login(world["quality_officer"])
    started = time.monotonic()
    response = client.post(reverse("quality_trigger_weekly_list"), {"week": ""}, follow=True)
    elapsed = time.monotonic() - started
    assert response.status_code == 200
    assert b"queue is unavailable" in response.content
    assert elapsed < 3, f"trigger took {elapsed:.1f}s"
    assert not WeeklyListEntry.objects.exists()


def test_client_findings_template_lists_findings(world):
    from django.template.loader import render_to_string
    from django.utils import timezone

    from quality.selectors import findings_for_client

    client = seen_client(coach=world["coach_a"], cv_on_file=None, gender=None)
    services.build_weekly_list()
    services.explain_finding(
        user=world["coach_a"], client=client, rule_id="gender_not_registered", reason="Declines"
    )
    findings = findings_for_client(client, timezone.localdate())
    assert [f.rule.id for f in findings] == ["cv_not_registered", "gender_not_registered"]
    actions = list(FindingAction.objects.filter(client=client))
    html = render_to_string(
        "quality/_client_findings.html", {"panel": {"findings": findings, "actions": actions}}
    )
    assert "Declines" in html and "referred to vacancies" in html
    assert 'id="finding-actions"' in html and "Coach A" in html


def test_officer_sees_explained_findings_with_the_reason(login, world):
    coach = world["coach_a"]
    week = weeks.current_iso_week()
    services.build_weekly_list(week)
    entry = (
        WeeklyListEntry.objects.filter(coach=coach, rule_id="cv_not_registered")
        .select_related("client")
        .get()
    )
    services.explain_finding(
        user=coach, client=entry.client, rule_id="cv_not_registered", reason="Refuses a CV"
    )
    services.build_weekly_list(week)
    officer_page = login(world["quality_officer"]).get(reverse("quality_weekly_list", args=[week]))
    assert b"Refuses a CV" in officer_page.content
    assert entry.client.client_number.encode() in officer_page.content
    coach_page = login(coach).get(reverse("quality_my_list"))
    assert entry.client.client_number.encode() not in coach_page.content


def test_coach_withdraws_an_explanation(login, world):
    coach = world["coach_a"]
    services.build_weekly_list()
    entry = WeeklyListEntry.objects.filter(coach=coach).select_related("client").first()
    services.explain_finding(user=coach, client=entry.client, rule_id=entry.rule_id, reason="x")
    url = reverse("quality_my_list")
    response = act(login(coach), url, "withdraw", [key(entry)])
    assert response.status_code == 302
    assert not FindingExplanation.objects.in_force().exists()
    entry.refresh_from_db()
    assert not entry.explained
    assert (
        act(login(coach), url, "withdraw", [key(entry)]).status_code == 400
    )  # nothing to withdraw
    assert act(login(coach), url, "withdraw", ["CB0001:cv_not_registered"]).status_code == 404


LIST_PAGES = [
    ("quality_my_list", "coach_a", 14),
    ("quality_weekly_latest", "quality_officer", 18),
    ("quality_weekly_latest", "coach_a", 14),
    ("quality_weekly_export_csv", "quality_officer", 10),
    ("api-quality-weekly", "quality_officer", 8),
]


@pytest.mark.parametrize("url_name, role, budget", LIST_PAGES)
def test_list_pages_query_counts_do_not_grow_with_findings_or_page_size(
    login, world, django_assert_max_num_queries, url_name, role, budget
):
    """The same number of queries for a list of ~20 and of ~220 findings, 1 and 50 a page."""
    kwargs = {"week": WEEK} if url_name == "api-quality-weekly" else {}
    url = reverse(url_name, kwargs=kwargs)
    counts = []
    for size in (0, 100):
        for index in range(size):
            coach = world["coach_a"] if index % 2 else world["coach_b"]
            CASES["cv_not_registered"][0](coach=coach, gender=None)
        services.build_weekly_list()
        FindingExplanation.objects.all().delete()
        entries = list(WeeklyListEntry.objects.select_related("client")[:5])
        services.explain_findings(
            user=world["coach_a"], findings=[(e.client, e.rule_id) for e in entries], reason="x"
        )
        services.return_findings(
            user=world["quality_officer"],
            findings=[(e.client, e.rule_id) for e in entries[:2]],
            note="y",
        )
        browser = login(world[role])
        browser.get(url)
        for page_size in (1, 50):
            with django_assert_max_num_queries(budget) as captured:
                response = browser.get(url, {"page_size": page_size})
            assert response.status_code == 200
            counts.append(len(captured.captured_queries))
    assert WeeklyListEntry.objects.count() > 200
    assert counts == [counts[0]] * 4, counts


def listed(user) -> list[str]:
    return sorted(
        AccessLog.objects.filter(user=user, action=AccessAction.LIST).values_list(
            "client_number", flat=True
        )
    )


def test_weekly_list_logs_who_saw_which_clients_in_one_insert(
    login, world, django_assert_max_num_queries
):
    week = weeks.current_iso_week()
    services.build_weekly_list(week)
    officer = world["quality_officer"]
    client = login(officer)
    with django_assert_max_num_queries(25) as queries:
        response = client.get(reverse("quality_weekly_list", args=[week]), {"page_size": 200})
    shown = sorted({row["client__client_number"] for row in response.context["rows"]})
    assert shown and listed(officer) == shown
    other_number = world["other_coach"].clients.values_list("client_number", flat=True).first()
    assert other_number not in listed(officer)
    inserts = [
        q for q in queries.captured_queries if "INSERT INTO" in q["sql"] and "accesslog" in q["sql"]
    ]
    assert len(inserts) == 1


def test_my_list_logs_the_coachs_listed_clients(login, world, django_assert_max_num_queries):
    services.build_weekly_list(weeks.current_iso_week())
    coach = world["coach_a"]
    expected = sorted(
        set(
            WeeklyListEntry.objects.filter(coach=coach, explained=False).values_list(
                "client__client_number", flat=True
            )
        )
    )
    assert expected
    client = login(coach)
    with django_assert_max_num_queries(25) as queries:
        client.get(reverse("quality_my_list"))
    assert listed(coach) == expected
    assert (
        len(
            [
                q
                for q in queries.captured_queries
                if "INSERT INTO" in q["sql"] and "accesslog" in q["sql"]
            ]
        )
        == 1
    )


def test_an_empty_list_logs_nothing(login, world):
    login(world["coach_a"]).get(reverse("quality_my_list"))
    login(world["quality_officer"]).get(reverse("quality_weekly_latest"))
    assert not AccessLog.objects.exists()


def test_trend_for_the_team_or_one_coach_with_its_numbers_in_a_table(login, cast):
    from quality.models import QualitySnapshot
    from quality.rules import RULES

    rule = RULES[0]
    for week, count_a, count_b in [("2026-W46", 4, 1), ("2026-W47", 2, 1)]:
        for coach, count in [(cast["coach_a"], count_a), (cast["coach_b"], count_b)]:
            QualitySnapshot.objects.create(
                iso_week=week, team=coach.team, coach=coach, key=rule.id, count=count, total=10
            )
    browser = login(cast["quality_officer"])
    url = reverse("quality_dashboard")

    def trend(query):
        response = browser.get(url, query)
        return {str(label): counts for label, counts in response.context["trend_rows"]}[
            str(rule.label)
        ]

    assert trend({}) == [5, 3]  # the team: both coaches summed
    assert trend({"coach": cast["coach_a"].pk}) == [4, 2]
    assert b'id="trend-table"' in browser.get(url).content
    assert browser.get(url, {"coach": cast["other_coach"].pk}).status_code == 404
    assert browser.get(url, {"coach": "x"}).status_code == 404
