"""A day's work in a real browser, at 1440 px (desktop) and 390 px (phone), in Dutch and English:
the client list's filter bar, a reassignment that warns, a superuser switching teams, pages that
never scroll sideways, no serious accessibility violation, and no English on Dutch pages."""

from __future__ import annotations

import csv
import datetime
import io
import re
from pathlib import Path

import pytest
from django.utils import timezone

from caseload.models import Client
from dashboards.models import Reassignment
from tests.browser.conftest import new_context, sign_in
from tests.dashboards.coach.factories import known_caseload
from tests.factories import (
    ActionPlanFactory,
    ClientFactory,
    ContactFactory,
    EnrolmentFactory,
    VacancyFactory,
    WorkshopFactory,
)

pytestmark = pytest.mark.django_db(transaction=True)

WIDTHS = (1440, 390)
LANGUAGES = ("nl", "en")
# Text the pages must show in each language (the filter bar's words, the figure's chip).
TEXT = {
    "nl": {"apply": "Filters toepassen", "not_seen": "Langer dan 90 dagen niet gezien"},
    "en": {"apply": "Apply filters", "not_seen": "Not seen for more than 90 days"},
}


def days_ago(days: int) -> datetime.date:
    return timezone.localdate() - datetime.timedelta(days=days)


@pytest.fixture
def open_page(browser, live_server, settings):
    """open_page(user, width, language) -> a signed-in page in that language at that width."""
    settings.LANGUAGE_CODE = "en"
    contexts = []

    def _open(user, width: int, language: str):
        context = new_context(
            browser, live_server.url, width, {"nl": "nl-NL", "en": "en-GB"}[language]
        )
        contexts.append(context)
        return sign_in(context.new_page(), user)

    yield _open
    for context in contexts:
        context.close()


def sideways_overflow(page) -> int:
    return page.evaluate(
        "document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )


WIDER_THAN_THE_SCREEN = """() => {
  const width = document.documentElement.clientWidth, found = [];
  for (const element of document.querySelectorAll("body *")) {
    if (element.getBoundingClientRect().right <= width + 1) continue;
    let parent = element.parentElement, inside = false;
    while (parent) {
      if (["auto", "scroll", "hidden"].includes(getComputedStyle(parent).overflowX)) { inside = true; break; }
      parent = parent.parentElement;
    }
    if (!inside) found.push(`${element.tagName.toLowerCase()}.${element.className}#${element.id}`);
  }
  return found.slice(0, 5);
}"""


def check_page(page, axe, width: int) -> None:
    """No serious or critical axe violation; at phone width no sideways page scroll (the message
    names the elements that stick out of the screen)."""
    assert axe(page) == [], page.url
    if width < 600:
        overflow = sideways_overflow(page)
        assert overflow <= 0, (
            f"{page.url} scrolls {overflow}px sideways at {width}px: "
            f"{page.evaluate(WIDER_THAN_THE_SCREEN)}"
        )


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("width", WIDTHS)
def test_coach_filters_from_the_top_bar_removes_a_chip_and_exports(
    open_page, axe, coach_a, width, language
):
    ClientFactory(
        coach=coach_a, client_number="NS-NOCV", intake_date=days_ago(200), cv_on_file=False
    )
    ClientFactory(coach=coach_a, client_number="NS-CV", intake_date=days_ago(200))
    seen = ClientFactory(coach=coach_a, client_number="SEEN-NOCV", cv_on_file=False)
    ContactFactory(client=seen, date=days_ago(3))
    page = open_page(coach_a, width, language)

    page.goto("/clients/")
    # on top, under the header, the heading and the data-freshness line; not 3,350 px down
    assert page.locator("form.filter-bar").bounding_box()["y"] < 400
    check_page(page, axe, width)
    page.check("input[name=not_seen]")
    cv = page.locator("details.filter-dropdown", has=page.locator("input[name=cv_on_file]"))
    cv.locator("summary").click()
    cv.locator("input[name=cv_on_file][value=no]").check()
    page.get_by_role("button", name=TEXT[language]["apply"]).click()
    page.wait_for_load_state("networkidle")

    query = page.url.split("?", 1)[1]
    assert re.search(r"(^|&)[a-z_]+=(&|$)", query) is None, f"empty parameters in {query}"
    assert sorted(query.split("&")) == ["cv_on_file=no", "not_seen=on"]
    chips = page.locator("ul.chips li")
    assert chips.count() == 2
    heading = page.locator("#results-heading").inner_text()
    # arriving filtered, the heading names what is on: "Not seen for more than 90 days · ... · 1 client"
    assert TEXT[language]["not_seen"] in heading and " · 1 " in heading
    assert page.locator("#client-table tbody th a").all_inner_texts() == ["NS-NOCV"]
    check_page(page, axe, width)

    page.locator("li.chip[data-filter=cv_on_file] a.chip-remove").click()
    page.wait_for_load_state("networkidle")
    assert page.locator("ul.chips li").count() == 1
    assert sorted(page.locator("#client-table tbody th a").all_inner_texts()) == [
        "NS-CV",
        "NS-NOCV",
    ]

    with page.expect_download() as download:
        page.locator(".list-actions a.button").first.click()
    rows = list(
        csv.reader(io.StringIO(Path(download.value.path()).read_text(encoding="utf-8-sig")))
    )
    assert sorted(row[0] for row in rows[1:]) == ["NS-CV", "NS-NOCV"]


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("width", WIDTHS)
def test_manager_previews_five_clients_to_a_coach_at_the_norm_and_is_warned(
    open_page, axe, team, team_manager, coach_a, coach_b, width, language
):
    team.caseload_norm, team.caseload_max = 10, 20
    team.save()
    for n in range(14):
        client = ClientFactory(
            coach=coach_a, client_number=f"A{n:02d}", participation_step=n % 6 + 1
        )
        ContactFactory(client=client, date=days_ago(n * 3))
    for n in range(10):  # coach B is exactly at the norm
        ClientFactory(coach=coach_b, client_number=f"B{n:02d}")
    page = open_page(team_manager, width, language)

    page.goto("/team/")
    check_page(page, axe, width)
    assert page.locator("#team-balance [data-figure=over_norm_by]").inner_text().count("4") >= 1
    page.locator(f"#capacity-table tr[data-coach='{coach_a.pk}'] a[href*=from_coach]").click()
    page.wait_for_load_state("networkidle")
    assert page.locator(f"#id_to_coach option[value='{coach_a.pk}']").count() == 0
    for number in ("A00", "A01", "A02", "A03", "A04"):
        page.locator(f"#client-chooser label:text-is('{number}')").click()
    page.select_option("#id_to_coach", str(coach_b.pk))
    page.locator("button[name=preview]").click()
    page.wait_for_load_state("networkidle")

    target = page.locator(f"#preview-table tr[data-coach='{coach_b.pk}'] td")
    assert target.nth(0).inner_text() == "10" and target.nth(1).inner_text().startswith("15")
    source = page.locator(f"#preview-table tr[data-coach='{coach_a.pk}'] td")
    assert source.nth(0).inner_text() == "14" and source.nth(1).inner_text().startswith("9")
    warning = page.locator("#reassignment-warnings").inner_text()
    assert "Coach B" in warning and "15" in warning and "10" in warning
    assert Client.objects.filter(coach=coach_b).count() == 10  # the preview saved nothing
    check_page(page, axe, width)

    page.check("#confirm-warnings")
    page.locator("#save-reassignment").click()
    page.wait_for_load_state("networkidle")
    assert Client.objects.filter(coach=coach_b).count() == 15
    assert Reassignment.objects.get().warnings  # logged with the move
    assert "Coach B" in page.locator("#reassignment-log").inner_text()


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("width", WIDTHS)
def test_superuser_switches_team(
    open_page, axe, superuser, coach_a, other_coach, other_team, width, language
):
    ClientFactory(coach=coach_a)
    ClientFactory(coach=other_coach)
    page = open_page(superuser, width, language)
    page.goto("/team/")
    assert "Team Noord" in page.locator("h1").inner_text()
    check_page(page, axe, width)
    with page.expect_navigation():
        page.select_option("#team-select", str(other_team.pk))
    page.wait_for_load_state("networkidle")
    assert "Team Zuid" in page.locator("h1").inner_text()
    assert page.url.endswith(f"?team={other_team.pk}")
    assert page.locator("#capacity-table tbody tr").all_inner_texts()[0].startswith("Other coach")
    # the team caseload: the same picker, the coach names link there from the team page
    page.locator("#capacity-table tbody th a").first.click()
    page.wait_for_load_state("networkidle")
    assert page.url.endswith(f"/dashboard/?coach={other_coach.pk}")
    check_page(page, axe, width)


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("width", WIDTHS)
def test_coach_pages_fit_and_pass_axe(open_page, axe, coach_a, width, language):
    known_caseload(coach_a)
    VacancyFactory(vacancy_id="V1", title="Schoonmaker")
    workshop = WorkshopFactory(workshop_id="W1", title="Taalcafé", theme="language")
    EnrolmentFactory(client=coach_a.clients.first(), workshop=workshop)
    page = open_page(coach_a, width, language)
    number = coach_a.clients.order_by("client_number").first().client_number
    for url in ["/dashboard/", "/clients/", f"/clients/{number}/", "/vacancies/", "/workshops/"]:
        page.goto(url)
        page.wait_for_load_state("networkidle")
        check_page(page, axe, width)
    # the skip link takes a keyboard user to the to-do list in two key presses
    page.goto("/dashboard/")
    page.keyboard.press("Tab")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.getAttribute('href')") == "#todo"
    page.keyboard.press("Enter")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.closest('#todo') !== null")


# English that must not appear on a Dutch page (whole words, case as written): the words of the
# app's own texts, raw codes, and English date parts ("of" and "Filters" are Dutch as well).
ENGLISH = [
    *("the", "and", "with", "not registered", "withheld", "none", "never", "overdue", "hours"),
    *("Yes", "No", "yes", "no", "Clients", "client", "week ago", "days", "Team caseload"),
    *("Capacity", "Legend", "Apply", "Monday", "January", "May", "Jan."),
    *("face_to_face", "home_visit", "CARE", "PART", "EDU", "WORK", "job_search"),
]


def english_on(page) -> list[str]:
    text = page.evaluate("document.body.innerText")
    return [word for word in ENGLISH if re.search(rf"(?<![\w-]){re.escape(word)}(?![\w-])", text)]


def test_no_english_on_dutch_pages(open_page, cast, team):
    """Every page of a coach's, a manager's and a superuser's day, rendered in Dutch. (The
    visibility report and the weekly list are rebuilt elsewhere and checked there.)"""
    coach, manager = cast["coach_a"], cast["team_manager"]
    known_caseload(coach)
    client = coach.clients.order_by("client_number").first()
    ContactFactory(client=client, channel="home_visit", topics=["debt", "housing"])
    ActionPlanFactory(client=client)
    vacancy = VacancyFactory(vacancy_id="V1", title="Schoonmaker", required_skills=[])
    WorkshopFactory(workshop_id="W1", title="Taalcafé", theme="language")
    pages = {
        coach: [
            "/dashboard/",
            "/clients/",
            "/clients/?not_seen=on&cv_on_file=no",
            f"/clients/{client.client_number}/",
            "/vacancies/",
            f"/vacancies/{vacancy.vacancy_id}/",
            "/workshops/",
            "/quality/",
            "/team/",  # 403 in the site's layout
            "/clients/NO-SUCH-CLIENT/",  # 404 in the site's layout
        ],
        manager: [
            "/team/",
            f"/team/reassign/?from_coach={coach.pk}",
            f"/team/reassign/?from_coach={coach.pk}&to_coach={cast['coach_b'].pk}"
            f"&clients={client.pk}&preview=1",
            "/dashboard/",
            "/legend/",
        ],
        cast["superuser"]: ["/team/", "/dashboard/"],
    }
    found = {}
    for user, urls in pages.items():
        page = open_page(user, 1440, "nl")
        for url in urls:
            page.goto(url)
            page.wait_for_load_state("networkidle")
            assert page.evaluate("document.documentElement.lang") == "nl"
            if words := english_on(page):
                found[url] = words
    assert found == {}, f"English on Dutch pages: {found}"
