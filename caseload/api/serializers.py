"""API serializers: the read API, and matching (request validation and the OpenAPI schema).
Field descriptions come from the legend, the one source of definitions."""

from rest_framework import serializers

from caseload import legend
from caseload.models import AccessLog, ActionPlan, Client, Contact, ReferralOutcome, Vacancy


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


# --- matching ----------------------------------------------------------------------------------


class ContributionSerializer(serializers.Serializer):
    criterion = serializers.CharField()
    label = serializers.CharField()
    points = serializers.DecimalField(max_digits=6, decimal_places=2, coerce_to_string=True)
    max_points = serializers.IntegerField()
    detail = serializers.CharField()


class KnockOutSerializer(serializers.Serializer):
    code = serializers.CharField()
    reason = serializers.CharField()


class WorkshopOfferSerializer(serializers.Serializer):
    workshop_id = serializers.CharField()
    title = serializers.CharField()


class CandidateSerializer(serializers.Serializer):
    rank = serializers.IntegerField(
        allow_null=True, help_text="Null for clients who are knocked out."
    )
    client_number = serializers.CharField()
    score = serializers.DecimalField(
        max_digits=6, decimal_places=2, help_text=legend.text("match_score")
    )
    eligible = serializers.BooleanField()
    already_referred = serializers.BooleanField()
    contributions = ContributionSerializer(many=True, help_text="They add up exactly to the score.")
    knock_outs = KnockOutSerializer(many=True, help_text=legend.text("knock_out"))
    checks = serializers.ListField(child=serializers.CharField())
    missing_skills = serializers.ListField(child=serializers.CharField())
    near_miss = serializers.ListField(
        child=serializers.CharField(), help_text=legend.text("near_miss")
    )
    workshops = WorkshopOfferSerializer(
        many=True, help_text="The soonest workshops that teach what is missing (at most 3)."
    )
    more_workshops = serializers.IntegerField(
        help_text="How many further workshops teach the same."
    )


class ScreeningFlagSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    category = serializers.CharField()
    field = serializers.CharField()
    matched_text = serializers.CharField()
    decision = serializers.CharField(allow_null=True)


class CandidatesSerializer(serializers.Serializer):
    vacancy_id = serializers.CharField()
    screening = ScreeningFlagSerializer(many=True, help_text=legend.text("screening_flag"))
    concepts_version = serializers.CharField()
    shortlist_run = serializers.IntegerField()
    notes = serializers.ListField(
        child=serializers.CharField(), help_text="Checks that apply to many clients."
    )
    ranked = CandidateSerializer(many=True)
    knocked_out = CandidateSerializer(many=True)


class ScreeningPendingSerializer(serializers.Serializer):
    """409: the vacancy's screening flags need a decision before there is a shortlist."""

    vacancy_id = serializers.CharField()
    screening = ScreeningFlagSerializer(many=True)
    detail = serializers.CharField()


class ReferralRequestSerializer(serializers.Serializer):
    clients = serializers.ListField(child=serializers.CharField(max_length=32), allow_empty=False)


class ReferralSerializer(serializers.Serializer):
    referral_id = serializers.CharField()
    client_number = serializers.CharField(source="client.client_number")
    outcome = serializers.CharField()


class SendRequestSerializer(serializers.Serializer):
    referrals = serializers.ListField(child=serializers.CharField(max_length=40), allow_empty=False)


class OutcomeRequestSerializer(serializers.Serializer):
    outcome = serializers.ChoiceField(choices=ReferralOutcome.choices)


class SendResponseSerializer(serializers.Serializer):
    sent = serializers.IntegerField()
