"""The client list's filter bar: clean URLs, chips naming the filters, sorting, page size, and the
403 and 404 pages in the site's layout."""

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from caseload.templatetags.caseload_tags import number
from tests.factories import ClientFactory, ContactFactory

pytestmark = pytest.mark.django_db

LIST = "/clients/"


def test_empty_parameters_are_dropped_by_a_redirect_to_the_clean_url(login, cast):
    response = login(cast["coach_a"]).get(LIST + "?q=&status=&not_seen=on&ordering=&page_size=")
    assert response.status_code == 302 and response.url == LIST + "?not_seen=on"


def test_each_active_filter_is_a_chip_with_a_link_without_it(login, cast):
    browser = login(cast["team_manager"])
    query = (
        f"?not_seen=on&not_seen_days=30&cv_on_file=no&cv_on_file=unknown&coach={cast['coach_a'].pk}"
    )
    response = browser.get(LIST + query)
    chips = {chip.name: chip for chip in response.context["chips"]}
    assert chips["not_seen"].label == "Not seen for more than 30 days"
    assert chips["cv_on_file"].label == "CV on file: No, Not registered"
    assert chips["coach"].label == "Work coach: Coach A"
    # removing "not seen" also removes its threshold; the other filters stay
    assert "not_seen" not in chips["not_seen"].remove_url
    assert "cv_on_file=no" in chips["not_seen"].remove_url
    heading = response.content.decode().split('id="results-heading">')[1].split("</h2>")[0]
    assert "Not seen for more than 30 days" in heading and heading.endswith("0 clients")


def test_the_coach_and_team_lists_apply_after_the_api_built_the_class_level_fields(login, cast):
    """The API schema builds the filters' form fields on the class; the page's lists still apply
    (CI ran the schema test first and the coach chip said "Work coach: 1")."""
    from caseload.filters import ClientFilterSet

    ClientFilterSet.base_filters["coach"].field  # noqa: B018 (builds and caches the field)
    ClientFilterSet.base_filters["team"].field  # noqa: B018
    response = login(cast["team_manager"]).get(LIST + f"?coach={cast['coach_a'].pk}")
    chips = {chip.name: chip for chip in response.context["chips"]}
    assert chips["coach"].label == "Work coach: Coach A"
    assert f'<option value="{cast["coach_a"].pk}" selected>Coach A</option>' in (
        response.content.decode()
    )


def test_the_threshold_defaults_in_the_chip(login, cast):
    response = login(cast["coach_a"]).get(LIST + "?not_seen=on")
    assert [chip.label for chip in response.context["chips"]] == ["Not seen for more than 90 days"]


@pytest.mark.parametrize(
    "ordering",
    [
        "client_number",
        "coach",
        "status",
        "participation_step",
        "last_contact_date",
        "contact_due_date",
        "active_plan",
        "cv_on_file",
    ],
)
def test_every_column_sorts_both_ways(login, cast, ordering):
    today = timezone.localdate()
    for n, step in enumerate([3, 1, 2]):
        client = ClientFactory(
            coach=cast["coach_a"], client_number=f"S{n}", participation_step=step
        )
        ContactFactory(client=client, date=today - datetime.timedelta(days=n))
    browser = login(cast["coach_a"])
    ascending = browser.get(LIST, {"ordering": ordering})
    descending = browser.get(LIST, {"ordering": f"-{ordering}"})
    assert ascending.status_code == descending.status_code == 200
    assert b'aria-sort="ascending"' in ascending.content
    assert b'aria-sort="descending"' in descending.content
    if ordering == "participation_step":
        # the cast's CA0001 is on step 4
        assert [c.client_number for c in ascending.context["page"]] == ["S1", "S2", "S0", "CA0001"]
        assert [c.client_number for c in descending.context["page"]] == [
            "CA0001",
            "S0",
            "S2",
            "S1",
        ]


def test_page_size_choice(login, cast):
    for n in range(30):
        ClientFactory(coach=cast["coach_a"], client_number=f"P{n:02d}")
    browser = login(cast["coach_a"])
    assert len(browser.get(LIST).context["page"]) == 25
    assert len(browser.get(LIST, {"page_size": 50}).context["page"]) == 31


def test_numbers_follow_the_language():
    with translation.override("nl"):
        assert number(1234.5, 1) == "1.234,5" and number(80, 1) == "80,0"
    with translation.override("en"):
        assert number(1234.5, 1) == "1,234.5" and number(12.5) == "13"


def test_403_is_in_the_sites_layout_and_says_why(login, cast):
    response = login(cast["coach_a"]).get(reverse("team_dashboard"))
    assert response.status_code == 403
    html = response.content.decode()
    assert "The team dashboard is for team managers." in html
    assert 'class="site-header"' in html and 'href="/dashboard/"' in html  # the menu, a way on


def test_404_is_in_the_sites_layout_and_the_same_for_missing_and_out_of_scope(login, cast):
    browser = login(cast["coach_a"])
    missing = browser.get(reverse("caseload:client_detail", args=["NO-SUCH"]))
    theirs = browser.get(reverse("caseload:client_detail", args=["CB0001"]))
    assert missing.status_code == theirs.status_code == 404

    def main(response):
        """The page's main part without the freshness line (its "figures computed" is a clock)."""
        page = re.search(rb"<main.*</main>", response.content, re.S).group()
        return re.sub(rb'<p class="freshness".*?</p>', b"", page, flags=re.S)

    assert main(missing) == main(theirs)
    assert (
        b'class="site-header"' in missing.content and b"Search the client list" in missing.content
    )
