"""Access rules of the members app's objects (and the outbox's mailings,
which the notifications app below cannot judge), registered with
``members.permissions`` from ``MembersConfig.ready()``."""

from notifications.models import Mailing

from . import permissions as p
from .models import Invitation, Organization, User


def _visible_to_members(user, queryset):
    return queryset if p.is_member(user) else queryset.none()


def _visible_to_coordinators(user, queryset):
    return queryset if p.is_coordinator(user) else queryset.none()


def _invite_colleagues(user, organization) -> bool:
    if p.is_coordinator(user):
        return True
    return p.is_member(user) and user.is_focal_point and organization.pk == user.organization_id


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


def register() -> None:
    p.register(
        Organization,
        visible=_visible_to_members,
        rules={
            p.VIEW: lambda user, org: p.is_member(user),
            p.INVITE_COLLEAGUES: _invite_colleagues,
            p.MANAGE_DIRECTORY: lambda user, org: p.is_coordinator(user),
        },
    )
    p.register(
        User,
        visible=_visible_to_members,
        rules={
            p.VIEW: lambda user, person: p.is_member(user),
            p.MANAGE_DIRECTORY: lambda user, person: p.is_coordinator(user),
        },
    )
    p.register(
        Invitation,
        visible=_visible_to_coordinators,
        rules={
            p.VIEW: lambda user, invitation: p.is_coordinator(user),
            p.MANAGE_INVITATIONS: lambda user, invitation: p.is_coordinator(user),
        },
    )
    p.register(
        Mailing,
        visible=_mailings_visible,
        rules={p.VIEW: _view_mailing, p.VIEW_MAILING: _view_mailing},
    )
