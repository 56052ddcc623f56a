"""The visibility report through the API (the page and CSV are quality.visibility.views)."""

from __future__ import annotations

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from caseload import access
from quality.visibility.engine import MEASURES, STRATIFIERS
from quality.visibility.forms import VisibilityForm, form_data
from quality.visibility.labels import group_label, plain_name
from quality.visibility.services import run_visibility_report


class VisibilityReportAPIView(APIView):
    """GET /api/reports/visibility/?depth=3&measure=seen_recently&stratify=team_kind&team=CODE"""

    permission_classes = [IsAuthenticated, access.PagePermission.to("visibility_report")]

    @extend_schema(
        summary="Visibility report (disclosure-controlled)",
        parameters=[
            OpenApiParameter(
                "depth",
                int,
                description="Combine up to this many characteristics (1–3, default 3).",
            ),
            OpenApiParameter(
                "measure",
                str,
                description="Measures, repeated or comma-separated: " + ", ".join(MEASURES),
            ),
            OpenApiParameter(
                "stratify", str, enum=list(STRATIFIERS), description="Compare within this factor."
            ),
            OpenApiParameter("team", str, description="Team code (superusers only)."),
            OpenApiParameter(
                "groups",
                str,
                enum=["main", "all"],
                description="main (default): flagged groups and groups of one characteristic; all: every shown group.",
            ),
        ],
        responses={200: OpenApiTypes.OBJECT, 400: OpenApiTypes.OBJECT},
    )
    def get(self, request):
        form = VisibilityForm(form_data(request.GET), user=request.user, api=True)
        if not form.is_valid():
            return Response(form.errors, status=400)
        run = run_visibility_report(request.user, **form.report_arguments())
        result = run.result if form.cleaned_data.get("groups") == "all" else run.summary
        for group in result["groups"]:
            group["label"] = plain_name(group["characteristics"])
            group["attributes"] = group_label(group["characteristics"])
        return Response(
            {
                "run": run.pk,
                "data_fingerprint": run.data_fingerprint,
                "created_at": run.created_at,
                **result,
            }
        )
