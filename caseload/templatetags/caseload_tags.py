"""Template helpers: show unknowns as unknown, link a figure to its definition."""

from django import template
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext as _

from caseload import legend

register = template.Library()


@register.filter
def shown(value):
    """None is 'not registered' (never 'no'); booleans are yes/no; lists are joined."""
    if value is None or value == "":
        return format_html('<span class="unknown">{}</span>', _("not registered"))
    if value is True:
        return _("yes")
    if value is False:
        return _("no")
    if isinstance(value, list | tuple):
        return ", ".join(str(item) for item in value) if value else _("none")
    return value


@register.simple_tag
def definition_link(key):
    """A small link from a figure or column to its written definition in the legend."""
    entry = legend.get(key)
    return format_html(
        '<a class="definition" href="{}#{}" title="{}" aria-label="{}">?</a>',
        reverse("caseload:legend"),
        entry.anchor,
        entry.text,
        _("Definition of %(label)s") % {"label": entry.label},
    )


@register.simple_tag
def legend_label(key):
    return legend.get(key).label


@register.simple_tag(takes_context=True)
def url_with(context, **changes):
    """The current query string with some parameters replaced (for sorting and paging links)."""
    query = context["request"].GET.copy()
    for name, value in changes.items():
        if value is None:
            query.pop(name, None)
        else:
            query[name] = value
    return "?" + query.urlencode()
