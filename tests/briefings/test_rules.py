"""Access rules of the briefings models, as lists see them (``visible_to``) and as one object does (``can``)."""

from briefings.models import Briefing, Circulation, Document, Download
from members import permissions
from tests.briefings.factories import BriefingFactory, DocumentFactory
from tests.members.factories import UserFactory


def test_downloads_are_seen_by_coordinators_and_the_uploader_alone(member, cochair):
    mine, other = DocumentFactory(uploaded_by=member), DocumentFactory(uploaded_by=cochair)
    reader = UserFactory(organization=member.organization)
    Download.objects.create(document=mine, user=reader)
    Download.objects.create(document=other, user=reader)
    assert permissions.visible_to(member, Download.objects.all()).get().document == mine
    assert permissions.visible_to(reader, Download.objects.all()).count() == 0
    assert permissions.visible_to(cochair, Download.objects.all()).count() == 2
    assert permissions.can(member, permissions.VIEW_DOWNLOADS, mine)
    assert not permissions.can(member, permissions.VIEW_DOWNLOADS, other)


def test_cochairs_only_documents_exist_for_coordinators_alone(member, cochair, secretariat, outsider):
    restricted = DocumentFactory(access_level="cochairs")
    public = DocumentFactory()
    assert list(permissions.visible_to(member, Document.objects.all())) == [public]
    assert set(permissions.visible_to(secretariat, Document.objects.all())) == {public, restricted}
    assert not permissions.visible_to(outsider, Document.objects.all()).exists()
    assert not permissions.can(member, permissions.VIEW, restricted)
    assert permissions.can(cochair, permissions.VIEW, restricted)


def test_briefings_are_for_members_and_edited_by_their_author_or_a_coordinator(member, cochair, outsider):
    briefing = BriefingFactory(created_by=member)
    assert permissions.visible_to(member, Briefing.objects.all()).exists()
    assert not permissions.visible_to(outsider, Briefing.objects.all()).exists()
    assert permissions.can(member, permissions.EDIT_CONTENT, briefing)
    assert permissions.can(cochair, permissions.EDIT_CONTENT, briefing)
    assert not permissions.can(UserFactory(organization=member.organization), permissions.EDIT_CONTENT, briefing)


def test_circulations_are_listed_to_coordinators(member, cochair):
    circulation = Circulation.objects.create(subject="x", created_by=cochair)
    assert list(permissions.visible_to(cochair, Circulation.objects.all())) == [circulation]
    assert not permissions.visible_to(member, Circulation.objects.all()).exists()
