"""Every write of the members app, by sub-domain: ``directory`` (organizations,
their status history, people, notes) and ``invitations``. The names below are
the app's service API; callers import them from here."""

from .directory import (
    note_add,
    organization_create,
    organization_status_set,
    organization_update,
    person_create,
    person_update,
)
from .invitations import (
    Contact,
    InvitationUnusable,
    invitation_accept,
    invitation_decline,
    invitation_new_link_request,
    invitation_open,
    invitation_reminders_send_due,
    invitation_resend,
    invitation_revoke,
    invitations_remind,
    invitations_send,
    organization_invite,
)
from .profile import person_deactivate, person_leave, profile_update

__all__ = [
    "Contact",
    "InvitationUnusable",
    "invitation_accept",
    "invitation_decline",
    "invitation_new_link_request",
    "invitation_open",
    "invitation_reminders_send_due",
    "invitation_resend",
    "invitation_revoke",
    "invitations_remind",
    "invitations_send",
    "note_add",
    "organization_create",
    "organization_invite",
    "organization_status_set",
    "organization_update",
    "person_create",
    "person_deactivate",
    "person_leave",
    "person_update",
    "profile_update",
]
