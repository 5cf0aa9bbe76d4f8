"""The library, a document's page and search keep a fixed number of queries with 2,000 documents."""

import datetime

import pytest
from django.urls import reverse

from briefings.models import Briefing, Document, Download, Topic
from briefings.services import circulations as circulation_services
from briefings.services import indexing
from tests.members.factories import OrganizationFactory, UserFactory

COUNT = 2000


@pytest.fixture
def big_library(member, cochair):
    sources = [OrganizationFactory(name=f"Source organization {i}") for i in range(20)]
    uploaders = [UserFactory(email=f"uploader{i}@example.org") for i in range(10)]
    topics = list(Topic.objects.all())
    documents = Document.objects.bulk_create([
        Document(
            title=f"Trafficking report {i}", description=f"Routes along the coast, part {i}",
            kind=Document.Kind.values[i % 6], source=sources[i % 20],
            publication_date=datetime.date(2000 + i % 8, 1 + i % 12, 1),
            access_level="cochairs" if i % 10 == 0 else "members",
            file=f"documents/{i}.pdf", original_name=f"report {i}.pdf", size=1000 + i,
            content_type="application/pdf", sha256=f"{i:064x}", text=f"Mombasa seminar notes {i}",
            text_status="indexed", uploaded_by=uploaders[i % 10],
        )
        for i in range(COUNT)
    ])
    through = Document.topics.through
    through.objects.bulk_create([
        through(document_id=d.pk, topic_id=topics[(i + k) % len(topics)].pk)
        for i, d in enumerate(documents) for k in range(2)
    ])
    target = documents[1]
    Download.objects.bulk_create([Download(document=target, user=uploaders[i % 10]) for i in range(50)])
    for i in range(5):
        briefing = Briefing.objects.create(title=f"Briefing {i}", presenter=sources[i])
        briefing.documents.set(documents[i * 10 + 1:i * 10 + 6])
    indexing.search_vectors_refresh()
    return documents


def test_library_list(client, member, cochair, big_library, django_assert_max_num_queries):
    for user in (member, cochair):
        client.force_login(user)
        for query in ["", "?page=3", "?kind=report&topic=prevention&sort=title", "?year=2003&sort=oldest"]:
            with django_assert_max_num_queries(12):
                response = client.get(reverse("briefings:documents") + query)
            assert response.status_code == 200
        assert response.context["page"].paginator.count > 0


def test_document_page(client, cochair, big_library, django_assert_max_num_queries):
    client.force_login(cochair)
    with django_assert_max_num_queries(14):
        response = client.get(reverse("briefings:document", args=[big_library[1].pk]))
    assert response.context["document"].download_count == 50


def test_search(client, member, big_library, django_assert_max_num_queries):
    client.force_login(member)
    for query in ["Mombasa", "trafficking report", "coast", "Briefing"]:
        with django_assert_max_num_queries(12):
            response = client.get(reverse("briefings:search"), {"q": query})
        assert response.context["page"].paginator.count > 0, query
        assert len(response.context["page"].object_list) == 25


def test_briefings_and_dashboard(client, member, big_library, django_assert_max_num_queries):
    client.force_login(member)
    with django_assert_max_num_queries(12):
        assert client.get(reverse("briefings:list")).status_code == 200
    with django_assert_max_num_queries(20):
        assert client.get(reverse("dashboard")).status_code == 200


def test_circulation_pages(client, cochair, big_library, django_assert_max_num_queries):
    org = OrganizationFactory(name="Big member")
    UserFactory.create_batch(120, organization=org)
    documents = list(big_library[1:4])
    circulation = circulation_services.circulation_create(by=cochair, documents=documents, subject="Many recipients")
    Download.objects.bulk_create([Download(document=documents[0], user=u) for u in org.people.all()[:40]])
    public = [d for d in big_library if d.access_level == "members"]
    for i in range(30):
        circulation_services.circulation_create(by=cochair, documents=[public[5 + i]], subject=f"Batch {i}",
                                    audience="organizations", organizations=[org])
    client.force_login(cochair)
    with django_assert_max_num_queries(14):
        response = client.get(reverse("briefings:circulation", args=[circulation.pk]))
    assert len(response.context["recipients"]) == 50
    with django_assert_max_num_queries(10):
        response = client.get(reverse("briefings:circulations"))
    assert len(response.context["page"].object_list) == 25


def test_circulation_form_offers_recent_documents_and_the_one_asked_for(
    client, cochair, big_library, django_assert_max_num_queries
):
    oldest = big_library[1]
    client.force_login(cochair)
    with django_assert_max_num_queries(10):
        response = client.get(reverse("briefings:circulation_create") + f"?document={oldest.pk}")
    offered = response.context["offered"]
    assert len(offered) == 31 and offered[0].pk == oldest.pk
    assert f'value="{oldest.pk}" id="id_documents_{oldest.pk}" checked' in response.content.decode()


def test_briefing_page_with_many_documents(client, member, big_library, django_assert_max_num_queries):
    # 40 documents with their sources and topics: a query per document would show.
    briefing = Briefing.objects.create(title="Many documents", summary="All of them")
    briefing.documents.set(big_library[100:140])
    client.force_login(member)
    with django_assert_max_num_queries(8):
        response = client.get(reverse("briefings:briefing", args=[briefing.pk]))
    shown = list(response.context["briefing"].documents.all())
    assert len(shown) == 36  # the four co-chairs-only documents (every tenth) are not shown to a member
    assert all(d.access_level == "members" for d in shown)


def test_downloads_page_of_a_document(client, cochair, big_library, django_assert_max_num_queries):
    # 50 downloads by 10 people: a query per row (user, organization, version) would show.
    client.force_login(cochair)
    with django_assert_max_num_queries(8):
        response = client.get(reverse("briefings:document_downloads", args=[big_library[1].pk]))
    assert response.status_code == 200
    assert len(response.context["page"].object_list) == 50
