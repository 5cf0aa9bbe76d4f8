"""Outbox messages of the coordination app: composed here, queued by the services."""

from __future__ import annotations

from django.conf import settings
from django.template.loader import render_to_string

from notifications.services import OutgoingEmail

from .models import Project, ProjectPair


def _absolute(path: str) -> str:
    return settings.SITE_URL.rstrip("/") + path


def _recipient(project: Project) -> tuple[str, str, int | None]:
    if project.contact_id:
        return project.contact.email, project.contact.get_full_name(), project.contact_id
    return project.contact_email, project.contact_name, None


def overlap_decision_email(pair: ProjectPair, project: Project) -> OutgoingEmail | None:
    """Tell ``project``'s contact what was decided about it and the other project of ``pair``."""
    email, name, user_id = _recipient(project)
    if not email:
        return None
    other = pair.other(project)
    context = {
        "pair": pair, "project": project, "other": other, "name": name,
        "project_url": _absolute(project.get_absolute_url()), "other_url": _absolute(other.get_absolute_url()),
    }
    return OutgoingEmail(
        to_email=email, to_name=name, user_id=user_id,
        subject=f"Possible duplicate decided: {pair.get_decision_display()} — {project.title}"[:255],
        text=render_to_string("coordination/email/overlap_decision.txt", context),
        html=render_to_string("coordination/email/overlap_decision.html", context),
    )


def stale_reminder_email(project: Project, *, months: int) -> OutgoingEmail | None:
    email, name, user_id = _recipient(project)
    if not email:
        return None
    context = {"project": project, "name": name, "months": months,
               "project_url": _absolute(project.get_absolute_url())}
    return OutgoingEmail(
        to_email=email, to_name=name, user_id=user_id,
        subject=f"Is this still current? {project.title}"[:255],
        text=render_to_string("coordination/email/stale_reminder.txt", context),
        html=render_to_string("coordination/email/stale_reminder.html", context),
        dedupe_key=f"coordination.stale:{project.pk}:{project.updated_at:%Y%m%d%H%M%S%f}",
    )
