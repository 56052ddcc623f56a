"""The visibility report through the API (the page and CSV are quality.visibility.views)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework.exceptions import NotFound
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from caseload import access
from caseload.api.strict import QueryParameter, StrictQueryParameters, array, choice, integer, text
from quality.visibility.engine import MEASURES, STRATIFIERS
from quality.visibility.forms import VisibilityForm, form_data
from quality.visibility.labels import group_label, plain_name
from quality.visibility.services import run_visibility_report

MEASURE = "(" + "|".join(MEASURES) + ")"


class VisibilityReportAPIView(StrictQueryParameters, APIView):
    """GET /api/reports/visibility/?depth=3&measure=seen_recently&stratify=team_kind&team=CODE"""

    permission_classes = [IsAuthenticated, access.PagePermission.to("visibility_report")]
    query_parameters = [
        QueryParameter(
            "depth", integer(1, 3), _("Combine up to this many characteristics (1–3, default 3).")
        ),
        QueryParameter(
            "measure",
            array({"type": "string", "pattern": f"^{MEASURE}(,{MEASURE})*$"}),
            _("Measures (the names in the pattern), repeated or comma-separated; default: all."),
        ),
        QueryParameter("stratify", choice(STRATIFIERS), _("Compare within this factor.")),
        QueryParameter(
            "team",
            text(max_length=32),
            _("Team code (superusers only); a team that does not exist is a 404."),
        ),
        QueryParameter(
            "groups",
            choice(["main", "all"]),
            _(
                "main (default): flagged groups and groups of one characteristic; "
                "all: every shown group."
            ),
        ),
    ]

    @extend_schema(
        summary="Visibility report (disclosure-controlled)", responses={200: OpenApiTypes.OBJECT}
    )
    def get(self, request):
        form = VisibilityForm(form_data(request.GET), user=request.user, api=True)
        if not form.is_valid():
            if "team" in form.errors:  # a team named that the caller cannot see: none for them
                raise NotFound(form.errors["team"][0])
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
