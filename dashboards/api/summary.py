"""Summary API: the overview, monitoring and last-contact figures over the same client filters as /api/clients/."""

from django.http import QueryDict
from django.urls import reverse
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response
from rest_framework.views import APIView

from caseload import figures, legend
from caseload.api.strict import StrictQueryParameters
from caseload.filters import ClientFilterSet
from caseload.selectors import visible_clients
from dashboards.coach.contents import last_contact_table, monitoring_figures, overview_figures

# A listing parameter that is not a filter and so not part of the figures' base.
NOT_FILTERS = ("ordering",)


class FigureSerializer(serializers.Serializer):
    key = serializers.CharField(help_text="Figure key; also the legend key of its definition.")
    label = serializers.CharField()
    definition = serializers.CharField(help_text="The written definition from the legend.")
    section = serializers.CharField(help_text="overview, monitoring or last_contact")
    count = serializers.IntegerField(
        help_text="Number of clients; equals the length of `list_url`."
    )
    list_url = serializers.CharField(help_text="The client list this figure counts (HTML page).")
    api_url = serializers.CharField(help_text="The same list through the API.")


class SummarySerializer(serializers.Serializer):
    filters = serializers.DictField(help_text="The filters the figures were computed with.")
    figures = FigureSerializer(many=True)


class ClientSummaryView(StrictQueryParameters, APIView):
    """Overview, monitoring and last-contact figures of the visible clients.

    Accepts every filter of /api/clients/. Each figure's own filter is applied on top of them
    (replacing a filter of the same name), and its `list_url` / `api_url` carry exactly those
    parameters, so the count always equals the length of the list behind it.
    """

    filterset_class = ClientFilterSet  # its parameters are this operation's (caseload.api.strict)

    @extend_schema(responses=SummarySerializer)
    def get(self, request):
        base = QueryDict(mutable=True)
        for name, values in request.query_params.lists():
            if name not in NOT_FILTERS:
                base.setlist(name, values)
        filterset = ClientFilterSet(base, queryset=visible_clients(request.user))
        if not filterset.is_valid():
            raise ValidationError(filterset.errors)
        last_contact = last_contact_table()
        sections = {
            "overview": overview_figures(),
            "monitoring": monitoring_figures(base),
            "last_contact": [*last_contact.values, last_contact.unknown],
        }
        counts = figures.count(
            visible_clients(request.user),
            [shown for section in sections.values() for shown in section],
            base,
        )
        api_url = reverse("client-list")
        rows = [
            {
                "key": shown.key,
                "label": str(shown.label),
                "definition": str(legend.get(shown.definition).text),
                "section": name,
                "count": counts[shown.key],
                "list_url": shown.list_url(base),
                "api_url": f"{api_url}?{shown.query(base)}",
            }
            for name, section in sections.items()
            for shown in section
        ]
        return Response({"filters": {name: base.getlist(name) for name in base}, "figures": rows})
