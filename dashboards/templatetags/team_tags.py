"""Rounding for the team dashboard: figures are exact Fractions until they are shown, and then in
the active language's number format (caseload_tags.number)."""

from django import template
from django.utils.html import format_html
from django.utils.translation import gettext as _

from caseload.templatetags.caseload_tags import number

register = template.Library()


def unknown():
    return format_html('<span class="unknown">{}</span>', _("n/a"))


@register.filter
def percent(value):
    """A share (0–1) as a whole percentage; none (no clients to divide by) as n/a."""
    if value is None:
        return unknown()
    return f"{number(float(value) * 100, 0)}%"


@register.filter
def hours(minutes):
    """Minutes (exact) as hours with one decimal."""
    if minutes is None:
        return unknown()
    return number(float(minutes) / 60, 1)


@register.filter
def decimal(value, places=1):
    return number(value, places)


@register.simple_tag
def figure_link(row, key):
    """A coach's (or the team's) count for a figure, linked to the client list behind it."""
    if key not in row.links:
        return row.counts[key]
    return format_html('<a href="{}">{}</a>', row.links[key], row.counts[key])
