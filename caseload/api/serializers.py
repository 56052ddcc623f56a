"""Read serializers. Field descriptions come from the legend, the one source of definitions."""

from rest_framework import serializers

from caseload import legend
from caseload.models import AccessLog, ActionPlan, Client, Contact, Vacancy


def described(field_name: str):
    try:
        return {"help_text": legend.text(field_name)}
    except KeyError:
        return {}


class ClientSerializer(serializers.ModelSerializer):
    coach = serializers.SlugRelatedField(
        slug_field="employee_id", read_only=True, **described("coach")
    )
    language_level = serializers.CharField(
        source="get_language_level_display", read_only=True, allow_null=True
    )
    last_contact_date = serializers.DateField(
        read_only=True, allow_null=True, **described("last_contact_date")
    )
    days_since_last_contact = serializers.IntegerField(
        read_only=True, allow_null=True, **described("days_since_last_contact")
    )
    contact_due_date = serializers.DateField(
        read_only=True, allow_null=True, **described("contact_due_date")
    )
    has_active_plan = serializers.BooleanField(read_only=True)
    plan_review_overdue = serializers.BooleanField(
        read_only=True, **described("plan_review_overdue")
    )

    class Meta:
        model = Client
        fields = [
            "client_number",
            "coach",
            "date_of_birth",
            "gender",
            "marital_status",
            "household",
            "children_count",
            "youngest_child_birth_date",
            "education_level",
            "language_level",
            "driving_licence",
            "physical_limitations",
            "mental_health_issues",
            "cv_on_file",
            "work_experience",
            "skills",
            "preferred_sectors",
            "participation_step",
            "service_track",
            "contact_frequency_weeks",
            "intake_date",
            "status",
            "exit_date",
            "exit_reason",
            "last_contact_date",
            "days_since_last_contact",
            "contact_due_date",
            "has_active_plan",
            "plan_review_overdue",
        ]
        read_only_fields = fields
        extra_kwargs = {name: described(name) for name in fields if described(name)}


class ContactSerializer(serializers.ModelSerializer):
    client = serializers.SlugRelatedField(slug_field="client_number", read_only=True)
    employee = serializers.SlugRelatedField(slug_field="employee_id", read_only=True)

    class Meta:
        model = Contact
        fields = ["contact_id", "client", "employee", "date", "channel", "initiated_by", "topics"]
        read_only_fields = fields


class ActionPlanSerializer(serializers.ModelSerializer):
    client = serializers.SlugRelatedField(slug_field="client_number", read_only=True)

    class Meta:
        model = ActionPlan
        fields = ["plan_id", "client", "created_date", "review_date", "status"]
        read_only_fields = fields


class VacancySerializer(serializers.ModelSerializer):
    min_language_level = serializers.CharField(
        source="get_min_language_level_display", read_only=True, allow_null=True
    )

    class Meta:
        model = Vacancy
        fields = [
            "vacancy_id",
            "title",
            "employer",
            "sector",
            "description",
            "hours_per_week",
            "requires_driving_licence",
            "min_education_level",
            "min_language_level",
            "physically_demanding",
            "required_skills",
            "open_until",
        ]
        read_only_fields = fields


class AccessLogSerializer(serializers.ModelSerializer):
    class Meta:
        model = AccessLog
        fields = ["at", "username", "action", "client_number", "path"]
