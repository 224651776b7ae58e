"""Portal forms of proposals: the member's draft, co-signers, feedback; the unit's reply."""

from django import forms
from django.utils.translation import gettext_lazy as _

from core.once import OnceField
from members.models import Seat, SeatStatus
from proposals.models import Category, Feedback, HandlingConsultation, Proposal, Reply
from proposals.selectors import open_sessions


class DraftForm(forms.ModelForm):
    once = OnceField()

    class Meta:
        model = Proposal
        fields = [
            "session",
            "timing",
            "kind",
            "category",
            "title",
            "reason",
            "analysis",
            "suggestions",
            "research_basis",
            "disclose",
            "disclosure_note",
        ]
        widgets = {
            name: forms.Textarea(attrs={"rows": 4})
            for name in ("reason", "analysis", "suggestions", "research_basis")
        }

    def __init__(self, *args, committee, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["session"].queryset = open_sessions(
            committee, keep=self.instance.session_id if self.instance.pk else None
        )
        self.fields["category"].queryset = Category.objects.filter(
            committee=committee, is_active=True
        )
        self.fields["kind"].choices = [
            c for c in Proposal.Kind.choices if c[0] != Proposal.Kind.COLLECTIVE
        ]


class CosignerForm(forms.Form):
    seat = forms.ModelChoiceField(label=_("邀请附议委员"), queryset=Seat.objects.none())

    def __init__(self, *args, proposal, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["seat"].queryset = (
            Seat.objects.filter(committee=proposal.committee, status=SeatStatus.ACTIVE)
            .exclude(pk=proposal.lead_id)
            .select_related("person")
            .order_by("person__name")
        )


class FeedbackForm(forms.Form):
    rating = forms.ChoiceField(
        label=_("评价"), choices=Feedback.Rating.choices, widget=forms.RadioSelect
    )
    comment = forms.CharField(
        label=_("意见"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class ReplyForm(forms.ModelForm):
    class Meta:
        model = Reply
        fields = [
            "result",
            "text",
            "signatory",
            "replied_on",
            "publishable",
            "not_publishable_reason",
            "letter",
        ]
        widgets = {
            "replied_on": forms.DateInput(attrs={"type": "date"}),
            "text": forms.Textarea(attrs={"rows": 6}),
            "letter": forms.FileInput(attrs={"accept": ".pdf,.doc,.docx,.jpg,.jpeg,.png"}),
        }
        help_texts = {"letter": _("签发的答复函（PDF、Word 或图片，20 MB 以内）。")}


class ConsultationForm(forms.ModelForm):
    class Meta:
        model = HandlingConsultation
        fields = ["stage", "held_on", "form", "participants", "summary"]
        widgets = {
            "held_on": forms.DateInput(attrs={"type": "date"}),
            "summary": forms.Textarea(attrs={"rows": 3}),
        }


class OpinionForm(forms.Form):
    text = forms.CharField(label=_("会办意见"), widget=forms.Textarea(attrs={"rows": 4}))
    sent_on = forms.DateField(
        label=_("送主办单位日期"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("不填则为今天"),
    )


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("理由"), widget=forms.Textarea(attrs={"rows": 2}))
