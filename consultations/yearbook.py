"""The consultations section of the yearly statistics (DOMAIN §4), from consultations.stats: a
joint meeting or research visit (联动) counts for each organiser, once in a city's total."""

from django.utils.translation import gettext_lazy as _

from consultations.models import MeetingKind
from consultations.stats import tree_figures, year_figures
from yearbook.registry import ONCE, Breakdown, Figure, section


@section(
    "consultations",
    title=_("协商工作"),
    order=20,
    figures=[
        Figure("meetings", _("协商活动"), _("次"), headline=True, total=ONCE),
        Figure("bimonthly_meetings", _("双月协商会"), _("次"), headline=True, total=ONCE),
        Figure("research_visits", _("调研视察"), _("次"), headline=True, total=ONCE),
        Figure("joint_meetings", _("联动协商"), _("次"), total=ONCE),
        Figure("joint_research_visits", _("联动调研"), _("次"), total=ONCE),
        Figure("participants", _("参会人次"), _("人次"), total=ONCE),
        Figure("speeches", _("发言"), _("篇"), total=ONCE),
        Figure("suggestions", _("意见建议"), _("条"), headline=True, total=ONCE),
        Figure("adopted", _("采纳"), _("条"), total=ONCE),
        Figure("partly_adopted", _("部分采纳"), _("条"), total=ONCE),
        Figure("adoption_rate", _("采纳率"), "%", total=ONCE),
        Figure("instructions", _("领导批示"), _("件"), total=ONCE),
    ],
    breakdowns=[Breakdown("meetings_by_kind", _("按会议类型"), labels=MeetingKind)],
    pooled=lambda committee_ids, year: _laid_out(tree_figures(committee_ids, year)),
)
def consultations(committee, year: int) -> dict:
    return _laid_out(year_figures(committee, year))


def _laid_out(figures: dict) -> dict:
    figures.pop("year")
    figures["bimonthly_meetings"] = figures["meetings_by_kind"][MeetingKind.BIMONTHLY]
    return figures
