"""The members' performance section of the yearly statistics (DOMAIN §6): acts of the year
by kind and staff visits, counted in the database."""

from django.db.models import Count, Sum
from django.utils.translation import gettext_lazy as _

from members.models import Act
from members.reports import visit_figures
from yearbook.registry import Breakdown, Figure, Rate, section


@section(
    "performance",
    title=_("委员履职"),
    order=40,
    figures=[
        Figure("active_members", _("在职委员"), _("人")),
        Figure("acting_members", _("有履职记录的委员"), _("人"), headline=True),
        Figure("acts", _("履职事项"), _("次")),
        Figure("points", _("履职得分合计"), _("分")),
        Figure("members_visited", _("走访委员"), _("人")),
        Figure(
            "coverage",
            _("走访覆盖率"),
            "%",
            total=Rate(("members_visited",), ("active_members",)),
        ),
        Figure("enterprises_visited", _("走访委员企业"), _("家")),
    ],
    breakdowns=[Breakdown("acts_by_kind", _("按履职事项"))],
)
def performance(committee, year: int) -> dict:
    acts = Act.objects.filter(seat__committee=committee, occurred_on__year=year)
    totals = acts.aggregate(
        acts=Count("pk"), points=Sum("kind__points"), acting_members=Count("seat", distinct=True)
    )
    by_kind = acts.order_by().values_list("kind__name").annotate(n=Count("pk"))
    visits = visit_figures(committee, year)
    return {
        "active_members": visits["active_members"],
        "acting_members": totals["acting_members"],
        "acts": totals["acts"],
        "points": float(totals["points"] or 0),
        "acts_by_kind": dict(by_kind),
        "members_visited": visits["members_visited"],
        "coverage": visits["coverage"],
        "enterprises_visited": visits["enterprises_visited"],
    }
