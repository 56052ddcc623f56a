"""API for matching: the ranked candidates of a vacancy, and referrals (propose, then send).

GET  /api/vacancies/{vacancy_id}/candidates/         rank, score, contributions, knock-outs
POST /api/vacancies/{vacancy_id}/referrals/          {"clients": [...]} -> proposed referrals
POST /api/vacancies/{vacancy_id}/referrals/send/     {"referrals": [...]} -> sent (coach's confirmation)
POST /api/vacancies/{vacancy_id}/referrals/{referral_id}/outcome/   {"outcome": "interview"} -> the referral

Every POST is a work coach's: the right is checked before the body is read (a manager gets 403,
never a 400 about the body).
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.exceptions import ValidationError as DRFValidationError
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from caseload import access
from caseload.access_log import AccessAction, log_access
from caseload.matching import engine, selectors, services
from caseload.matching.protected import ORDERINGS, shortlist_query_error

from .serializers import (
    CandidatesSerializer,
    OutcomeRequestSerializer,
    ReferralRequestSerializer,
    ReferralSerializer,
    ScreeningPendingSerializer,
    SendRequestSerializer,
    SendResponseSerializer,
)
from .strict import QueryParameter, StrictQueryParameters, choice


def validation_response(error: ValidationError) -> Response:
    detail = error.message_dict if hasattr(error, "error_dict") else {"detail": error.messages}
    return Response(detail, status=status.HTTP_400_BAD_REQUEST)


class MatchingAPIView(StrictQueryParameters, APIView):
    permission_classes = [IsAuthenticated, access.PagePermission.to("vacancies")]


class CoachWriteAPIView(MatchingAPIView):
    """POSTs need the coach's right, checked with the permissions: before the query string or the
    body is read or validated."""

    def check_permissions(self, request):
        super().check_permissions(request)
        if request.method == "POST":
            services.require_coach(request.user)


class CandidatesView(MatchingAPIView):
    query_parameters = [
        QueryParameter(
            "ordering",
            choice(ORDERINGS),
            gettext_lazy(
                "rank (default) or client_number. Any parameter naming a protected attribute "
                "(age, gender, household, children, health, nationality, ...) is refused with 400."
            ),
        )
    ]

    def check_query_parameters(self, request) -> None:
        """A protected attribute is refused as such, before it would be just unknown."""
        error = shortlist_query_error(request.query_params)
        if error:
            raise DRFValidationError({"detail": error})
        super().check_query_parameters(request)

    @extend_schema(
        responses={200: CandidatesSerializer, 409: ScreeningPendingSerializer},
        description="The ranked shortlist of the caller's visible clients. 409 while screening "
        "flags are undecided.",
    )
    def get(self, request, vacancy_id):
        vacancy = selectors.get_vacancy_or_404(vacancy_id)
        flags = services.record_screening(vacancy)
        body = {
            "vacancy_id": vacancy.vacancy_id,
            "screening": [
                {
                    "id": f.pk,
                    "category": f.category,
                    "field": f.field,
                    "matched_text": f.matched_text,
                    "decision": f.decisions.all()[0].decision if f.decisions.all() else None,
                }
                for f in flags
            ],
        }
        if selectors.undecided_flags(flags):
            body["detail"] = _("Decide on the screening flags of this vacancy before matching.")
            return Response(body, status=status.HTTP_409_CONFLICT)
        shortlist = selectors.shortlist(request.user, vacancy)
        ranked = shortlist.ranked
        if request.query_params.get("ordering") == "client_number":
            ranked = sorted(ranked, key=lambda r: r.candidate.client_number)
        run = services.log_shortlist(request.user, vacancy, shortlist)
        log_access(request, AccessAction.LIST, shortlist.client_numbers)
        body.update(
            concepts_version=shortlist.concepts_version,
            shortlist_run=run.pk,
            notes=[str(note) for note in shortlist.notes],
            ranked=[engine.serialise(r) for r in ranked],
            knocked_out=[engine.serialise(r) for r in shortlist.knocked_out],
        )
        return Response(body)


class ReferralsView(CoachWriteAPIView):
    @extend_schema(
        request=ReferralRequestSerializer,
        responses={201: ReferralSerializer(many=True)},
        description="Create `proposed` referrals (work coaches, own clients). Nothing is sent yet.",
    )
    def post(self, request, vacancy_id):
        vacancy = selectors.get_vacancy_or_404(vacancy_id)
        payload = ReferralRequestSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        try:
            created = services.propose_referrals(
                request.user, vacancy, payload.validated_data["clients"]
            )
        except ValidationError as error:
            return validation_response(error)
        return Response(ReferralSerializer(created, many=True).data, status=status.HTTP_201_CREATED)


class SendReferralsView(CoachWriteAPIView):
    @extend_schema(
        request=SendRequestSerializer,
        responses={200: SendResponseSerializer},
        description="The coach's explicit confirmation: their proposed referrals become `sent`.",
    )
    def post(self, request, vacancy_id):
        vacancy = selectors.get_vacancy_or_404(vacancy_id)
        payload = SendRequestSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        try:
            count = services.send_referrals(
                request.user, vacancy, payload.validated_data["referrals"]
            )
        except ValidationError as error:
            return validation_response(error)
        return Response({"sent": count})


class ReferralOutcomeView(CoachWriteAPIView):
    @extend_schema(
        request=OutcomeRequestSerializer,
        responses={200: ReferralSerializer},
        description="Record the outcome of a referral of the coach's own client: interview, hired, "
        "rejected or withdrawn (from sent or interview; withdrawn also from proposed).",
    )
    def post(self, request, vacancy_id, referral_id):
        vacancy = selectors.get_vacancy_or_404(vacancy_id)
        referral = selectors.get_referral_or_404(request.user, vacancy, referral_id)
        payload = OutcomeRequestSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        try:
            referral = services.record_outcome(
                request.user, referral, payload.validated_data["outcome"]
            )
        except ValidationError as error:
            return validation_response(error)
        return Response(ReferralSerializer(referral).data)
