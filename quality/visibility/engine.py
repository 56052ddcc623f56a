"""Visibility report: which client groups are served less, or barely seen in the data.

Pure functions over *atomic cells*: one row per combination of all configured characteristics,
carrying per-cell sums of each service measure (see `quality.visibility_data`). Nothing here reads
the database or loops over clients; groups of depth 1..3 are margins of the atomic cells, computed
with numpy per combination of characteristics.

Method (each step is defined in the legend, section "visibility"):
- A group is every combination of values of up to `depth` characteristics; "not registered"
  (`unknown`) is a value of its own.
- Each group is compared with the rest of the caseload (total minus the group), never with the
  overall figure that includes it.
- Only cells with at least k clients in the group and k in the rest are tested. p-values (Fisher's
  exact test where an expected count is below 5, otherwise the z-test; for rates the conditional
  binomial test) are adjusted with Benjamini–Hochberg over *all* tested cells of the run, all
  measures and depths together.
- A group is flagged for a measure when its ratio is below the configured FLAG_RATIO (0.8, the
  four-fifths rule) and q below FLAG_Q (settings.VISIBILITY_REPORT).
- With a stratifier, the comparison is Mantel–Haenszel within strata of that factor, so a gap it
  fully explains is not flagged. Groups defined by the stratifier itself are then not compared.
- The representation audit compares the share of "not registered" of each characteristic in a
  group with the rest (groups over the other characteristics).
- Disclosure control is applied afterwards (`suppress`), on the figures that are shown. The
  audit's "group + X not registered" cells lie one characteristic deeper than the groups at depth 1:
  the report then carries those tables (`missing_data_cells`) for `suppress`, which drops them.
"""

from __future__ import annotations

import hashlib
import itertools
import json
import math
from dataclasses import asdict, dataclass, field

import numpy as np

from caseload import thresholds as caseload_thresholds

from . import stats, thresholds

UNKNOWN = "unknown"
CLIENTS = "clients"

# Days since last contact (or since intake, never contacted): histogram edges. The median is
# interpolated within a bin; see legend "visibility_median_days".
CONTACT_DAY_EDGES = [0, 14, 30, 60, 90, 180, 365, 730, math.inf]
CONTACT_DAY_COLUMNS = [f"days_bin_{i}" for i in range(len(CONTACT_DAY_EDGES) - 1)]

DEFAULT_CHARACTERISTICS = (
    "gender",
    "household",
    "age_band",
    "education_level",
    "language_level",
    "physical_limitations",
    "mental_health_issues",
    "participation_step",
    "team_kind",
)
STRATIFIERS = ("team_kind", "time_on_benefit")


@dataclass(frozen=True)
class Measure:
    key: str
    kind: str  # "proportion" (events of trials) or "rate" (events per exposure)
    events: str
    size: str


MEASURES = {
    m.key: m
    for m in (
        Measure("contact_on_time", "proportion", "contact_on_time", "frequency_known"),
        Measure("seen_recently", "proportion", "seen_recently", CLIENTS),
        Measure("active_plan", "proportion", "active_plan", CLIENTS),
        Measure("referral", "proportion", "referred", CLIENTS),
        Measure("workshop", "proportion", "enrolled", CLIENTS),
        Measure("contact_rate", "rate", "contacts", "exposure_months"),
    )
}
COUNT_COLUMNS = sorted(
    {
        CLIENTS,
        *CONTACT_DAY_COLUMNS,
        *(m.events for m in MEASURES.values()),
        *(m.size for m in MEASURES.values()),
    }
)


def configured(read):
    """A parameter whose default is read from its one declaration (settings) when Parameters are made."""
    return field(default_factory=read)


@dataclass(frozen=True)
class Parameters:
    characteristics: tuple[str, ...] = DEFAULT_CHARACTERISTICS
    depth: int = 3
    measures: tuple[str, ...] = tuple(MEASURES)
    k: int = configured(lambda: thresholds.configured("K"))
    stratify_by: str | None = None
    ratio_threshold: float = configured(lambda: thresholds.configured("FLAG_RATIO"))
    q_threshold: float = configured(lambda: thresholds.configured("FLAG_Q"))
    missing_ratio_threshold: float = configured(lambda: thresholds.configured("MISSING_RATIO"))
    not_seen_days: int = configured(caseload_thresholds.not_seen_days)
    period_days: int = configured(lambda: thresholds.configured("PERIOD_DAYS"))
    today: str = ""  # ISO date the data was read for; part of the run's identity
    scope: str = ""  # whose caseload (team code or "all")
    # Complementary cells over this many times k are hidden only when no smaller one would do.
    complementary_limit: int = configured(lambda: thresholds.configured("COMPLEMENTARY_LIMIT"))
    # Raised whenever disclosure control changes, so a run recorded under an older method is not
    # reused for the same data (2: the missing-data audit protected; 3: complementary cells chosen
    # to withhold the least).
    disclosure_method: int = 3

    def as_dict(self) -> dict:
        return json.loads(json.dumps(asdict(self)))


def group_key(characteristics) -> frozenset:
    """A group as the set of its (characteristic, value) pairs, whatever their order."""
    return frozenset((name, value) for name, value in characteristics)


def sibling_rows(groups: list[dict]) -> dict[tuple, list[dict]]:
    """Groups by (the other characteristics, the characteristic that varies): a flagged group's
    siblings are the other groups of each of its rows (single fathers → single mothers, ...)."""
    rows: dict[tuple, list[dict]] = {}
    for group in groups:
        key = group_key(group["characteristics"])
        for name, value in group["characteristics"]:
            rows.setdefault((key - {(name, value)}, name), []).append(group)
    return rows


def main_groups(groups: list[dict]) -> list[dict]:
    """The groups a reader is shown by default: flagged ones, their siblings (the same
    characteristics with one taking its other values) and the groups of one characteristic."""
    rows = sibling_rows(groups)
    wanted = set()
    for group in groups:
        if group["flagged_measures"]:
            key = group_key(group["characteristics"])
            for name, value in group["characteristics"]:
                wanted.update(id(g) for g in rows[(key - {(name, value)}, name)])
    return [
        group
        for group in groups
        if group["flagged_measures"] or group["depth"] == 1 or id(group) in wanted
    ]


def summary_of(result: dict) -> dict:
    return {**result, "groups": main_groups(result["groups"])}


def fingerprint(cells: list[dict]) -> str:
    """sha256 of the atomic cells in a canonical order: the same data gives the same fingerprint."""
    # repr of a tuple of str/int/float is canonical and ~10× cheaper than a json.dumps per cell
    # (tens of thousands of cells for all teams).
    names = sorted({name for cell in cells for name in cell})
    canonical = sorted(repr(tuple(cell.get(name) for name in names)) for cell in cells)
    return hashlib.sha256("\n".join([repr(names), *canonical]).encode()).hexdigest()


# --- the table of atomic cells ------------------------------------------------------------------
@dataclass
class AtomicTable:
    """Atomic cells as arrays: an integer code per characteristic, a float column per count."""

    values: dict[str, list[str]]  # characteristic -> sorted distinct values
    codes: dict[str, np.ndarray]
    counts: dict[str, np.ndarray]

    @classmethod
    def from_cells(cls, cells: list[dict], characteristics) -> AtomicTable:
        values, codes = {}, {}
        for name in characteristics:
            column = np.array([str(cell.get(name, UNKNOWN)) for cell in cells], dtype=object)
            distinct, inverse = (
                np.unique(column.astype(str), return_inverse=True)
                if len(cells)
                else ([], np.array([], int))
            )
            values[name] = [str(v) for v in distinct]
            codes[name] = np.asarray(inverse, dtype=np.int64)
        counts = {
            column: np.array([float(cell.get(column, 0) or 0) for cell in cells], dtype=float)
            for column in COUNT_COLUMNS
        }
        return cls(values, codes, counts)

    def total(self, column: str) -> float:
        return float(self.counts[column].sum())

    def margin(self, combo: tuple[str, ...]):
        """Groups of `combo`: (list of value tuples, inverse index of each atomic cell)."""
        key = np.zeros(len(self.counts[CLIENTS]), dtype=np.int64)
        for name in combo:
            key = key * len(self.values[name]) + self.codes[name]
        # Keys are dense (the product of a few small value counts), so a bincount finds the groups
        # present in sorted order in linear time; np.unique would sort the cells once per combo.
        present = np.bincount(key, minlength=1) > 0
        distinct = np.flatnonzero(present)
        position = np.cumsum(present) - 1
        inverse = position[key]
        groups = []
        for encoded in distinct.tolist():
            parts = []
            for name in reversed(combo):
                encoded, code = divmod(encoded, len(self.values[name]))
                parts.append(self.values[name][code])
            groups.append(tuple(reversed(parts)))
        return groups, inverse

    def sums(self, inverse, size, column, strata=None, n_strata=1):
        weights = self.counts[column]
        if strata is None:
            return np.bincount(inverse, weights=weights, minlength=size)
        flat = np.bincount(inverse * n_strata + strata, weights=weights, minlength=size * n_strata)
        return flat.reshape(size, n_strata)


def combinations(characteristics, depth: int):
    for d in range(1, depth + 1):
        yield from itertools.combinations(characteristics, d)


# --- comparisons ----------------------------------------------------------------------------------
@dataclass
class Comparison:
    """Group-versus-rest arrays for one measure over many groups."""

    kind: str
    events: np.ndarray
    size: np.ndarray
    rest_events: np.ndarray
    rest_size: np.ndarray
    strata: tuple | None = None  # (events, size, rest_events, rest_size), each (groups, strata)
    results: dict = field(default_factory=dict)

    def compute(self, testable: np.ndarray):
        e, s, er, sr = self.events, self.size, self.rest_events, self.rest_size
        with np.errstate(invalid="ignore", divide="ignore"):
            rate, rest_rate = e / s, er / sr
            if self.kind == "proportion":
                low, high = stats.wilson_interval(e, s)
                rest_low, rest_high = stats.wilson_interval(er, sr)
            else:
                low, high = stats.poisson_rate_interval(e, s)
                rest_low, rest_high = stats.poisson_rate_interval(er, sr)
            tested = testable & (s > 0) & (sr > 0) & (rest_rate > 0)
            ratio = rate / rest_rate
            p = np.full(len(e), np.nan)
            ratio_low, ratio_high = np.full(len(e), np.nan), np.full(len(e), np.nan)
            exact = np.zeros(len(e), dtype=bool)
            idx = np.flatnonzero(tested)
            if self.strata is not None and idx.size:
                se, ss, ser, ssr = (a[idx] for a in self.strata)
                mh, mh_low, mh_high, mh_p = stats.mantel_haenszel(se, ss, ser, ssr, kind=self.kind)
                ratio[idx], ratio_low[idx], ratio_high[idx], p[idx] = mh, mh_low, mh_high, mh_p
            elif idx.size and self.kind == "proportion":
                p[idx], exact[idx] = stats.proportion_p_values(e[idx], s[idx], er[idx], sr[idx])
                ratio_low[idx], ratio_high[idx] = stats.risk_ratio_interval(
                    e[idx], s[idx], er[idx], sr[idx]
                )
            elif idx.size:
                p[idx], exact[idx] = stats.rate_p_values(e[idx], s[idx], er[idx], sr[idx])
                ratio_low[idx], ratio_high[idx] = stats.rate_ratio_interval(
                    e[idx], s[idx], er[idx], sr[idx]
                )
            tested &= ~np.isnan(p)
        self.results = {
            "rate": rate,
            "low": low,
            "high": high,
            "rest_rate": rest_rate,
            "rest_low": rest_low,
            "rest_high": rest_high,
            "ratio": ratio,
            "ratio_low": ratio_low,
            "ratio_high": ratio_high,
            "difference": rate - rest_rate,
            "p": p,
            "exact": exact,
            "tested": tested,
        }
        return tested, p


STAT_FIELDS = (
    "rate",
    "low",
    "high",
    "rest_rate",
    "rest_low",
    "rest_high",
    "ratio",
    "ratio_low",
    "ratio_high",
    "difference",
)


def _column(values, digits: int = 4) -> list:
    """An array as JSON-ready numbers: rounded, NaN → None, ±inf → 'inf' / '-inf'."""
    rounded = np.round(np.asarray(values, dtype=float), digits)
    finite = np.isfinite(rounded)
    if finite.all():
        return rounded.tolist()
    column = rounded.astype(object)
    column[np.isnan(rounded)] = None
    column[rounded == math.inf] = "inf"
    column[rounded == -math.inf] = "-inf"
    return column.tolist()


def _finite(value, digits: int = 4):
    value = float(value)
    if math.isnan(value):
        return None
    if math.isinf(value):
        return "inf" if value > 0 else "-inf"
    return round(value, digits)


# --- the report -----------------------------------------------------------------------------------
def analyse(cells: list[dict], params: Parameters) -> dict:
    """The whole report, unsuppressed, as plain JSON-ready data (deterministic for the same input)."""
    grouping = [c for c in params.characteristics if c != params.stratify_by]
    all_characteristics = [*grouping, *([params.stratify_by] if params.stratify_by else [])]
    table = AtomicTable.from_cells(cells, all_characteristics)
    strata = n_strata = None
    if params.stratify_by:
        strata = table.codes[params.stratify_by]
        n_strata = len(table.values[params.stratify_by])

    total_clients = table.total(CLIENTS)
    groups, blocks = [], []
    n_of = {frozenset(): total_clients}  # group key -> clients, to find redundant groups
    for combo in combinations(grouping, params.depth):
        keys, inverse = table.margin(combo)
        size = len(keys)
        n = table.sums(inverse, size, CLIENTS)
        block = {"combo": combo, "keys": keys, "n": n, "rest_n": total_clients - n, "measures": {}}
        block["same_as"] = _same_as(combo, keys, n, n_of)
        histogram = np.stack([table.sums(inverse, size, c) for c in CONTACT_DAY_COLUMNS], axis=1)
        block["histogram"] = histogram
        for key in params.measures:
            measure = MEASURES[key]
            events = table.sums(inverse, size, measure.events)
            trials = table.sums(inverse, size, measure.size)
            stratified = None
            if strata is not None:
                stratum_events = np.bincount(
                    strata, weights=table.counts[measure.events], minlength=n_strata
                )
                stratum_size = np.bincount(
                    strata, weights=table.counts[measure.size], minlength=n_strata
                )
                group_events = table.sums(inverse, size, measure.events, strata, n_strata)
                group_size = table.sums(inverse, size, measure.size, strata, n_strata)
                stratified = (
                    group_events,
                    group_size,
                    stratum_events - group_events,
                    stratum_size - group_size,
                )
            block["measures"][key] = Comparison(
                measure.kind,
                events,
                trials,
                table.total(measure.events) - events,
                table.total(measure.size) - trials,
                stratified,
            )
        blocks.append(block)

    # Test every testable cell, then adjust over all of them at once.
    tested_p = []
    for block in blocks:
        testable = (block["n"] >= params.k) & (block["rest_n"] >= params.k)
        # A redundant group is its parent: testing it again would only count one test twice.
        testable &= np.array([same is None for same in block["same_as"]], dtype=bool)
        for comparison in block["measures"].values():
            tested, p = comparison.compute(testable)
            tested_p.append(p[tested])
    all_p = np.concatenate(tested_p) if tested_p else np.array([])
    all_q = stats.benjamini_hochberg(all_p)
    position = 0
    for block in blocks:
        for comparison in block["measures"].values():
            tested = comparison.results["tested"]
            q = np.full(len(tested), np.nan)
            q[tested] = all_q[position : position + int(tested.sum())]
            position += int(tested.sum())
            comparison.results["q"] = q
            comparison.results["flagged"] = (
                tested
                & (comparison.results["ratio"] < params.ratio_threshold)
                & (q < params.q_threshold)
            )

    total_histogram = np.array([table.total(c) for c in CONTACT_DAY_COLUMNS])
    for block in blocks:
        medians = _column(stats.interpolated_medians(CONTACT_DAY_EDGES, block["histogram"]), 1)
        rest_medians = _column(
            stats.interpolated_medians(CONTACT_DAY_EDGES, total_histogram - block["histogram"]), 1
        )
        n, rest_n = block["n"].astype(int).tolist(), block["rest_n"].astype(int).tolist()
        columns = {}
        for key_, comparison in block["measures"].items():
            r = comparison.results
            tests = _test_names(comparison)
            columns[key_] = [
                ("events", _column(comparison.events, 3)),
                ("size", _column(comparison.size, 3)),
                ("rest_events", _column(comparison.rest_events, 3)),
                ("rest_size", _column(comparison.rest_size, 3)),
                *((name, _column(r[name])) for name in STAT_FIELDS),
                ("p", _column(r["p"], 6)),
                ("q", _column(r["q"], 6)),
                ("test", tests),
                ("tested", r["tested"].tolist()),
                ("flagged", r["flagged"].tolist()),
            ]
        # one dict per group and measure, built row-wise by zip (the groups run to ~10k at depth 3)
        per_measure = {
            key_: [
                dict(zip([name for name, _values in fields], row, strict=True))
                for row in zip(*(values for _name, values in fields), strict=True)
            ]
            for key_, fields in columns.items()
        }
        for i, key in enumerate(block["keys"]):
            measures = {key_: rows[i] for key_, rows in per_measure.items()}
            groups.append(
                {
                    "characteristics": [
                        [name, value] for name, value in zip(block["combo"], key, strict=True)
                    ],
                    "depth": len(key),
                    "n": n[i],
                    "rest_n": rest_n[i],
                    "median_days": medians[i],
                    "rest_median_days": rest_medians[i],
                    "measures": measures,
                    "flagged_measures": [k for k, m in measures.items() if m["flagged"]],
                    "same_as": block["same_as"][i],
                }
            )

    groups.sort(key=_group_order)
    missing_data = missing_data_audit(table, grouping, params)
    return {
        "parameters": params.as_dict(),
        "total": _overall(table, params),
        "groups": groups,
        "tested_cells": int(all_p.size),
        "missing_data": missing_data,
        "missing_data_cells": missing_data_cells(table, grouping, missing_data, params.depth),
    }


def _same_as(combo, keys, n, n_of: dict) -> list:
    """For each group of a block: the characteristics of a group one characteristic shorter with
    the same clients (every member shares the extra one, e.g. 'men · standard team' in a team of
    standard caseloads), [] for the whole caseload, None when there is none. Fills `n_of`."""
    found = []
    for i, key in enumerate(keys):
        pairs = list(zip(combo, key, strict=True))
        group = frozenset(pairs)
        n_of[group] = n[i]
        same = None
        for pair in pairs:
            parent = group - {pair}
            if parent in n_of and n_of[parent] == n[i]:
                same = [[name, value] for name, value in pairs if (name, value) != pair]
                break
        found.append(same)
    return found


def _test_names(comparison: Comparison) -> list[str | None]:
    """The test behind each group's p-value (None where untested), as in `Comparison.compute`."""
    r = comparison.results
    if comparison.strata is not None:
        exact_name = approximate_name = "mantel_haenszel"
    elif comparison.kind == "proportion":
        exact_name, approximate_name = "fisher", "z"
    else:
        exact_name, approximate_name = "exact_binomial", "conditional_z"
    names = np.where(r["exact"], exact_name, approximate_name).astype(object)
    names[~r["tested"]] = None
    return names.tolist()


def _strongest_finding(group: dict) -> float:
    qs = [m["q"] for m in group["measures"].values() if m["flagged"]]
    return min(qs) if qs else 1.0


def _group_order(group: dict):
    """Flagged groups first, strongest evidence (lowest q) first; then by depth and name."""
    return (
        not group["flagged_measures"],
        _strongest_finding(group),
        group["depth"],
        group["characteristics"],
    )


def _overall(table: AtomicTable, params: Parameters) -> dict:
    measures = {}
    for key in params.measures:
        measure = MEASURES[key]
        events, size = table.total(measure.events), table.total(measure.size)
        interval = (
            stats.wilson_interval if measure.kind == "proportion" else stats.poisson_rate_interval
        )
        low, high = interval(events, size)
        measures[key] = {
            "kind": measure.kind,
            "events": _finite(events, 3),
            "size": _finite(size, 3),
            "rate": _finite(events / size if size else math.nan),
            "low": _finite(low),
            "high": _finite(high),
        }
    histogram = [table.total(c) for c in CONTACT_DAY_COLUMNS]
    median = stats.interpolated_median(CONTACT_DAY_EDGES, histogram)
    return {
        "n": int(table.total(CLIENTS)),
        "measures": measures,
        "median_days": _finite(median or math.nan, 1),
    }


def missing_data_audit(table: AtomicTable, grouping, params: Parameters) -> list[dict]:
    """Groups whose characteristic X is 'not registered' far more often than in the rest.

    For each characteristic X, groups over the *other* characteristics (depth up to depth − 1, at
    least 1) are compared with the rest on the share of clients with X unknown: ratio ≥ the
    configured MISSING_RATIO and BH q below FLAG_Q over all audit cells flags invisibility.
    """
    clients = table.counts[CLIENTS]
    rows = []
    for target in grouping:
        if UNKNOWN not in table.values[target]:
            continue
        unknown_code = table.values[target].index(UNKNOWN)
        unknown = np.where(table.codes[target] == unknown_code, clients, 0.0)
        total_unknown, total = unknown.sum(), clients.sum()
        others = [c for c in grouping if c != target]
        for combo in combinations(others, max(1, params.depth - 1)):
            keys, inverse = table.margin(combo)
            n = np.bincount(inverse, weights=clients, minlength=len(keys))
            missing = np.bincount(inverse, weights=unknown, minlength=len(keys))
            testable = (n >= params.k) & (total - n >= params.k)
            with np.errstate(invalid="ignore", divide="ignore"):
                share, rest_share = missing / n, (total_unknown - missing) / (total - n)
                ratio = np.where(
                    rest_share > 0, share / rest_share, np.where(share > 0, np.inf, np.nan)
                )
            p, _exact = stats.proportion_p_values(missing, n, total_unknown - missing, total - n)
            tested = testable & ~np.isnan(p)
            for i in np.flatnonzero(tested):
                rows.append(
                    {
                        "characteristics": [
                            [name, value] for name, value in zip(combo, keys[i], strict=True)
                        ],
                        "missing": target,
                        "n": int(n[i]),
                        "rest_n": int(total - n[i]),
                        "unknown": int(missing[i]),
                        "rest_unknown": int(total_unknown - missing[i]),
                        "share": _finite(share[i]),
                        "rest_share": _finite(rest_share[i]),
                        "ratio": _finite(ratio[i]),
                        "p": float(p[i]),
                    }
                )
    q = stats.benjamini_hochberg([row["p"] for row in rows])
    flagged = []
    for row, q_value in zip(rows, q, strict=True):
        ratio = math.inf if row["ratio"] == "inf" else (row["ratio"] or 0)
        if ratio >= params.missing_ratio_threshold and q_value < params.q_threshold:
            row["p"] = _finite(row["p"], 6)
            row["q"] = _finite(q_value, 6)
            flagged.append(row)
    flagged.sort(
        key=lambda r: (
            r["q"],
            -(math.inf if r["ratio"] == "inf" else r["ratio"]),
            r["characteristics"],
        )
    )
    return flagged


def missing_data_cells(table: AtomicTable, grouping, rows: list[dict], depth: int) -> list[dict]:
    """The tables "group × X" behind audit rows whose cells the groups (up to `depth`) do not hold.

    An audit row shows how many clients of a group have X not registered: a cell of the table of
    the group's characteristics and X. At depth ≥ 2 that table is among the groups; at depth 1 it is
    not, and disclosure control needs all of it (every value of X, every value of the group) to keep
    its cells from being worked out by subtraction. Only tables behind a shown row are included.
    """
    blocks = sorted(
        {
            (tuple(name for name, _value in row["characteristics"]), row["missing"])
            for row in rows
            if len(row["characteristics"]) + 1 > depth
        }
    )
    cells = []
    for combo, target in blocks:
        names = tuple(name for name in grouping if name in combo or name == target)
        keys, inverse = table.margin(names)
        n = table.sums(inverse, len(keys), CLIENTS)
        cells += [
            {
                "characteristics": [[name, value] for name, value in zip(names, key, strict=True)],
                "n": int(n[i]),
            }
            for i, key in enumerate(keys)
        ]
    return cells
