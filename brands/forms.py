"""Forms of the brands pages: the showcase's filters, the voter's identification, the expert's
score sheet."""

from django import forms
from django.utils.translation import gettext_lazy as _

from brands.models import Candidate, Series, Voter
from core.params import search_text
from members.models import Committee


class ShowcaseFilter(forms.Form):
    """The showcase's query string; a wrong value is a form error, never a 500."""

    q = forms.CharField(label=_("搜索"), required=False, max_length=100)
    series = forms.ModelChoiceField(
        label=_("系列"), queryset=Series.objects.none(), required=False, empty_label=_("全部系列")
    )
    committee = forms.ModelChoiceField(
        label=_("政协"),
        queryset=Committee.objects.none(),
        required=False,
        empty_label=_("全部政协"),
    )
    award = forms.ChoiceField(
        label=_("获评"),
        required=False,
        choices=[
            ("", _("全部")),
            (Candidate.Award.TOP, Candidate.Award.TOP.label),
            (Candidate.Award.EXCELLENT, Candidate.Award.EXCELLENT.label),
        ],
    )

    def __init__(self, *args, series, committees, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["series"].queryset = series
        self.fields["committee"].queryset = committees

    def clean_q(self):
        return search_text(self.cleaned_data["q"])


class IdentifyForm(forms.Form):
    channel = forms.ChoiceField(
        label=_("验证方式"),
        choices=[(Voter.PHONE, Voter.PHONE.label), (Voter.EMAIL, Voter.EMAIL.label)],
        widget=forms.RadioSelect,
        initial=Voter.PHONE,
    )
    address = forms.CharField(label=_("手机号或邮箱"), max_length=254)


class ConfirmForm(IdentifyForm):
    code = forms.RegexField(
        label=_("验证码"),
        regex=r"^\s*\d{6}\s*$",
        error_messages={"invalid": _("验证码为6位数字。")},
    )


class ScoreForm(forms.Form):
    """One decimal field per criterion of the round, 0 … its maximum."""

    def __init__(self, *args, criteria, initial_scores=None, **kwargs):
        super().__init__(*args, **kwargs)
        for criterion in criteria:
            self.fields[f"criterion_{criterion.pk}"] = forms.DecimalField(
                label=_("%(name)s（权重%(weight)d%%，满分%(max)d）")
                % {"name": criterion.name, "weight": criterion.weight, "max": criterion.max_score},
                min_value=0,
                max_value=criterion.max_score,
                decimal_places=1,
                max_digits=4,
                initial=(initial_scores or {}).get(criterion.pk),
            )

    def values(self) -> dict[int, object]:
        return {
            int(name.removeprefix("criterion_")): value for name, value in self.cleaned_data.items()
        }
