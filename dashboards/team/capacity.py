"""The capacity model of the team dashboard: pure arithmetic, no database.

Definition (also in the legend, key `capacity_needed`):

    weekly contact minutes needed = Σ over active clients with an agreed frequency of
        minutes per contact for the client's usual channel / agreed frequency in weeks

    weekly contact minutes available = FTE × contract hours per FTE × 60 × share of time for
        client contact

A client's *usual channel* is the channel of most of their contacts in the last N days (ties:
alphabetical); clients without a contact in that window, or whose contacts have no channel, get
the default minutes. Clients without an agreed frequency cannot be planned: they are counted
separately (`without_frequency`), never silently dropped.

All arithmetic is exact (`Fraction`); rounding happens only when a figure is shown.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction


@dataclass(frozen=True)
class CapacitySettings:
    minutes_per_contact: Mapping[str, int]
    default_minutes: int
    hours_per_fte: Decimal
    contact_share: Decimal

    @classmethod
    def from_settings(cls, config: Mapping) -> CapacitySettings:
        return cls(
            minutes_per_contact=dict(config["MINUTES_PER_CONTACT"]),
            default_minutes=int(config["DEFAULT_MINUTES"]),
            hours_per_fte=Decimal(str(config["HOURS_PER_FTE"])),
            contact_share=Decimal(str(config["CLIENT_CONTACT_SHARE"])),
        )

    def minutes_for(self, channel: str | None) -> int:
        return self.minutes_per_contact.get(channel or "", self.default_minutes)


@dataclass(frozen=True)
class LoadGroup:
    """`clients` active clients with the same agreed frequency and usual channel."""

    frequency_weeks: int | None
    channel: str | None
    clients: int


@dataclass(frozen=True)
class CoachCapacity:
    fte: Decimal
    needed_minutes: Fraction
    available_minutes: Fraction
    planned_clients: int
    without_frequency: int
    groups: tuple[LoadGroup, ...] = field(default=(), repr=False)

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


def weekly_minutes_needed(groups: Iterable[LoadGroup], settings: CapacitySettings) -> Fraction:
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
        * Fraction(settings.contact_share)
    )


def coach_capacity(
    fte: Decimal, groups: Iterable[LoadGroup], settings: CapacitySettings
) -> CoachCapacity:
    groups = tuple(group for group in groups if group.clients > 0)
    return CoachCapacity(
        fte=Decimal(fte),
        needed_minutes=weekly_minutes_needed(groups, settings),
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
