"""The consultations section of the yearly statistics (DOMAIN §4), from consultations.stats."""

from django.utils.translation import gettext_lazy as _

from consultations.models import MeetingKind
from consultations.stats import year_figures
from yearbook.registry import Breakdown, Figure, section


@section(
    "consultations",
    title=_("协商工作"),
    order=20,
    figures=[
        Figure("meetings", _("协商活动"), _("次"), headline=True),
        Figure("bimonthly_meetings", _("双月协商会"), _("次"), headline=True),
        Figure("research_visits", _("调研视察"), _("次"), headline=True),
        Figure("participants", _("参会人次"), _("人次")),
        Figure("speeches", _("发言"), _("篇")),
        Figure("suggestions", _("意见建议"), _("条"), headline=True),
        Figure("adopted", _("采纳"), _("条")),
        Figure("partly_adopted", _("部分采纳"), _("条")),
        Figure("adoption_rate", _("采纳率"), "%"),
        Figure("instructions", _("领导批示"), _("件")),
    ],
    breakdowns=[Breakdown("meetings_by_kind", _("按会议类型"), labels=MeetingKind)],
)
def consultations(committee, year: int) -> dict:
    figures = year_figures(committee, year)
    figures.pop("year")
    figures["bimonthly_meetings"] = figures["meetings_by_kind"][MeetingKind.BIMONTHLY]
    return figures
