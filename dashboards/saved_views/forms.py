from django import forms
from django.utils.translation import gettext_lazy as _


class SavedViewForm(forms.Form):
    name = forms.CharField(label=_("Name of this view"), max_length=100, strip=True)
    query = forms.CharField(required=False, widget=forms.HiddenInput, max_length=4000)
