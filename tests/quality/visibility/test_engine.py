"""The visibility report's arithmetic on simulated caseloads with planted (and absent) gaps."""

import numpy as np
import pytest

from quality.visibility.disclosure import suppress
from quality.visibility.engine import Parameters, analyse, fingerprint, main_groups

from .fixtures import CHARACTERISTICS, atomic_cells, served_with, simulate_clients

NAMES = tuple(CHARACTERISTICS)


def planted_intersection_caseload(seed=7, n=4000):
    rng = np.random.default_rng(seed)
    clients = simulate_clients(rng, n)
    single_parents = clients["household"] == "single_parent_young_child"
    # As in Rotterdam: single parents of young children are mostly mothers.
    clients["gender"] = np.where(
        single_parents, np.where(rng.random(n) < 0.12, "M", "F"), clients["gender"]
    )
    single_fathers = (clients["gender"] == "M") & (
        clients["household"] == "single_parent_young_child"
    )
    probability = np.where(single_fathers, 0.45, 0.9)  # a 50% gap, only in the intersection
    return (
        clients,
        atomic_cells(clients, served_with(rng, n, probability), list(NAMES)),
        single_fathers,
    )


def group(report, **characteristics):
    wanted = sorted([name, value] for name, value in characteristics.items())
    return next(g for g in report["groups"] if sorted(g["characteristics"]) == wanted)


def test_intersection_gap_ranks_in_top_three_while_its_attributes_look_normal():
    _clients, cells, single_fathers = planted_intersection_caseload()
    report = analyse(cells, Parameters(characteristics=NAMES, depth=3))
    men = group(report, gender="M")["measures"]["seen_recently"]
    single_parents = group(report, household="single_parent_young_child")["measures"][
        "seen_recently"
    ]
    assert not men["flagged"] and men["ratio"] > 0.8
    assert not single_parents["flagged"] and single_parents["ratio"] > 0.8
    top_three = [sorted(map(tuple, g["characteristics"])) for g in report["groups"][:3]]
    assert [("gender", "M"), ("household", "single_parent_young_child")] in top_three
    fathers = group(report, gender="M", household="single_parent_young_child")
    assert fathers["n"] == int(single_fathers.sum())
    assert fathers["flagged_measures"] == ["seen_recently"]
    assert fathers["measures"]["seen_recently"]["ratio"] == pytest.approx(0.5, abs=0.12)
    assert fathers["measures"]["seen_recently"]["test"] in {"z", "fisher"}


def test_rest_of_caseload_excludes_the_group():
    _clients, cells, _ = planted_intersection_caseload()
    report = analyse(cells, Parameters(characteristics=NAMES, depth=1))
    women = group(report, gender="F")
    assert women["n"] + women["rest_n"] == report["total"]["n"]
    m = women["measures"]["seen_recently"]
    total = report["total"]["measures"]["seen_recently"]
    assert m["events"] + m["rest_events"] == pytest.approx(total["events"])
    assert m["rest_rate"] == pytest.approx(m["rest_events"] / m["rest_size"], abs=1e-4)


def test_no_real_gap_flags_anything_in_at_most_five_percent_of_runs():
    """200 fixed seeds of caseloads where everyone is served alike. BH at 0.05 bounds the chance of
    any false flag under this global null by 0.05; the ratio < 0.8 rule makes it smaller still.
    Deterministic (fixed seeds); the bound leaves room: expected well under 10 of 200."""
    runs = 200
    flagged_runs = 0
    params = Parameters(characteristics=NAMES, depth=3, measures=("seen_recently", "contact_rate"))
    for seed in range(runs):
        rng = np.random.default_rng(1000 + seed)
        clients = simulate_clients(rng, 1500)
        cells = atomic_cells(clients, served_with(rng, 1500, np.full(1500, 0.8)), list(NAMES))
        report = analyse(cells, params)
        flagged_runs += any(g["flagged_measures"] for g in report["groups"])
    assert flagged_runs / runs <= 0.05


def stratified_caseload(seed=3, n=3000):
    """Asylum-team clients are seen less whoever they are; A0 language speakers sit mostly there."""
    rng = np.random.default_rng(seed)
    characteristics = dict(CHARACTERISTICS, language_level=(["0", "3"], [0.2, 0.8]))
    clients = simulate_clients(rng, n, characteristics)
    asylum = rng.random(n) < np.where(clients["language_level"] == "0", 0.8, 0.05)
    clients["team_kind"] = np.where(asylum, "asylum", "standard")
    probability = np.where(asylum, 0.5, 0.9)
    names = [*CHARACTERISTICS, "language_level"]
    return atomic_cells(clients, served_with(rng, n, probability), names), tuple(names)


def test_gap_explained_by_the_stratifier_is_flagged_only_without_stratification():
    cells, names = stratified_caseload()
    crude = analyse(cells, Parameters(characteristics=names, depth=1))
    assert "seen_recently" in group(crude, language_level="0")["flagged_measures"]
    stratified = analyse(cells, Parameters(characteristics=names, depth=1, stratify_by="team_kind"))
    a0 = group(stratified, language_level="0")["measures"]["seen_recently"]
    assert a0["test"] == "mantel_haenszel"
    assert a0["ratio"] == pytest.approx(1.0, abs=0.15)
    assert not a0["flagged"]
    assert not any(
        name == "team_kind" for g in stratified["groups"] for name, _v in g["characteristics"]
    )


def test_stratified_comparison_still_finds_a_gap_within_strata():
    rng = np.random.default_rng(11)
    n = 3000
    clients = simulate_clients(rng, n)
    men = clients["gender"] == "M"
    probability = np.where(clients["team_kind"] == "asylum", 0.6, 0.9) * np.where(men, 0.5, 1.0)
    cells = atomic_cells(clients, served_with(rng, n, probability), list(NAMES))
    report = analyse(cells, Parameters(characteristics=NAMES, depth=1, stratify_by="team_kind"))
    assert "seen_recently" in group(report, gender="M")["flagged_measures"]


def test_missing_data_audit_flags_a_group_with_household_unregistered_eight_times_as_often():
    rng = np.random.default_rng(5)
    n = 3000
    clients = simulate_clients(rng, n)
    asylum = clients["team_kind"] == "asylum"
    unregistered = rng.random(n) < np.where(asylum, 0.4, 0.05)
    clients["household"] = np.where(
        unregistered,
        "unknown",
        np.where(clients["household"] == "unknown", "single", clients["household"]),
    )
    cells = atomic_cells(clients, served_with(rng, n, np.full(n, 0.8)), list(NAMES))
    report = analyse(cells, Parameters(characteristics=NAMES, depth=2))
    rows = [r for r in report["missing_data"] if r["missing"] == "household"]
    assert rows and rows[0]["characteristics"] == [["team_kind", "asylum"]]
    assert rows[0]["ratio"] > 5
    assert not any(r["characteristics"] == [["team_kind", "standard"]] for r in rows)


def test_same_data_and_parameters_give_identical_output():
    _clients, cells, _ = planted_intersection_caseload(n=800)
    params = Parameters(characteristics=NAMES, depth=2, today="2026-01-01")
    first = suppress(analyse(cells, params), 10)
    second = suppress(analyse(list(reversed(cells)), params), 10)
    assert first == second
    assert fingerprint(cells) == fingerprint(list(reversed(cells)))
    assert fingerprint(cells) != fingerprint(cells[1:])


def test_only_cells_with_k_clients_in_group_and_rest_are_tested():
    _clients, cells, _ = planted_intersection_caseload(n=600)
    report = analyse(cells, Parameters(characteristics=NAMES, depth=3, k=10))
    for g in report["groups"]:
        for m in g["measures"].values():
            if g["n"] < 10 or g["rest_n"] < 10:
                assert not m["tested"] and m["q"] is None
    assert report["tested_cells"] == sum(
        m["tested"] for g in report["groups"] for m in g["measures"].values()
    )


def test_the_summary_holds_flagged_groups_their_neighbours_and_single_characteristics():
    def group(*pairs, flagged=False):
        return {
            "characteristics": [list(p) for p in pairs],
            "depth": len(pairs),
            "flagged_measures": ["seen_recently"] if flagged else [],
        }

    fathers = group(("gender", "M"), ("household", "spyc"), flagged=True)
    mothers = group(("gender", "F"), ("household", "spyc"))
    men_alone = group(("gender", "M"), ("household", "single"))
    women_alone = group(("gender", "F"), ("household", "single"))
    men = group(("gender", "M"))
    groups = [fathers, mothers, men_alone, women_alone, men]
    assert main_groups(groups) == [fathers, mothers, men_alone, men]


def test_a_group_with_the_clients_of_a_shorter_one_is_marked_and_not_tested():
    """Everyone is in a standard team: 'women · standard' is 'women', and the whole caseload is
    'standard'; neither is tested twice."""
    rng = np.random.default_rng(3)
    clients = simulate_clients(rng, 300)
    clients["team_kind"] = np.full(300, "standard")
    cells = atomic_cells(clients, served_with(rng, 300, np.full(300, 0.8)), list(CHARACTERISTICS))
    report = analyse(cells, Parameters(characteristics=tuple(CHARACTERISTICS), depth=2, k=10))
    by_key = {frozenset(map(tuple, g["characteristics"])): g for g in report["groups"]}
    women_standard = by_key[frozenset({("gender", "F"), ("team_kind", "standard")})]
    assert women_standard["same_as"] == [["gender", "F"]]
    assert by_key[frozenset({("team_kind", "standard")})]["same_as"] == []
    assert by_key[frozenset({("gender", "F")})]["same_as"] is None
    assert not any(m["tested"] for m in women_standard["measures"].values())
    assert any(m["tested"] for m in by_key[frozenset({("gender", "F")})]["measures"].values())
