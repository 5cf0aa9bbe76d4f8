"""Composing a circulation's messages: text and links, no state change."""

from briefings import emails
from briefings.models import Circulation
from tests.briefings.factories import DocumentFactory


def test_a_circulation_message_links_to_the_document_and_changes_nothing(
    cochair, member, settings, django_assert_num_queries
):
    settings.SITE_URL = "https://portal.example"
    document = DocumentFactory(title="Interim TIP report")
    circulation = Circulation.objects.create(subject="Please read", message="Before Thursday.", created_by=cochair)
    with django_assert_num_queries(0):
        [message] = emails.circulation_messages(
            circulation=circulation, documents=[document], recipients=[member], by=cochair
        )
    assert message.to_email == member.email and message.user_id == member.pk
    assert message.subject == "[TIP working group] Please read"
    assert f"https://portal.example/briefings/documents/{document.pk}/" in message.text
    assert f'href="https://portal.example/briefings/documents/{document.pk}/"' in message.html
    assert "Before Thursday." in message.text and message.attachments == ()
    assert message.dedupe_key == f"circulation:{circulation.pk}:user:{member.pk}"
