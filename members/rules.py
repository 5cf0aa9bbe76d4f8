"""Access rules of the members app's objects (and the outbox's mailings,
which the notifications app below cannot judge), registered with
``members.permissions`` from ``MembersConfig.ready()``.

Notes on an organization are for members and never for the people of the
organization they are about; their author edits or deletes them, coordinators
hide them.
"""

from django.db.models import Q

from notifications.models import Mailing

from . import permissions as p
from .models import Invitation, Organization, OrganizationNote, User

# Capabilities of notes on organizations (objects only).
ADD_NOTE = "notes.add"  # obj: organization; any but one's own
EDIT_NOTE = "notes.edit"  # obj: note; its author
HIDE_NOTE = "notes.hide"  # obj: note; coordinators


def _visible_to_members(user, queryset):
    return queryset if p.is_member(user) else queryset.none()


def _invite_colleagues(user, organization) -> bool:
    if p.is_coordinator(user):
        return True
    return _is_own_focal_point(user, organization.pk)


def _is_own_focal_point(user, organization_id) -> bool:
    return p.is_member(user) and user.is_focal_point and organization_id == user.organization_id


def _invitations_visible(user, queryset):
    """Coordinators see every invitation; a focal point those of their own organization."""
    if p.is_coordinator(user):
        return queryset
    if p.is_member(user) and user.is_focal_point:
        return queryset.filter(organization_id=user.organization_id)
    return queryset.none()


def _view_invitation(user, invitation) -> bool:
    return p.is_coordinator(user) or _is_own_focal_point(user, invitation.organization_id)


def _handle_invitation(user, invitation) -> bool:
    """Resend or revoke: coordinators any invitation, a focal point their colleagues'."""
    if p.is_coordinator(user):
        return True
    return invitation.kind == Invitation.Kind.COLLEAGUE and _is_own_focal_point(user, invitation.organization_id)


def _mailings_visible(user, queryset):
    if p.is_coordinator(user):
        return queryset
    if p.is_member(user):
        return queryset.filter(created_by=user)
    return queryset.none()


def _view_mailing(user, mailing) -> bool:
    if p.is_coordinator(user):
        return True
    return p.is_member(user) and mailing.created_by_id == user.pk


def _edit_person(user, person) -> bool:
    """Coordinators edit the directory's people, except accounts that hold more than
    they do: staff and superusers only a superuser edits, and the secretariat's
    people only the secretariat (changing someone's email is taking their account)."""
    if not p.is_coordinator(user):
        return False
    if (person.is_staff or person.is_superuser) and not user.is_superuser:
        return False
    if person.role == User.Role.SECRETARIAT and not p.can(user, p.GRANT_SECRETARIAT):
        return False
    return True


def _about_own_organization(user, organization_id) -> bool:
    return bool(user.organization_id) and organization_id == user.organization_id


def notes_visible(user, queryset):
    """Members see notes, never those about their own organization (not even a
    coordinator: the people a note is about never read it); hidden notes only their
    author and the coordinators."""
    if not p.is_member(user):
        return queryset.none()
    if user.organization_id:
        queryset = queryset.exclude(organization_id=user.organization_id)
    if p.is_coordinator(user):
        return queryset
    return queryset.filter(Q(hidden_at__isnull=True) | Q(author=user))


def _view_note(user, note) -> bool:
    if not p.is_member(user) or _about_own_organization(user, note.organization_id):
        return False
    return note.hidden_at is None or p.is_coordinator(user) or note.author_id == user.pk


def _edit_note(user, note) -> bool:
    return _view_note(user, note) and note.author_id == user.pk


def _hide_note(user, note) -> bool:
    return _view_note(user, note) and p.is_coordinator(user)


def _add_note(user, organization) -> bool:
    """Members write notes on any organization but their own (they could never read them)."""
    return p.can(user, p.CONTRIBUTE) and not _about_own_organization(user, organization.pk)


def register() -> None:
    p.register(
        Organization,
        visible=_visible_to_members,
        rules={
            p.VIEW: lambda user, org: p.is_member(user),
            p.INVITE_COLLEAGUES: _invite_colleagues,
            p.MANAGE_DIRECTORY: lambda user, org: p.is_coordinator(user),
            ADD_NOTE: _add_note,
        },
    )
    p.register(
        User,
        visible=_visible_to_members,
        rules={
            p.VIEW: lambda user, person: p.is_member(user),
            p.MANAGE_DIRECTORY: _edit_person,
        },
    )
    p.register(
        Invitation,
        visible=_invitations_visible,
        rules={
            p.VIEW: _view_invitation,
            p.MANAGE_INVITATIONS: lambda user, invitation: p.is_coordinator(user),
            # On an invitation: may resend or revoke it.
            p.INVITE_COLLEAGUES: _handle_invitation,
        },
    )
    p.register(
        Mailing,
        visible=_mailings_visible,
        rules={p.VIEW: _view_mailing, p.VIEW_MAILING: _view_mailing},
    )
    p.register(
        OrganizationNote,
        visible=notes_visible,
        rules={p.VIEW: _view_note, EDIT_NOTE: _edit_note, HIDE_NOTE: _hide_note},
    )
