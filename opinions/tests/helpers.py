"""Drive a piece or a report through the workflow to a given state (for tests)."""

from opinions import workflow

TEXT = (
    "近期多位社区居民反映，徐汇区部分老旧小区加装电梯后，后续维修保养费用分摊缺乏统一规则，"
    "业主之间矛盾较多，部分电梯因费用无着落停运。建议区房管局出台维保费用分摊指引，"
    "引导业主委员会建立电梯维修资金，并探索由街道牵头的统一维保采购机制。"
)


def draft(committee, member, *, title="关于加装电梯后维保费用分摊的建议", content=TEXT, **extra):
    user, seat = member
    return workflow.create_draft(
        committee=committee, seat=seat, by=user, title=title, content=content, **extra
    )


def submitted(committee, member, **kwargs):
    piece = draft(committee, member, **kwargs)
    return workflow.submit(piece, by=member[0])


def accepted(committee, member, office, **kwargs):
    piece = submitted(committee, member, **kwargs)
    return workflow.screen(piece, decision="accept", by=office)


def issued(committee, member, office, **kwargs):
    piece = accepted(committee, member, office, **kwargs)
    report = workflow.combine([piece], by=office)
    return workflow.issue(report, by=office)


def reported(committee, member, office, targets=("upper",), **kwargs):
    report = issued(committee, member, office, **kwargs)
    workflow.deliver(report, targets=list(targets), by=office)
    report.refresh_from_db()
    return report
