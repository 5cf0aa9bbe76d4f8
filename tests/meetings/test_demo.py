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
    first, second, third, upcoming = Meeting.objects.order_by("number")
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
