"""Template helpers: show unknowns as unknown, numbers by locale, link a figure to its definition."""

from decimal import ROUND_HALF_UP, Decimal

from django import template
from django.urls import reverse
from django.utils import formats
from django.utils.html import format_html
from django.utils.translation import gettext as _

from caseload import codes, legend

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


@register.filter
def number(value, places=0):
    """A number in the active language's format with `places` decimals ("1,5" in Dutch, "1.5" in
    English; thousands grouped). None stays None (for `shown`)."""
    if value is None or value == "":
        return value
    places = int(places)
    rounded = Decimal(str(float(value))).quantize(Decimal(1).scaleb(-places), ROUND_HALF_UP)
    return formats.number_format(rounded, places, use_l10n=True, force_grouping=True)


@register.filter
def service_track(code):
    """A service track code by its translated label (unknown codes as they are)."""
    return codes.service_track(code)


@register.filter
def workshop_theme(code):
    return codes.workshop_theme(code)


@register.filter
def contact_topics(topics):
    return codes.contact_topics(topics)


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


@register.inclusion_tag("caseload/_sort_header.html", takes_context=True)
def sort_header(context, field, label, definition=None, css=""):
    """A column header that sorts the list by `field` (an ordering value of the FilterSet): first
    ascending, then descending; `aria-sort` says the current order to screen readers."""
    query = context["request"].GET.copy()
    current = query.get("ordering", "")
    state = {field: "ascending", f"-{field}": "descending"}.get(current)
    query["ordering"] = f"-{field}" if state == "ascending" else field
    query.pop("page", None)
    return {
        "url": "?" + query.urlencode(),
        "label": label,
        "state": state,
        "css": css,
        "definition": definition_link(definition) if definition else "",
    }
