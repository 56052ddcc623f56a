"""Simulated caseloads as atomic cells, without a database: clients drawn with numpy, then counted.

Every client gets characteristics and service outcomes from known probabilities, so a test knows
exactly which gap it planted.
"""

from __future__ import annotations

import datetime

import numpy as np

from quality.visibility.engine import CONTACT_DAY_COLUMNS

CHARACTERISTICS = {
    "gender": (["F", "M", "unknown"], [0.55, 0.43, 0.02]),
    "household": (
        ["single", "single_parent_young_child", "couple", "unknown"],
        [0.5, 0.2, 0.25, 0.05],
    ),
    "age_band": (["under_27", "27_34", "35_44", "45_54"], [0.2, 0.3, 0.3, 0.2]),
    "team_kind": (["standard", "asylum"], [0.8, 0.2]),
}


def simulate_clients(rng, n: int, characteristics=CHARACTERISTICS) -> dict[str, np.ndarray]:
    return {
        name: rng.choice(values, size=n, p=weights)
        for name, (values, weights) in characteristics.items()
    }


def atomic_cells(
    clients: dict[str, np.ndarray], served: dict[str, np.ndarray], names=None
) -> list[dict]:
    """Count clients per combination of all characteristics; `served` maps count column -> 0/1 or counts."""
    names = names or [name for name in clients if name not in served]
    n = len(next(iter(clients.values())))
    rows = np.array([tuple(clients[name][i] for name in names) for i in range(n)], dtype=object)
    keys = ["\x1f".join(map(str, row)) for row in rows]
    unique, inverse = np.unique(keys, return_inverse=True)
    cells = []
    for index, key in enumerate(unique):
        mask = inverse == index
        cell = dict(zip(names, key.split("\x1f"), strict=True))
        cell["clients"] = int(mask.sum())
        for column, values in served.items():
            cell[column] = float(values[mask].sum())
        cells.append(cell)
    return cells


def served_with(rng, n: int, seen_probability: np.ndarray) -> dict[str, np.ndarray]:
    """All service columns: `seen_recently` with the given per-client probability, the others flat."""
    ones = np.ones(n)
    return {
        "seen_recently": (rng.random(n) < seen_probability).astype(float),
        "frequency_known": ones,
        "contact_on_time": (rng.random(n) < 0.7).astype(float),
        "active_plan": (rng.random(n) < 0.6).astype(float),
        "referred": (rng.random(n) < 0.3).astype(float),
        "enrolled": (rng.random(n) < 0.2).astype(float),
        "contacts": rng.poisson(1.0, n).astype(float),
        "exposure_months": ones * 12,
        CONTACT_DAY_COLUMNS[2]: ones,
    }


def registered_people(coaches, people, today) -> None:
    """Clients in the database, one per (gender, household, youngest child's birth date, days since
    the last contact), spread over `coaches`; on the caseload for over a year."""
    from tests.factories import ClientFactory, ContactFactory

    for i, (gender, household, child, days) in enumerate(people):
        client = ClientFactory(
            coach=coaches[i % len(coaches)],
            gender=gender,
            household=household,
            youngest_child_birth_date=child,
            intake_date=today - datetime.timedelta(days=400),
        )
        ContactFactory(client=client, date=today - datetime.timedelta(days=days))
