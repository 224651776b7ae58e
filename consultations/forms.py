"""Portal forms of consultations."""

from django import forms
from django.utils.translation import gettext_lazy as _


class LeaveForm(forms.Form):
    reason = forms.CharField(
        label=_("请假事由"), widget=forms.Textarea(attrs={"rows": 3}), max_length=500
    )
