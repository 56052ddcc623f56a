from django import forms
from django.utils.translation import gettext_lazy as _

from quality import rules

from . import weeks


class ExplainFindingForm(forms.Form):
    client_number = forms.CharField(label=_("Client number"), max_length=32)
    rule_id = forms.ChoiceField(label=_("Finding"), choices=rules.choices)
    reason = forms.CharField(
        label=_("Reason"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_(
            "Why this gap stays open, e.g. 'client refuses to give a CV'. The quality officer reads it."
        ),
    )


class WeekForm(forms.Form):
    week = forms.RegexField(
        label=_("ISO week"),
        regex=r"^\d{4}-W\d{2}$",
        required=False,
        help_text=_("For example 2026-W48. Empty: this week."),
        error_messages={"invalid": _("Enter an ISO week like 2026-W48.")},
    )

    def clean_week(self):
        value = self.cleaned_data["week"] or None
        try:
            week = weeks.normalise(value)
        except ValueError as exc:
            raise forms.ValidationError(_("Enter an ISO week like 2026-W48.")) from exc
        # Rules are evaluated on the week's Monday: a future week's list would be a guess.
        if weeks.monday_of(week) > weeks.monday_of(weeks.current_iso_week()):
            raise forms.ValidationError(
                _("%(week)s has not started yet: enter this week or an earlier one.")
                % {"week": week}
            )
        return week
