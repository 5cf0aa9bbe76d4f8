"""Celery tasks of the meetings app: thin wrappers around services."""

from celery import shared_task

from . import services


@shared_task
def reminders_send() -> int:
    """Beat task (every five minutes): queue the reminders of meetings starting within
    MEETING_REMINDER_HOURS. Running it twice queues nothing more."""
    return services.reminders_send()


@shared_task
def action_item_reminders_send() -> int:
    """Beat task (hourly): remind owner organizations of open action items due soon
    (ACTION_ITEM_REMINDER_DAYS) and overdue; each reminder goes once."""
    return services.action_item_reminders_send()
