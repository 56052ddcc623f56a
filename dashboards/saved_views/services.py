"""Writes of the dashboards app."""

from django.http import QueryDict

from dashboards.models import SavedView

# Paging is not part of a view: a saved view always reopens on its first page.
NOT_SAVED_PARAMS = ("page",)


def clean_query(query: str) -> str:
    data = QueryDict(query, mutable=True)
    for name in NOT_SAVED_PARAMS:
        data.pop(name, None)
    return data.urlencode()


def save_view(owner, name: str, query: str) -> SavedView:
    """Save (or, under an existing name of the same owner, replace) a named client-list filter."""
    view, _created = SavedView.objects.update_or_create(
        owner=owner, name=name.strip(), defaults={"query": clean_query(query)}
    )
    return view


def delete_view(view: SavedView) -> None:
    view.delete()
