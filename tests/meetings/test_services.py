"""Scheduling, invitations, updates, cancellations, reminders, minutes and polls (tasks eager)."""

import datetime
from email.utils import parseaddr

import pytest
from django.utils import timezone

from meetings import services, tasks
from meetings.models import DatePoll, Meeting, Rsvp
from members.markup import markdown_to_html
from notifications.models import Message
from tests.meetings.factories import (
    AgendaItemFactory,
    MeetingFactory,
    RsvpFactory,
    in_days,
)
from tests.members.factories import OrganizationFactory, UserFactory

pytestmark = pytest.mark.django_db


def addresses(mails) -> list[str]:
    return sorted(parseaddr(m.to[0])[1] for m in mails)


@pytest.fixture
def group(member, cochair, secretariat, outsider, former_member):
    """Two more people at an active member and one at a withdrawn one."""
    colleague = UserFactory(email="colleague@germany.example", organization=member.organization)
    return {"member": member, "cochair": cochair, "colleague": colleague, "outsider": outsider,
            "former": former_member, "secretariat": secretariat}


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


def test_change_of_time_after_sending_asks_for_an_update(group, cochair):
    meeting = MeetingFactory()
    services.meeting_update(meeting=meeting, by=cochair, venue="Elsewhere")
    assert not meeting.update_pending  # nothing was sent yet
    services.rsvps_send(meeting=meeting, by=cochair)
    meeting.refresh_from_db()
    services.meeting_update(meeting=meeting, by=cochair, description="Only the text changed")
    assert not meeting.update_pending
    services.meeting_update(meeting=meeting, by=cochair, start=meeting.start + datetime.timedelta(hours=1),
                            end=meeting.end + datetime.timedelta(hours=1))
    assert Meeting.objects.get(pk=meeting.pk).update_pending
    mailing = services.update_send(meeting=meeting, by=cochair)
    meeting.refresh_from_db()
    assert meeting.sequence == 1 and not meeting.update_pending
    assert mailing.messages.count() == 4 and mailing.kind == "meeting_update"


def test_agenda_change_after_sending_asks_for_an_update(group, cochair):
    meeting = MeetingFactory()
    services.rsvps_send(meeting=meeting, by=cochair)
    services.agenda_item_add(meeting=Meeting.objects.get(pk=meeting.pk), title="New point")
    assert Meeting.objects.get(pk=meeting.pk).update_pending


def test_agenda_reorder_and_remove(cochair):
    meeting = MeetingFactory(status="draft")
    first = services.agenda_item_add(meeting=meeting, title="First")
    second = services.agenda_item_add(meeting=meeting, title="Second")
    third = services.agenda_item_add(meeting=meeting, title="Third")
    services.agenda_item_move(item=third, direction="up")
    assert [i.title for i in meeting.agenda_items.all()] == ["First", "Third", "Second"]
    services.agenda_item_move(item=first, direction="up")  # already first: nothing moves
    services.agenda_item_delete(item=first)
    assert [(i.title, i.order) for i in meeting.agenda_items.all()] == [("Third", 1), ("Second", 2)]
    assert second.pk in meeting.agenda_items.values_list("pk", flat=True)


def test_cancel_sends_to_everyone_invited(group, cochair, mailoutbox, django_capture_on_commit_callbacks):
    meeting = MeetingFactory()
    with django_capture_on_commit_callbacks(execute=True):
        services.rsvps_send(meeting=meeting, by=cochair)
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        mailing = services.meeting_cancel(meeting=meeting, by=cochair)
    meeting.refresh_from_db()
    assert meeting.status == "cancelled" and meeting.sequence == 1
    assert mailing.kind == "meeting_cancellation" and len(mailoutbox) == 4
    assert all(m.subject.startswith("Cancelled:") for m in mailoutbox)
    with pytest.raises(services.MeetingStateError):
        services.meeting_cancel(meeting=meeting, by=cochair)


def test_cancelling_a_draft_sends_nothing(cochair):
    meeting = MeetingFactory(status="draft")
    assert services.meeting_cancel(meeting=meeting, by=cochair) is None
    assert not Message.objects.exists()


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


def test_attendance_people_imply_their_organization(member, cochair):
    meeting = MeetingFactory(start=in_days(-3), end=in_days(-3, hour=12))
    unodc = OrganizationFactory(name="UNODC")
    services.attendance_record(meeting=meeting, organizations=[unodc], people=[member])
    assert set(meeting.attending_organizations.all()) == {unodc, member.organization}
    meeting.refresh_from_db()
    assert meeting.status == "held" and meeting.attendance_recorded_at


def test_minutes_are_sanitized_and_published_once(group, cochair, mailoutbox, django_capture_on_commit_callbacks):
    meeting = MeetingFactory()
    services.rsvps_send(meeting=meeting, by=cochair)
    mailoutbox.clear()
    with pytest.raises(services.MeetingStateError):
        services.minutes_publish(meeting=meeting, by=cochair)
    services.minutes_save(meeting=meeting, text="## Decisions\n\n- **IOM** reports<script>alert(1)</script>")
    html = markdown_to_html(meeting.minutes_markdown)
    assert "<strong>IOM</strong>" in html and "<script" not in html
    with django_capture_on_commit_callbacks(execute=True):
        mailing = services.minutes_publish(meeting=meeting, by=cochair)
    assert mailing.kind == "meeting_minutes" and len(mailoutbox) == 4
    assert "Decisions" in mailoutbox[0].body
    with django_capture_on_commit_callbacks(execute=True):
        assert services.minutes_publish(meeting=meeting, by=cochair) is None
    assert len(mailoutbox) == 4


def test_poll_to_meeting(member, cochair):
    start = in_days(20)
    slots = [(start, start + datetime.timedelta(hours=2)), (start + datetime.timedelta(days=1),
                                                            start + datetime.timedelta(days=1, hours=2))]
    poll = services.poll_create(by=cochair, title="Fourth meeting", slots=slots, venue="IOM")
    first, second = poll.slots.all()
    services.poll_answer(poll=poll, user=member, answers={first.pk: "no", second.pk: "yes", 999999: "yes"})
    services.poll_answer(poll=poll, user=member, answers={first.pk: "maybe"})
    assert {a.answer for a in first.answers.all()} == {"maybe"}
    MeetingFactory(number=7, status="held", start=in_days(-40), end=in_days(-40, 12))
    meeting = services.poll_schedule(poll=poll, slot=second, by=cochair)
    assert meeting.status == "scheduled" and meeting.number == 8 and meeting.start == second.start
    assert meeting.venue == "IOM"
    poll.refresh_from_db()
    assert poll.status == DatePoll.Status.CLOSED and poll.meeting == meeting
    with pytest.raises(services.MeetingStateError):
        services.poll_answer(poll=poll, user=member, answers={first.pk: "yes"})
    with pytest.raises(ValueError):
        services.poll_create(by=cochair, title="Too few", slots=slots[:1])


def test_feed_rotation_revokes_the_old_key(member):
    old = services.feed_create(user=member).key
    assert services.feed_create(user=member).key == old
    assert services.feed_rotate(user=member).key != old


def test_beat_schedule_names_the_reminder_task(settings):
    from wgportal.celery import app

    names = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    assert "meetings.tasks.reminders_send" in names
    assert "meetings.tasks.reminders_send" in app.tasks
