"""meetings.services.rsvp: invitations, reminders and replies (tasks eager)."""

import datetime

import pytest
from django.utils import timezone

from meetings import services, tasks
from meetings.models import Rsvp
from notifications.models import Message
from tests.meetings.factories import (
    AgendaItemFactory,
    MeetingFactory,
    RsvpFactory,
    in_days,
)
from tests.meetings.services.conftest import addresses
from tests.members.factories import OrganizationFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_invitations_go_to_people_of_active_member_organizations(group, cochair, mailoutbox,
                                                                 django_capture_on_commit_callbacks):
    meeting = MeetingFactory(venue="Children's Fund & partners, Gigiri")
    AgendaItemFactory(meeting=meeting, title="Status of the anti-TIP bill")
    with django_capture_on_commit_callbacks(execute=True):
        mailing = services.rsvps_send(meeting=meeting, by=cochair)
    recipients = addresses(mailoutbox)
    # People of active member organizations and the secretariat; not the invited or withdrawn organizations.
    assert recipients == ["cochair@unicef.example", "colleague@germany.example", "member@germany.example",
                          "secretariat@wgportal.example"]
    assert mailing.subject_ref == f"meetings.meeting:{meeting.pk}"
    assert Message.objects.filter(mailing=mailing, status="sent").count() == 4
    email = next(m for m in mailoutbox if "member@germany.example" in m.to[0])
    assert "Status of the anti-TIP bill" in email.body
    assert "Where: Children's Fund & partners, Gigiri" in email.body  # plain text is not HTML-escaped
    assert "/reply/" in email.body and "response=accepted" in email.body
    html = email.alternatives[0].content
    assert "Status of the anti-TIP bill" in html and "Children&#x27;s Fund &amp; partners" in html
    assert meeting.rsvps.filter(sent_at__isnull=False).count() == 4


def test_second_send_only_reaches_new_recipients(group, cochair, mailoutbox, django_capture_on_commit_callbacks):
    meeting = MeetingFactory()
    with django_capture_on_commit_callbacks(execute=True):
        services.rsvps_send(meeting=meeting, by=cochair)
    assert len(mailoutbox) == 4
    with django_capture_on_commit_callbacks(execute=True):
        assert services.rsvps_send(meeting=meeting, by=cochair) is None
    assert len(mailoutbox) == 4
    UserFactory(email="newcomer@germany.example", organization=group["member"].organization)
    with django_capture_on_commit_callbacks(execute=True):
        mailing = services.rsvps_send(meeting=meeting, by=cochair)
    assert addresses(mailoutbox[4:]) == ["newcomer@germany.example"]
    assert mailing.messages.count() == 1


def test_chosen_organizations_and_extra_addresses(group, cochair):
    ngo = OrganizationFactory(name="Save the Children Sweden", kind="ngo")
    UserFactory(email="ingrid@savethechildren.example", organization=ngo)
    meeting = MeetingFactory(audience_all=False, extra_addresses="guest@solwodi.example\nMEMBER@germany.example")
    meeting.audience_organizations.set([ngo])
    services.rsvps_send(meeting=meeting, by=cochair)
    invited = set(meeting.rsvps.values_list("email", flat=True))
    assert invited == {"ingrid@savethechildren.example", "guest@solwodi.example", "member@germany.example"}
    assert meeting.rsvps.get(email="member@germany.example").user == group["member"]


@pytest.mark.parametrize("status", ["draft", "cancelled"])
def test_only_scheduled_meetings_are_sent(group, cochair, status):
    meeting = MeetingFactory(status=status)
    with pytest.raises(services.MeetingStateError):
        services.rsvps_send(meeting=meeting, by=cochair)
    assert not Message.objects.exists()


def test_past_meeting_sends_nothing(group, cochair):
    meeting = MeetingFactory(start=in_days(-30), end=in_days(-30, hour=12))
    with pytest.raises(services.MeetingStateError, match="over"):
        services.rsvps_send(meeting=meeting, by=cochair)
    assert not Message.objects.exists() and not meeting.rsvps.exists()


def test_reminders_sent_exactly_once_when_beat_runs_twice(group, cochair, mailoutbox,
                                                          django_capture_on_commit_callbacks):
    soon = timezone.now() + datetime.timedelta(hours=5)
    meeting = MeetingFactory(start=soon, end=soon + datetime.timedelta(hours=2))
    later = MeetingFactory(start=timezone.now() + datetime.timedelta(days=5),
                           end=timezone.now() + datetime.timedelta(days=5, hours=2))
    services.rsvps_send(meeting=meeting, by=cochair)
    services.rsvps_send(meeting=later, by=cochair)
    meeting.rsvps.filter(email="colleague@germany.example").update(response="declined")
    meeting.rsvps.filter(email="member@germany.example").update(response="accepted")
    meeting.rsvps.filter(email="secretariat@wgportal.example").update(response="tentative")
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        assert tasks.reminders_send.delay().get() == 2
    with django_capture_on_commit_callbacks(execute=True):
        assert tasks.reminders_send.delay().get() == 0
    # Those who accepted or have not replied; not who declined or answered tentatively.
    assert addresses(mailoutbox) == ["cochair@unicef.example", "member@germany.example"]
    assert all(m.subject.startswith("Reminder:") for m in mailoutbox)
    assert Message.objects.filter(kind="meeting_reminder").count() == 2


def test_reply_set_and_change_of_mind(member):
    invitation = RsvpFactory(email=member.email, user=member)
    services.reply_set(rsvp=invitation, response="declined")
    services.reply_set(rsvp=invitation, response="accepted")
    assert Rsvp.objects.get(pk=invitation.pk).response == "accepted"
    with pytest.raises(ValueError):
        services.reply_set(rsvp=invitation, response="maybe")


def test_member_not_on_the_list_can_still_reply(member):
    meeting = MeetingFactory()
    invitation = services.reply_set_for_user(meeting=meeting, user=member, response="tentative")
    assert invitation.user == member and invitation.organization == member.organization
    assert meeting.has_invitee(member)


def test_has_invitee_by_account_or_address(former_member, outsider):
    meeting = MeetingFactory()
    RsvpFactory(meeting=meeting, email=former_member.email.upper())
    assert meeting.has_invitee(former_member)
    assert not meeting.has_invitee(outsider)


def test_beat_schedule_names_the_reminder_task(settings):
    from wgportal.celery import app

    names = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    assert "meetings.tasks.reminders_send" in names
    assert "meetings.tasks.reminders_send" in app.tasks


def test_reply_to_a_draft_is_refused(member):
    rsvp = RsvpFactory(meeting=MeetingFactory(status="draft"), email=member.email, user=member)
    with pytest.raises(services.MeetingStateError, match="not announced"):
        services.reply_set(rsvp=rsvp, response="accepted")
    assert Rsvp.objects.get(pk=rsvp.pk).response == "none"


def test_reply_carries_a_comment_and_a_substitute(member):
    rsvp = RsvpFactory(email=member.email, user=member)
    services.reply_set(rsvp=rsvp, response="declined", comment="  On mission that week  ",
                       substitute="Anna Becker")
    rsvp.refresh_from_db()
    assert (rsvp.comment, rsvp.substitute) == ("On mission that week", "Anna Becker")
    services.reply_set(rsvp=rsvp, response="declined")  # a bare reply keeps them
    rsvp.refresh_from_db()
    assert rsvp.substitute == "Anna Becker"
    services.reply_set(rsvp=rsvp, response="accepted", comment="", substitute="")
    rsvp.refresh_from_db()
    assert (rsvp.response, rsvp.comment, rsvp.substitute) == ("accepted", "", "")


def test_coordinator_reminds_those_without_a_reply_or_tentative_once_a_day(group, cochair, mailoutbox,
                                                                          django_capture_on_commit_callbacks):
    meeting = MeetingFactory()
    services.rsvps_send(meeting=meeting, by=cochair)
    meeting.rsvps.filter(email="member@germany.example").update(response="tentative")
    meeting.rsvps.filter(email="colleague@germany.example").update(response="accepted")
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.reminders_nudge(meeting=meeting, to="tentative", by=cochair)
    assert addresses(mailoutbox) == ["member@germany.example"]
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.reminders_nudge(meeting=meeting, to="none", by=cochair)
        services.reminders_nudge(meeting=meeting, to="none", by=cochair)  # a second click the same day
    assert addresses(mailoutbox) == ["cochair@unicef.example", "secretariat@wgportal.example"]
    with pytest.raises(ValueError):
        services.reminders_nudge(meeting=meeting, to="declined", by=cochair)


def test_coordinator_reminders_refused_for_a_cancelled_or_unsent_meeting(group, cochair):
    unsent = MeetingFactory()
    with pytest.raises(services.MeetingStateError):
        services.reminders_nudge(meeting=unsent, to="none", by=cochair)
    cancelled = MeetingFactory()
    services.rsvps_send(meeting=cancelled, by=cochair)
    services.meeting_cancel(meeting=cancelled, by=cochair)
    with pytest.raises(services.MeetingStateError):
        services.reminders_nudge(meeting=cancelled, to="none", by=cochair)


def test_beat_schedule_names_the_action_item_reminder_task(settings):
    from wgportal.celery import app

    names = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    assert "meetings.tasks.action_item_reminders_send" in names
    assert "meetings.tasks.action_item_reminders_send" in app.tasks
