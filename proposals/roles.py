"""Proposal permissions of each role. Acts on proposals are decided by proposals.permissions
(role and committee); these model permissions only open the admin's and the API's lists."""

from core.roles import Role, grant, manage, view

PROPOSALS = view(
    "proposals.proposal",
    "proposals.category",
    "proposals.assignment",
    "proposals.reply",
    "proposals.transition",
    "proposals.cosigner",
    "proposals.review",
    "proposals.supervision",
)

grant(
    Role.PROPOSAL_OFFICE,
    *PROPOSALS,
    *manage("proposals.category"),
    "proposals.change_proposal",
)
for role in (Role.REVIEW_GROUP, Role.DIRECTORS_MEETING):
    grant(role, *PROPOSALS, "proposals.change_proposal")
grant(Role.CHAIR_MEETING_MEMBER, *PROPOSALS)
grant(Role.DISTRICT_OFFICE, *PROPOSALS, "proposals.add_proposal", "proposals.change_proposal")
