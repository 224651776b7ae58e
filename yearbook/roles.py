"""Who reads the yearly statistics."""

from core.roles import Role, grant

for role in (
    Role.COMMITTEE_ADMIN,
    Role.PROPOSAL_OFFICE,
    Role.CHAIR_MEETING_MEMBER,
    Role.CONSULTATION_OFFICE,
    Role.DISTRICT_OFFICE,
):
    grant(role, "yearbook.view_snapshot")
