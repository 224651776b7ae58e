"""Public-opinion reminders (DOMAIN §9), to the receiving office: a piece unscreened for 5
working days, a report with no outcome recorded 30 days after it was sent. Thresholds:
settings.REMINDERS; each reminder once per object and threshold. And the events opinions.workflow
tells at once: a piece arriving in an office's queue, the screening result to its submitter."""

from datetime import timedelta

from django.conf import settings
from django.db.models import Exists, OuterRef
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from core.roles import Role
from notifications.recipients import role_holders
from notifications.registry import Due, event_kind, reminder_kind
from opinions.models import Outcome, Piece, PieceState, Report, ReportState
from proposals import deadlines


def _offices(committee_ids) -> dict[int, list[int]]:
    return role_holders(Role.OPINION_OFFICE, committee_ids)


def office_ids(committee_id: int) -> list[int]:
    return _offices([committee_id]).get(committee_id, [])


event_kind(
    "opinions.received",
    model=Piece,
    label=_("社情民意信息待筛选"),
    message=_("收到{source}报送的社情民意信息《{title}》，请筛选。"),
)
event_kind(
    "opinions.screened",
    model=Piece,
    label=_("社情民意信息筛选结果"),
    message=_("您报送的社情民意信息《{title}》：{decision}。{reason}"),
)


@reminder_kind(
    "opinions.unscreened",
    model=Piece,
    label=_("社情民意信息待筛选"),
    message=_("社情民意信息《{title}》已收到{days}个工作日，尚未筛选。"),
)
def unscreened(today):
    days = settings.REMINDERS["opinion_unscreened_working_days"]
    waiting_since = deadlines.subtract_working_days(today, days)
    rows = list(
        Piece.objects.filter(
            state=PieceState.SUBMITTED, submitted_at__date__lte=waiting_since
        ).values("pk", "committee", "title")
    )
    offices = _offices({row["committee"] for row in rows})
    for row in rows:
        yield Due(
            object_id=row["pk"],
            threshold=str(days),
            committee_id=row["committee"],
            recipients=offices.get(row["committee"], []),
            params={"title": row["title"], "days": days},
            url=reverse("admin:opinions_piece_change", args=[row["pk"]]),
        )


@reminder_kind(
    "opinions.no_outcome",
    model=Report,
    label=_("报送后未反馈采用情况"),
    message=_(
        "《社情民意》{year}年第{number}期《{title}》报送已满{days}天，尚未记录采用或批示情况。"
    ),
)
def no_outcome(today):
    days = settings.REMINDERS["opinion_no_outcome_days"]
    rows = list(
        Report.objects.filter(
            state=ReportState.REPORTED, reported_on__lte=today - timedelta(days=days)
        )
        .exclude(Exists(Outcome.objects.filter(report=OuterRef("pk"))))
        .values("pk", "committee", "title", "year", "number")
    )
    offices = _offices({row["committee"] for row in rows})
    for row in rows:
        yield Due(
            object_id=row["pk"],
            threshold=str(days),
            committee_id=row["committee"],
            recipients=offices.get(row["committee"], []),
            params={**row, "days": days},
            url=reverse("admin:opinions_report_change", args=[row["pk"]]),
        )
