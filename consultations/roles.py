"""Consultation permissions of each role."""

from core.roles import Role, grant, manage, view

MODELS = (
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
)

grant(Role.COMMITTEE_ADMIN, *view(*MODELS))
grant(
    Role.CONSULTATION_OFFICE,
    *manage(*MODELS),
    "consultations.delete_speech",
    "consultations.delete_invitation",
)
grant(
    Role.DISTRICT_OFFICE,
    *view(*MODELS),
    *manage(
        "consultations.plan",
        "consultations.topic",
        "consultations.meeting",
        "consultations.suggestion",
        "consultations.instruction",
    ),
)
