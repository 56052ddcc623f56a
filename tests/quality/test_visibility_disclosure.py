"""Disclosure control: no count 0 < n < k survives, directly or by subtraction."""

import numpy as np

from quality.visibility import Parameters, analyse
from quality.visibility_disclosure import count_label, secondary, suppress

from .visibility_fixtures import CHARACTERISTICS, atomic_cells, served_with, simulate_clients

NAMES = tuple(CHARACTERISTICS)


def small_cell_report(k=10, keep_small=True):
    rng = np.random.default_rng(2)
    clients = simulate_clients(rng, 400)
    cells = atomic_cells(clients, served_with(rng, 400, np.full(400, 0.8)), list(NAMES))
    return suppress(analyse(cells, Parameters(characteristics=NAMES, depth=3, k=k)), k, keep_small=keep_small)


def shown_counts(report):
    """Every count a reader could see or work out directly."""
    for group in report["groups"]:
        yield group["n"]
        yield group["rest_n"]
        for m in group["measures"].values():
            yield m["events"]
            yield m["rest_events"]
            if m["size"] is not None and m["events"] is not None and m["size"] == int(m["size"]):
                yield m["size"]
                yield m["size"] - m["events"]
    for m in report["total"]["measures"].values():
        yield m["events"]


def test_no_shown_count_is_between_zero_and_k():
    report = small_cell_report()
    assert any(g["suppressed"] for g in report["groups"])  # the fixture has small cells
    assert not [x for x in shown_counts(report) if x is not None and 0 < x < 10]
    for g in report["groups"]:
        if g["suppressed"]:
            assert g["n_label"] in ("< 10", "withheld") and g["rest_n"] is None
            assert all(m["rate"] is None and m["q"] is None for m in g["measures"].values())


def test_no_suppressed_cell_can_be_recovered_from_its_margin():
    report = small_cell_report()
    rows = {}
    for g in report["groups"]:
        names = tuple(n for n, _v in g["characteristics"])
        values = tuple(v for _n, v in g["characteristics"])
        for position in range(len(names)):
            row = (names, position, values[:position] + values[position + 1:])
            rows.setdefault(row, []).append(g)
    for members in rows.values():
        hidden = [g for g in members if g["suppressed"]]
        assert len(hidden) != 1 or len(members) == 1, [g["characteristics"] for g in members]


def test_secondary_suppression_hides_the_smallest_neighbour():
    cells = {("a", "x"): 3, ("b", "x"): 40, ("c", "x"): 25, ("a", "y"): 50, ("b", "y"): 60, ("c", "y"): 70}
    hidden = secondary(cells, {("a", "x")}, ("first", "second"))
    assert ("c", "x") in hidden  # same row
    assert ("a", "y") in hidden  # same column
    assert len(hidden) >= 3


def test_labels_keep_zero_small_and_unknown_apart():
    assert count_label(0, 10) == "0"
    assert count_label(4, 10) == "< 10"
    assert count_label(None, 10) == "unknown"
    assert count_label(12, 10) == "12"
    assert count_label(12, 10, hidden=True) == "withheld"
    assert count_label(3, 10, hidden=True) == "< 10"


def test_small_groups_of_several_characteristics_are_left_out():
    report = small_cell_report(keep_small=False)
    assert not [g for g in report["groups"] if g["depth"] > 1 and g["n_label"] == "< 10"]
    assert any(g["n_label"] == "withheld" for g in report["groups"])


def test_a_tiny_caseload_shows_no_counts_at_all():
    rng = np.random.default_rng(1)
    clients = simulate_clients(rng, 7)
    cells = atomic_cells(clients, served_with(rng, 7, np.full(7, 0.8)), list(NAMES))
    report = suppress(analyse(cells, Parameters(characteristics=NAMES, depth=2)), 10)
    assert report["total"]["n"] is None and report["total"]["n_label"] == "< 10"
    assert all(g["suppressed"] for g in report["groups"])
