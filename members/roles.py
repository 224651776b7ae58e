"""The organisation directory's and the members' permissions of each role."""

from core.roles import Role, grant, manage, view

DIRECTORY = view(
    "members.committee",
    "members.term",
    "members.plenarysession",
    "members.handlingunit",
    "members.sector",
    "members.party",
    "members.specialcommittee",
)
MEMBERS = view("members.person", "members.seat", "members.act", "members.actkind")

grant(
    Role.COMMITTEE_ADMIN,
    *DIRECTORY,
    *MEMBERS,
    "members.change_committee",
    "members.change_actkind",
    *manage(
        "members.term",
        "members.plenarysession",
        "members.handlingunit",
        "members.sector",
        "members.party",
        "members.specialcommittee",
        "members.user",
        "members.apitoken",
        "members.person",
        "members.seat",
        "members.visit",
    ),
    "auth.view_group",
)
grant(
    Role.PROPOSAL_OFFICE,
    *DIRECTORY,
    *MEMBERS,
    *manage("members.plenarysession", "members.handlingunit"),
)
for role in (Role.REVIEW_GROUP, Role.DIRECTORS_MEETING, Role.CHAIR_MEETING_MEMBER):
    grant(role, *DIRECTORY, *MEMBERS)
grant(Role.CONSULTATION_OFFICE, *DIRECTORY, *MEMBERS, *manage("members.specialcommittee"))
grant(Role.WORKSTATION_LIAISON, "members.view_committee")
grant(Role.DISTRICT_OFFICE, *DIRECTORY, *MEMBERS, *manage("members.handlingunit"))
