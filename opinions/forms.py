"""Portal form of public-opinion information: the member's draft."""

from django import forms

from opinions.models import Piece


class DraftForm(forms.ModelForm):
    class Meta:
        model = Piece
        fields = ["title", "category", "content"]
        widgets = {"content": forms.Textarea(attrs={"rows": 10})}
