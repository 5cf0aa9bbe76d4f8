import datetime

import factory
from django.utils import timezone

from meetings.models import ActionItem, AgendaItem, Meeting, Rsvp


def in_days(days: int, hour: int = 10) -> datetime.datetime:
    return (timezone.localtime() + datetime.timedelta(days=days)).replace(hour=hour, minute=0, second=0, microsecond=0)


class MeetingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Meeting
        skip_postgeneration_save = True

    number = factory.Sequence(lambda n: n + 1)
    title = factory.Sequence(lambda n: f"Working group meeting {n + 1}")
    start = factory.LazyFunction(lambda: in_days(14))
    end = factory.LazyAttribute(lambda m: m.start + datetime.timedelta(hours=2))
    venue = "UNICEF Kenya Country Office, UN Gigiri complex"
    status = Meeting.Status.SCHEDULED


class AgendaItemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AgendaItem

    meeting = factory.SubFactory(MeetingFactory)
    order = factory.Sequence(lambda n: n + 1)
    title = factory.Sequence(lambda n: f"Agenda item {n + 1}")
    minutes = 20


class RsvpFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Rsvp

    meeting = factory.SubFactory(MeetingFactory)
    email = factory.Sequence(lambda n: f"invitee{n}@example.org")
    name = factory.Faker("name")
    sent_at = factory.LazyFunction(timezone.now)


class ActionItemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ActionItem

    meeting = factory.SubFactory(MeetingFactory)
    description = factory.Sequence(lambda n: f"Follow up on point {n + 1}")
    due_on = factory.LazyFunction(lambda: timezone.localdate() + datetime.timedelta(days=10))
