"""Thin Celery tasks of the coordination app."""

from celery import shared_task

from . import services


@shared_task
def stale_reminders_send() -> int:
    """Beat, daily: one reminder to the contact of each project gone stale."""
    return services.stale_reminders_send()
