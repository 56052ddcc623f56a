"""Read API. Every list and detail is scoped through Client.objects.visible_to (404 outside scope)."""

from rest_framework import viewsets

from caseload.filters import (
    ActionPlanFilterSet,
    ClientFilterSet,
    ContactFilterSet,
    VacancyFilterSet,
)
from caseload.models import ActionPlan, Contact, Vacancy
from caseload.selectors import visible_clients

from .serializers import (
    ActionPlanSerializer,
    ClientSerializer,
    ContactSerializer,
    VacancySerializer,
)


class ClientViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = ClientSerializer
    filterset_class = ClientFilterSet
    lookup_field = "client_number"
    lookup_value_regex = "[^/]+"

    def get_queryset(self):
        return visible_clients(self.request.user).with_monitoring().select_related("coach")


class ContactViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = ContactSerializer
    filterset_class = ContactFilterSet
    lookup_field = "contact_id"

    def get_queryset(self):
        return Contact.objects.visible_to(self.request.user).select_related("client", "employee")


class ActionPlanViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = ActionPlanSerializer
    filterset_class = ActionPlanFilterSet
    lookup_field = "plan_id"

    def get_queryset(self):
        return ActionPlan.objects.visible_to(self.request.user).select_related("client")


class VacancyViewSet(viewsets.ReadOnlyModelViewSet):
    """Vacancies are not personal data: every signed-in member of staff may read them."""

    serializer_class = VacancySerializer
    filterset_class = VacancyFilterSet
    lookup_field = "vacancy_id"
    queryset = Vacancy.objects.all()
