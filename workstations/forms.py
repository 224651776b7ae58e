"""Portal forms of workstations."""

from django import forms
from django.utils.translation import gettext_lazy as _

from members.models import Seat
from workstations.models import Activity


class ActivityForm(forms.ModelForm):
    """An activity as a liaison records it; attendees are the station's current members."""

    attendees = forms.ModelMultipleChoiceField(
        label=_("参加委员"),
        queryset=Seat.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = Activity
        fields = ["kind", "held_on", "topic", "attendees", "public_participants", "outcomes"]
        widgets = {"held_on": forms.DateInput(attrs={"type": "date"})}

    def __init__(self, *args, workstation, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["attendees"].queryset = (
            Seat.objects.filter(
                placements__workstation=workstation, placements__left_on__isnull=True
            )
            .select_related("person", "committee")
            .order_by("person__name")
        )
        self.fields["attendees"].label_from_instance = lambda seat: (
            f"{seat.person.name}（{seat.committee.get_level_display()}）"
        )
