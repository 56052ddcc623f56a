"""The fixed cast of users every test can use.

Team 1 has coach A, coach B, a quality officer and a team manager; team 2 has another manager
(and its own coach). A superuser sees everything. Each coach gets no clients by default: tests
create the data they assert on, with factories.
"""

import pytest

from caseload.models import Role

from .factories import ClientFactory, TeamFactory, UserFactory

PASSWORD = "test-password-123"


@pytest.fixture
def team():
    return TeamFactory(code="T1", name="Team Noord")


@pytest.fixture
def other_team():
    return TeamFactory(code="T2", name="Team Zuid")


@pytest.fixture
def coach_a(team):
    return UserFactory(username="coach.a", role=Role.WORK_COACH, team=team, full_name="Coach A")


@pytest.fixture
def coach_b(team):
    return UserFactory(username="coach.b", role=Role.WORK_COACH, team=team, full_name="Coach B")


@pytest.fixture
def other_coach(other_team):
    return UserFactory(
        username="coach.other", role=Role.WORK_COACH, team=other_team, full_name="Other coach"
    )


@pytest.fixture
def quality_officer(team):
    return UserFactory(username="quality.officer", role=Role.QUALITY_OFFICER, team=team)


@pytest.fixture
def team_manager(team):
    return UserFactory(username="team.manager", role=Role.TEAM_MANAGER, team=team)


@pytest.fixture
def other_manager(other_team):
    return UserFactory(username="other.manager", role=Role.TEAM_MANAGER, team=other_team)


@pytest.fixture
def superuser(db):
    return UserFactory(username="admin", role="", team=None, is_superuser=True, is_staff=True)


@pytest.fixture
def cast(coach_a, coach_b, other_coach, quality_officer, team_manager, other_manager, superuser):
    """Everyone, plus one client for each coach: the usual world for scoping tests."""
    return {
        "coach_a": coach_a,
        "coach_b": coach_b,
        "other_coach": other_coach,
        "quality_officer": quality_officer,
        "team_manager": team_manager,
        "other_manager": other_manager,
        "superuser": superuser,
        "client_a": ClientFactory(coach=coach_a, client_number="CA0001"),
        "client_b": ClientFactory(coach=coach_b, client_number="CB0001"),
        "client_other": ClientFactory(coach=other_coach, client_number="CO0001"),
    }


@pytest.fixture
def login(client):
    """login(user) -> the Django test client, signed in as that user."""

    def _login(user):
        client.force_login(user)
        return client

    return _login


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    # Real hashing costs ~0.3 s per user; tests create many users.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def eager_celery_unless_real_worker(request):
    """Tasks run in-process in tests, except in tests marked celery_worker, which use the real
    broker and worker that CI starts (REDIS_URL)."""
    from config.celery import app

    if request.node.get_closest_marker("celery_worker"):
        yield
        return
    previous = app.conf.task_always_eager
    app.conf.task_always_eager = True
    yield
    app.conf.task_always_eager = previous


def pytest_collection_modifyitems(config, items):
    import os

    if os.environ.get("REDIS_URL"):
        return
    skip = pytest.mark.skip(
        reason="needs REDIS_URL and a real worker: runs in CI's PostgreSQL + Redis pass"
    )
    for item in items:
        if item.get_closest_marker("celery_worker"):
            item.add_marker(skip)


@pytest.fixture(autouse=True)
def english_by_default(settings):
    # The app defaults to Dutch; tests assert English source strings unless they ask for Dutch
    # (tests/test_translations.py covers that nl is complete and used).
    settings.LANGUAGE_CODE = "en"
