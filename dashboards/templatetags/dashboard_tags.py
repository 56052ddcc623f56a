"""The saved-views panel of the client list (the list lives in caseload; the views here)."""

from django import template

from dashboards.models import SavedView
from dashboards.saved_views.forms import SavedViewForm

register = template.Library()


@register.inclusion_tag("dashboards/_saved_views.html", takes_context=True)
def saved_views_panel(context, query: str):
    request = context["request"]
    return {
        "saved_views": list(SavedView.objects.owned_by(request.user)),
        "form": SavedViewForm(initial={"query": query}),
        "query": query,
        "csrf_token": context.get("csrf_token"),
    }
