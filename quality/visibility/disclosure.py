"""Disclosure control for the visibility report: no shown count 0 < n < k, directly or by subtraction.

Counts protected: the clients in a group, and for each proportion measure the clients it counts
(events), the clients it counts over (trials) and those it does not count (trials − events).
Contacts per client-month: the number of contacts is protected like a count of clients. The
missing-data audit shows client counts of its groups and of "group + X not registered": those are
cells of the same tables and go through the same suppression (`protect`), not a copy of it.

The cells of one run are the groups (up to 3 characteristics), the whole caseload as their root and,
where the audit reaches one characteristic deeper than the report (depth 1), the audit's cells.
Each is linked to its subgroups over every other characteristic: a parent is the sum of its
children. Suppression is done on all those linked tables at once:

- Primary: a count 0 < x < k is hidden, and so is a group within k of a group containing it (the
  difference, e.g. the rest of the caseload or "group minus X not registered", would be such a count).
- Secondary: in no parent-and-children row may exactly one figure be hidden (it would follow by
  addition or subtraction), nor may the hidden children of a shown parent add up to 0 < x < k.
  The extra cells (complementary cells) are chosen to withhold as little as possible
  (`LinkedCells._cheapest`): cells the report is not for before flagged groups and the audit's,
  no cell over COMPLEMENTARY_LIMIT × k while a smaller one would do, then the fewest clients,
  counting what hiding a cell would force in its other rows. Rows are revisited until none is
  exposed, so a cell hidden to protect one table is protected in every table it is in; then every
  complementary cell no longer needed is shown again, largest first (`_release`). Choosing with
  and without looking ahead, the choice withholding less is kept. Measured: `withheld_cells`.
- Percentages, ratios, intervals and p/q values of a hidden count are hidden too (they would give
  the count back with the group size).
- Limit: sums over groups that do not contain each other (e.g. "neither a nor b" = total − a − b +
  both) are not audited.

Labels keep 0, "< k" and "unknown" apart: `count_label`.
"""

from __future__ import annotations

import itertools
import math
from collections import deque
from dataclasses import dataclass

import numpy as np
from django.utils.translation import gettext as _

from . import thresholds
from .engine import MEASURES, UNKNOWN, group_key

HIDDEN_STAT_FIELDS = (
    "events",
    "size",
    "rest_events",
    "rest_size",
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
    "p",
    "q",
    "test",
)
HIDDEN_AUDIT_FIELDS = (
    "n",
    "rest_n",
    "unknown",
    "rest_unknown",
    "share",
    "rest_share",
    "ratio",
    "p",
    "q",
)
ROOT = frozenset()  # the whole caseload: the group of no characteristics


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


def _order(key: frozenset) -> tuple:
    return tuple(sorted(key))


class LinkedCells:
    """Cells (keys; ROOT among them) and how they add up: built once, used for every count.

    A row is a parent and its children over one characteristic. Cells are numbered in a fixed
    order, so suppression is deterministic."""

    def __init__(self, keys):
        self.keys = sorted(set(keys), key=_order)
        self.index = {key: i for i, key in enumerate(self.keys)}
        self.root = self.index[ROOT]
        by_row: dict[tuple, int] = {}
        self.parents, self.children = [], []
        self.rows_of = [[] for _ in self.keys]  # rows a cell is in, as parent or child
        self.child_rows = [[] for _ in self.keys]  # rows a cell is a child in
        for i, key in enumerate(self.keys):
            for pair in sorted(key):
                row_key = (key - {pair}, pair[0])
                row = by_row.get(row_key)
                if row is None:
                    row = by_row[row_key] = len(self.parents)
                    self.parents.append(
                        self.index.get(row_key[0])
                    )  # None: not a cell, taken as shown
                    self.children.append([])
                    if row_key[0] in self.index:
                        self.rows_of[self.index[row_key[0]]].append(row)
                self.children[row].append(i)
                self.rows_of[i].append(row)
                self.child_rows[i].append(row)
        # (cell, ancestor) pairs: every group containing the cell, up to the root.
        pairs = [
            (i, self.index[frozenset(ancestor)])
            for i, key in enumerate(self.keys)
            for size in range(len(key))
            for ancestor in itertools.combinations(sorted(key), size)
            if frozenset(ancestor) in self.index
        ]
        self.child_cells = np.array(
            [i for i, rows in enumerate(self.child_rows) for _row in rows], dtype=np.int64
        )
        self.child_row_of = np.array([row for rows in self.child_rows for row in rows], np.int64)
        self.cell_of_pair = np.array([i for i, _a in pairs], dtype=np.int64)
        self.ancestor_of_pair = np.array([a for _i, a in pairs], dtype=np.int64)

    def primary(self, counts: list[tuple], k: int) -> set[int]:
        """Cells with a count 0 < x < k, or within 0 < d < k of a cell containing them."""
        values = np.asarray(counts, dtype=float).reshape(len(self.keys), -1)
        small = ((values > 0) & (values < k)).any(axis=1)
        differences = values[self.ancestor_of_pair] - values[self.cell_of_pair]
        near = ((differences > 0) & (differences < k)).any(axis=1)
        small[self.cell_of_pair[near]] = True
        small[self.root] = False  # the whole caseload is judged on its own (`suppress`)
        return set(np.flatnonzero(small).tolist())

    def secondary(
        self,
        counts: list[tuple],
        hidden: set[int],
        k: int,
        avoid: set[int] = frozenset(),
        cap: float = math.inf,
        findings: set[int] = frozenset(),
    ) -> set[int]:
        """Hide more cells until no row gives a hidden figure away (module doc), losing as little as
        possible: two ways of choosing the extra cells (`_cheapest`, with and without looking one
        step ahead), each followed by `_release`; the one that withholds less is kept."""
        required = set(hidden)
        rows = {row for i in required for row in self.rows_of[i]}
        candidates = []
        for lookahead in (False, True):
            state = Hidden(self, counts, k, required)
            self._repair(state, rows, Choice(avoid, cap, findings, lookahead))
            self._release(state, required)
            candidates.append(state.cells)
        return min(candidates, key=lambda found: self.loss(counts, found - required, avoid))

    @staticmethod
    def loss(counts, extra: set[int], avoid) -> tuple:
        """What hiding `extra` costs: cells the report is for, then clients, then cells."""
        return (len(extra & avoid), sum(counts[c][-1] for c in extra), len(extra))

    def _repair(self, state: Hidden, rows, choice: Choice) -> None:
        """Hide cells until none of `rows` (and no row of a cell hidden on the way) is exposed.
        Each row is revisited whenever one of its cells is hidden."""
        queue = deque(sorted(rows))
        queued = set(queue)
        while queue:
            row = queue.popleft()
            queued.discard(row)
            if not state.exposed(row):
                continue
            extra = self._cheapest(row, state, choice)
            if extra is None:
                continue
            state.add(extra)
            for affected in (row, *self.rows_of[extra]):  # this row may need more still
                if affected not in queued:
                    queue.append(affected)
                    queued.add(affected)

    def _cheapest(self, row: int, state: Hidden, choice: Choice) -> int | None:
        """The cell to hide next in an exposed row: a shown child, or (see below) the parent.

        Order: cells the report is not for before those it is for (`avoid`: flagged groups and
        the audit's), then cells of at most `cap` before larger ones, then the smallest count
        (with `lookahead`: plus, for every other row the cell is in that hiding it would expose,
        the smallest cell that row could then hide), then the cell number, so the choice is
        deterministic.

        A flagged group beside a large sibling (2·k or more) in a row whose parent is a flagged
        group of one characteristic (single fathers beside single mothers, in 'single parents with
        a child under 12'): when the hidden cells of that row add up to fewer than k, the parent
        is hidden rather than a sibling. The parent stays known to within those few clients (the
        sum of its shown children), while a hidden sibling would take away the comparison the
        report is for. Limited to parents of one characteristic: applied deeper, it hid more
        flagged groups than it showed siblings."""
        counts, k, hidden = state.counts, state.k, state.cells
        parent, children = self.parents[row], self.children[row]
        if parent is not None and len(self.keys[parent]) == 1 and parent in choice.findings:
            remainder = state.sums[row][-1]
            large = [c for c in children if c not in hidden and counts[c][-1] >= 2 * k]
            if 0 < remainder < k and len(large) >= 2 and choice.findings.intersection(large):
                return parent
        options = [c for c in children if c not in hidden and any(counts[c])]
        if not options:
            return None

        def order(cell):
            loss = counts[cell][-1]
            if choice.lookahead:
                for other in self.rows_of[cell]:
                    if other != row and state.exposed(other, cell):
                        loss += min(
                            (
                                counts[c][-1]
                                for c in self.children[other]
                                if c != cell and c not in hidden and any(counts[c])
                            ),
                            default=0,
                        )
            return (cell in choice.avoid, counts[cell][-1] > choice.cap, loss, cell)

        return min(options, key=order)

    def _release(self, state: Hidden, required: set[int]) -> None:
        """Show again, largest first, each extra cell whose rows all stay protected without it: a
        cell hidden early can be made unnecessary by cells hidden after it."""
        counts = state.counts
        for cell in sorted(state.cells - required, key=lambda c: (-counts[c][-1], c)):
            state.discard(cell)
            if any(state.exposed(row) for row in self.rows_of[cell]):
                state.add(cell)

    def protect(
        self,
        counts: list[tuple],
        k: int,
        avoid: set[int] = frozenset(),
        cap: float = math.inf,
        findings: set[int] = frozenset(),
    ) -> set[int]:
        return self.secondary(counts, self.primary(counts, k), k, avoid, cap, findings)


@dataclass
class Choice:
    """What `LinkedCells._cheapest` chooses by: the cells the report is for (`avoid`; `findings`:
    the flagged ones), the largest cell hidden while a smaller one would do (`cap`), and whether
    to look one step ahead."""

    avoid: set[int]
    cap: float
    findings: set[int]
    lookahead: bool


class Hidden:
    """Hidden cells of linked tables, with per row the number of hidden children and their sums,
    kept up to date, so whether a row is exposed is known without adding it up again."""

    def __init__(self, linked: LinkedCells, counts: list[tuple], k: int, cells=()):
        self.linked, self.counts, self.k = linked, counts, k
        self.cells: set[int] = set(cells)
        # The starting cells counted at once: a bincount per column over (child, row) pairs.
        values = np.asarray(counts, dtype=float).reshape(len(counts), -1)
        chosen = np.zeros(len(counts), dtype=bool)
        chosen[list(self.cells)] = True
        pairs = chosen[linked.child_cells]
        rows, members = linked.child_row_of[pairs], linked.child_cells[pairs]
        size = len(linked.parents)
        self.number = np.bincount(rows, minlength=size).tolist()
        self.sums = np.stack(
            [
                np.bincount(rows, weights=values[members, column], minlength=size)
                for column in range(values.shape[1])
            ],
            axis=1,
        ).tolist()

    def _count(self, cell: int, sign: int) -> None:
        for row in self.linked.child_rows[cell]:
            self.number[row] += sign
            sums = self.sums[row]
            for column, value in enumerate(self.counts[cell]):
                sums[column] += sign * value

    def add(self, cell: int) -> None:
        if cell not in self.cells:
            self.cells.add(cell)
            self._count(cell, 1)

    def discard(self, cell: int) -> None:
        if cell in self.cells:
            self.cells.remove(cell)
            self._count(cell, -1)

    def exposed(self, row: int, also: int | None = None) -> bool:
        """Whether `row` gives a hidden figure away, with `also` hidden as well: a hidden parent with
        no hidden child, one hidden child, or hidden children adding up to 0 < x < k."""
        parent = self.linked.parents[row]
        number, sums = self.number[row], self.sums[row]
        parent_hidden = parent is not None and (parent in self.cells or parent == also)
        if also is not None and also != parent and also not in self.cells:
            number += 1
            sums = [total + value for total, value in zip(sums, self.counts[also], strict=True)]
        if parent_hidden:  # the parent is the sum of its children
            return number == 0
        return number == 1 or any(is_small(total, self.k) for total in sums)


def _on_keys(cells: dict[frozenset, tuple]):
    linked = LinkedCells(cells)
    return linked, [tuple(cells[key]) for key in linked.keys]


def primary(cells: dict[frozenset, tuple], k: int) -> set[frozenset]:
    """`LinkedCells.primary` on a dict key → tuple of counts (ROOT included)."""
    linked, counts = _on_keys(cells)
    return {linked.keys[i] for i in linked.primary(counts, k)}


def secondary(
    cells: dict[frozenset, tuple],
    hidden: set[frozenset],
    k: int,
    avoid: set[frozenset] = frozenset(),
    cap: float = math.inf,
    findings: set[frozenset] = frozenset(),
) -> set[frozenset]:
    linked, counts = _on_keys(cells)
    found = linked.secondary(
        counts,
        _indexes(linked, hidden),
        k,
        _indexes(linked, avoid),
        cap,
        _indexes(linked, findings),
    )
    return {linked.keys[i] for i in found}


def protect(
    cells: dict[frozenset, tuple],
    k: int,
    avoid: set[frozenset] = frozenset(),
    cap: float = math.inf,
    findings: set[frozenset] = frozenset(),
) -> set[frozenset]:
    """Keys of the cells to hide, primary and secondary."""
    linked, counts = _on_keys(cells)
    found = linked.protect(counts, k, _indexes(linked, avoid), cap, _indexes(linked, findings))
    return {linked.keys[i] for i in found}


def best_served(groups: list[dict], measures) -> dict:
    """Per measure, the tested group with the highest shown rate (ties: the larger group)."""
    best = {}
    for key in measures:
        candidates = [
            g
            for g in groups
            if g["measures"][key]["tested"] and not g["measures"][key]["suppressed"]
        ]
        if candidates:
            top = max(candidates, key=lambda g: (g["measures"][key]["rate"] or 0, g["n"] or 0))
            best[key] = {
                "characteristics": top["characteristics"],
                "n": top["n"],
                "rate": top["measures"][key]["rate"],
            }
    return best


def withheld_cells(report: dict, shown: dict, k: int) -> tuple[int, int]:
    """What disclosure control costs: the number of groups of k or more clients that `shown`
    withholds, and how many clients they hold together. `report` is the same report before
    `suppress` (which must keep small groups, `keep_small`, so the two stay aligned). For
    measuring only: the sizes of withheld groups are never shown."""
    sizes = [
        before["n"]
        for before, after in zip(report["groups"], shown["groups"], strict=True)
        if after["suppressed"] and before["n"] >= k
    ]
    return len(sizes), int(sum(sizes))


def _measure_counts(m: dict, kind: str) -> tuple:
    events, size = m["events"] or 0, m["size"] or 0
    return (events, size - events, size) if kind == "proportion" else (events,)


def _audit_keys(row: dict) -> tuple[frozenset, frozenset, frozenset]:
    """The cells an audit row shows: the group, the group with X not registered, X not registered."""
    group = group_key(row["characteristics"])
    unknown = frozenset({(row["missing"], UNKNOWN)})
    return group, group | unknown, unknown


def _indexes(linked: LinkedCells, keys) -> set[int]:
    return {linked.index[key] for key in keys if key in linked.index}


def suppress(report: dict, k: int, keep_small: bool = False) -> dict:
    """The report with every count 0 < n < k (and what would reveal one) hidden, changed in place.

    Groups under k of two or more characteristics are then left out (unless `keep_small`): they
    carry no figure. Single-characteristic groups under k stay, labelled '< k'. Cells hidden only
    to protect a neighbour stay, labelled 'withheld'. Audit rows whose cells are hidden keep their
    group and characteristic, with every count withheld.
    """
    shown = report
    groups = shown["groups"]
    total = shown["total"]
    total_hidden = is_small(total["n"], k)
    keys = [group_key(g["characteristics"]) for g in groups]
    flagged = {key for key, g in zip(keys, groups, strict=True) if g["flagged_measures"]}
    audit_cells = shown.pop("missing_data_cells", [])
    cap = k * shown["parameters"].get(
        "complementary_limit", thresholds.configured("COMPLEMENTARY_LIMIT")
    )

    if total_hidden:
        hidden_groups = set(range(len(groups)))
        client_cells = hidden_cells = set()
    else:
        tables = LinkedCells([ROOT, *keys])
        audited = {key for row in shown["missing_data"] for key in _audit_keys(row)}
        client_counts = {
            ROOT: (total["n"],),
            **{key: (g["n"],) for key, g in zip(keys, groups, strict=True)},
        }
        client_counts.update((group_key(c["characteristics"]), (c["n"],)) for c in audit_cells)
        with_audit = LinkedCells(client_counts) if audit_cells else tables
        hidden = with_audit.protect(
            [client_counts[key] for key in with_audit.keys],
            k,
            _indexes(with_audit, flagged | audited),
            cap,
            _indexes(with_audit, flagged),
        )
        client_cells, hidden_cells = set(client_counts), {with_audit.keys[i] for i in hidden}
        hidden_groups = {i for i, key in enumerate(keys) if key in hidden_cells}
    hidden_measures = {}
    for key in shown["parameters"]["measures"]:
        if total_hidden:
            hidden_measures[key] = set(range(len(groups)))
            continue
        kind = MEASURES[key].kind
        counts = {ROOT: _measure_counts(total["measures"][key], kind)}
        counts.update(
            (g_key, _measure_counts(g["measures"][key], kind))
            for g_key, g in zip(keys, groups, strict=True)
        )
        flagged_here = {
            g_key for g_key, g in zip(keys, groups, strict=True) if key in g["flagged_measures"]
        }
        hidden = {
            tables.keys[i]
            for i in tables.protect(
                [counts[c] for c in tables.keys],
                k,
                _indexes(tables, flagged),
                cap,
                _indexes(tables, flagged_here),
            )
        }
        # Also hidden where the group is: hiding more never lets more be worked out.
        hidden_measures[key] = {
            i for i, g_key in enumerate(keys) if g_key in hidden
        } | hidden_groups

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
        m["suppressed"] = total_hidden or any(
            is_small(x, k) for x in counts[: 1 if m["kind"] == "rate" else 3]
        )
        if m["suppressed"]:
            for name in ("events", "size", "rate", "low", "high"):
                m[name] = None
    total["n_label"] = count_label(total["n"], k, total_hidden)
    if total_hidden:
        total["n"] = None
        total["median_days"] = None
        shown["missing_data"] = []
    shown["best_served"] = (
        {} if total_hidden else best_served(groups, shown["parameters"]["measures"])
    )
    for row in shown["missing_data"]:
        # Shown only if every cell it shows is shown in the tables; the rest's registered clients
        # (rest_n − rest_unknown) is one subtraction away, so it may not be small either.
        row["suppressed"] = any(
            key not in client_cells or key in hidden_cells for key in _audit_keys(row)
        ) or is_small(row["rest_n"] - row["rest_unknown"], k)
        for name in ("n", "rest_n", "unknown"):
            row[f"{name}_label"] = count_label(row[name], k, row["suppressed"])
        if row["suppressed"]:
            for name in HIDDEN_AUDIT_FIELDS:
                row[name] = None
    if not keep_small:
        # Left out: small groups of several characteristics (they carry no figure) and redundant
        # groups (the same clients as a group one characteristic shorter, shown as that group).
        withheld = _("withheld")
        shown["groups"] = [
            g
            for g in groups
            if not (g["suppressed"] and g["depth"] > 1 and g["n_label"] != withheld)
            and g.get("same_as") is None
        ]
    shown["k"] = k
    return shown
