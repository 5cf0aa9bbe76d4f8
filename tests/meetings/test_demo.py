import datetime

from django.core.management import call_command
from django.utils import timezone

from meetings.models import ActionItem, AgendaItem, Meeting, Rsvp
from notifications.models import Message


def _counts():
    return (Meeting.objects.count(), AgendaItem.objects.count(), Rsvp.objects.count(),
            Message.objects.count(), ActionItem.objects.count())


def test_seed_demo_is_idempotent_and_sends_nothing(db, mailoutbox):
    call_command("seed_demo", "--password", "demo-pass-2007")
    first = _counts()
    call_command("seed_demo", "--password", "demo-pass-2007")
    assert _counts() == first
    assert not mailoutbox
    assert Message.objects.exists() and not Message.objects.exclude(status="sent").exists()


def test_demo_meetings_match_the_record(db):
    call_command("seed_demo", "--password", "demo-pass-2007")
    first, second, third, recent, upcoming = Meeting.objects.order_by("number")
    assert timezone.localtime(first.start).date() == datetime.date(2006, 11, 9)
    assert "Ambassador" in first.venue and first.host.acronym == "U.S. Embassy"
    present = set(first.attending_organizations.values_list("name", flat=True))
    assert {"High Commission of Canada", "Embassy of the Arab Republic of Egypt"} <= present
    assert first.attending_organizations.filter(kind="mission", country__in=[
        "Germany", "Sweden", "Norway", "Denmark", "Finland", "Netherlands", "United Kingdom", "France", "Italy",
        "Belgium"]).count() == 10
    assert first.attending_organizations.filter(acronym__in=["USAID", "ABA"]).count() == 2
    assert timezone.localtime(third.start).date() < datetime.date(2007, 3, 1)
    titles = set(AgendaItem.objects.filter(meeting__in=[second, third]).values_list("title", flat=True))
    assert {"Interim TIP report on Kenya", "Status of the anti-TIP bill", "Study of child sex tourism on Kenya's coast",
            "Follow-up on the ECPAT industry code of conduct",
            "Pushing for police investigation of two TIP cases"} <= titles
    assert upcoming.status == "scheduled" and upcoming.start > timezone.now()
    assert upcoming.rsvps.filter(sent_at__isnull=False).count() == upcoming.rsvps.count() > 5


def test_demo_record_keeps_its_dates_and_the_present_is_counted_from_today(db):
    """The 2006-07 action items are closed with their dates; the open ones come
    from a meeting held a few weeks before the day of loading and fall due in the
    weeks after it, so that nothing reads "overdue since 2007"."""
    call_command("seed_demo", "--password", "demo-pass-2007")
    today = timezone.localdate()
    record = ActionItem.objects.filter(meeting__number__lte=3)
    assert record.count() == 6 and not record.exclude(status="done").exists()
    for item in record:
        assert timezone.localtime(item.updated_at).year in (2006, 2007)
    open_items = ActionItem.objects.filter(status="open")
    assert open_items.count() == 3 and not [item for item in open_items if item.is_overdue]
    assert all(today < item.due_on < today + datetime.timedelta(days=30) for item in open_items)
    recent = Meeting.objects.get(number=4)
    held_on = timezone.localtime(recent.start).date()
    assert recent.status == "held" and today - datetime.timedelta(days=60) < held_on < today
    assert recent.minutes_published_at <= timezone.now()
    assert {item.owner.name for item in open_items} >= {"Embassy of the Federal Republic of Germany",
                                                         "Save the Children Sweden"}
