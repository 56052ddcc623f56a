"""API shapes for matching (request validation and the OpenAPI schema)."""

from rest_framework import serializers

from caseload import legend
from caseload.models import ReferralOutcome


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
