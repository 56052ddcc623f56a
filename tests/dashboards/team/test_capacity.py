"""The capacity arithmetic, against numbers computed by hand; the calibration of the defaults."""

import dataclasses
from decimal import Decimal
from fractions import Fraction

import pytest
from django.conf import settings as django_settings

from caseload.demo import SPECIALISED_TEAM_NORMS
from dashboards.team.capacity import (
    CapacitySettings,
    LoadGroup,
    calibrated_admin_minutes,
    coach_capacity,
    shift_groups,
    what_if,
)

# Contacts only (no administration): the hand-computed numbers below are contact minutes.
SETTINGS = CapacitySettings(
    minutes_per_contact={"face_to_face": 45, "phone": 20, "home_visit": 90},
    default_minutes=40,
    hours_per_fte=Decimal("36"),
    casework_share=Decimal("0.5"),
)


def test_needed_and_available_minutes_are_exact():
    groups = [
        LoadGroup(4, "face_to_face", 10),  # 10 × 45 / 4 = 112.5
        LoadGroup(3, "phone", 2),  # 2 × 20 / 3 = 13⅓
        LoadGroup(2, None, 1),  # default 40 / 2 = 20
        LoadGroup(1, "email", 1),  # unknown channel in settings: default 40 / 1 = 40
        LoadGroup(None, "phone", 5),  # no agreed frequency: not planned, counted apart
    ]
    capacity = coach_capacity(Decimal("0.8"), groups, SETTINGS)
    assert capacity.needed_minutes == Fraction(225, 2) + Fraction(40, 3) + 20 + 40
    assert capacity.needed_minutes == Fraction(1115, 6)
    # 0.8 × 36 h × 60 × 0.5 = 864 minutes
    assert capacity.available_minutes == 864
    assert capacity.planned_clients == 14
    assert capacity.without_frequency == 5
    assert not capacity.overloaded
    assert capacity.balance_minutes == 864 - Fraction(1115, 6)


def test_caseload_of_120_overloads_a_full_time_coach_and_80_does_not():
    full_time = Decimal("1")
    eighty = coach_capacity(full_time, [LoadGroup(4, "face_to_face", 80)], SETTINGS)
    hundred_twenty = coach_capacity(full_time, [LoadGroup(4, "face_to_face", 120)], SETTINGS)
    assert eighty.needed_minutes == 900 and eighty.available_minutes == 1080
    assert not eighty.overloaded
    assert hundred_twenty.needed_minutes == 1350
    assert hundred_twenty.overloaded and hundred_twenty.overload_minutes == 270
    assert hundred_twenty.load_share == Fraction(5, 4)


def test_zero_fte_has_no_load_share():
    capacity = coach_capacity(Decimal("0"), [LoadGroup(4, "phone", 1)], SETTINGS)
    assert capacity.load_share is None and capacity.overloaded


def test_what_if_moves_exact_minutes_between_coaches():
    source = coach_capacity(Decimal("1"), [LoadGroup(4, "face_to_face", 120)], SETTINGS)
    target = coach_capacity(Decimal("1"), [LoadGroup(2, "phone", 10)], SETTINGS)
    result = what_if(source, target, [LoadGroup(4, "face_to_face", 20)], SETTINGS)
    assert result.source_after.needed_minutes == 1350 - 225
    assert result.target_after.needed_minutes == 100 + 225
    assert result.source_before is source and result.target_before is target
    assert result.source_after.planned_clients == 100 and result.target_after.planned_clients == 30


def test_cannot_move_clients_a_coach_does_not_have():
    with pytest.raises(ValueError):
        shift_groups([LoadGroup(4, "phone", 1)], [LoadGroup(4, "phone", 2)], -1)


def test_administration_counts_for_every_active_client_with_or_without_frequency():
    model = dataclasses.replace(SETTINGS, admin_minutes_per_client=10)
    capacity = coach_capacity(
        Decimal("1"), [LoadGroup(4, "face_to_face", 8), LoadGroup(None, None, 2)], model
    )
    assert capacity.contact_minutes == 90  # 8 × 45 / 4
    assert capacity.admin_minutes == 100  # 10 clients × 10
    assert capacity.needed_minutes == 190 and capacity.active_clients == 10
    moved = what_if(
        capacity, coach_capacity(Decimal("1"), [], model), [LoadGroup(None, None, 2)], model
    )
    assert moved.target_after.needed_minutes == 20  # administration moves with the client


def reference_caseload(model: CapacitySettings, clients: int) -> list[LoadGroup]:
    """`clients` reference clients: the default minutes every reference frequency (no channel)."""
    return [LoadGroup(model.reference_frequency_weeks, None, clients)]


def test_calibration_a_full_time_coach_at_the_norm_uses_about_all_the_time_available():
    """Default settings, 1.0 FTE, the standard norm (Team.caseload_norm's default), the reference
    caseload: utilisation between 95% and 105%. 36 h × 0.75 = 27 h available; 80 × (45/4 + 9)
    = 1620 min = 27 h needed."""
    from caseload.models import Team

    model = CapacitySettings.from_settings(django_settings.TEAM_CAPACITY)
    norm = Team._meta.get_field("caseload_norm").default
    capacity = coach_capacity(Decimal("1"), reference_caseload(model, norm), model)
    assert Fraction(95, 100) <= capacity.load_share <= Fraction(105, 100), float(
        capacity.load_share
    )
    assert capacity.available_hours == 27 and capacity.needed_hours == 27
    # the declared default is the calibrated one, not a number that drifted from the norm
    assert model.admin_minutes_per_client == calibrated_admin_minutes(norm, model)
    # and the old model's blind spot is gone: 20 clients over the norm is over capacity
    over = coach_capacity(Decimal("1"), reference_caseload(model, norm + 20), model)
    assert over.overloaded


@pytest.mark.parametrize("kind", sorted(SPECIALISED_TEAM_NORMS))
def test_calibration_holds_for_the_specialised_teams_own_norms(kind):
    norms = SPECIALISED_TEAM_NORMS[kind]
    model = dataclasses.replace(
        CapacitySettings.from_settings(django_settings.TEAM_CAPACITY),
        admin_minutes_per_client=norms["admin_minutes_per_client"],
    )
    capacity = coach_capacity(
        Decimal("1"), reference_caseload(model, norms["caseload_norm"]), model
    )
    assert Fraction(95, 100) <= capacity.load_share <= Fraction(105, 100), float(
        capacity.load_share
    )
