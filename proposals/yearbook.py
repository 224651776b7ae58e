"""The proposals section of the yearly statistics (DOMAIN §3.7), from proposals.stats."""

from django.utils.translation import gettext_lazy as _

from proposals.models import Feedback, Proposal, Reply
from proposals.stats import proposal_figures
from yearbook.registry import Breakdown, Figure, Rate, section

PIECES, PERCENT, UNITS = _("件"), "%", _("个")


@section(
    "proposals",
    title=_("提案工作"),
    order=10,
    figures=[
        Figure("submitted", _("提交提案"), PIECES, headline=True),
        Figure("filed", _("立案"), PIECES, headline=True),
        Figure(
            "filing_rate",
            _("立案率"),
            PERCENT,
            headline=True,
            total=Rate(("filed",), ("submitted",)),
        ),
        Figure("not_filed", _("不予立案"), PIECES),
        Figure("merged", _("并案"), PIECES),
        Figure("units_involved", _("承办单位"), UNITS),
        Figure("assignments_replied", _("已答复交办件"), PIECES),
        Figure("assignments_due", _("应答复交办件（已答复及逾期未答复）"), PIECES),
        Figure("replied_on_time", _("按期答复"), PIECES),
        Figure("overdue_assignments", _("逾期未答复交办件"), PIECES),
        Figure(
            "on_time_rate",
            _("按期答复率"),
            PERCENT,
            headline=True,
            total=Rate(("replied_on_time",), ("assignments_replied", "overdue_assignments")),
        ),
        Figure(
            "satisfaction_rate",
            _("满意率"),
            PERCENT,
            headline=True,
            total=Rate(("ratings.satisfied", "ratings.basic"), ("ratings",)),
        ),
        Figure("rehandled", _("重新办理"), PIECES),
        Figure("key", _("重点提案"), PIECES),
        Figure("excellent", _("优秀提案"), PIECES),
        Figure("overdue_now", _("当前逾期"), PIECES),
    ],
    breakdowns=[
        Breakdown("by_kind", _("按提案类型"), chart="pie", labels=Proposal.Kind),
        Breakdown("by_category", _("按类别"), chart="bar"),
        Breakdown("by_party", _("按党派"), chart="bar"),
        Breakdown("by_sector", _("按界别"), chart="bar"),
        Breakdown("not_filed_by_disposition", _("不予立案的处理"), labels=Proposal.Disposition),
        Breakdown("reply_mix", _("答复类别（A/B/C）"), chart="pie", labels=Reply.Result),
        Breakdown("ratings", _("提案者评价"), chart="pie", labels=Feedback.Rating),
    ],
)
def proposals(committee, year: int) -> dict:
    return proposal_figures(committee, year=year)
