"""The visibility report's parameters, as the page, the CSV and the API accept them."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from caseload import access
from caseload.models import Team
from caseload.selectors import teams_visible_to

from .engine import MEASURES, STRATIFIERS
from .labels import characteristic_label, measure_label


class VisibilityForm(forms.Form):
    depth = forms.IntegerField(
        label=gettext_lazy("Combine up to"),
        min_value=1,
        max_value=3,
        required=False,
        widget=forms.Select(
            choices=[
                (1, gettext_lazy("1 characteristic")),
                (2, gettext_lazy("2 characteristics")),
                (3, gettext_lazy("3 characteristics")),
            ]
        ),
    )
    measure = forms.MultipleChoiceField(
        label=gettext_lazy("Measures"),
        choices=[(key, key) for key in MEASURES],
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    stratify = forms.ChoiceField(
        label=gettext_lazy("Compare within"),
        choices=[("", gettext_lazy("no stratification"))] + [(key, key) for key in STRATIFIERS],
        required=False,
    )
    groups = forms.ChoiceField(
        label=gettext_lazy("Groups in the API answer"),
        choices=[("main", "main"), ("all", "all")],
        required=False,
        help_text=gettext_lazy(
            "main: flagged groups and groups of one characteristic; all: every group shown."
        ),
    )
    team = forms.ModelChoiceField(
        label=gettext_lazy("Team"),
        queryset=Team.objects.all(),
        to_field_name="code",
        required=False,
        empty_label=gettext_lazy("All teams"),
    )

    def __init__(self, data, *, user, api: bool = False, **kwargs):
        # What the report runs with when nothing is asked for, shown as such in the form.
        data = {"depth": "3", **data}
        data.setdefault("measure", list(MEASURES))
        super().__init__(data, **kwargs)
        self.fields["measure"].choices = [(key, measure_label(key)) for key in MEASURES]
        self.fields["stratify"].choices = [("", _("no stratification"))] + [
            (key, characteristic_label(key)) for key in STRATIFIERS
        ]
        if access.scope_of(user) is access.Scope.EVERYTHING:
            self.fields["team"].queryset = teams_visible_to(user)
        else:
            del self.fields["team"]
        if not api:
            del self.fields["groups"]

    def report_arguments(self) -> dict:
        data = self.cleaned_data
        return {
            "depth": data.get("depth") or 3,
            "measures": [key for key in MEASURES if key in (data.get("measure") or MEASURES)],
            "stratify_by": data.get("stratify") or None,
            "team": data.get("team"),
        }


def form_data(query) -> dict:
    """GET parameters, accepting `measure=a,b` as well as repeated `measure=` parameters."""
    data = {
        key: query.get(key)
        for key in ("depth", "stratify", "team", "groups")
        if query.get(key) not in (None, "")
    }
    measures = [
        part.strip()
        for value in query.getlist("measure")
        for part in value.split(",")
        if part.strip()
    ]
    if measures:
        data["measure"] = measures
    return data
