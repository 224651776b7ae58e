"""Roles (DOMAIN §2) are auth groups named by their code; each role's model permissions are listed
here and synced onto its group after every migrate, so a new app adds its lines and migrates."""

from django.contrib.auth.models import Group, Permission
from django.db.models import Q
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
}

_VIEW_DIRECTORY = [
    "members.view_committee",
    "members.view_term",
    "members.view_plenarysession",
    "members.view_handlingunit",
    "members.view_sector",
    "members.view_party",
    "members.view_specialcommittee",
]


def _manage(*models: str) -> list[str]:
    return [
        f"{app}.{verb}_{model}"
        for app, model in (m.split(".") for m in models)
        for verb in ("view", "add", "change")
    ]


_VIEW_MEMBERS = [
    "members.view_person",
    "members.view_seat",
    "members.view_act",
    "members.view_actkind",
]
_VIEW_WORKSTATIONS = [
    "workstations.view_street",
    "workstations.view_workstation",
    "workstations.view_placement",
    "workstations.view_activity",
    "workstations.view_assessment",
]

_CONSULTATION_MODELS = [
    "consultations.plan",
    "consultations.topic",
    "consultations.meeting",
    "consultations.invitation",
    "consultations.researchvisit",
    "consultations.questionnaire",
    "consultations.speech",
    "consultations.question",
    "consultations.suggestion",
    "consultations.outcomereport",
    "consultations.instruction",
    "consultations.mediareport",
]
_VIEW_CONSULTATIONS = [f"{m.split('.')[0]}.view_{m.split('.')[1]}" for m in _CONSULTATION_MODELS]

_VIEW_PROPOSALS = [
    "proposals.view_proposal",
    "proposals.view_category",
    "proposals.view_assignment",
    "proposals.view_reply",
    "proposals.view_transition",
]
_STATISTICS = ["yearbook.view_snapshot"]
_REMINDERS = ["notifications.view_reminder", "notifications.view_notification"]
# Acts on proposals are decided by proposals.permissions (role and committee); these model
# permissions only open the admin's and the API's lists.
ROLE_PERMISSIONS: dict[str, list[str]] = {
    Role.MEMBER: [],
    Role.COMMITTEE_ADMIN: [
        *_VIEW_DIRECTORY,
        *_VIEW_MEMBERS,
        *_VIEW_WORKSTATIONS,
        "members.change_committee",
        "members.change_actkind",
        *_manage(
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
            "workstations.street",
            "workstations.workstation",
            "workstations.placement",
            "workstations.activity",
            "workstations.assessment",
        ),
        "workstations.delete_activity",
        *_VIEW_CONSULTATIONS,
        "auth.view_group",
        *_STATISTICS,
        *_REMINDERS,
    ],
    Role.PROPOSAL_OFFICE: [
        *_VIEW_DIRECTORY,
        *_VIEW_MEMBERS,
        *_VIEW_PROPOSALS,
        *_manage("members.plenarysession", "members.handlingunit", "proposals.category"),
        "proposals.change_proposal",
        *_STATISTICS,
        *_REMINDERS,
    ],
    Role.REVIEW_GROUP: [
        *_VIEW_DIRECTORY,
        *_VIEW_MEMBERS,
        *_VIEW_PROPOSALS,
        "proposals.change_proposal",
    ],
    Role.DIRECTORS_MEETING: [
        *_VIEW_DIRECTORY,
        *_VIEW_MEMBERS,
        *_VIEW_PROPOSALS,
        "proposals.change_proposal",
    ],
    Role.CHAIR_MEETING_MEMBER: [*_VIEW_DIRECTORY, *_VIEW_MEMBERS, *_VIEW_PROPOSALS, *_STATISTICS],
    Role.HANDLING_UNIT: [],
    Role.CONSULTATION_OFFICE: [
        *_VIEW_DIRECTORY,
        *_VIEW_MEMBERS,
        *_VIEW_WORKSTATIONS,
        *_manage("members.specialcommittee", *_CONSULTATION_MODELS),
        "consultations.delete_speech",
        "consultations.delete_invitation",
        *_STATISTICS,
        *_REMINDERS,
    ],
    # A liaison's rights on a station come from being its liaison (workstations.permissions).
    Role.WORKSTATION_LIAISON: ["members.view_committee"],
    Role.DISTRICT_OFFICE: [
        *_VIEW_DIRECTORY,
        *_VIEW_MEMBERS,
        *_VIEW_WORKSTATIONS,
        *_VIEW_CONSULTATIONS,
        *_VIEW_PROPOSALS,
        "proposals.add_proposal",
        "proposals.change_proposal",
        *_manage(
            "members.handlingunit",
            "workstations.workstation",
            "workstations.placement",
            "workstations.activity",
            "consultations.plan",
            "consultations.topic",
            "consultations.meeting",
            "consultations.suggestion",
            "consultations.instruction",
        ),
        *_STATISTICS,
    ],
}


def sync_role_groups(using: str = "default", **kwargs) -> None:
    """Create one group per role and give it exactly the permissions listed above that exist."""
    for code, names in ROLE_PERMISSIONS.items():
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
