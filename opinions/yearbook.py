"""The public-opinion section of the yearly statistics (DOMAIN §8), from opinions.stats; in the
roll-up a piece forwarded within the city counts once."""

from django.utils.translation import gettext_lazy as _

from opinions.models import Category, SubmitterKind
from opinions.stats import opinion_figures, tree_figures
from yearbook.registry import ONCE, Breakdown, Figure, section

PIECES, PERCENT, ISSUES = _("篇"), "%", _("期")


@section(
    "opinions",
    title=_("社情民意信息"),
    order=60,
    figures=[
        Figure("received", _("收到信息"), PIECES, headline=True, total=ONCE),
        Figure("received_previous_year", _("上年收到"), PIECES, total=ONCE),
        Figure("received_change", _("同比增减"), PERCENT, total=ONCE),
        Figure("accepted", _("采用待编（含已编报）"), PIECES, total=ONCE),
        Figure("acceptance_rate", _("采用率"), PERCENT, total=ONCE),
        Figure("kept", _("存档备查"), PIECES, total=ONCE),
        Figure("reports_edited", _("编发期数"), ISSUES),
        Figure("reported", _("报送"), ISSUES),
        Figure("adopted_district", _("被区政协采用"), PIECES, total=ONCE),
        Figure("adopted_municipal", _("被市政协采用"), PIECES, headline=True, total=ONCE),
        Figure("adopted_national", _("被全国政协采用"), PIECES, headline=True, total=ONCE),
        Figure("instructed", _("获领导批示"), PIECES, headline=True, total=ONCE),
        Figure("districts_total", _("各区合计收到"), PIECES, total=None),
    ],
    breakdowns=[
        Breakdown("by_submitter_kind", _("按报送主体"), chart="pie", labels=SubmitterKind),
        Breakdown("by_sector", _("按界别"), chart="bar"),
        Breakdown("by_category", _("按类别"), chart="pie", labels=Category),
        Breakdown("top_members", _("委员报送排名"), chart="bar"),
        Breakdown("top_sectors", _("界别报送排名"), chart="bar"),
        Breakdown("districts_received", _("各区收到信息"), chart="bar"),
    ],
    pooled=tree_figures,
)
def opinions(committee, year: int) -> dict:
    return opinion_figures(committee, year)
