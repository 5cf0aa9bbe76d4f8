"""Who may do what: the one module that answers it (DESIGN.md section 3).

Views, templates (through the ``portal`` template tags) and tests ask
``can(user, CAPABILITY, obj)`` for one object and ``visible_to(user, queryset)``
for lists, dropdowns, counts, search and exports; nothing else looks at roles.
Roles are data: a user's role field and their organization's status and
co-chair flag.

This module knows roles and capabilities, not the apps above it. Each app
registers the rules of its own models from its ``AppConfig.ready()`` (its
``rules.py``) with :func:`register`:

- ``rules``: capability -> predicate ``(user, obj) -> bool`` for one object;
- ``visible``: ``(user, queryset) -> queryset``, the objects the user may know
  exist. ``can(user, VIEW, obj)`` answers the same question for one object.

An object of a type with no registered rule is refused, never shown, and a
queryset of such a model filters to nothing.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass, field
from enum import StrEnum

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import render


class Role(StrEnum):
    ANONYMOUS = "anonymous"
    OUTSIDER = "outsider"  # signed in, but not a member of an active organization
    MEMBER = "member"
    SECRETARIAT = "secretariat"
    COCHAIR = "cochair"


# Capabilities (DESIGN.md section 3)
VIEW = "object.view"  # obj: any registered object; may the user know it exists
VIEW_PORTAL = "portal.view"  # directory, meetings, briefings, documents for members
MANAGE_MEETINGS = "meetings.manage"  # schedule, edit, cancel, invite, attendance, minutes, action items
REPLY_MEETING = "meetings.reply"  # obj: meeting
CONTRIBUTE = "content.contribute"  # upload a document, present a briefing, register a project
CIRCULATE = "documents.circulate"
VIEW_DOCUMENT = "documents.view"  # obj: document (access level)
VIEW_RESTRICTED = "documents.view_restricted"  # documents restricted to co-chairs
MANAGE_INVITATIONS = "invitations.manage"  # invite organizations, resend, revoke
INVITE_COLLEAGUES = "invitations.invite_colleagues"  # obj: organization; a focal point's own
VIEW_DOWNLOADS = "documents.view_downloads"  # obj: document; who downloaded what
VIEW_MAILING = "mailings.view"  # obj: mailing (optional); delivery status
MANAGE_DIRECTORY = "directory.manage"  # add and edit organizations and people
EXPORT_DIRECTORY = "directory.export"
EDIT_CONTENT = "content.edit"  # obj: document or briefing; its author or a coordinator
VIEW_AUDIT = "audit.view"  # the audit trail: who changed what and when
GRANT_SECRETARIAT = "directory.grant_secretariat"  # give (or edit) the secretariat role

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


def is_signed_in(user) -> bool:
    return role_of(user) != Role.ANONYMOUS


# What each capability asks of the role alone, when no object is given.
ROLE_RULES: dict[str, Callable] = {
    VIEW_PORTAL: is_member,
    MANAGE_MEETINGS: is_coordinator,
    REPLY_MEETING: is_member,
    CONTRIBUTE: is_member,
    CIRCULATE: is_coordinator,
    VIEW_DOCUMENT: is_member,
    VIEW_RESTRICTED: is_coordinator,
    MANAGE_INVITATIONS: is_coordinator,
    INVITE_COLLEAGUES: lambda user: is_coordinator(user) or (is_member(user) and user.is_focal_point),
    VIEW_DOWNLOADS: is_coordinator,
    VIEW_MAILING: is_coordinator,
    MANAGE_DIRECTORY: is_coordinator,
    EXPORT_DIRECTORY: is_coordinator,
    EDIT_CONTENT: is_coordinator,
    VIEW_AUDIT: lambda user: role_of(user) == Role.SECRETARIAT,
    GRANT_SECRETARIAT: lambda user: role_of(user) == Role.SECRETARIAT,
}


@dataclass
class ModelRules:
    rules: dict[str, Callable] = field(default_factory=dict)
    visible: Callable | None = None


_registry: dict[type, ModelRules] = {}


def register(model: type, *, rules: dict[str, Callable] | None = None, visible: Callable | None = None) -> None:
    """Register the object rules and the visibility filter of ``model``.

    Called from an app's ``AppConfig.ready()`` through its ``rules.py``.
    ``rules`` maps capabilities to ``(user, obj) -> bool``; ``visible`` is
    ``(user, queryset) -> queryset``. Without an explicit ``VIEW`` rule, one
    object is visible when ``visible`` keeps it (one query).
    """
    entry = _registry.setdefault(model, ModelRules())
    entry.rules.update(rules or {})
    if visible is not None:
        entry.visible = visible


def _entry_for(model: type) -> ModelRules | None:
    for klass in model.__mro__:
        if klass in _registry:
            return _registry[klass]
    return None


def can(user, capability: str, obj=None) -> bool:
    """May ``user`` do ``capability`` (to ``obj``, when given)?

    Without an object the role decides. With one, the rule registered for the
    object's model decides; an unregistered type or capability is refused.
    """
    if obj is None:
        try:
            return bool(ROLE_RULES[capability](user))
        except KeyError:
            raise ValueError(f"Unknown capability {capability!r} without an object") from None
    entry = _entry_for(type(obj))
    if entry is None:
        return False
    rule = entry.rules.get(capability)
    if rule is not None:
        return bool(rule(user, obj))
    if capability == VIEW and entry.visible is not None:
        return visible_to(user, type(obj)._default_manager.filter(pk=obj.pk)).exists()
    return False


def visible_to(user, queryset):
    """The rows of ``queryset`` that ``user`` may know exist; none for an unregistered model."""
    entry = _entry_for(queryset.model)
    if entry is None or entry.visible is None:
        return queryset.none()
    return entry.visible(user, queryset)


def get_visible_or_404(user, queryset, **lookup):
    """One object the user may know exists, or 404 (never a 403 that confirms it exists)."""
    obj = visible_to(user, queryset).filter(**lookup).first()
    if obj is None:
        raise Http404("No such page")
    return obj


def deny(request):
    """The response for a page meant for another role: sign-in, 'not a member', or 403.

    An object the user may not know exists answers 404 instead (``get_visible_or_404``).
    """
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


def require_object(request, capability: str, obj):
    """Inside a view, for an object the user already may see: ``None`` if allowed,
    else the refusal response to return."""
    if can(request.user, capability, obj):
        return None
    return deny(request)
