"""Who reads the reminders issued to their committee in the admin."""

from core.roles import Role, grant, view

for role in (Role.COMMITTEE_ADMIN, Role.PROPOSAL_OFFICE, Role.CONSULTATION_OFFICE):
    grant(role, *view("notifications.reminder", "notifications.notification"))
