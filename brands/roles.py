"""Brand permissions of each role. The acts themselves are decided in brands.workflow (role,
committee and the round's state); these model permissions open the admin's and the API's lists."""

from core.roles import Role, grant, manage, view

REGISTRY = ("brands.brand", "brands.keyfigure", "brands.milestone", "brands.image")
ROUNDS = ("brands.round", "brands.criterion", "brands.expert", "brands.candidate")

grant(
    Role.BRAND_OFFICE,
    *manage("brands.series", *REGISTRY, *ROUNDS, "brands.invalidation"),
    *view("brands.vote"),
)
grant(
    Role.DISTRICT_OFFICE,
    *manage(*REGISTRY, "brands.candidate"),
    *view("brands.series", "brands.round"),
)
grant(Role.COMMITTEE_ADMIN, *view("brands.series", *REGISTRY, *ROUNDS))
