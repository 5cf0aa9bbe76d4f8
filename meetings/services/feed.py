"""The calendar feed: a person's secret subscription address."""

from __future__ import annotations

from django.db import transaction

from members.models import User

from ..models import CalendarFeed


@transaction.atomic
def feed_create(*, user: User) -> CalendarFeed:
    """The person's calendar address, made on first request (a POST); the same one after."""
    feed, _ = CalendarFeed.objects.get_or_create(user=user)
    return feed


@transaction.atomic
def feed_rotate(*, user: User) -> CalendarFeed:
    """A new secret address; the old one stops working at once."""
    CalendarFeed.objects.filter(user=user).delete()
    return CalendarFeed.objects.create(user=user)
