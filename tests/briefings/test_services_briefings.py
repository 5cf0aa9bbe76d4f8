"""The briefings service: agenda items, the documents an editor cannot see, summaries."""

import pytest
from django.core.exceptions import ValidationError

from briefings.models import Briefing
from briefings.services import briefings as briefing_services
from meetings.models import Meeting
from tests.briefings.factories import DocumentFactory
from tests.meetings.factories import AgendaItemFactory, MeetingFactory


def test_update_keeps_the_documents_the_editor_cannot_see(member, cochair):
    public, other, restricted = DocumentFactory(), DocumentFactory(), DocumentFactory(access_level="cochairs")
    briefing = briefing_services.briefing_create(by=cochair, title="Mixed", documents=[public, restricted])
    briefing_services.briefing_update(briefing=briefing, by=member, title="Renamed", documents=[other])
    briefing.refresh_from_db()
    assert briefing.title == "Renamed" and set(briefing.documents.all()) == {other, restricted}


def test_a_coordinator_may_remove_a_cochairs_only_document(cochair):
    public, restricted = DocumentFactory(), DocumentFactory(access_level="cochairs")
    briefing = briefing_services.briefing_create(by=cochair, title="Mixed", documents=[public, restricted])
    briefing_services.briefing_update(briefing=briefing, by=cochair, title="Mixed", documents=[public])
    assert list(briefing.documents.all()) == [public]


def test_the_service_refuses_an_agenda_item_of_another_meeting(member):
    item = AgendaItemFactory()
    other = MeetingFactory()
    with pytest.raises(ValidationError) as refused:
        briefing_services.briefing_create(by=member, title="Wrong", meeting=other, agenda_item=item)
    assert refused.value.message_dict == {"agenda_item": ["The agenda item must belong to the chosen meeting."]}
    assert not Briefing.objects.exists()


def test_the_service_refuses_a_second_briefing_on_one_agenda_item(member):
    item = AgendaItemFactory()
    first = briefing_services.briefing_create(by=member, title="First", agenda_item=item)
    with pytest.raises(ValidationError, match="already has a briefing"):
        briefing_services.briefing_create(by=member, title="Second", agenda_item=item)
    # Saving the first one again is not a second briefing.
    briefing_services.briefing_update(briefing=first, by=member, title="First, renamed", agenda_item=item)


def test_an_agenda_item_alone_sets_the_meeting_and_its_date(member):
    meeting = MeetingFactory(status=Meeting.Status.HELD)
    item = AgendaItemFactory(meeting=meeting)
    briefing = briefing_services.briefing_create(by=member, title="On the item", agenda_item=item)
    assert briefing.meeting == meeting
    assert briefing.given_on is not None


def test_the_summary_is_rendered_with_the_portals_markdown_policy(member):
    briefing = briefing_services.briefing_create(
        by=member, title="x", summary="**bold** <img src=x onerror=alert(1)> [a](javascript:alert(2))"
    )
    assert "<strong>bold</strong>" in briefing.summary_html
    assert "<img" not in briefing.summary_html and "javascript:" not in briefing.summary_html


def test_an_editor_who_may_not_see_the_draft_meeting_leaves_it_attached(member):
    draft = MeetingFactory(status=Meeting.Status.DRAFT)
    item = AgendaItemFactory(meeting=draft)
    briefing = briefing_services.briefing_create(by=member, title="Early", meeting=draft, agenda_item=item)
    # The member's form never offered the draft, so it sends no meeting.
    briefing_services.briefing_update(briefing=briefing, by=member, title="Renamed", meeting=None, agenda_item=None)
    briefing.refresh_from_db()
    assert briefing.title == "Renamed" and briefing.meeting == draft and briefing.agenda_item == item
