"""The coach's form on the client page: available hours a week (matching's hours knock-out)."""

from django import forms

from caseload.models import Client


class AvailabilityForm(forms.ModelForm):
    """Parses the hours; the range (1–60) comes from the model field's validators."""

    class Meta:
        model = Client
        fields = ["available_hours_per_week"]
