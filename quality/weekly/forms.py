from django import forms
from django.utils.translation import gettext_lazy as _

from quality import rules

from . import services, weeks

EXPLAIN, RETURN, WITHDRAW = "explain", "return", "withdraw"


class FindingsField(forms.MultipleChoiceField):
    """Selected findings as "<client number>:<rule id>" values (any number, checked here)."""

    def valid_value(self, value):
        number, _sep, rule_id = str(value).rpartition(":")
        return bool(number) and rule_id in rules.RULES_BY_ID

    def clean(self, value):
        values = super().clean(value)
        return [tuple(item.rsplit(":", 1)) for item in values]


class FindingsActionForm(forms.Form):
    """One action on the findings selected on the list: explain them with one reason, return them
    to the coach with a note (quality officers), or withdraw their explanation (coaches)."""

    action = forms.ChoiceField(
        label=_("Action"),
        choices=[
            (EXPLAIN, _("Mark as explained")),
            (RETURN, _("Return to the coach")),
            (WITHDRAW, _("Withdraw the explanation")),
        ],
    )
    findings = FindingsField(
        label=_("Selected findings"),
        error_messages={"required": _("Select at least one finding.")},
    )
    reason = forms.CharField(
        label=_("Reason or note"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_(
            "Explaining: why the gap stays open, e.g. 'client refuses to give a CV' (the quality "
            "officer reads it). Returning: what the coach should do."
        ),
    )

    def __init__(self, *args, allowed: set[str], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["action"].choices = [
            choice for choice in self.fields["action"].choices if choice[0] in allowed
        ]


class WeekForm(forms.Form):
    week = forms.RegexField(
        label=_("ISO week"),
        regex=r"^\d{4}-W\d{2}$",
        required=False,
        help_text=_("Only this week's list is built; a past week is kept as it was built."),
        error_messages={"invalid": _("Enter an ISO week like 2026-W48.")},
    )

    def clean_week(self):
        value = self.cleaned_data["week"] or None
        try:
            weeks.normalise(value)
        except ValueError as exc:
            raise forms.ValidationError(_("Enter an ISO week like 2026-W48.")) from exc
        try:
            return services.check_buildable(value)
        except services.ClosedWeek as exc:
            raise forms.ValidationError(str(exc)) from exc
