"""The columns of the proposals' exports — the admin's Excel action and the API's xlsx / CSV
(`/api/v1/exports/…`): proposals, assignments and replies, one row each, Chinese headings."""

from django.utils import timezone

from proposals.selectors import with_overdue

PROPOSAL_SHEET, ASSIGNMENT_SHEET, REPLY_SHEET = "提案", "交办", "答复"
PROPOSAL_HEADINGS = [
    "编号",
    "案号",
    "案由",
    "提案人",
    "类型",
    "类别",
    "状态",
    "承办单位",
    "重点",
    "优秀",
    "逾期",
    "提交时间",
    "立案时间",
    "更新时间",
]


def _time(moment):
    return timezone.localtime(moment).replace(tzinfo=None) if moment else None


def _yes(flag) -> str:
    return "是" if flag else ""


def proposal_rows(proposals):
    """`proposals` as the API lists them (proposals_for), the overdue flag annotated here: the
    list marks only its page's rows (selectors.mark_overdue)."""
    if "overdue" not in proposals.query.annotations:
        proposals = with_overdue(proposals)
    proposals = proposals.select_related("category", "lead__person").prefetch_related(
        "assignments__unit"
    )
    for p in proposals.iterator(chunk_size=500):
        yield [
            p.pk,
            p.number,
            p.title,
            p.lead.person.name if p.lead_id else p.body_name,
            p.get_kind_display(),
            p.category.name,
            p.get_state_display(),
            "、".join(a.unit.name for a in p.assignments.all()),
            _yes(p.is_key),
            _yes(p.is_excellent),
            _yes(p.overdue),
            _time(p.submitted_at),
            _time(p.filed_at),
            _time(p.updated_at),
        ]


ASSIGNMENT_HEADINGS = [
    "编号",
    "提案编号",
    "案号",
    "案由",
    "承办单位",
    "办理方式",
    "状态",
    "交办日期",
    "签收期限",
    "办理期限",
    "答复日期",
    "更新时间",
]


def assignment_rows(assignments):
    assignments = assignments.select_related("proposal", "unit")
    for a in assignments.iterator(chunk_size=500):
        yield [
            a.pk,
            a.proposal_id,
            a.proposal.number,
            a.proposal.title,
            a.unit.name,
            a.get_role_display(),
            a.get_status_display(),
            a.assigned_on,
            a.acknowledge_by,
            a.due_on,
            a.replied_on,
            _time(a.updated_at),
        ]


REPLY_HEADINGS = [
    "编号",
    "提案编号",
    "案号",
    "案由",
    "承办单位",
    "答复类别",
    "签发人",
    "答复日期",
    "可公开",
    "重新办理答复",
    "评价",
    "答复内容",
    "更新时间",
]


def reply_rows(replies):
    replies = replies.select_related("assignment__proposal", "assignment__unit", "feedback")
    for r in replies.iterator(chunk_size=500):
        feedback = getattr(r, "feedback", None)
        yield [
            r.pk,
            r.assignment.proposal_id,
            r.assignment.proposal.number,
            r.assignment.proposal.title,
            r.assignment.unit.name,
            r.result,
            r.signatory,
            r.replied_on,
            _yes(r.publishable),
            _yes(r.is_rehandling),
            feedback.get_rating_display() if feedback else "",
            r.text,
            _time(r.updated_at),
        ]
