"""Matching test data: a vacancy with hard requirements and clients with known answers."""

from tests.factories import ClientFactory, VacancyFactory


def forklift_vacancy(**changes):
    values = {
        "vacancy_id": "V100",
        "title": "Heftruckchauffeur",
        "employer": "Havenbedrijf",
        "sector": "logistics",
        "description": "Heftruckchauffeur voor de nachtploeg.",
        "hours_per_week": 36,
        "requires_driving_licence": True,
        "min_education_level": 2,
        "min_language_level": 2,
        "physically_demanding": True,
        "required_skills": ["forklift"],
    }
    return VacancyFactory(**{**values, **changes})


def matching_client(coach, number, **changes):
    values = {
        "client_number": number,
        "driving_licence": True,
        "education_level": 3,
        "language_level": 3,
        "physical_limitations": False,
        "work_experience": ["warehouse worker"],
        "skills": ["heftruck"],
        "preferred_sectors": ["logistics"],
        "participation_step": 4,
    }
    return ClientFactory(coach=coach, **{**values, **changes})


def get_query_count(client, url) -> int:
    """Queries one successful GET takes (to show a page's count does not grow with caseload size)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)
