"""The public-opinion section of the yearly statistics (DOMAIN §8), from opinions.stats."""

from django.utils.translation import gettext_lazy as _

from opinions.models import Category, SubmitterKind
from opinions.stats import opinion_figures
from yearbook.registry import Breakdown, Figure, section

PIECES, PERCENT, ISSUES = _("篇"), "%", _("期")


@section(
    "opinions",
    title=_("社情民意信息"),
    order=60,
    figures=[
        Figure("received", _("收到信息"), PIECES, headline=True),
        Figure("received_previous_year", _("上年收到"), PIECES),
        Figure("received_change", _("同比增减"), PERCENT),
        Figure("accepted", _("采用待编（含已编报）"), PIECES),
        Figure("acceptance_rate", _("采用率"), PERCENT),
        Figure("kept", _("存档备查"), PIECES),
        Figure("reports_edited", _("编发期数"), ISSUES),
        Figure("reported", _("报送"), ISSUES),
        Figure("adopted_district", _("被区政协采用"), PIECES),
        Figure("adopted_municipal", _("被市政协采用"), PIECES, headline=True),
        Figure("adopted_national", _("被全国政协采用"), PIECES, headline=True),
        Figure("instructed", _("获领导批示"), PIECES, headline=True),
        Figure("districts_total", _("各区合计收到"), PIECES),
    ],
    breakdowns=[
        Breakdown("by_submitter_kind", _("按报送主体"), chart="pie", labels=SubmitterKind),
        Breakdown("by_sector", _("按界别"), chart="bar"),
        Breakdown("by_category", _("按类别"), chart="pie", labels=Category),
        Breakdown("top_members", _("委员报送排名"), chart="bar"),
        Breakdown("top_sectors", _("界别报送排名"), chart="bar"),
        Breakdown("districts_received", _("各区收到信息"), chart="bar"),
    ],
)
def opinions(committee, year: int) -> dict:
    return opinion_figures(committee, year)
