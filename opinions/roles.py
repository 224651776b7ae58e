"""Public-opinion permissions of each role. Acts are decided by opinions.permissions (role and
committee); these model permissions only open the admin's and the API's lists."""

from core.roles import Role, grant, view

OPINIONS = view(
    "opinions.piece",
    "opinions.report",
    "opinions.outcome",
    "opinions.delivery",
    "opinions.step",
)

# The API's POST acts ask for add_<model>: the offices enter pieces and make reports.
for role in (Role.OPINION_OFFICE, Role.DISTRICT_OFFICE):
    grant(
        role,
        *OPINIONS,
        "opinions.add_piece",
        "opinions.change_piece",
        "opinions.add_report",
        "opinions.change_report",
    )
