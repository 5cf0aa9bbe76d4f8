"""What this app adds to pages it does not own: the dashboard, and the meeting and
organization pages (registered with their apps' hooks in ``apps.ready``)."""

from members import permissions

from .selectors import briefings as briefing_selectors
from .selectors import circulations as circulation_selectors
from .selectors import documents as document_selectors

ORGANIZATION_PANEL_LIMIT = 10


def dashboard_panels(user) -> list[dict]:
    """What this app shows on the dashboard for ``user``: dicts with a
    ``template`` key and that template's context; empty when there is nothing."""
    if not permissions.can(user, permissions.VIEW_PORTAL):
        return []
    panels = []
    latest = document_selectors.documents_latest(user)
    if latest:
        panels.append({"template": "briefings/panels/dashboard_documents.html", "documents": latest})
    circulated = circulation_selectors.circulations_to(user)
    if circulated:
        downloaded = circulation_selectors.documents_downloaded_by(
            user, [d.pk for c in circulated for d in c.documents.all()]
        )
        panels.append(
            {"template": "briefings/panels/dashboard_circulations.html", "circulations": circulated,
             "downloaded": downloaded}
        )
    return panels


def meeting_panel(request, meeting):
    """The briefings given at ``meeting`` and the documents shared there, as far as the user may see."""
    user = request.user
    if not permissions.can(user, permissions.VIEW_PORTAL):
        return None
    briefings = list(briefing_selectors.briefings_list(user, meeting=meeting))
    documents = list(document_selectors.documents_library(user, meeting=meeting, sort="title"))
    context = {
        "meeting": meeting, "briefings": briefings, "documents": documents,
        "can_contribute": permissions.can(user, permissions.CONTRIBUTE),
    }
    return "briefings/panels/meeting.html", context


def organization_panel(request, organization):
    """Documents published by ``organization`` and briefings it gave."""
    user = request.user
    if not permissions.can(user, permissions.VIEW_PORTAL):
        return None
    limit = ORGANIZATION_PANEL_LIMIT
    briefings = list(briefing_selectors.briefings_list(user, presenter=organization)[:limit])
    rows = document_selectors.documents_library(user, source=organization)
    documents = list(rows[:limit])
    if not briefings and not documents:
        return None
    context = {
        "organization": organization, "briefings": briefings, "documents": documents,
        "documents_total": rows.count() if len(documents) == limit else len(documents),
    }
    return "briefings/panels/organization.html", context
