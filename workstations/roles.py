"""Workstation permissions of each role; a liaison's rights on a station come from being its
liaison (workstations.permissions), not from a model permission."""

from core.roles import Role, grant, manage, view

WORKSTATIONS = view(
    "workstations.street",
    "workstations.workstation",
    "workstations.placement",
    "workstations.activity",
    "workstations.assessment",
)

grant(
    Role.COMMITTEE_ADMIN,
    *WORKSTATIONS,
    *manage(
        "workstations.street",
        "workstations.workstation",
        "workstations.placement",
        "workstations.activity",
        "workstations.assessment",
    ),
    "workstations.delete_activity",
)
grant(Role.CONSULTATION_OFFICE, *WORKSTATIONS)
grant(
    Role.DISTRICT_OFFICE,
    *WORKSTATIONS,
    *manage("workstations.workstation", "workstations.placement", "workstations.activity"),
)
