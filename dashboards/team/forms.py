"""The reassignment form of the team manager dashboard."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from caseload.models import Client, Role, User

from .selectors import team_clients, team_coaches


class ReassignForm(forms.Form):
    from_coach = forms.ModelChoiceField(queryset=User.objects.none(), label=_("From coach"))
    to_coach = forms.ModelChoiceField(queryset=User.objects.none(), label=_("To coach"))
    clients = forms.ModelMultipleChoiceField(
        queryset=Client.objects.none(),
        label=_("Clients to move"),
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, user, team, **kwargs):
        super().__init__(*args, **kwargs)
        coaches = team_coaches(team)
        self.fields["from_coach"].queryset = coaches
        self.fields["to_coach"].queryset = coaches.filter(role=Role.WORK_COACH, is_active=True)
        from_id = self.data.get("from_coach") if self.is_bound else self.initial.get("from_coach")
        try:
            from_id = int(from_id)
        except (TypeError, ValueError):
            from_id = None
        # only the source coach's active clients can be chosen: nothing else is ever listed
        self.fields["clients"].queryset = (
            team_clients(user, team).active().filter(coach_id=from_id).order_by("client_number")
            if from_id
            else Client.objects.none()
        )
        self.fields["clients"].label_from_instance = lambda client: client.client_number
