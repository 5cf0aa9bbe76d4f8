"""The pages of members' notes on organizations: one section on the organization page, the
recent notes, and the add, edit, delete and hide of one. A note never reaches the people of
the organization it is about, through any page."""

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from members import services as members_services
from members.models import OrganizationNote
from tests.members.factories import OrganizationFactory, UserFactory

pytestmark = pytest.mark.django_db

# The words of a note on the member's organization (Germany) and on the co-chair's (UNICEF).
ON_GERMANY, ON_UNICEF = "Slow to pay its field staff", "Late with every report"


@pytest.fixture
def world(member, cochair):
    sweden = UserFactory(email="member@sweden.example", full_name="Anna Lind",
                         organization=OrganizationFactory(name="Embassy of Sweden"))
    solwodi = OrganizationFactory(name="Solidarity with Women in Distress", acronym="SOLWODI", status="partner")
    return {
        "sweden": sweden,
        "solwodi": solwodi,
        "on_germany": members_services.note_add(organization=member.organization, author=sweden, text=ON_GERMANY),
        "on_unicef": members_services.note_add(organization=cochair.organization, author=sweden, text=ON_UNICEF),
        "on_solwodi": members_services.note_add(organization=solwodi, author=member, text="Runs a shelter."),
    }


def _page_text(response) -> str:
    if getattr(response, "streaming", False):
        return b"".join(response.streaming_content).decode(errors="replace")
    return response.content.decode(errors="replace")


def _routes_without_arguments() -> list[str]:
    """Every portal page whose URL takes no argument (Django's admin and allauth's own pages aside)."""
    urls = []

    def walk(patterns, namespace, prefix):
        for entry in patterns:
            route = prefix + str(entry.pattern)
            if route.startswith(("admin/", "accounts/")):
                continue
            if isinstance(entry, URLResolver):
                walk(entry.url_patterns, f"{namespace}{entry.namespace}:" if entry.namespace else namespace, route)
            elif isinstance(entry, URLPattern) and entry.name and "<" not in route:
                urls.append(reverse(namespace + entry.name))

    walk(get_resolver().url_patterns, "", "")
    return urls


@pytest.mark.parametrize("who", ["member", "colleague", "cochair"])
def test_a_note_never_reaches_the_people_of_its_organization_through_any_page(client, world, member, cochair,
                                                                               who):
    person = {"member": member, "cochair": cochair,
              "colleague": UserFactory(email="focal@germany.example", organization=member.organization,
                                       is_focal_point=True)}[who]
    note = world["on_unicef"] if who == "cochair" else world["on_germany"]
    client.force_login(person)
    pages = [
        reverse("members:organization", args=[person.organization_id]),
        reverse("coordination:notes"),
        reverse("dashboard"),
        reverse("briefings:search") + "?q=" + note.text.split()[-1],  # a word of it: a page may echo the query
        reverse("members:directory") + "?q=" + note.text.split()[0],
        *_routes_without_arguments(),
    ]
    for url in pages:
        response = client.get(url)
        assert response.status_code in (200, 302, 403, 405), (url, response.status_code)
        assert note.text not in _page_text(response), url
    # Nor by its number.
    for name in ("note_edit", "note_delete", "note_hide"):
        assert client.get(reverse(f"coordination:{name}", args=[note.pk])).status_code in (404, 405), name
        assert client.post(reverse(f"coordination:{name}", args=[note.pk]), {"text": "x", "noted_on": "2007-03-01",
                                                                            "hide": "1"}).status_code == 404, name
    assert OrganizationNote.objects.filter(pk=note.pk, text=note.text, hidden_at=None).exists()
    # The same pages show it to someone of another organization.
    client.force_login(world["sweden"])
    organization_page = _page_text(client.get(reverse("members:organization", args=[note.organization_id])))
    assert note.text in organization_page and "Anna Lind, Embassy of Sweden" in organization_page
    assert note.text in _page_text(client.get(reverse("coordination:notes")))


def test_the_organization_page_has_one_notes_section_and_none_for_its_own_people(client, world, member):
    client.force_login(world["sweden"])
    page = _page_text(client.get(reverse("members:organization", args=[member.organization_id])))
    assert page.count('id="notes"') == 1 and page.count("Notes from members") == 1
    assert page.count(reverse("coordination:note_add", args=[member.organization_id])) == 1
    client.force_login(member)
    page = _page_text(client.get(reverse("members:organization", args=[member.organization_id])))
    assert 'id="notes"' not in page and "Notes from members" not in page
    assert reverse("coordination:note_add", args=[member.organization_id]) not in page


def test_a_member_adds_a_dated_note_signed_with_their_organization(client, world, member):
    client.force_login(member)
    response = client.post(reverse("coordination:note_add", args=[world["solwodi"].pk]),
                           {"noted_on": "2007-03-01", "text": "Good at family tracing."})
    assert response.status_code == 302
    note = OrganizationNote.objects.get(text="Good at family tracing.")
    assert (note.author, note.author_organization, str(note.noted_on)) == (member, member.organization,
                                                                            "2007-03-01")
    assert client.post(reverse("coordination:note_add", args=[world["solwodi"].pk]),
                       {"noted_on": "2007-03-01", "text": "   "}).status_code == 302
    assert OrganizationNote.objects.filter(organization=world["solwodi"]).count() == 2  # an empty note is refused


def test_the_author_edits_and_deletes_their_own_note_and_no_one_elses(client, world, member, cochair):
    mine, theirs = world["on_solwodi"], members_services.note_add(
        organization=world["solwodi"], author=world["sweden"], text="Implementing partner in Kilifi.")
    client.force_login(member)
    assert client.get(reverse("coordination:note_edit", args=[mine.pk])).status_code == 200
    response = client.post(reverse("coordination:note_edit", args=[mine.pk]),
                           {"noted_on": "2007-02-12", "text": "Runs a shelter and a drop-in centre."})
    assert response.status_code == 302
    mine.refresh_from_db()
    assert (mine.text, str(mine.noted_on)) == ("Runs a shelter and a drop-in centre.", "2007-02-12")
    assert client.post(reverse("coordination:note_edit", args=[theirs.pk]),
                       {"noted_on": "2007-02-12", "text": "Changed"}).status_code == 403
    assert client.post(reverse("coordination:note_delete", args=[theirs.pk])).status_code == 403
    client.force_login(cochair)  # a co-chair hides notes; editing or deleting them is their author's
    assert client.post(reverse("coordination:note_delete", args=[mine.pk])).status_code == 403
    theirs.refresh_from_db()
    assert theirs.text == "Implementing partner in Kilifi."
    client.force_login(member)
    assert client.post(reverse("coordination:note_delete", args=[mine.pk])).status_code == 302
    assert list(OrganizationNote.objects.filter(organization=world["solwodi"])) == [theirs]


def test_coordinators_hide_a_note_and_show_it_again(client, world, member, cochair, secretariat):
    note = world["on_solwodi"]
    client.force_login(world["sweden"])
    assert client.post(reverse("coordination:note_hide", args=[note.pk]), {"hide": "1"}).status_code == 403
    client.force_login(cochair)
    assert client.post(reverse("coordination:note_hide", args=[note.pk]), {"hide": "1"}).status_code == 302
    note.refresh_from_db()
    assert note.hidden_by == cochair
    page_url = reverse("members:organization", args=[world["solwodi"].pk])
    client.force_login(world["sweden"])
    assert "Runs a shelter." not in _page_text(client.get(page_url))
    assert "Runs a shelter." not in _page_text(client.get(reverse("coordination:notes")))
    for person in (member, secretariat):  # its author, and the coordinators
        client.force_login(person)
        assert "Runs a shelter." in _page_text(client.get(page_url))
    client.force_login(secretariat)
    assert client.post(reverse("coordination:note_hide", args=[note.pk]), {"hide": "0"}).status_code == 302
    client.force_login(world["sweden"])
    assert "Runs a shelter." in _page_text(client.get(page_url))


def test_notes_pages_keep_their_queries_flat(client, world, member, django_assert_max_num_queries):
    for n in range(30):
        author = UserFactory(organization=OrganizationFactory(name=f"Embassy of Country {n}"))
        members_services.note_add(organization=world["solwodi"], author=author, text=f"Note {n}")
    client.force_login(world["sweden"])
    with django_assert_max_num_queries(13):
        page = _page_text(client.get(reverse("members:organization", args=[world["solwodi"].pk])))
    assert page.count('class="border-start border-3 ps-3 mb-3 partner-note"') == 31
    with django_assert_max_num_queries(6):
        assert "Note 29" in _page_text(client.get(reverse("coordination:notes")))
