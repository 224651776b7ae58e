"""Brand reminders (DOMAIN §9): nomination closing (to the brand offices of the organising
committee and the committees below it), an expert's scoring due (to experts who have not
finished), and the voting round closing (to the organising office). And the events that
brands.workflow tells at once: scoring open (to the panel), the eligibility check (to the
nominating user)."""

from datetime import datetime, time, timedelta

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from brands.models import Candidate, Expert, Round
from core.roles import Role
from members.models import Committee
from notifications.recipients import role_holders
from notifications.registry import Due, event_kind, reminder_kind

event_kind(
    "brands.scoring_started",
    model=Expert,
    label=_("品牌专家评分开始"),
    message=_("“{round}”已开始专家评分，请您为入围品牌评分。"),
)
event_kind(
    "brands.eligibility_checked",
    model=Candidate,
    label=_("品牌资格审核结果"),
    message=_("“{round}”中申报的品牌“{brand}”资格审核：{result}。{reason}"),
)

NOMINATION_DAYS = (7, 1)
SCORING_DAYS = (3, 1)


def _threshold(days_left: int, thresholds) -> str | None:
    """The smallest threshold the days left have reached ("7", "1"), or None."""
    reached = [t for t in thresholds if days_left <= t]
    return str(min(reached)) if reached and days_left >= 0 else None


@reminder_kind(
    "brands.nomination_closing",
    model=Round,
    label=_("品牌申报即将截止"),
    message=_("“{round}”申报将于{date}截止，请及时申报本单位品牌。"),
)
def nomination_closing(today):
    rounds = Round.objects.filter(
        state=Round.State.NOMINATING,
        nomination_closes_on__gte=today,
        nomination_closes_on__lte=today + timedelta(days=max(NOMINATION_DAYS)),
    ).values("pk", "title", "committee", "nomination_closes_on")
    for row in rounds:
        threshold = _threshold((row["nomination_closes_on"] - today).days, NOMINATION_DAYS)
        committees = set(
            Committee.objects.filter(pk=row["committee"]).values_list("pk", flat=True)
        ) | set(Committee.objects.filter(parent=row["committee"]).values_list("pk", flat=True))
        offices = role_holders(Role.BRAND_OFFICE, committees)
        recipients = sorted({user for users in offices.values() for user in users})
        if threshold and recipients:
            yield Due(
                object_id=row["pk"],
                threshold=threshold,
                committee_id=row["committee"],
                recipients=recipients,
                params={"round": row["title"], "date": row["nomination_closes_on"].isoformat()},
                url=reverse("admin:brands_candidate_changelist"),
            )


@reminder_kind(
    "brands.scoring_due",
    model=Expert,
    label=_("专家评分即将截止"),
    message=_("“{round}”专家评分将于{date}截止，您尚未完成评分。"),
)
def scoring_due(today):
    experts = Expert.objects.filter(
        completed_at=None,
        user__is_active=True,
        round__state=Round.State.SCORING,
        round__scoring_closes_on__gte=today,
        round__scoring_closes_on__lte=today + timedelta(days=max(SCORING_DAYS)),
    ).values("pk", "user", "round__title", "round__committee", "round__scoring_closes_on")
    for row in experts:
        closes = row["round__scoring_closes_on"]
        threshold = _threshold((closes - today).days, SCORING_DAYS)
        if threshold:
            yield Due(
                object_id=row["pk"],
                threshold=threshold,
                committee_id=row["round__committee"],
                recipients=[row["user"]],
                params={"round": row["round__title"], "date": closes.isoformat()},
                url=reverse("brands:scoring"),
            )


@reminder_kind(
    "brands.voting_closing",
    model=Round,
    label=_("网络投票即将截止"),
    message=_("“{round}”网络投票将于{time}截止，届时请结束投票并进行综合评定。"),
)
def voting_closing(today):
    start = timezone.make_aware(datetime.combine(today, time.min))
    rounds = list(
        Round.objects.filter(
            state=Round.State.VOTING,
            voting_closes_at__gte=start,
            voting_closes_at__lt=start + timedelta(days=2),
        ).values("pk", "title", "committee", "voting_closes_at")
    )
    offices = role_holders(Role.BRAND_OFFICE, {row["committee"] for row in rounds})
    for row in rounds:
        if offices.get(row["committee"]):
            yield Due(
                object_id=row["pk"],
                threshold="1",
                committee_id=row["committee"],
                recipients=offices[row["committee"]],
                params={
                    "round": row["title"],
                    "time": timezone.localtime(row["voting_closes_at"]).strftime("%Y-%m-%d %H:%M"),
                },
                url=reverse("admin:brands_round_change", args=[row["pk"]]),
            )
