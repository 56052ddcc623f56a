"""The capacity model of the team dashboard: pure arithmetic, no database.

Definition (also in the legend, keys `capacity_needed`, `capacity_available`):

    weekly minutes needed = contact minutes + administration minutes
      contact minutes = Σ over active clients with an agreed frequency of
          minutes per contact for the client's usual channel / agreed frequency in weeks
      administration minutes = active clients × the team's administration minutes per client

    weekly minutes available = FTE × contract hours per FTE × 60 × share of time for casework

A client's *usual channel* is the channel of most of their contacts in the last N days (ties:
alphabetical); clients without a contact in that window, or whose contacts have no channel, get
the default minutes. Clients without an agreed frequency cannot be planned: their contacts are
counted separately (`without_frequency`), never silently dropped; their administration counts.

The defaults are calibrated so that a full-time coach at the team's norm needs about 100% of the
time available (settings.TEAM_CAPACITY says where each number comes from;
`calibrated_admin_minutes` derives a team's administration minutes from its norm).

All arithmetic is exact (`Fraction`); rounding happens only when a figure is shown.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction


@dataclass(frozen=True)
class CapacitySettings:
    minutes_per_contact: Mapping[str, int]
    default_minutes: int
    hours_per_fte: Decimal
    casework_share: Decimal
    admin_minutes_per_client: int = 0
    reference_frequency_weeks: int = 4

    @classmethod
    def from_settings(cls, config: Mapping, team=None) -> CapacitySettings:
        model = cls(
            minutes_per_contact=dict(config["MINUTES_PER_CONTACT"]),
            default_minutes=int(config["DEFAULT_MINUTES"]),
            hours_per_fte=Decimal(str(config["HOURS_PER_FTE"])),
            casework_share=Decimal(str(config["CASEWORK_SHARE"])),
            admin_minutes_per_client=int(config["ADMIN_MINUTES_PER_CLIENT"]),
            reference_frequency_weeks=int(config["REFERENCE_FREQUENCY_WEEKS"]),
        )
        return model.for_team(team) if team is not None else model

    def for_team(self, team) -> CapacitySettings:
        """The same model with the team's own administration minutes per client."""
        return dataclasses.replace(self, admin_minutes_per_client=team.admin_minutes_per_client)

    def minutes_for(self, channel: str | None) -> int:
        return self.minutes_per_contact.get(channel or "", self.default_minutes)

    @property
    def reference_contact_minutes(self) -> Fraction:
        """Weekly contact minutes of the reference client: the default minutes every
        reference_frequency_weeks weeks."""
        return Fraction(self.default_minutes, self.reference_frequency_weeks)


def calibrated_admin_minutes(norm: int, settings: CapacitySettings) -> int:
    """The administration minutes per client per week at which a full-time coach with `norm`
    reference clients needs exactly the time available (rounded to whole minutes)."""
    per_client = weekly_minutes_available(Decimal(1), settings) / norm
    return max(0, round(per_client - settings.reference_contact_minutes))


@dataclass(frozen=True)
class LoadGroup:
    """`clients` active clients with the same agreed frequency and usual channel."""

    frequency_weeks: int | None
    channel: str | None
    clients: int


@dataclass(frozen=True)
class CoachCapacity:
    fte: Decimal
    contact_minutes: Fraction
    admin_minutes: Fraction
    available_minutes: Fraction
    planned_clients: int
    without_frequency: int
    groups: tuple[LoadGroup, ...] = field(default=(), repr=False)

    @property
    def active_clients(self) -> int:
        return self.planned_clients + self.without_frequency

    @property
    def needed_minutes(self) -> Fraction:
        return self.contact_minutes + self.admin_minutes

    @property
    def balance_minutes(self) -> Fraction:
        """Available minus needed: negative when overloaded."""
        return self.available_minutes - self.needed_minutes

    @property
    def overloaded(self) -> bool:
        return self.needed_minutes > self.available_minutes

    @property
    def overload_minutes(self) -> Fraction:
        return max(Fraction(0), -self.balance_minutes)

    @property
    def load_share(self) -> Fraction | None:
        """Needed / available (1 = exactly full); None when the coach has no hours."""
        if self.available_minutes == 0:
            return None
        return self.needed_minutes / self.available_minutes

    @property
    def needed_hours(self) -> Fraction:
        return self.needed_minutes / 60

    @property
    def available_hours(self) -> Fraction:
        return self.available_minutes / 60


def weekly_contact_minutes(groups: Iterable[LoadGroup], settings: CapacitySettings) -> Fraction:
    return sum(
        (
            Fraction(group.clients * settings.minutes_for(group.channel), group.frequency_weeks)
            for group in groups
            if group.frequency_weeks
        ),
        Fraction(0),
    )


def weekly_minutes_available(fte: Decimal, settings: CapacitySettings) -> Fraction:
    return (
        Fraction(Decimal(fte))
        * Fraction(settings.hours_per_fte)
        * 60
        * Fraction(settings.casework_share)
    )


def coach_capacity(
    fte: Decimal, groups: Iterable[LoadGroup], settings: CapacitySettings
) -> CoachCapacity:
    groups = tuple(group for group in groups if group.clients > 0)
    clients = sum(g.clients for g in groups)
    return CoachCapacity(
        fte=Decimal(fte),
        contact_minutes=weekly_contact_minutes(groups, settings),
        admin_minutes=Fraction(clients * settings.admin_minutes_per_client),
        available_minutes=weekly_minutes_available(fte, settings),
        planned_clients=sum(g.clients for g in groups if g.frequency_weeks),
        without_frequency=sum(g.clients for g in groups if not g.frequency_weeks),
        groups=groups,
    )


def combine(groups: Iterable[LoadGroup], sign: int = 1) -> dict[tuple, int]:
    totals: dict[tuple, int] = {}
    for group in groups:
        key = (group.frequency_weeks, group.channel)
        totals[key] = totals.get(key, 0) + sign * group.clients
    return totals


def shift_groups(
    groups: Iterable[LoadGroup], moved: Iterable[LoadGroup], sign: int
) -> tuple[LoadGroup, ...]:
    """`groups` with the `moved` clients removed (sign -1) or added (sign +1)."""
    totals = combine(groups)
    for key, clients in combine(moved, sign).items():
        totals[key] = totals.get(key, 0) + clients
    if any(clients < 0 for clients in totals.values()):
        raise ValueError("cannot move clients a coach does not have")
    return tuple(
        LoadGroup(freq, channel, clients) for (freq, channel), clients in totals.items() if clients
    )


@dataclass(frozen=True)
class WhatIf:
    source_before: CoachCapacity
    source_after: CoachCapacity
    target_before: CoachCapacity
    target_after: CoachCapacity


def what_if(
    source: CoachCapacity,
    target: CoachCapacity,
    moved: Iterable[LoadGroup],
    settings: CapacitySettings,
) -> WhatIf:
    """Both coaches' capacity before and after moving the `moved` clients from source to target."""
    moved = tuple(moved)
    return WhatIf(
        source_before=source,
        source_after=coach_capacity(source.fte, shift_groups(source.groups, moved, -1), settings),
        target_before=target,
        target_after=coach_capacity(target.fte, shift_groups(target.groups, moved, +1), settings),
    )
