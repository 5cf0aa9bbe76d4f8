from django import template

from members import permissions

register = template.Library()


@register.filter
def can(user, capability):
    """``{% if user|can:"meetings.manage" %}`` for capabilities without an object."""
    return permissions.can(user, capability)


@register.simple_tag
def can_do(user, capability, obj=None):
    """``{% can_do user "documents.view_downloads" document as allowed %}``."""
    return permissions.can(user, capability, obj)
