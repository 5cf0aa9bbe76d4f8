"""What this app adds to the pages of the apps below it (registered in ``apps.ready``)."""

from members import permissions

from . import selectors


def meeting_panel(request, meeting):
    """The briefings given at ``meeting`` and the documents shared there, as far as the user may see."""
    if not permissions.can(request.user, permissions.VIEW_PORTAL):
        return None
    context = selectors.meeting_panel(request.user, meeting) or {"meeting": meeting, "briefings": [], "documents": []}
    context["can_contribute"] = permissions.can(request.user, permissions.CONTRIBUTE)
    return "briefings/panels/meeting.html", context


def organization_panel(request, organization):
    """Documents published by ``organization`` and briefings it gave."""
    if not permissions.can(request.user, permissions.VIEW_PORTAL):
        return None
    context = selectors.organization_panel(request.user, organization)
    if context is None:
        return None
    return "briefings/panels/organization.html", context
