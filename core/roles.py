"""Roles (DOMAIN §2) are auth groups named by their code. Each app grants its own model
permissions to roles in its `roles.py` (`grant(Role.X, "app.view_model", …)`); after every
migrate the groups are given exactly what the apps granted."""

from django.contrib.auth.models import Group, Permission
from django.db.models import Q
from django.utils.module_loading import autodiscover_modules
from django.utils.translation import gettext_lazy as _


class Role:
    """Role codes (group names) and their Chinese labels."""

    MEMBER = "member"
    COMMITTEE_ADMIN = "committee_admin"
    PROPOSAL_OFFICE = "proposal_office"
    REVIEW_GROUP = "review_group"
    DIRECTORS_MEETING = "directors_meeting"
    CHAIR_MEETING_MEMBER = "chair_meeting_member"
    HANDLING_UNIT = "handling_unit"
    CONSULTATION_OFFICE = "consultation_office"
    WORKSTATION_LIAISON = "workstation_liaison"
    DISTRICT_OFFICE = "district_office"
    BRAND_OFFICE = "brand_office"
    BRAND_EXPERT = "brand_expert"
    OPINION_OFFICE = "opinion_office"

    labels = {
        MEMBER: _("委员"),
        COMMITTEE_ADMIN: _("机关管理员"),
        PROPOSAL_OFFICE: _("提案委办公室"),
        REVIEW_GROUP: _("提案审查小组"),
        DIRECTORS_MEETING: _("提案委主任会议"),
        CHAIR_MEETING_MEMBER: _("主席会议成员"),
        HANDLING_UNIT: _("承办单位"),
        CONSULTATION_OFFICE: _("协商/专委会办公室"),
        WORKSTATION_LIAISON: _("工作站联络员"),
        DISTRICT_OFFICE: _("区政协办公室（API）"),
        BRAND_OFFICE: _("工作品牌办公室"),
        BRAND_EXPERT: _("品牌评审专家"),
        OPINION_OFFICE: _("社情民意信息办公室"),
    }
    choices = list(labels.items())

    @classmethod
    def label(cls, code: str) -> str:
        return str(cls.labels.get(code, code))


# Roles whose holders work in the Django admin (is_staff); the others use the portal or the API.
ADMIN_ROLES = {
    Role.COMMITTEE_ADMIN,
    Role.PROPOSAL_OFFICE,
    Role.REVIEW_GROUP,
    Role.DIRECTORS_MEETING,
    Role.CONSULTATION_OFFICE,
    Role.BRAND_OFFICE,
    Role.OPINION_OFFICE,
}

_GRANTS: dict[str, set[str]] = {code: set() for code in Role.labels}


def grant(role: str, *permissions: str) -> None:
    """Give `role` these permissions ("app_label.codename")."""
    _GRANTS[role].update(permissions)


def manage(*models: str) -> list[str]:
    """view, add and change permissions of "app_label.model" names."""
    return [
        f"{app}.{verb}_{model}"
        for app, model in (m.split(".") for m in models)
        for verb in ("view", "add", "change")
    ]


def view(*models: str) -> list[str]:
    return [f"{app}.view_{model}" for app, model in (m.split(".") for m in models)]


def granted() -> dict[str, set[str]]:
    """Every role's permissions, as the apps' roles modules grant them."""
    autodiscover_modules("roles")
    return _GRANTS


def sync_role_groups(using: str = "default", **kwargs) -> None:
    """Create one group per role and give it exactly the permissions the apps granted."""
    for code, names in granted().items():
        group, _created = Group.objects.using(using).get_or_create(name=code)
        wanted = Q(pk__in=[])
        for name in names:
            app_label, codename = name.split(".")
            wanted |= Q(content_type__app_label=app_label, codename=codename)
        group.permissions.set(Permission.objects.using(using).filter(wanted))


def has_role(user, role: str) -> bool:
    """Whether the user holds `role` (superusers hold every role)."""
    if not getattr(user, "is_authenticated", False):
        return False
    if user.is_superuser:
        return True
    cached = getattr(user, "_role_codes", None)
    if cached is None:
        cached = frozenset(user.groups.values_list("name", flat=True))
        user._role_codes = cached
    return role in cached


# Tombstones (/api/v1/deletions/) are read by whoever mirrors a committee's records: its staff
# and its district office's token.
for _role in (*ADMIN_ROLES, Role.CHAIR_MEETING_MEMBER, Role.DISTRICT_OFFICE):
    grant(_role, "core.view_deletion")
