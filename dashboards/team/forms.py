"""The reassignment form of the team manager dashboard."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from caseload.filters import ClientFilterSet
from caseload.models import Client, Role, User

from .selectors import team_clients, team_coaches

# The client-list filters offered to narrow the source coach's clients (same FilterSet as /clients/).
CHOOSER_FILTERS = ("participation_step", "last_contact", "contact_overdue", "no_active_plan")


class ReassignForm(forms.Form):
    from_coach = forms.ModelChoiceField(queryset=User.objects.none(), label=_("From coach"))
    to_coach = forms.ModelChoiceField(queryset=User.objects.none(), label=_("To coach"))
    clients = forms.ModelMultipleChoiceField(
        queryset=Client.objects.none(),
        label=_("Clients to move"),
        widget=forms.CheckboxSelectMultiple,
    )
    confirm_warnings = forms.BooleanField(
        required=False, label=_("I have read the warnings and move the clients all the same.")
    )

    def __init__(self, *args, user, team, **kwargs):
        super().__init__(*args, **kwargs)
        coaches = team_coaches(team)
        self.fields["from_coach"].queryset = coaches
        self.from_id = self.source_id()
        # the destination is never the coach the clients are with
        self.fields["to_coach"].queryset = coaches.filter(
            role=Role.WORK_COACH, is_active=True
        ).exclude(pk=self.from_id)
        # only the source coach's active clients can be chosen: nothing else is ever listed
        self.source_clients = (
            team_clients(user, team).active().filter(coach_id=self.from_id)
            if self.from_id
            else Client.objects.none()
        )
        self.fields["clients"].queryset = self.source_clients.order_by("client_number")
        self.fields["clients"].label_from_instance = lambda client: client.client_number

    def source_id(self) -> int | None:
        value = self.data.get("from_coach") if self.is_bound else self.initial.get("from_coach")
        try:
            return int(value)
        except (TypeError, ValueError):
            return None


class ClientChooserFilterSet(ClientFilterSet):
    """The source coach's clients, narrowed and sorted with the client list's own filters."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in list(self.filters):
            if name not in (*CHOOSER_FILTERS, "ordering"):
                del self.filters[name]
