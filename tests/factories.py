"""Factories for test data. Defaults are fully registered; tests set fields to None for unknowns."""

import datetime

import factory
from django.utils import timezone

from caseload.models import (
    ActionPlan,
    Client,
    Contact,
    Enrolment,
    Referral,
    Role,
    Team,
    User,
    Vacancy,
    Workshop,
)

TODAY = timezone.localdate


class TeamFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Team
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"T{n:03d}")
    name = factory.LazyAttribute(lambda o: f"Team {o.code}")
    kind = "standard"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    employee_id = factory.Sequence(lambda n: f"E{n:05d}")
    full_name = factory.LazyAttribute(lambda o: o.username.replace(".", " ").title())
    email = factory.LazyAttribute(lambda o: f"{o.username}@example.org")
    role = Role.WORK_COACH
    team = factory.SubFactory(TeamFactory)
    password = factory.PostGenerationMethodCall("set_password", "test-password-123")

    @factory.post_generation
    def save_password(obj, create, extracted, **kwargs):
        if create:
            obj.save()


class ClientFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Client

    client_number = factory.Sequence(lambda n: f"C{n:06d}")
    coach = factory.SubFactory(UserFactory)
    date_of_birth = factory.LazyFunction(lambda: TODAY() - datetime.timedelta(days=40 * 365))
    gender = "F"
    marital_status = "single"
    household = "single"
    children_count = 0
    youngest_child_birth_date = None
    education_level = 3
    language_level = 3
    driving_licence = True
    physical_limitations = False
    mental_health_issues = False
    cv_on_file = True
    work_experience = factory.LazyFunction(lambda: ["cleaner"])
    skills = factory.LazyFunction(lambda: ["cleaning"])
    preferred_sectors = factory.LazyFunction(lambda: ["cleaning"])
    participation_step = 4
    service_track = "WORK"
    contact_frequency_weeks = 4
    intake_date = factory.LazyFunction(lambda: TODAY() - datetime.timedelta(days=365))
    status = "active"


class ContactFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Contact

    contact_id = factory.Sequence(lambda n: f"K{n:08d}")
    client = factory.SubFactory(ClientFactory)
    employee = factory.LazyAttribute(lambda o: o.client.coach)
    date = factory.LazyFunction(lambda: TODAY() - datetime.timedelta(days=7))
    channel = "face_to_face"
    initiated_by = "coach"
    topics = factory.LazyFunction(lambda: ["work"])


class ActionPlanFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ActionPlan

    plan_id = factory.Sequence(lambda n: f"P{n:07d}")
    client = factory.SubFactory(ClientFactory)
    created_date = factory.LazyFunction(lambda: TODAY() - datetime.timedelta(days=60))
    review_date = factory.LazyFunction(lambda: TODAY() + datetime.timedelta(days=60))
    status = "active"


class VacancyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Vacancy

    vacancy_id = factory.Sequence(lambda n: f"V{n:04d}")
    title = "Order picker"
    employer = "DistriCentrum"
    sector = "logistics"
    hours_per_week = 32
    requires_driving_licence = False
    min_education_level = None
    min_language_level = None
    physically_demanding = False
    required_skills = factory.LazyFunction(lambda: ["warehouse"])
    open_until = factory.LazyFunction(lambda: TODAY() + datetime.timedelta(days=30))


class ReferralFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Referral

    referral_id = factory.Sequence(lambda n: f"R{n:07d}")
    client = factory.SubFactory(ClientFactory)
    vacancy = factory.SubFactory(VacancyFactory)
    date = factory.LazyFunction(lambda: TODAY() - datetime.timedelta(days=3))
    outcome = "sent"


class WorkshopFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Workshop

    workshop_id = factory.Sequence(lambda n: f"W{n:03d}")
    title = "Heftruckcertificaat"
    theme = "certificate"
    starts_on = factory.LazyFunction(lambda: TODAY() + datetime.timedelta(days=14))
    capacity = 12


class EnrolmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Enrolment

    enrolment_id = factory.Sequence(lambda n: f"EN{n:07d}")
    client = factory.SubFactory(ClientFactory)
    workshop = factory.SubFactory(WorkshopFactory)
    date = factory.LazyFunction(lambda: TODAY() - datetime.timedelta(days=3))
    status = "enrolled"
