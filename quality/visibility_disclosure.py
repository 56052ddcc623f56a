"""Disclosure control for the visibility report: no shown count 0 < n < k, directly or by subtraction.

Counts protected: the clients in a group, and for each proportion measure the clients it counts
(events), the clients it counts over (trials) and those it does not count (trials − events).
Contacts per client-month: the number of contacts is protected like a count of clients.

- Primary suppression: a count 0 < x < k is hidden.
- Rest of the caseload: rest = total − group, so the rest's figures are hidden with the group's.
- Percentages, ratios, intervals and p/q values of a hidden count are hidden too (they would give
  the count back with the group size).
- Secondary suppression: the groups of one characteristic, with the other characteristics of the
  group fixed, add up to a shown parent figure. If only one of them is hidden it could be had by
  subtraction, so the smallest other non-zero one is hidden as well, until no such row remains.
  (Linked tables across different combinations are not fully audited: documented limit.)

Labels keep 0, "< k" and "unknown" apart: `count_label`.
"""

from __future__ import annotations

from collections import defaultdict

from django.utils.translation import gettext as _

from .visibility import MEASURES

HIDDEN_STAT_FIELDS = (
    "events", "size", "rest_events", "rest_size", "rate", "low", "high", "rest_rate", "rest_low",
    "rest_high", "ratio", "ratio_low", "ratio_high", "difference", "p", "q",
)


def is_small(value, k: int) -> bool:
    return value is not None and 0 < value < k


def count_label(value, k: int, hidden: bool = False) -> str:
    """'0', '< k', 'unknown', 'withheld' or the number: never confused with each other.

    'withheld' is a count of k or more hidden only so that a neighbouring small one cannot be
    worked out by subtraction."""
    if hidden and not is_small(value, k):
        return _("withheld")
    if hidden:
        return _("< %(k)s") % {"k": k}
    if value is None:
        return _("unknown")
    if 0 < value < k:
        return _("< %(k)s") % {"k": k}
    return str(int(round(value)))


def secondary(
    cells: dict[tuple, float], hidden: set[tuple], names: tuple[str, ...], avoid: set[tuple] = frozenset()
) -> set[tuple]:
    """Hide more cells so no hidden cell of a combination can be had by subtraction from a margin.

    `cells` maps the value tuple of each group of one combination of characteristics to its count.
    The extra cell hidden is the smallest non-zero neighbour, preferring cells not in `avoid`
    (flagged groups, whose figures the report is for).
    """
    hidden = set(hidden)
    rows = []
    for position in range(len(names)):
        by_rest = defaultdict(list)
        for key in cells:
            by_rest[key[:position] + key[position + 1:]].append(key)
        rows.extend(by_rest.values())
    changed = True
    while changed:
        changed = False
        for members in rows:
            if sum(key in hidden for key in members) != 1:
                continue
            others = sorted(
                (key in avoid, cells[key], key) for key in members if key not in hidden and cells[key] > 0
            )
            if others:
                hidden.add(others[0][2])
                changed = True
    return hidden


def _protect(groups: list[dict], count_of, k: int) -> set[int]:
    """Indexes of groups whose count must be hidden (primary and secondary)."""
    by_combo = defaultdict(dict)
    for index, group in enumerate(groups):
        names = tuple(name for name, _value in group["characteristics"])
        values = tuple(value for _name, value in group["characteristics"])
        by_combo[names][values] = index
    result = set()
    for names, indexes in by_combo.items():
        cells = {values: count_of(groups[i]) or 0 for values, i in indexes.items()}
        primary = {values for values, i in indexes.items() if count_of(groups[i], primary=True)}
        flagged = {values for values, i in indexes.items() if groups[i]["flagged_measures"]}
        result |= {indexes[values] for values in secondary(cells, primary, names, flagged)}
    return result


def best_served(groups: list[dict], measures) -> dict:
    """Per measure, the tested group with the highest shown rate (ties: the larger group)."""
    best = {}
    for key in measures:
        candidates = [g for g in groups if g["measures"][key]["tested"] and not g["measures"][key]["suppressed"]]
        if candidates:
            top = max(candidates, key=lambda g: (g["measures"][key]["rate"] or 0, g["n"] or 0))
            best[key] = {"characteristics": top["characteristics"], "n": top["n"], "rate": top["measures"][key]["rate"]}
    return best


def suppress(report: dict, k: int, keep_small: bool = False) -> dict:
    """The report with every count 0 < n < k (and what would reveal one) hidden, changed in place.

    Groups under k of two or more characteristics are then left out (unless `keep_small`): they
    carry no figure. Single-characteristic groups under k stay, labelled '< k'. Cells hidden only
    to protect a neighbour stay, labelled 'withheld'.
    """
    shown = report
    groups = shown["groups"]
    total = shown["total"]
    total_hidden = is_small(total["n"], k)

    def clients(group, primary=False):
        return is_small(group["n"], k) if primary else group["n"]

    hidden_groups = set(range(len(groups))) if total_hidden else _protect(groups, clients, k)
    hidden_measures = {}
    for key, measure in MEASURES.items():
        if key not in shown["parameters"]["measures"]:
            continue

        def events(group, primary=False, key=key, kind=measure.kind):
            m = group["measures"][key]
            if not primary:
                return m["events"]
            counts = [m["events"], m["rest_events"]]
            if kind == "proportion":  # trials and non-events are clients too
                counts += [m["size"], (m["size"] or 0) - (m["events"] or 0),
                           (m["rest_size"] or 0) - (m["rest_events"] or 0)]
            return any(is_small(x, k) for x in counts)

        hidden_measures[key] = set(range(len(groups))) if total_hidden else _protect(groups, events, k) | hidden_groups

    for index, group in enumerate(groups):
        group_hidden = index in hidden_groups
        group["suppressed"] = group_hidden
        group["n_label"] = count_label(group["n"], k, group_hidden)
        group["rest_n_label"] = count_label(group["rest_n"], k, group_hidden)
        if group_hidden:
            group["n"] = group["rest_n"] = None
            group["median_days"] = group["rest_median_days"] = None
        for key, m in group["measures"].items():
            m["suppressed"] = index in hidden_measures[key]
            if m["suppressed"]:
                for name in HIDDEN_STAT_FIELDS:
                    m[name] = None
    for m in total["measures"].values():
        counts = [m["events"], m["size"], (m["size"] or 0) - (m["events"] or 0)]
        m["suppressed"] = total_hidden or any(is_small(x, k) for x in counts[: 1 if m["kind"] == "rate" else 3])
        if m["suppressed"]:
            for name in ("events", "size", "rate", "low", "high"):
                m[name] = None
    total["n_label"] = count_label(total["n"], k, total_hidden)
    if total_hidden:
        total["n"] = None
        total["median_days"] = None
        shown["best_served"] = {}
        shown["missing_data"] = []
    shown["best_served"] = {} if total_hidden else best_served(groups, shown["parameters"]["measures"])
    for row in shown["missing_data"]:
        registered = row["n"] - row["unknown"]
        row["suppressed"] = any(is_small(x, k) for x in (row["unknown"], registered, row["rest_unknown"]))
        row["unknown_label"] = count_label(row["unknown"], k, row["suppressed"])
        if row["suppressed"]:
            for name in ("unknown", "rest_unknown", "share", "rest_share", "ratio", "p", "q"):
                row[name] = None
    if not keep_small:
        withheld = _("withheld")
        shown["groups"] = [g for g in groups if not (g["suppressed"] and g["depth"] > 1 and g["n_label"] != withheld)]
    shown["k"] = k
    return shown
