"""The duplication rules one by one (issue: "Duplication warnings, before saving")."""

import datetime

import pytest

from coordination import services
from coordination.models import ProjectPair
from coordination.overlaps import ProjectFacts, assess
from coordination.selectors import overlap_candidates
from tests.members.factories import OrganizationFactory

from .factories import data_of, make_project

pytestmark = pytest.mark.django_db

D = datetime.date


def facts(**overrides):
    values = {
        "pk": None, "organization_id": 1, "title": "Awareness campaign", "activity_type": "prevention", "status": 2,
        "start": D(2007, 1, 1), "end": D(2007, 12, 31), "locations": frozenset({"KE-28"}),
        "beneficiaries": frozenset(), "funder_ids": frozenset(),
    }
    values.update(overrides)
    return ProjectFacts(**values)


def other(**overrides):
    return facts(**{"pk": 99, "organization_id": 2, **overrides})


def test_same_activity_same_county_overlapping_dates_is_flagged_with_reasons():
    result = assess(facts(), other(start=D(2007, 5, 1), end=D(2008, 4, 30)))
    assert result is not None
    assert result.reasons[0] == "same activity"
    assert "both in Mombasa County" in result.reasons
    assert "dates overlap 8 of 12 months" in result.reasons


def test_different_activity_is_not_flagged():
    assert assess(facts(), other(activity_type="training")) is None


def test_different_counties_are_not_flagged():
    assert assess(facts(), other(locations=frozenset({"KE-14"}))) is None


def test_national_against_a_county_is_a_weaker_match():
    county = assess(facts(), other())
    national = assess(facts(), other(locations=frozenset({"national"})))
    assert national is not None and county is not None
    assert national.score < county.score
    assert any("against national" in reason for reason in national.reasons)


def test_both_national_is_a_match():
    result = assess(facts(locations=frozenset({"national"})), other(locations=frozenset({"national"})))
    assert result is not None and "both national" in result.reasons


def test_dates_that_do_not_overlap_are_not_flagged():
    assert assess(facts(), other(start=D(2008, 1, 1), end=D(2008, 12, 31))) is None


def test_touching_dates_are_not_an_overlap():
    # Each must start before the other ends.
    assert assess(facts(end=D(2007, 6, 1)), other(start=D(2007, 6, 1), end=D(2007, 12, 1))) is None


def test_missing_end_counts_as_planned_end_or_twelve_months(db):
    # Ends are derived by the model: no end -> 12 months after the start.
    org_a, org_b = OrganizationFactory(), OrganizationFactory()
    a = make_project(organization=org_a, start=D(2007, 1, 1), end=None)
    assert a.end == D(2008, 1, 1)
    b = make_project(organization=org_b, start=D(2007, 11, 1), end=D(2008, 6, 30))
    assert ProjectPair.objects.filter(project_a=a, project_b=b, is_open=True).exists()
    c = make_project(organization=OrganizationFactory(), start=D(2008, 2, 1), end=D(2008, 6, 30))
    assert not ProjectPair.objects.filter(project_a=a, project_b=c).exists()


def test_disjoint_beneficiary_groups_lower_the_score():
    plain = assess(facts(), other())
    disjoint = assess(facts(beneficiaries=frozenset({"children"})),
                      other(beneficiaries=frozenset({"justice_actors"})))
    assert disjoint is not None and disjoint.score < plain.score
    assert any(reason.startswith("different beneficiaries") for reason in disjoint.reasons)


def test_disjoint_beneficiaries_against_national_drop_below_the_threshold():
    assert assess(facts(beneficiaries=frozenset({"children"})),
                  other(locations=frozenset({"national"}), beneficiaries=frozenset({"justice_actors"}))) is None


def test_shared_beneficiary_groups_raise_the_score():
    shared = assess(facts(beneficiaries=frozenset({"children"})), other(beneficiaries=frozenset({"children"})))
    assert shared.score > assess(facts(), other()).score
    assert "both for children" in shared.reasons


def test_one_side_without_beneficiaries_does_not_lower_the_score():
    assert assess(facts(beneficiaries=frozenset({"children"})), other()).score == assess(facts(), other()).score


def test_closed_or_cancelled_projects_are_ignored():
    assert assess(facts(), other(status=4)) is None
    assert assess(facts(), other(status=5)) is None
    assert assess(facts(status=4), other()) is None


def test_same_organization_pairs_are_ignored():
    assert assess(facts(), other(organization_id=1)) is None


def test_funding_linked_pairs_are_ignored():
    assert assess(facts(funder_ids=frozenset({2})), other()) is None
    assert assess(facts(), other(funder_ids=frozenset({1}))) is None


def test_title_similarity_breaks_ties(db):
    org = OrganizationFactory()
    make_project(organization=OrganizationFactory(), title="Radio drama on child trafficking")
    make_project(organization=OrganizationFactory(), title="Public awareness campaign on trafficking")
    draft = data_of(make_project(organization=org, title="x", locations=("KE-14",)),
                    title="Public awareness campaign against trafficking", locations=["KE-28"])
    found = overlap_candidates(draft.facts(organization_id=org.pk))
    assert len(found) == 2
    assert found[0].assessment.score == found[1].assessment.score
    assert found[0].project.title == "Public awareness campaign on trafficking"


def test_a_decided_pair_stays_quiet_until_dates_or_places_change(db):
    aba, iom = OrganizationFactory(), OrganizationFactory()
    theirs = make_project(organization=aba)
    ours = make_project(organization=iom, decisions={theirs.pk: ("complementary", "Different audiences")})
    pair = ProjectPair.objects.get()
    assert pair.decision == "complementary" and not pair.is_open
    # Saved again with the same dates and places: still quiet.
    services.project_save(organization=iom, data=data_of(ours, title="Renamed"), by=None, project=ours)
    assert overlap_candidates(data_of(ours).facts(organization_id=iom.pk, pk=ours.pk)) == []
    assert not ProjectPair.objects.get().is_open
    # The other side changes its dates: raised again, the old decision still recorded.
    services.project_save(organization=aba, data=data_of(theirs, planned_end=D(2008, 6, 30)), by=None,
                          project=theirs)
    pair.refresh_from_db()
    assert pair.is_open and pair.decision == "complementary"
    assert len(overlap_candidates(data_of(ours).facts(organization_id=iom.pk, pk=ours.pk))) == 1


def test_a_changed_place_raises_a_decided_pair_again(db):
    aba, iom = OrganizationFactory(), OrganizationFactory()
    theirs = make_project(organization=aba, locations=("KE-28", "KE-14"))
    ours = make_project(organization=iom, decisions={theirs.pk: ("cofunded", "")})
    services.project_save(organization=iom, data=data_of(ours, locations=["KE-14"]), by=None, project=ours)
    assert ProjectPair.objects.get().is_open


def test_closing_a_project_closes_its_pairs(db):
    theirs = make_project(organization=OrganizationFactory())
    ours = make_project(organization=OrganizationFactory())
    assert ProjectPair.objects.get().is_open
    services.project_save(organization=ours.reporting_organization, data=data_of(ours, status=4), by=None,
                          project=ours)
    pair = ProjectPair.objects.get()
    assert not pair.is_open and not pair.is_current
    assert theirs.pk in (pair.project_a_id, pair.project_b_id)


def test_deciding_emails_both_contacts(db, django_capture_on_commit_callbacks):
    from notifications.models import Message

    theirs = make_project(organization=OrganizationFactory())
    ours = make_project(organization=OrganizationFactory(), decisions={theirs.pk: ("same", "One project")})
    recipients = set(Message.objects.filter(kind="coordination.overlap_decision")
                     .values_list("recipient_email", flat=True))
    assert recipients == {theirs.contact.email, ours.contact.email}
