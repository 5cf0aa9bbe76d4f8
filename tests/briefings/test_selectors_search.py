"""Search: full text on PostgreSQL, a simpler fallback elsewhere; one right outcome per backend."""

from django.urls import reverse

from briefings.models import Topic
from briefings.selectors import search as search_selectors
from briefings.services import briefings as briefing_services
from briefings.services import indexing
from tests.briefings.factories import BriefingFactory
from tests.briefings.factories import add_indexed as add

SENTENCE = "Fishermen near Kilifi reported that recruiters promised housework in Oman."


FILLER = " ".join(["The working group reviewed budgets, travel and the calendar of meetings."] * 60)


# --- Extraction --------------------------------------------------------------------


def test_a_word_inside_the_pdf_finds_it_with_a_snippet(client, member, on_postgres):
    document = add(member, "Quarterly note", text=FILLER + " " + SENTENCE + " " + FILLER)
    add(member, "Unrelated budget", text=FILLER)
    client.force_login(member)
    response = client.get(reverse("briefings:search"), {"q": "recruiters"})
    results = response.context["page"].object_list
    assert [d.pk for d in results] == [document.pk]
    assert "<mark>recruiters</mark>" in str(results[0].snippet_html)
    assert "<mark>recruiters</mark>" in response.content.decode()


def test_title_match_ranks_above_a_match_deep_in_the_text(member, on_postgres):
    deep = add(member, "Annual overview", text=FILLER + " Mombasa " + FILLER)
    titled = add(member, "The Mombasa seminar", text=FILLER)
    ranked = list(search_selectors.search(member, "Mombasa").documents)
    assert [d.pk for d in ranked] == [titled.pk, deep.pk]


def test_cochairs_only_document_never_appears_in_a_members_results(member, cochair, on_postgres):
    secret = add(cochair, "Police follow-up of Mombasa cases", access_level="cochairs")
    public = add(cochair, "Mombasa awareness campaign")
    assert [d.pk for d in search_selectors.search(member, "Mombasa").documents] == [public.pk]
    assert {d.pk for d in search_selectors.search(cochair, "Mombasa").documents} == {secret.pk, public.pk}


def test_topics_and_briefing_summaries_are_searched(member, on_postgres):
    topic = Topic.objects.get(slug="child-sex-tourism")
    tagged = add(member, "Coastal study", topics=[topic])
    presented = add(member, "Slides")
    briefing_services.briefing_create(by=member, title="UNICEF briefing", summary="The ECPAT code of conduct follow-up",
                             documents=[presented])
    assert [d.pk for d in search_selectors.search(member, "child sex tourism").documents] == [tagged.pk]
    assert [d.pk for d in search_selectors.search(member, "ECPAT").documents] == [presented.pk]


def test_snippet_escapes_html_from_the_file(member, on_postgres):
    add(member, "x", text="<script>alert(1)</script> <img src=x onerror=alert(2)> trafficking routes")
    results = search_selectors.search(member, "trafficking")
    [document] = search_selectors.with_snippets(results, list(results.documents))
    html = str(document.snippet_html)
    assert "<mark>trafficking</mark>" in html
    assert "<" not in html.replace("<mark>", "").replace("</mark>", "")


# --- The fallback (SQLite; tested on any database) ---------------------------------------


def test_fallback_finds_words_in_titles_and_text_and_respects_access(member, cochair):
    in_text = add(member, "Quarterly note", text=SENTENCE)
    in_title = add(member, "Recruiters on the coast")
    add(cochair, "Recruiters restricted", access_level="cochairs")
    results = search_selectors.search_fallback(member, "recruiters")
    assert [d.pk for d in results.documents] == [in_title.pk, in_text.pk]
    documents = search_selectors.with_snippets(results, list(results.documents))
    assert "<mark>recruiters</mark>" in str(documents[1].snippet_html).lower()


def test_fallback_requires_every_word(member):
    both = add(member, "Kilifi recruiters")
    add(member, "Kilifi only")
    assert [d.pk for d in search_selectors.search_fallback(member, "kilifi recruiters").documents] == [both.pk]


def test_briefings_appear_in_search(client, member):
    BriefingFactory(title="Status of the anti-TIP bill", summary="Which agencies do what")
    client.force_login(member)
    response = client.get(reverse("briefings:search"), {"q": "agencies"})
    assert "Status of the anti-TIP bill" in response.content.decode()


def test_empty_query_shows_suggestions(client, member):
    client.force_login(member)
    response = client.get(reverse("briefings:search"), {"q": "  "})
    assert "child sex tourism" in response.content.decode()


def test_result_count_stops_at_the_cap(client, member, monkeypatch):
    from briefings.views.search import SearchPaginator
    from tests.briefings.factories import DocumentFactory

    documents = [DocumentFactory(title=f"Shelter report {n}", text="shelter", text_status="indexed") for n in range(4)]
    indexing.search_vectors_refresh(document_ids=[d.pk for d in documents])
    monkeypatch.setattr(SearchPaginator, "cap", 2)
    client.force_login(member)
    response = client.get(reverse("briefings:search"), {"q": "shelter"})
    assert response.context["page"].paginator.capped
    assert "more than 2" in response.content.decode()
    monkeypatch.setattr(SearchPaginator, "cap", 10)
    response = client.get(reverse("briefings:search"), {"q": "shelter"})
    assert response.context["page"].paginator.count == 4 and "more than" not in response.content.decode()
