"""Saved views of the client list: a filter a user has named, private to its owner."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from caseload import access
from caseload.figures import client_list_url
from dashboards.models import SavedView

from . import services
from .forms import SavedViewForm


@require_POST
@access.require_page("saved_views")
def saved_view_save(request):
    form = SavedViewForm(request.POST)
    query = request.POST.get("query", "")
    if not form.is_valid():
        for field, errors in form.errors.items():
            label = form.fields[field].label if field in form.fields else field
            messages.error(request, f"{label}: {' '.join(errors)}")
        return redirect(client_list_url(query))
    view = services.save_view(request.user, form.cleaned_data["name"], form.cleaned_data["query"])
    messages.success(request, _("View “%(name)s” saved.") % {"name": view.name})
    return redirect(client_list_url(view.query))


@require_GET
@access.require_page("saved_views")
def saved_view_open(request, pk):
    view = get_object_or_404(SavedView.objects.owned_by(request.user), pk=pk)
    return redirect(client_list_url(view.query))


@require_POST
@access.require_page("saved_views")
def saved_view_delete(request, pk):
    view = get_object_or_404(SavedView.objects.owned_by(request.user), pk=pk)
    services.delete_view(view)
    messages.success(request, _("View “%(name)s” deleted.") % {"name": view.name})
    return redirect(client_list_url(request.POST.get("query", "")))
