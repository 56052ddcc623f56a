"""Read API of the quality app: findings and weekly lists (the visibility report: .visibility).
Scoped through Client.objects.visible_to; bad parameters → 400."""

import re

from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.exceptions import ValidationError
from rest_framework.generics import ListAPIView
from rest_framework.permissions import IsAuthenticated

from caseload import access
from caseload.access_log import AccessAction, log_access
from caseload.api.strict import MAX_ID, QueryParameter, StrictQueryParameters, choice, integer
from caseload.selectors import visible_clients
from quality import selectors
from quality.models import WeeklyListEntry
from quality.rules import RULES_BY_ID, choices
from quality.weekly import selectors as weekly_selectors
from quality.weekly import weeks
from quality.weekly.filters import WeeklyEntryFilterSet


class FindingSerializer(serializers.Serializer):
    client_number = serializers.CharField()
    coach = serializers.IntegerField(allow_null=True)
    rule = serializers.CharField(source="rule.id")
    kind = serializers.CharField(source="rule.kind")
    severity = serializers.IntegerField(source="rule.severity")
    label = serializers.CharField(source="rule.label")
    blocks = serializers.CharField(source="rule.blocks")
    explained = serializers.BooleanField()


# An ISO week as the path names it (week 53 only exists in some years: the view answers 404).
WEEK = r"^[0-9]{4}-W(0[1-9]|[1-4][0-9]|5[0-3])$"


class LogsListedClients:
    """Log who saw which clients: the rows of the page answered, in one insert."""

    def list(self, request, *args, **kwargs):
        response = super().list(request, *args, **kwargs)
        rows = (
            response.data.get("results", response.data)
            if isinstance(response.data, dict)
            else response.data
        )
        log_access(request, AccessAction.LIST, (row["client_number"] for row in rows))
        return response


class FindingListView(StrictQueryParameters, LogsListedClients, ListAPIView):
    """Current findings (evaluated today) for the clients the user may see. ?rule=<id>&coach=<id>."""

    serializer_class = FindingSerializer
    permission_classes = [IsAuthenticated, access.PagePermission.to("quality_dashboard")]
    filter_backends: list = []
    query_parameters = [
        QueryParameter("rule", choice(key for key, _label in choices()), _("A rule's id.")),
        QueryParameter("coach", integer(1, MAX_ID), _("A work coach's id.")),
    ]

    def get_queryset(self):
        query = self.request.query_params
        clients = visible_clients(self.request.user)
        if "coach" in query:
            clients = clients.filter(coach_id=int(query["coach"]))
        rule = query.get("rule")
        return selectors.finding_rows(clients, timezone.localdate(), [rule] if rule else None)


class WeeklyEntrySerializer(serializers.ModelSerializer):
    """A finding on a week's list; its texts from the rule registry in the request's language."""

    client_number = serializers.CharField(source="client.client_number")
    label = serializers.SerializerMethodField()
    kind = serializers.SerializerMethodField()
    blocks = serializers.SerializerMethodField()

    class Meta:
        model = WeeklyListEntry
        fields = [
            "iso_week",
            "coach",
            "client_number",
            "rule_id",
            "label",
            "rank",
            "severity",
            "kind",
            "blocks",
            "explained",
        ]

    def get_label(self, entry) -> str:
        rule = RULES_BY_ID.get(entry.rule_id)
        return str(rule.label) if rule else entry.rule_id

    def get_kind(self, entry) -> str | None:
        rule = RULES_BY_ID.get(entry.rule_id)
        return rule.kind if rule else None

    def get_blocks(self, entry) -> str | None:
        rule = RULES_BY_ID.get(entry.rule_id)
        return str(rule.blocks) if rule else None


@extend_schema(
    parameters=[
        OpenApiParameter(
            "week",
            type={"type": "string", "pattern": WEEK},
            location=OpenApiParameter.PATH,
            description=_(
                "An ISO week, e.g. 2026-W48 (otherwise a 400); a week that does not exist, "
                "such as week 53 of a year of 52 weeks, is a 404."
            ),
        )
    ]
)
class WeeklyListView(StrictQueryParameters, LogsListedClients, ListAPIView):
    """The stored weekly list of an ISO week (e.g. 2026-W48), for the clients the user may see,
    filtered as on the page: ?coach=&rule=&severity=&kind=&state=open|explained."""

    serializer_class = WeeklyEntrySerializer
    permission_classes = [IsAuthenticated, access.PagePermission.to("weekly_list")]
    filter_backends = [DjangoFilterBackend]
    filterset_class = WeeklyEntryFilterSet

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # the schema generator: no week, no user
            return WeeklyListEntry.objects.none()
        week = self.kwargs["week"]
        if not re.fullmatch(WEEK[1:-1], week):
            raise ValidationError({"week": [_("Give an ISO week like 2026-W48.")]})
        try:
            weeks.monday_of(week)
        except ValueError as exc:  # written as a week, but there is no such week
            raise Http404(str(exc)) from exc
        return weekly_selectors.weekly_entries(visible_clients(self.request.user), week)
