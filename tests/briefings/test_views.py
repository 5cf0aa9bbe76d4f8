"""Every briefings page for every role, and the co-chairs-only rule."""

import pytest
from django.urls import reverse

from briefings.models import Circulation
from briefings.services import circulations as circulation_services
from tests.briefings.factories import BriefingFactory, DocumentFactory
from tests.members.roles import assert_role_answer


@pytest.fixture
def library(member, cochair):
    public = DocumentFactory(title="Interim assessment of trafficking in Kenya", uploaded_by=member)
    restricted = DocumentFactory(title="Notes for the co-chairs", access_level="cochairs", uploaded_by=cochair)
    briefing = BriefingFactory(title="The interim TIP report", created_by=member)
    briefing.documents.set([public, restricted])
    circulation = circulation_services.circulation_create(by=cochair, documents=[public], subject="Please read")
    return {"public": public, "restricted": restricted, "briefing": briefing, "circulation": circulation}


def pages(lib):
    d, b, c = lib["public"].pk, lib["briefing"].pk, lib["circulation"].pk
    # url, allowed roles
    everyone = {"member", "secretariat", "cochair"}
    coordinators = {"secretariat", "cochair"}
    return [
        (reverse("briefings:list"), everyone),
        (reverse("briefings:briefing", args=[b]), everyone),
        (reverse("briefings:briefing_create"), everyone),
        (reverse("briefings:briefing_edit", args=[b]), everyone),  # the member fixture wrote it
        (reverse("briefings:documents"), everyone),
        (reverse("briefings:upload"), everyone),
        (reverse("briefings:document", args=[d]), everyone),
        (reverse("briefings:document_edit", args=[d]), everyone),  # the member fixture uploaded it
        (reverse("briefings:document_replace", args=[d]), everyone),
        (reverse("briefings:download", args=[d]), everyone),
        (reverse("briefings:document_downloads", args=[d]), everyone),
        (reverse("briefings:search") + "?q=trafficking", everyone),
        (reverse("briefings:circulations"), coordinators),
        (reverse("briefings:circulation_create"), coordinators),
        (reverse("briefings:circulation", args=[c]), coordinators),
    ]


@pytest.mark.parametrize("role", ["anonymous", "outsider", "former_member", "member", "secretariat", "cochair"])
def test_every_page_for_every_role(client, request, library, role):
    if role != "anonymous":
        client.force_login(request.getfixturevalue(role))
    for url, allowed in pages(library):
        response = client.get(url)
        # A withdrawn organization's people get the same answer as outsiders.
        answer_as = "outsider" if role == "former_member" else role
        assert_role_answer(response, role=answer_as, allowed=allowed, url=url, ok=(200,))


def test_another_member_may_not_edit_or_see_downloads(client, library, password):
    from tests.members.factories import UserFactory

    other = UserFactory(email="other@sweden.example")
    client.force_login(other)
    d = library["public"].pk
    assert client.get(reverse("briefings:document", args=[d])).status_code == 200
    assert client.get(reverse("briefings:document_edit", args=[d])).status_code == 403
    assert client.get(reverse("briefings:document_replace", args=[d])).status_code == 403
    assert client.get(reverse("briefings:document_downloads", args=[d])).status_code == 403
    assert client.get(reverse("briefings:briefing_edit", args=[library["briefing"].pk])).status_code == 403
    page = client.get(reverse("briefings:document", args=[d])).content.decode()
    assert "Who downloaded it" not in page and "data-download-count" in page


@pytest.mark.parametrize("name", ["document", "download", "document_edit", "document_replace", "document_downloads"])
def test_member_asking_for_a_cochairs_only_document_by_id_gets_404(client, member, library, name):
    client.force_login(member)
    response = client.get(reverse(f"briefings:{name}", args=[library["restricted"].pk]))
    assert response.status_code == 404
    assert not response.has_header("Content-Disposition")


@pytest.mark.parametrize("role", ["cochair", "secretariat"])
def test_coordinators_see_and_download_cochairs_only_documents(client, request, library, role):
    client.force_login(request.getfixturevalue(role))
    assert client.get(reverse("briefings:document", args=[library["restricted"].pk])).status_code == 200
    response = client.get(reverse("briefings:download", args=[library["restricted"].pk]))
    assert response.status_code == 200
    b"".join(response.streaming_content)


def test_restricted_documents_are_hidden_from_members_everywhere(client, member, library):
    client.force_login(member)
    for url in [reverse("briefings:documents"), reverse("briefings:briefing", args=[library["briefing"].pk]),
                reverse("briefings:search") + "?q=notes", reverse("dashboard")]:
        content = client.get(url).content.decode()
        assert "Notes for the co-chairs" not in content, url
    assert "Interim assessment" in client.get(reverse("briefings:documents")).content.decode()


def test_missing_objects_and_bad_values_give_404_or_a_page_not_500(client, cochair):
    client.force_login(cochair)
    for url in ["/briefings/documents/999999/", "/briefings/documents/999999/download/", "/briefings/999999/",
                "/briefings/999999/edit/", "/briefings/circulations/999999/", "/briefings/documents/999999/edit/",
                "/briefings/documents/1/versions/999/download/"]:
        assert client.get(url).status_code == 404, url
    for url in ["/briefings/documents/?kind=nope&topic=nope&source=abc&year=nope&sort=nope&page=-3",
                "/briefings/search/?q=%00%27%22;--&page=abc", "/briefings/search/?q=traff%00icking",
                "/briefings/search/?q=" + "x" * 5000,
                "/briefings/search/?q=!!!&&||", "/briefings/circulations/new/?document=abc&document=99999",
                "/briefings/?page=9999", "/briefings/documents/upload/?meeting=abc"]:
        assert client.get(url).status_code == 200, url


def test_state_changes_need_post(client, cochair, library):
    client.force_login(cochair)
    url = reverse("mailing_retry", args=[library["circulation"].mailing_id])
    assert client.get(url).status_code == 405


def test_member_may_not_circulate_by_post(client, member, library):
    client.force_login(member)
    response = client.post(reverse("briefings:circulation_create"), {
        "documents": [library["public"].pk], "subject": "x", "audience": "members"})
    assert response.status_code == 403
    assert Circulation.objects.count() == 1


HUGE = "9" * 25  # beyond any database key: SQLite refuses it rather than finding nothing


def test_huge_ids_answer_404_or_a_form_error_never_500(client, cochair, library):
    client.force_login(cochair)
    for url in [f"/briefings/documents/{HUGE}/", f"/briefings/documents/{HUGE}/download/", f"/briefings/{HUGE}/",
                f"/briefings/{HUGE}/edit/", f"/briefings/circulations/{HUGE}/",
                f"/briefings/documents/{HUGE}/downloads/",
                f"/briefings/documents/{library['public'].pk}/versions/{HUGE}/download/"]:
        assert client.get(url).status_code == 404, url
    response = client.get(f"/briefings/circulations/new/?document={HUGE}&document={library['public'].pk}")
    assert response.status_code == 200
    assert response.context["form"].initial["documents"] == [library["public"].pk]
    for url in [f"/briefings/documents/upload/?meeting={HUGE}", f"/briefings/new/?meeting={HUGE}",
                f"/briefings/documents/?source={HUGE}", f"/briefings/circulations/?page={HUGE}"]:
        assert client.get(url).status_code == 200, url
    response = client.post(reverse("briefings:briefing_create"), {
        "title": "x", "presenter": HUGE, "meeting": HUGE, "agenda_item": HUGE, "documents": [HUGE]})
    assert response.status_code == 200
    assert set(response.context["form"].errors) == {"presenter", "meeting", "agenda_item", "documents"}
    response = client.post(reverse("briefings:document_edit", args=[library["public"].pk]), {
        "title": "x", "kind": "report", "access_level": "members", "source": HUGE, "meeting": HUGE,
        "topics": [HUGE]})
    assert response.status_code == 200
    assert set(response.context["form"].errors) == {"source", "meeting", "topics"}
    response = client.post(reverse("briefings:circulation_create"),
                           {"documents": [HUGE], "subject": "x", "audience": "organizations",
                            "organizations": [HUGE]})
    assert response.status_code == 200
    assert {"documents", "organizations"} <= set(response.context["form"].errors)
    assert Circulation.objects.count() == 1


def test_circulation_pages_answer_a_member_as_pages_meant_for_another_role(client, member, library):
    client.force_login(member)
    assert client.get(reverse("briefings:circulations")).status_code == 403
    assert client.get(reverse("briefings:circulation", args=[library["circulation"].pk])).status_code == 403
