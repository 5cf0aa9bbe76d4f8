"""Every coordination page for every role, budget and note visibility, the save-with-warnings flow,
and hostile input (long text, markup, huge ids)."""

import datetime

import pytest
from django.urls import reverse

from coordination import services
from coordination.models import PolicyItem, Project, ProjectPair
from members import services as members_services
from members.models import OrganizationNote
from notifications.models import Message
from tests.members.factories import OrganizationFactory, UserFactory
from tests.members.roles import assert_role_answer

from .factories import make_project

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(member, cochair):
    aba = OrganizationFactory(name="American Bar Association Rule of Law Initiative", acronym="ABA")
    aba_person = UserFactory(email="kenya@aba.example", organization=aba)
    theirs = make_project(organization=aba, contact=aba_person, title="ABA awareness campaign",
                          budget=120000, currency="USD")
    ours = make_project(organization=member.organization, contact=member, title="German awareness campaign",
                        budget=50000, currency="EUR")
    pair = ProjectPair.objects.get()
    partner = OrganizationFactory(name="Solidarity with Women in Distress", acronym="SOLWODI", status="partner")
    note = members_services.note_add(organization=partner, author=member, text="Runs a shelter in Mombasa.")
    item = services.policy_item_save(title="Counter-trafficking bill", kind="bill", route="government", by=cochair)
    stage = services.policy_stage_add(item=item, stage="drafting", on=datetime.date(2007, 2, 8), by=cochair)
    agency = services.policy_agency_add(item=item, name="State Law Office", role="Drafts")
    return {"theirs": theirs, "ours": ours, "pair": pair, "partner": partner, "note": note, "item": item,
            "stage": stage, "agency": agency, "aba": aba, "aba_person": aba_person}


def pages(w):
    everyone = {"member", "secretariat", "cochair"}
    coordinators = {"secretariat", "cochair"}
    ours, item = w["ours"].pk, w["item"].pk
    return [
        (reverse("coordination:projects"), everyone),
        (reverse("coordination:projects") + "?activity=prevention&county=KE-28&date_from=2007-01-01", everyone),
        (reverse("coordination:projects_export"), everyone),
        (reverse("coordination:project_create"), everyone),
        (reverse("coordination:project", args=[ours]), everyone),
        (reverse("coordination:project_edit", args=[ours]), everyone),  # the member's own organization
        (reverse("coordination:overlaps"), coordinators),
        (reverse("coordination:gaps"), everyone),
        (reverse("coordination:gaps") + "?by=pillar", everyone),
        (reverse("coordination:notes"), everyone),
        (reverse("coordination:note_edit", args=[w["note"].pk]), {"member"}),  # its author
        (reverse("coordination:policies"), everyone),
        (reverse("coordination:policy", args=[item]), everyone),
        (reverse("coordination:policy_create"), coordinators),
        (reverse("coordination:policy_edit", args=[item]), coordinators),
        (reverse("members:organization", args=[w["partner"].pk]), everyone),
        (reverse("dashboard"), everyone),
    ]


def posts(w):
    everyone = {"member", "secretariat", "cochair"}
    coordinators = {"secretariat", "cochair"}
    item = w["item"].pk
    return [
        (reverse("coordination:pair_decide", args=[w["pair"].pk]), {"decision": "complementary"}, everyone),
        (reverse("coordination:note_add", args=[w["partner"].pk]), {"text": "x", "noted_on": "2007-03-01"},
         everyone),
        (reverse("coordination:note_hide", args=[w["note"].pk]), {"hide": "1"}, coordinators),
        (reverse("coordination:policy_stage_add", args=[item]), {"stage": "cabinet", "on": "2007-03-01"},
         coordinators),
        (reverse("coordination:policy_agency_add", args=[item]), {"name": "Police", "role": "Investigates"},
         coordinators),
        (reverse("coordination:policy_stage_delete", args=[item, w["stage"].pk]), {}, coordinators),
        (reverse("coordination:policy_agency_remove", args=[item, w["agency"].pk]), {}, coordinators),
        (reverse("coordination:note_delete", args=[w["note"].pk]), {}, {"member"}),
    ]


@pytest.mark.parametrize("role", ["anonymous", "outsider", "former_member", "member", "secretariat", "cochair"])
def test_every_page_for_every_role(client, request, world, role):
    if role != "anonymous":
        client.force_login(request.getfixturevalue(role))
    answer_as = "outsider" if role == "former_member" else role
    for url, allowed in pages(world):
        if url == reverse("dashboard") and answer_as not in {"member", "secretariat", "cochair"}:
            continue  # the dashboard's own roles are tested by the portal's tests
        assert_role_answer(client.get(url), role=answer_as, allowed=allowed, url=url, ok=(200,))


@pytest.mark.parametrize("role", ["anonymous", "outsider", "member", "secretariat", "cochair"])
def test_every_post_for_every_role(client, request, world, role):
    if role != "anonymous":
        client.force_login(request.getfixturevalue(role))
    for url, data, allowed in posts(world):
        response = client.post(url, data)
        assert_role_answer(response, role=role, allowed=allowed, url=url, ok=(302,))


def test_state_changes_refuse_get(client, member, world):
    client.force_login(member)
    for url, _, _ in posts(world):
        assert client.get(url).status_code == 405, url


def test_budget_hidden_from_other_organizations(client, member, cochair, world):
    other = UserFactory(email="someone@unodc.example", organization=OrganizationFactory(name="UNODC"))
    client.force_login(other)
    page = client.get(reverse("coordination:project", args=[world["ours"].pk])).content.decode()
    assert 'id="budget"' not in page and "50,000" not in page and "50000" not in page
    client.force_login(member)
    page = client.get(reverse("coordination:project", args=[world["ours"].pk])).content.decode()
    assert 'id="budget"' in page and "50,000" in page
    # The ABA's budget is not shown to the German member, on its page or in the CSV.
    page = client.get(reverse("coordination:project", args=[world["theirs"].pk])).content.decode()
    assert "120,000" not in page and "120000" not in page
    assert b"120000" not in client.get(reverse("coordination:projects_export")).content
    client.force_login(cochair)
    page = client.get(reverse("coordination:project", args=[world["theirs"].pk])).content.decode()
    assert "120,000" in page


def test_notes_never_visible_to_the_organization_they_are_about(client, world, member):
    solwodi_person = UserFactory(email="staff@solwodi.example", organization=world["partner"])
    world["partner"].status = "active"  # even once it joins the group
    world["partner"].save()
    client.force_login(solwodi_person)
    for url in (reverse("members:organization", args=[world["partner"].pk]), reverse("coordination:notes")):
        page = client.get(url).content.decode()
        assert "Runs a shelter in Mombasa" not in page, url
    assert client.get(reverse("coordination:note_edit", args=[world["note"].pk])).status_code == 404
    assert client.post(reverse("coordination:note_add", args=[world["partner"].pk]),
                       {"text": "About us", "noted_on": "2007-03-01"}).status_code == 404
    # Another member sees it, with its author and their organization.
    client.force_login(world["aba_person"])
    page = client.get(reverse("members:organization", args=[world["partner"].pk])).content.decode()
    assert "Runs a shelter in Mombasa" in page and member.organization.name in page


def test_hidden_note_is_seen_by_its_author_and_coordinators_only(client, world, member, cochair):
    members_services.note_hide(note=world["note"], by=cochair)
    url = reverse("members:organization", args=[world["partner"].pk])
    client.force_login(world["aba_person"])
    assert "Runs a shelter" not in client.get(url).content.decode()
    for person in (member, cochair):
        client.force_login(person)
        assert "Runs a shelter" in client.get(url).content.decode()


def test_only_the_author_edits_a_note(client, world):
    client.force_login(world["aba_person"])
    response = client.post(reverse("coordination:note_edit", args=[world["note"].pk]),
                           {"text": "Changed", "noted_on": "2007-03-01"})
    assert response.status_code == 403
    assert OrganizationNote.objects.get().text == "Runs a shelter in Mombasa."


def project_post(**overrides):
    data = {
        "title": "Awareness campaign in Mombasa", "activity_type": "prevention", "locations": ["KE-28"],
        "beneficiaries": ["public"], "sectors": ["15180"], "status": "2", "planned_start": "2007-01-01",
        "planned_end": "2007-12-31", "currency": "",
    }
    data.update(overrides)
    return data


def test_warning_shown_before_saving_then_saved_with_the_decision(client, world, django_capture_on_commit_callbacks):
    newcomer = UserFactory(email="someone@norway.example", organization=OrganizationFactory(name="Norway"))
    client.force_login(newcomer)
    url = reverse("coordination:project_create")
    response = client.post(url, project_post())
    page = response.content.decode()
    assert response.status_code == 200 and Project.objects.count() == 2
    assert "ABA awareness campaign" in page and "both in Mombasa County" in page
    assert "kenya@aba.example" in page and "120,000" not in page and "120000" not in page
    # Submitting again without deciding keeps the warning and saves nothing.
    seen = [str(world["theirs"].pk), str(world["ours"].pk)]
    response = client.post(url, {**project_post(), "seen": seen})
    assert response.status_code == 200 and Project.objects.count() == 2
    decisions = {f"pair-{pk}-decision": "complementary" for pk in seen}
    decisions.update({f"pair-{pk}-note": "Different audiences" for pk in seen})
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {**project_post(), "seen": seen, **decisions})
    assert response.status_code == 302
    new = Project.objects.get(title="Awareness campaign in Mombasa")
    decided = ProjectPair.objects.filter(decision="complementary")
    assert decided.count() == 2 and not decided.filter(is_open=True).exists()
    assert Message.objects.filter(kind="coordination.overlap_decision", recipient_email="kenya@aba.example").exists()
    # Shown on both projects, with who decided.
    for project in (new, world["theirs"]):
        page = client.get(reverse("coordination:project", args=[project.pk])).content.decode()
        assert "Complementary" in page and "Different audiences" in page and str(newcomer) in page


def test_no_500_from_hostile_input(client, member, world):
    client.force_login(member)
    long = "<script>alert(1)</script>" + "x" * 10_000
    huge = "9" * 30
    response = client.post(reverse("coordination:project_create"), project_post(
        title=long, description=long, other_funders=long, sector_percentages=long, planned_start=huge,
        locations=["KE-99", "<b>"], status=huge, budget=huge, contact=huge, funders=[huge],
    ))
    assert response.status_code == 200 and "<script>alert" not in response.content.decode()
    for name in ("project", "project_edit", "note_edit", "policy", "policy_edit"):
        assert client.get(reverse(f"coordination:{name}", args=[huge])).status_code == 404
        assert client.get(reverse(f"coordination:{name}", args=["-1"])).status_code == 404
    for name in ("pair_decide", "note_delete", "note_hide", "policy_stage_add", "policy_agency_add"):
        assert client.post(reverse(f"coordination:{name}", args=[huge])).status_code == 404
    response = client.post(reverse("coordination:note_add", args=[world["partner"].pk]),
                           {"text": long, "noted_on": "2007-03-01"})
    assert response.status_code == 302 and OrganizationNote.objects.count() == 1  # too long: refused, not stored
    query = "?" + "&".join(f"{k}={huge}" for k in ("activity", "funder", "status", "organization", "county",
                                                  "date_from", "date_to", "page", "sector"))
    for name in ("projects", "projects_export", "gaps"):
        assert client.get(reverse(f"coordination:{name}") + query + "&q=" + long[:300]).status_code == 200
    response = client.post(reverse("coordination:pair_decide", args=[world["pair"].pk]),
                           {"decision": "<b>", "note": long})
    assert response.status_code == 302 and ProjectPair.objects.get().decision == ""


def test_far_dates_are_a_form_error_not_a_500(client, member):
    client.force_login(member)
    for start, end in (("9999-06-01", ""), ("0001-01-01", "9999-12-31"), ("2007-01-01", "9999-12-31")):
        response = client.post(reverse("coordination:project_create"), project_post(planned_start=start,
                                                                                    planned_end=end))
        assert response.status_code == 200 and "Give a date between" in response.content.decode()
    assert not Project.objects.exists()


def test_policy_item_page_shows_its_briefings(client, member, world):
    from tests.briefings.factories import BriefingFactory

    briefing = BriefingFactory(title="Roles of government agencies")
    services.policy_stage_add(item=world["item"], stage="gazette", on=datetime.date(2007, 3, 2), by=None,
                              source_briefing=briefing)
    client.force_login(member)
    page = client.get(reverse("coordination:policy", args=[world["item"].pk])).content.decode()
    assert "Roles of government agencies" in page
    assert PolicyItem.objects.get().current_stage == "gazette"


def test_cabinet_stage_refused_for_a_private_members_bill(client, cochair):
    item = services.policy_item_save(title="Private bill", kind="bill", route="private", by=cochair)
    client.force_login(cochair)
    client.post(reverse("coordination:policy_stage_add", args=[item.pk]), {"stage": "cabinet", "on": "2007-03-01"})
    assert not item.stages.exists()


def test_csv_export_has_the_3w_columns_and_neutralised_cells(client, member, world):
    make_project(organization=member.organization, title="=HYPERLINK(1)", locations=("KE-14",))
    client.force_login(member)
    response = client.get(reverse("coordination:projects_export"))
    text = response.content.decode()
    assert response["Content-Type"].startswith("text/csv")
    header = text.splitlines()[0]
    for column in ("Reporting organization", "Funders", "Activity type", "Counties (ISO 3166-2)", "Status"):
        assert column in header
    assert "'=HYPERLINK(1)" in text and "\n=HYPERLINK" not in text


def test_filters_survive_in_links_with_special_characters(client, member, world):
    client.force_login(member)
    page = client.get(reverse("coordination:projects"), {"q": "awareness & more", "county": "KE-28"})
    assert "q=awareness+%26+more" in page.content.decode()


def test_same_project_reported_twice_is_linked_on_both_pages(client, member, world):
    services.overlap_decide(pair=world["pair"], kind="same", note="One project", by=member)
    client.force_login(member)
    page = client.get(reverse("coordination:project", args=[world["ours"].pk])).content.decode()
    assert "The same project is also reported by" in page and "ABA awareness campaign" in page
    page = client.get(reverse("coordination:project", args=[world["theirs"].pk])).content.decode()
    assert "The same project is also reported by" in page and "German awareness campaign" in page
