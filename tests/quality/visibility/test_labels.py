"""Plain names of the visibility report's groups, in English and Dutch."""

import pytest
from django.utils import translation

from quality.visibility.labels import count_text, plain_name

SPYC = "single_parent_young_child"


@pytest.mark.parametrize(
    "characteristics, english, dutch",
    [
        (
            [["gender", "M"], ["household", SPYC]],
            "single fathers with a child under 12",
            "alleenstaande vaders met een kind jonger dan 12",
        ),
        (
            [["gender", "F"], ["household", SPYC]],
            "single mothers with a child under 12",
            "alleenstaande moeders met een kind jonger dan 12",
        ),
        (
            [["gender", "M"], ["age_band", "55_plus"], ["language_level", "1"]],
            "men aged 55 and over, with language level A1",
            "mannen van 55 jaar en ouder, met taalniveau A1",
        ),
        (
            [["gender", "F"], ["household", "unknown"]],
            "women, household not registered",
            "vrouwen, huishouden niet geregistreerd",
        ),
        (
            [["team_kind", "asylum"]],
            "clients in a team for asylum status holders",
            "klanten in een team voor statushouders",
        ),
    ],
)
def test_groups_are_named_as_people(characteristics, english, dutch):
    with translation.override("en"):
        assert plain_name(characteristics) == english
    with translation.override("nl"):
        assert plain_name(characteristics) == dutch


def test_a_value_without_a_name_falls_back_to_the_characteristics():
    with translation.override("en"):
        assert (
            plain_name([["gender", "M"], ["time_on_benefit", "1_3y"]])
            == "Male · Time on benefit: 1 to 3 years"
        )


def test_stored_labels_are_put_in_the_readers_language():
    with translation.override("nl"):
        assert count_text(None, "withheld", 10, hidden=True) == "afgeschermd"
        assert count_text(None, "< 10", 10, hidden=True) == "< 10"
        assert count_text(1234, "1234", 10, hidden=False) == "1234"
    with translation.override("en"):
        assert count_text(None, "afgeschermd", 10, hidden=True) == "withheld"
