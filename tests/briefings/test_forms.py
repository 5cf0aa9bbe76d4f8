"""Forms of the briefings pages: dropdowns list only what the user may see."""

import pytest
from django.urls import reverse

from briefings.forms import BriefingForm, DocumentMetadataForm, DocumentUploadForm
from briefings.models import Briefing
from meetings.models import Meeting
from tests.meetings.factories import AgendaItemFactory, MeetingFactory


@pytest.fixture
def meetings(db):
    scheduled = MeetingFactory(title="Fourth meeting", status=Meeting.Status.SCHEDULED)
    draft = MeetingFactory(title="Draft of the fifth meeting", status=Meeting.Status.DRAFT)
    return {
        "scheduled": scheduled, "draft": draft,
        "scheduled_item": AgendaItemFactory(meeting=scheduled, title="Tour de table"),
        "draft_item": AgendaItemFactory(meeting=draft, title="Secret item of the draft"),
    }


@pytest.mark.parametrize("form_class", [BriefingForm, DocumentMetadataForm, DocumentUploadForm])
def test_a_member_is_not_offered_draft_meetings(member, meetings, form_class):
    form = form_class(user=member)
    assert list(form.fields["meeting"].queryset) == [meetings["scheduled"]]


def test_a_member_is_not_offered_the_agenda_items_of_a_draft(member, meetings):
    form = BriefingForm(user=member)
    assert list(form.fields["agenda_item"].queryset) == [meetings["scheduled_item"]]


def test_coordinators_are_offered_drafts_too(cochair, meetings):
    form = BriefingForm(user=cochair)
    assert set(form.fields["meeting"].queryset) == {meetings["scheduled"], meetings["draft"]}
    assert set(form.fields["agenda_item"].queryset) == {meetings["scheduled_item"], meetings["draft_item"]}


def test_the_briefing_page_does_not_show_a_member_a_draft_meeting(client, member, meetings):
    client.force_login(member)
    page = client.get(reverse("briefings:briefing_create")).content.decode()
    assert "Fourth meeting" in page and "Tour de table" in page
    assert "Draft of the fifth meeting" not in page and "Secret item of the draft" not in page
    upload_page = client.get(reverse("briefings:upload")).content.decode()
    assert "Fourth meeting" in upload_page and "Draft of the fifth meeting" not in upload_page


def test_a_member_posting_a_draft_meetings_id_gets_a_form_error(client, member, meetings):
    client.force_login(member)
    response = client.post(reverse("briefings:briefing_create"), {
        "title": "Into the draft", "meeting": meetings["draft"].pk, "agenda_item": meetings["draft_item"].pk,
    })
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert "meeting" in errors and "agenda_item" in errors
    assert not Briefing.objects.exists()


def test_the_agenda_item_check_of_the_service_shows_on_the_field(member, meetings):
    other = MeetingFactory(status=Meeting.Status.SCHEDULED)
    form = BriefingForm(
        {"title": "Wrong meeting", "meeting": other.pk, "agenda_item": meetings["scheduled_item"].pk}, user=member
    )
    assert not form.is_valid()
    assert form.errors["agenda_item"] == ["The agenda item must belong to the chosen meeting."]
