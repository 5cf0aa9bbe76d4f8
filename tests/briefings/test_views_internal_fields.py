"""A document's internal fields (SHA-256, indexing state, upload history) are
for co-chairs, the secretariat and the document's editor, not for every member."""

import pytest
from django.urls import reverse

from tests.briefings.factories import DocumentFactory
from tests.members.factories import UserFactory


@pytest.fixture
def document(db):
    return DocumentFactory(sha256="ab" * 32, uploaded_by=UserFactory())


def _page(client, user, document):
    client.force_login(user)
    return client.get(reverse("briefings:document", args=[document.pk])).content.decode()


def test_members_see_the_document_without_internal_fields(client, member, document):
    page = _page(client, member, document)
    assert document.title in page
    assert "SHA-256" not in page and "ab" * 32 not in page
    assert "data-text-status" not in page and ">History<" not in page


@pytest.mark.parametrize("role", ["cochair", "secretariat"])
def test_coordinators_see_the_internal_fields(client, request, role, document):
    page = _page(client, request.getfixturevalue(role), document)
    assert "SHA-256" in page and "data-text-status" in page and ">History<" in page


def test_the_editor_of_a_document_sees_its_internal_fields(client, member):
    own = DocumentFactory(uploaded_by=member)
    assert "SHA-256" in _page(client, member, own)
