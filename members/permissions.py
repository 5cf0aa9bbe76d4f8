"""Who may do what: the one module that answers it (DESIGN.md section 3).

Views, templates (through the ``portal`` template tags) and tests ask
``can(user, CAPABILITY, obj)``; nothing else looks at roles. Roles are data:
a user's role field and their organization's status and co-chair flag.

Object rules use only the object's own attributes and reverse relations, so
that this module never imports the apps above it:
- a meeting answers ``meeting.has_invitee(user)``;
- a document has ``access_level`` ("members" / "cochairs") and ``uploaded_by_id``;
- a mailing has ``created_by_id``.
"""

from __future__ import annotations

import functools
from enum import StrEnum

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.shortcuts import render


class Role(StrEnum):
    ANONYMOUS = "anonymous"
    OUTSIDER = "outsider"  # signed in, but not a member of an active organization
    MEMBER = "member"
    SECRETARIAT = "secretariat"
    COCHAIR = "cochair"


# Capabilities (DESIGN.md section 3)
VIEW_PORTAL = "portal.view"  # directory, meetings, briefings, documents for members
MANAGE_MEETINGS = "meetings.manage"  # schedule, edit, cancel, invite, attendance, minutes, action items
REPLY_MEETING = "meetings.reply"  # obj: meeting
CONTRIBUTE = "content.contribute"  # upload a document, present a briefing, register a project
CIRCULATE = "documents.circulate"
VIEW_DOCUMENT = "documents.view"  # obj: document (access level)
VIEW_RESTRICTED = "documents.view_restricted"  # documents restricted to co-chairs
MANAGE_INVITATIONS = "invitations.manage"  # invite organizations, resend, revoke
INVITE_COLLEAGUES = "invitations.invite_colleagues"  # focal point: colleagues of their own organization
VIEW_DOWNLOADS = "documents.view_downloads"  # obj: document; who downloaded what
VIEW_MAILING = "mailings.view"  # obj: mailing (optional); delivery status
MANAGE_DIRECTORY = "directory.manage"  # add and edit organizations and people
EXPORT_DIRECTORY = "directory.export"
EDIT_CONTENT = "content.edit"  # obj: document or briefing (uploaded_by_id / created_by_id); its author or a coordinator

COORDINATOR_ROLES = {Role.COCHAIR, Role.SECRETARIAT}
MEMBER_ROLES = {Role.MEMBER, *COORDINATOR_ROLES}


def role_of(user) -> Role:
    """The user's role, computed once per user object."""
    if user is None or not user.is_authenticated or not user.is_active:
        return Role.ANONYMOUS
    cached = getattr(user, "_portal_role", None)
    if cached is not None:
        return cached
    organization = user.organization if user.organization_id else None
    org_active = organization is not None and organization.status == organization.Status.ACTIVE
    if user.is_superuser or user.role == user.Role.SECRETARIAT:
        role = Role.SECRETARIAT
    elif org_active and organization.is_cochair:
        role = Role.COCHAIR
    elif org_active:
        role = Role.MEMBER
    else:
        role = Role.OUTSIDER
    user._portal_role = role
    return role


def is_member(user) -> bool:
    return role_of(user) in MEMBER_ROLES


def is_coordinator(user) -> bool:
    """Co-chairs and the secretariat: they run the group."""
    return role_of(user) in COORDINATOR_ROLES


def _reply_meeting(user, meeting) -> bool:
    if role_of(user) == Role.ANONYMOUS:
        return False
    if meeting is None:
        return is_member(user)
    has_invitee = getattr(meeting, "has_invitee", None)
    if is_member(user):
        return True
    return bool(has_invitee and has_invitee(user))


def _view_document(user, document) -> bool:
    if not is_member(user):
        return False
    if document is None:
        return True
    if getattr(document, "access_level", "members") == "cochairs":
        return is_coordinator(user)
    return True


def _view_downloads(user, document) -> bool:
    if is_coordinator(user):
        return True
    return is_member(user) and document is not None and document.uploaded_by_id == user.pk


def _view_mailing(user, mailing) -> bool:
    if is_coordinator(user):
        return True
    return is_member(user) and mailing is not None and mailing.created_by_id == user.pk


def _invite_colleagues(user, organization=None) -> bool:
    if is_coordinator(user):
        return True
    if not (is_member(user) and user.is_focal_point):
        return False
    return organization is None or organization.pk == user.organization_id


def _edit_content(user, obj) -> bool:
    if is_coordinator(user):
        return True
    if not is_member(user) or obj is None:
        return False
    author_id = getattr(obj, "uploaded_by_id", None) or getattr(obj, "created_by_id", None)
    return author_id is not None and author_id == user.pk


RULES = {
    VIEW_PORTAL: lambda user, obj: is_member(user),
    MANAGE_MEETINGS: lambda user, obj: is_coordinator(user),
    REPLY_MEETING: _reply_meeting,
    CONTRIBUTE: lambda user, obj: is_member(user),
    CIRCULATE: lambda user, obj: is_coordinator(user),
    VIEW_DOCUMENT: _view_document,
    VIEW_RESTRICTED: lambda user, obj: is_coordinator(user),
    MANAGE_INVITATIONS: lambda user, obj: is_coordinator(user),
    INVITE_COLLEAGUES: _invite_colleagues,
    VIEW_DOWNLOADS: _view_downloads,
    VIEW_MAILING: _view_mailing,
    MANAGE_DIRECTORY: lambda user, obj: is_coordinator(user),
    EXPORT_DIRECTORY: lambda user, obj: is_coordinator(user),
    EDIT_CONTENT: _edit_content,
}


def can(user, capability: str, obj=None) -> bool:
    """May ``user`` do ``capability`` (to ``obj``, where the rule looks at one)?"""
    try:
        rule = RULES[capability]
    except KeyError:
        raise ValueError(f"Unknown capability {capability!r}") from None
    return bool(rule(user, obj))


def deny(request):
    """The response for a request that may not proceed: sign-in, 'not a member', or 403."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    if not is_member(request.user):
        return render(request, "members/not_a_member.html", status=403)
    raise PermissionDenied


def require(capability: str):
    """View decorator: the request's user must have ``capability`` (no object)."""

    def decorator(view):
        @functools.wraps(view)
        def wrapped(request, *args, **kwargs):
            if not can(request.user, capability):
                return deny(request)
            return view(request, *args, **kwargs)

        return wrapped

    return decorator


class CapabilityRequiredMixin:
    """For class-based views: set ``capability``."""

    capability: str = VIEW_PORTAL

    def dispatch(self, request, *args, **kwargs):
        if not can(request.user, self.capability):
            return deny(request)
        return super().dispatch(request, *args, **kwargs)
