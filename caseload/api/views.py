"""Read API. Every list and detail is scoped through Client.objects.visible_to (404 outside scope).
Every view takes exactly the query parameters it documents (caseload.api.strict)."""

from django.http import JsonResponse
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views import defaults
from rest_framework import generics, routers, viewsets
from rest_framework.exceptions import NotFound

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
from .strict import QueryParameter, StrictQueryParameters, text


class ClientViewSet(StrictQueryParameters, viewsets.ReadOnlyModelViewSet):
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


class ContactViewSet(StrictQueryParameters, viewsets.ReadOnlyModelViewSet):
    serializer_class = ContactSerializer
    filterset_class = ContactFilterSet
    lookup_field = "contact_id"
    lookup_value_regex = KEY_PATTERN

    def get_queryset(self):
        return Contact.objects.visible_to(self.request.user).select_related("client", "employee")


class ActionPlanViewSet(StrictQueryParameters, viewsets.ReadOnlyModelViewSet):
    serializer_class = ActionPlanSerializer
    filterset_class = ActionPlanFilterSet
    lookup_field = "plan_id"
    lookup_value_regex = KEY_PATTERN

    def get_queryset(self):
        return ActionPlan.objects.visible_to(self.request.user).select_related("client")


class VacancyViewSet(StrictQueryParameters, viewsets.ReadOnlyModelViewSet):
    """Vacancies are not personal data: every signed-in member of staff may read them."""

    serializer_class = VacancySerializer
    filterset_class = VacancyFilterSet
    lookup_field = "vacancy_id"
    lookup_value_regex = KEY_PATTERN
    queryset = Vacancy.objects.all()


class AccessLogView(StrictQueryParameters, generics.ListAPIView):
    """Superusers only: who looked at this client (?client=<number>)?"""

    serializer_class = AccessLogSerializer
    permission_classes = [access.PagePermission.to("access_log")]
    filter_backends: list = []
    query_parameters = [
        QueryParameter(
            "client", text(max_length=40), _("Client number or pseudonym"), required=True
        )
    ]

    def get_queryset(self):
        return who_looked_at(self.request.query_params["client"])


class APIRootView(StrictQueryParameters, routers.APIRootView):
    """The index of the API's lists (not an operation of the schema)."""


def not_found(request, exception):
    """Django's 404 for a path no view answers (config.urls.handler404): under /api/ in JSON like
    every other answer of the API, elsewhere the page."""
    if request.path.startswith(reverse("api-root")):
        return JsonResponse({"detail": str(NotFound.default_detail)}, status=404)
    return defaults.page_not_found(request, exception)
