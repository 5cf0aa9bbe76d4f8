from django.conf import settings

from . import permissions


def portal(request):
    """What every page's frame needs: the group's name and the user's role."""
    user = getattr(request, "user", None)
    role = permissions.role_of(user)
    return {
        "portal_name": settings.PORTAL_NAME,
        "portal_role": role.value,
        "portal_is_member": role in permissions.MEMBER_ROLES,
        "portal_is_coordinator": role in permissions.COORDINATOR_ROLES,
    }
