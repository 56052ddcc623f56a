"""Vacancy pages: roles, scoping, the 400 on protected attributes, the referral workflow."""

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from caseload.matching.models import ShortlistRun
from caseload.models import AccessLog, Client, Referral
from tests.factories import ClientFactory, ReferralFactory, WorkshopFactory

from .factories import forklift_vacancy, get_query_count, matching_client

pytestmark = pytest.mark.django_db


def detail_url(vacancy, **query):
    url = reverse("vacancy_detail", args=[vacancy.vacancy_id])
    return url + ("?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else "")


@pytest.mark.parametrize(
    ("role", "status"),
    [
        ("coach_a", 200),
        ("team_manager", 200),
        ("superuser", 200),
        ("quality_officer", 403),
        ("other_manager", 200),
    ],
)
def test_pages_by_role(login, cast, role, status):
    vacancy = forklift_vacancy()
    client = login(cast[role])
    assert client.get(reverse("vacancies")).status_code == status
    assert client.get(detail_url(vacancy)).status_code == status


def test_login_required(client):
    vacancy = forklift_vacancy()
    assert client.get(detail_url(vacancy)).status_code == 302


def test_unknown_vacancy_is_404(login, coach_a):
    assert login(coach_a).get("/vacancies/NOPE/").status_code == 404


def test_coach_sees_own_shortlist_only(login, cast):
    body = login(cast["coach_a"]).get(detail_url(forklift_vacancy())).content.decode()
    assert "CA0001" in body and "CB0001" not in body and "CO0001" not in body


@pytest.mark.parametrize(
    "query",
    [
        {"ordering": "gender"},
        {"ordering": "-date_of_birth"},
        {"sort": "age"},
        {"gender": "F"},
        {"age_band": "27_34"},
        {"children_count__lte": "0"},
        {"household": "single"},
        {"nationality": "NL"},
        {"fields": "client_number,marital_status"},
        {"mental_health_issues": "no"},
    ],
)
def test_protected_filter_or_sort_is_a_400_naming_it(login, coach_a, query):
    response = login(coach_a).get(detail_url(forklift_vacancy(), **query))
    assert response.status_code == 400
    ((name, value),) = query.items()
    assert name in response.content.decode()
    assert login(coach_a).get(reverse("vacancies") + f"?{name}={value}").status_code == 400


def test_unknown_ordering_is_a_400(login, coach_a):
    assert (
        login(coach_a).get(detail_url(forklift_vacancy(), ordering="nonsense")).status_code == 400
    )


def test_shortlist_lists_reasons_and_logs_the_concept_version(login, coach_a):
    vacancy = forklift_vacancy()
    matching_client(coach_a, "FIT")
    matching_client(coach_a, "NOLIC", driving_licence=False, skills=[])
    WorkshopFactory(title="Heftruckcertificaat")
    body = login(coach_a).get(detail_url(vacancy)).content.decode()
    assert "No driving licence; the vacancy requires one." in body
    run = ShortlistRun.objects.get()
    assert (
        run.concepts_version == "concepts-v1"
        and run.ranking[0][0] == "FIT"
        and run.knocked_out_count == 1
    )


def test_flagged_vacancy_shows_flags_and_no_shortlist_until_decided(login, coach_a):
    vacancy = forklift_vacancy(description="Jonge collega gezocht")
    matching_client(coach_a, "FIT")
    client = login(coach_a)
    body = client.get(detail_url(vacancy)).content.decode()
    assert "jonge collega" in body and 'name="clients"' not in body
    flag = vacancy.screening_flags.get()
    response = client.post(
        reverse("vacancy_flag_decide", args=[vacancy.vacancy_id, flag.pk]), {"decision": "dropped"}
    )
    assert response.status_code == 302
    assert 'name="clients"' in client.get(detail_url(vacancy)).content.decode()


def test_referral_workflow_confirm_propose_send(login, coach_a):
    vacancy = forklift_vacancy()
    matching_client(coach_a, "C1")
    matching_client(coach_a, "C2")
    client = login(coach_a)
    confirm = client.post(
        reverse("vacancy_refer_confirm", args=[vacancy.vacancy_id]), {"clients": ["C1", "C2"]}
    )
    assert confirm.status_code == 200 and Referral.objects.count() == 0
    client.post(reverse("vacancy_refer", args=[vacancy.vacancy_id]), {"clients": ["C1", "C2"]})
    assert set(Referral.objects.values_list("outcome", flat=True)) == {"proposed"}
    ids = list(Referral.objects.values_list("referral_id", flat=True))
    client.post(reverse("vacancy_send", args=[vacancy.vacancy_id]), {"referrals": ids})
    assert set(Referral.objects.values_list("outcome", flat=True)) == {"sent"}
    assert "Sent" in client.get(reverse("caseload:client_detail", args=["C1"])).content.decode()


def test_send_through_another_vacancys_page_sends_nothing(login, coach_a):
    forklift_vacancy(vacancy_id="VA")
    vacancy_b = forklift_vacancy(vacancy_id="VB")
    matching_client(coach_a, "C1")
    client = login(coach_a)
    client.post(reverse("vacancy_refer", args=["VB"]), {"clients": ["C1"]})
    referral = Referral.objects.get(vacancy=vacancy_b)
    response = client.post(
        reverse("vacancy_send", args=["VA"]), {"referrals": [referral.referral_id]}, follow=True
    )
    assert (
        "Only your own proposed referrals to this vacancy can be sent." in response.content.decode()
    )
    assert Referral.objects.get().outcome == "proposed"


def test_record_outcome_from_the_vacancy_page_and_the_client_page(login, cast):
    vacancy = forklift_vacancy()
    referral = ReferralFactory(client=cast["client_a"], vacancy=vacancy, outcome="sent")
    client = login(cast["coach_a"])
    url = reverse("vacancy_referral_outcome", args=[vacancy.vacancy_id, referral.referral_id])
    assert url in client.get(detail_url(vacancy)).content.decode()
    assert url in client.get(reverse("caseload:client_detail", args=["CA0001"])).content.decode()
    response = client.post(url, {"outcome": "interview"})
    assert response.status_code == 302 and response["Location"] == detail_url(vacancy)
    response = client.post(url, {"outcome": "hired", "back": "client"})
    assert response["Location"] == reverse("caseload:client_detail", args=["CA0001"])
    refused = client.post(url, {"outcome": "rejected"}, follow=True).content.decode()
    assert "cannot become" in refused
    referral.refresh_from_db()
    assert referral.outcome == "hired"
    assert url not in client.get(detail_url(vacancy)).content.decode()  # final: no form any more


def test_only_the_clients_coach_records_outcomes_and_hours(login, cast):
    vacancy = forklift_vacancy()
    referral = ReferralFactory(client=cast["client_a"], vacancy=vacancy, outcome="sent")
    url = reverse("vacancy_referral_outcome", args=[vacancy.vacancy_id, referral.referral_id])
    hours_url = reverse("client_availability", args=["CA0001"])
    manager = login(cast["team_manager"])
    page = manager.get(reverse("caseload:client_detail", args=["CA0001"])).content.decode()
    assert url not in page and hours_url not in page
    assert manager.post(url, {"outcome": "hired"}).status_code == 403
    assert manager.post(hours_url, {"available_hours_per_week": "20"}).status_code == 403
    coach_b = login(cast["coach_b"])
    assert coach_b.post(url, {"outcome": "hired"}).status_code == 404
    assert coach_b.post(hours_url, {"available_hours_per_week": "99"}).status_code == 404
    referral.refresh_from_db()
    assert (
        referral.outcome == "sent"
        and Client.objects.get(client_number="CA0001").available_hours_per_week is None
    )


def test_coach_records_available_hours_on_the_client_page(login, coach_a):
    matching_client(coach_a, "C1")
    client = login(coach_a)
    url = reverse("client_availability", args=["C1"])
    assert url in client.get(reverse("caseload:client_detail", args=["C1"])).content.decode()
    for bad in ("61", "0", "many"):
        body = client.post(url, {"available_hours_per_week": bad}, follow=True).content.decode()
        assert "Available hours per week:" in body
    assert Client.objects.get().available_hours_per_week is None
    response = client.post(url, {"available_hours_per_week": "20"})
    assert response["Location"] == reverse("caseload:client_detail", args=["C1"])
    assert Client.objects.get().available_hours_per_week == 20
    body = client.get(detail_url(forklift_vacancy(hours_per_week=36))).content.decode()
    assert "Available 20 hours a week; the vacancy asks 36." in body


def test_shortlist_page_logs_a_list_access_for_every_client_shown(login, cast):
    vacancy = forklift_vacancy()
    matching_client(cast["coach_a"], "NOLIC", driving_licence=False)
    login(cast["coach_a"]).get(detail_url(vacancy))
    assert sorted(
        AccessLog.objects.filter(action="list").values_list("client_number", flat=True)
    ) == ["CA0001", "NOLIC"]
    login(cast["team_manager"]).get(detail_url(vacancy))
    assert set(
        AccessLog.objects.filter(action="list", user=cast["team_manager"]).values_list(
            "client_number", flat=True
        )
    ) == {"CA0001", "CB0001", "NOLIC"}


def test_admin_cannot_send_or_set_an_outcome(login, cast):
    referral = ReferralFactory(client=cast["client_a"], outcome="proposed")
    client = login(cast["superuser"])
    page = client.get(f"/admin/caseload/referral/{referral.pk}/change/").content.decode()
    assert page.count('name="referral_id"') == 1
    for name in ("outcome", "sent_at", "sent_by"):
        assert f'name="{name}"' not in page
    assert client.get("/admin/caseload/referral/add/").status_code == 403


def test_team_manager_views_but_cannot_refer(login, cast):
    vacancy = forklift_vacancy()
    client = login(cast["team_manager"])
    body = client.get(detail_url(vacancy)).content.decode()
    assert "CA0001" in body and 'name="clients"' not in body
    assert (
        client.post(
            reverse("vacancy_refer", args=[vacancy.vacancy_id]), {"clients": ["CA0001"]}
        ).status_code
        == 403
    )
    assert (
        client.post(
            reverse("vacancy_enrol", args=[vacancy.vacancy_id]), {"client": "CA0001"}
        ).status_code
        == 403
    )


def test_coach_cannot_refer_another_caseloads_client(login, cast):
    vacancy = forklift_vacancy()
    login(cast["coach_a"]).post(
        reverse("vacancy_refer", args=[vacancy.vacancy_id]), {"clients": ["CB0001"]}
    )
    assert Referral.objects.count() == 0


def test_enrol_from_near_miss(login, coach_a):
    vacancy = forklift_vacancy()
    matching_client(coach_a, "C1", skills=[])
    WorkshopFactory(workshop_id="W03", title="Heftruckcertificaat")
    client = login(coach_a)
    assert "Enrol in Heftruckcertificaat" in client.get(detail_url(vacancy)).content.decode()
    client.post(
        reverse("vacancy_enrol", args=[vacancy.vacancy_id]), {"client": "C1", "workshop": "W03"}
    )
    assert coach_a.clients.get().enrolments.get().workshop.workshop_id == "W03"


def test_a_near_miss_lists_the_three_soonest_workshops_and_counts_the_rest(login, coach_a):
    vacancy = forklift_vacancy()
    matching_client(coach_a, "C1", skills=[])
    for number in range(5):
        WorkshopFactory(
            workshop_id=f"W{number}",
            title="Heftruckcertificaat",
            starts_on=timezone.localdate() + datetime.timedelta(days=10 - number),
        )
    html = login(coach_a).get(detail_url(vacancy)).content.decode()

    assert html.count("Enrol in Heftruckcertificaat") == 3
    assert re.findall(r'name="workshop" value="(W\d)"', html) == ["W4", "W3", "W2"]
    assert "and 2 more workshops teach this" in html


def test_shortlist_page_query_count_does_not_grow_with_caseload(
    login, coach_a, django_assert_max_num_queries
):
    vacancy = forklift_vacancy()
    for i in range(10):
        matching_client(coach_a, f"S{i:03d}")
    client = login(coach_a)
    small = get_query_count(client, detail_url(vacancy))
    ClientFactory.create_batch(140, coach=coach_a)
    assert get_query_count(client, detail_url(vacancy)) == small
    # session, user, vacancy, flags, referrals (2), candidates, workshops, run, access log (one insert), session save
    with django_assert_max_num_queries(14):
        client.get(detail_url(vacancy))


@pytest.mark.parametrize(
    "url_name", ["vacancy_refer_confirm", "vacancy_refer", "vacancy_send", "vacancy_enrol"]
)
@pytest.mark.parametrize("role", ["quality_officer", "team_manager", "other_manager", "superuser"])
def test_only_coaches_write(login, cast, url_name, role):
    vacancy = forklift_vacancy()
    response = login(cast[role]).post(
        reverse(url_name, args=[vacancy.vacancy_id]),
        {"clients": ["CA0001"], "client": "CA0001", "workshop": "W1", "referrals": ["R1"]},
    )
    assert response.status_code == 403
    assert Referral.objects.count() == 0


def test_quality_officer_cannot_decide_flags(login, cast):
    vacancy = forklift_vacancy(description="no kids")
    from caseload.matching.services import record_screening

    (flag,) = record_screening(vacancy)
    response = login(cast["quality_officer"]).post(
        reverse("vacancy_flag_decide", args=[vacancy.vacancy_id, flag.pk]), {"decision": "dropped"}
    )
    assert response.status_code == 403 and not flag.decisions.exists()


def test_admin_shows_the_matching_audit(login, cast):
    forklift_vacancy()
    client = login(cast["superuser"])
    for path in ("/admin/caseload/shortlistrun/", "/admin/caseload/screeningflag/"):
        assert client.get(path).status_code == 200


def test_vacancy_list_shows_screening_flags_without_logging_them(login, coach_a):
    forklift_vacancy(vacancy_id="V1", description="max 35 jaar, geen kinderen")
    forklift_vacancy(vacancy_id="V2", description="Heftruck, 36 uur")
    body = login(coach_a).get(reverse("vacancies")).content.decode()
    assert "2 flags" in body and body.count("badge warn") == 1
    assert not ShortlistRun.objects.exists()


def test_vacancy_list_counts_eligible_and_near_misses_in_the_readers_scope(login, cast):
    vacancy = forklift_vacancy()
    matching_client(cast["coach_a"], "FIT")
    matching_client(cast["coach_a"], "NOLICENCE", driving_licence=False)  # one knock-out: near miss
    matching_client(cast["coach_a"], "NOSKILL", skills=[])  # eligible, one skill short: near miss
    matching_client(cast["coach_a"], "TWO", driving_licence=False, skills=[])  # two gaps: neither
    matching_client(cast["coach_b"], "THEIRS")
    # the cast's own clients (CA0001, CB0001) lack the skill "forklift": eligible, and a near miss
    for who, eligible, near in [("coach_a", 3, 3), ("team_manager", 5, 4), ("coach_b", 2, 1)]:
        response = login(cast[who]).get(reverse("vacancies"))
        listed = next(v for v in response.context["vacancies"] if v.pk == vacancy.pk)
        assert (listed.fit.eligible, listed.fit.near_misses) == (eligible, near), who
    # the same numbers as the shortlist itself
    response = login(cast["coach_a"]).get(detail_url(vacancy))
    shortlist = response.context["shortlist"]
    assert (len(shortlist.ranked), len(shortlist.near_misses)) == (3, 3)


def test_vacancy_list_shows_requirements_and_whole_number_scores(login, coach_a):
    vacancy = forklift_vacancy()
    matching_client(coach_a, "FIT")
    browser = login(coach_a)
    html = browser.get(reverse("vacancies")).content.decode()
    row = html[html.index(f'data-vacancy="{vacancy.vacancy_id}"') :].split("</tr>")[0]
    assert "forklift" in row and "required" in row and "36" in row
    detail = browser.get(detail_url(vacancy)).content.decode()
    assert not re.search(r"<strong>\d+\.\d\d</strong>", detail)  # "68", not "68.00"
    # availability not registered: said once, not on every row
    assert detail.count("Availability of hours is not registered") == 1
    assert "Availability not registered" not in detail


def test_workshops_page_seats_teaching_and_my_enrolled_clients(login, cast):
    from tests.factories import EnrolmentFactory

    today = timezone.localdate()
    workshop = WorkshopFactory(
        workshop_id="W03", title="Heftruckcertificaat", capacity=10, starts_on=today
    )
    WorkshopFactory(workshop_id="W00", title="Past", starts_on=today - datetime.timedelta(days=1))
    mine = matching_client(cast["coach_a"], "MINE")
    EnrolmentFactory(client=mine, workshop=workshop, status="enrolled")
    EnrolmentFactory(client=ClientFactory(coach=cast["other_coach"]), workshop=workshop)
    response = login(cast["coach_a"]).get(reverse("workshops"))
    rows = response.context["rows"]
    assert [row.workshop.workshop_id for row in rows] == ["W03"]  # upcoming only
    assert rows[0].enrolled == 2 and rows[0].seats_left == 8  # seats: everyone's enrolments
    assert [e.client.client_number for e in rows[0].mine] == ["MINE"]  # names: only my clients
    assert rows[0].teaches  # the concept table finds what a forklift certificate teaches
    assert login(cast["quality_officer"]).get(reverse("workshops")).status_code == 403
