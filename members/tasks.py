"""Celery tasks of the members app: thin wrappers around services."""

from celery import shared_task

from . import services


@shared_task(name="members.tasks.invitation_reminders_send")
def invitation_reminders_send() -> int:
    """Beat task (settings.CELERY_BEAT_SCHEDULE "invitation-reminders"): one
    automatic reminder per pending invitation per link period. Safe to run
    twice at once: each reminder carries a dedupe key."""
    return services.invitation_reminders_send_due()
