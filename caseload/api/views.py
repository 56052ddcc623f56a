"""Read API. Every list and detail is scoped through Client.objects.visible_to (404 outside scope)."""

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics, viewsets
from rest_framework.exceptions import ValidationError

from caseload import access
from caseload.access_log import AccessAction, log_access, who_looked_at
from caseload.filters import (
    ActionPlanFilterSet,
    ClientFilterSet,
    ContactFilterSet,
    VacancyFilterSet,
)
from caseload.keys import KEY_PATTERN
from caseload.models import ActionPlan, Contact, Vacancy
from caseload.selectors import visible_clients

from .serializers import (
    AccessLogSerializer,
    ActionPlanSerializer,
    ClientSerializer,
    ContactSerializer,
    VacancySerializer,
)


class ClientViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = ClientSerializer
    filterset_class = ClientFilterSet
    lookup_field = "client_number"
    lookup_value_regex = KEY_PATTERN

    def get_queryset(self):
        return visible_clients(self.request.user).with_monitoring().select_related("coach")

    def retrieve(self, request, *args, **kwargs):
        response = super().retrieve(request, *args, **kwargs)
        log_access(request, AccessAction.API_CLIENT, [response.data["client_number"]])
        return response

    def list(self, request, *args, **kwargs):
        response = super().list(request, *args, **kwargs)
        rows = (
            response.data.get("results", response.data)
            if isinstance(response.data, dict)
            else response.data
        )
        log_access(request, AccessAction.LIST, (row["client_number"] for row in rows))
        return response


class ContactViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = ContactSerializer
    filterset_class = ContactFilterSet
    lookup_field = "contact_id"
    lookup_value_regex = KEY_PATTERN

    def get_queryset(self):
        return Contact.objects.visible_to(self.request.user).select_related("client", "employee")


class ActionPlanViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = ActionPlanSerializer
    filterset_class = ActionPlanFilterSet
    lookup_field = "plan_id"
    lookup_value_regex = KEY_PATTERN

    def get_queryset(self):
        return ActionPlan.objects.visible_to(self.request.user).select_related("client")


class VacancyViewSet(viewsets.ReadOnlyModelViewSet):
    """Vacancies are not personal data: every signed-in member of staff may read them."""

    serializer_class = VacancySerializer
    filterset_class = VacancyFilterSet
    lookup_field = "vacancy_id"
    lookup_value_regex = KEY_PATTERN
    queryset = Vacancy.objects.all()


@extend_schema(
    parameters=[
        OpenApiParameter("client", str, required=True, description="Client number or pseudonym")
    ]
)
class AccessLogView(generics.ListAPIView):
    """Superusers only: who looked at this client (?client=<number>)?"""

    serializer_class = AccessLogSerializer
    permission_classes = [access.PagePermission.to("access_log")]
    filter_backends: list = []

    def get_queryset(self):
        client_number = self.request.query_params.get("client", "").strip()
        if not client_number:
            raise ValidationError({"client": ["This parameter is required."]})
        return who_looked_at(client_number[:40])
