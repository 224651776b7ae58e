"""The brands section of the yearly statistics (DOMAIN §7, §9): the rounds a committee organised
in the year — candidates per series, the experts' completion, voters and votes (accepted,
refused, invalidated), and the awards per series."""

from django.db.models import Count, Q
from django.utils.translation import gettext_lazy as _

from brands import tally
from brands.models import Candidate, Expert, Round, Vote
from yearbook.registry import Breakdown, Figure, section

PIECES, PEOPLE, PERCENT, VOTES = _("个"), _("人"), "%", _("票")


@section(
    "brands",
    title=_("工作品牌"),
    order=50,
    figures=[
        Figure("rounds", _("评选活动"), _("次")),
        Figure("candidates", _("参评品牌"), PIECES, headline=True),
        Figure("eligible", _("通过资格审核"), PIECES),
        Figure("experts", _("评审专家"), PEOPLE),
        Figure("experts_completion", _("专家完成评分率"), PERCENT),
        # one person may vote in the rounds of several levels: not added up
        Figure("voters", _("投票人数"), PEOPLE, headline=True, total=None),
        Figure("votes_accepted", _("有效投票"), VOTES, headline=True),
        Figure("votes_invalidated", _("作废投票"), VOTES),
        Figure("votes_refused", _("被拒投票"), VOTES),
        Figure("top", _("十大工作品牌"), PIECES),
        Figure("excellent", _("优秀工作品牌"), PIECES),
    ],
    breakdowns=[
        Breakdown("candidates_by_series", _("参评品牌（按系列）"), chart="bar"),
        Breakdown("top_by_series", _("十大工作品牌（按系列）"), chart="bar"),
        Breakdown("excellent_by_series", _("优秀工作品牌（按系列）"), chart="bar"),
    ],
)
def brands(committee, year: int) -> dict:
    rounds = list(Round.objects.filter(committee=committee, year=year))
    candidates = Candidate.objects.filter(round__in=rounds)
    counts = candidates.aggregate(
        candidates=Count("pk"),
        eligible=Count("pk", filter=Q(state=Candidate.State.ELIGIBLE)),
        top=Count("pk", filter=Q(award=Candidate.Award.TOP, round__state=Round.State.PUBLISHED)),
        excellent=Count(
            "pk", filter=Q(award=Candidate.Award.EXCELLENT, round__state=Round.State.PUBLISHED)
        ),
    )
    experts = Expert.objects.filter(round__in=rounds).aggregate(
        n=Count("pk"), done=Count("pk", filter=Q(completed_at__isnull=False))
    )
    votes = Vote.objects.filter(round__in=rounds).aggregate(
        accepted=Count("pk", filter=Q(invalidation=None)),
        invalidated=Count("pk", filter=Q(invalidation__isnull=False)),
        voters=Count("voter", distinct=True),
    )
    refused = 0
    for round_ in rounds:
        stored = (
            round_.refused_votes
            if round_.state in (Round.State.DELIBERATING, Round.State.PUBLISHED)
            else tally.refusals(round_.pk)
        )
        refused += sum(stored.values())

    def by_series(**filters) -> dict:
        rows = (
            candidates.filter(**filters)
            .values("brand__series__name")
            .annotate(n=Count("pk"))
            .order_by("brand__series__order")
        )
        return {row["brand__series__name"]: row["n"] for row in rows}

    published = {"round__state": Round.State.PUBLISHED}
    return {
        "rounds": len(rounds),
        **counts,
        "experts": experts["n"],
        "experts_completion": round(100 * experts["done"] / experts["n"], 1)
        if experts["n"]
        else None,
        "voters": votes["voters"],
        "votes_accepted": votes["accepted"],
        "votes_invalidated": votes["invalidated"],
        "votes_refused": refused,
        "candidates_by_series": by_series(),
        "top_by_series": by_series(award=Candidate.Award.TOP, **published),
        "excellent_by_series": by_series(award=Candidate.Award.EXCELLENT, **published),
    }
