"""Every write of the members app, by sub-domain: ``directory`` (organizations,
their status history, people), ``notes`` (members' notes on organizations) and
``invitations``. The names below are the app's service API; callers import
them from here."""

from .directory import (
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
    invitation_move_request,
    invitation_new_link_request,
    invitation_open,
    invitation_reminders_send_due,
    invitation_resend,
    invitation_revoke,
    invitations_remind,
    invitations_send,
    organization_invite,
)
from .notes import note_add, note_delete, note_edit, note_hide
from .profile import person_deactivate, person_leave, profile_update

__all__ = [
    "Contact",
    "InvitationUnusable",
    "invitation_accept",
    "invitation_decline",
    "invitation_move_request",
    "invitation_new_link_request",
    "invitation_open",
    "invitation_reminders_send_due",
    "invitation_resend",
    "invitation_revoke",
    "invitations_remind",
    "invitations_send",
    "note_add",
    "note_delete",
    "note_edit",
    "note_hide",
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
