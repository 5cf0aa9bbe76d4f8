"""Keeping the stored pairs of possible duplicates current, and deciding them."""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from members.models import User
from notifications.selectors import subject_ref
from notifications.services import mailing_create, messages_queue

from .. import emails
from ..models import Project, ProjectPair
from ..overlaps import ProjectFacts
from ..selectors import overlap_candidates, projects_with_details
from ..vocabularies import OverlapDecisionKind


def _pair_for(first: int, second: int) -> ProjectPair:
    """The stored pair of two projects, created if needed (another save may create it at the same time)."""
    a, b = min(first, second), max(first, second)
    try:
        with transaction.atomic():
            pair, _ = ProjectPair.objects.select_for_update().get_or_create(project_a_id=a, project_b_id=b)
    except IntegrityError:
        pair = ProjectPair.objects.select_for_update().get(project_a_id=a, project_b_id=b)
    return pair


@transaction.atomic
def overlaps_refresh(*, project: Project) -> dict[int, ProjectPair]:
    """Bring the pairs of ``project`` up to date with the rules; returns them by the other project's id.

    A pair decided on the same dates and places stays closed; one whose dates
    or places changed since its decision is raised again.
    """
    project = projects_with_details(Project.objects.filter(pk=project.pk)).get()
    found = {c.project.pk: c for c in overlap_candidates(ProjectFacts.of(project), include_decided=True)}
    existing = {
        (pair.project_b_id if pair.project_a_id == project.pk else pair.project_a_id): pair
        for pair in ProjectPair.objects.select_for_update().filter(Q(project_a=project) | Q(project_b=project))
    }
    result = {}
    for other_id, candidate in found.items():
        pair = existing.pop(other_id, None) or _pair_for(project.pk, other_id)
        pair.is_current = True
        pair.score = candidate.assessment.score
        pair.reasons = list(candidate.assessment.reasons)
        pair.fingerprint = candidate.fingerprint
        pair.is_open = not (pair.decision and pair.decided_fingerprint == pair.fingerprint)
        pair.save()
        result[other_id] = pair
    for pair in existing.values():
        if pair.is_current or pair.is_open:
            pair.is_current = pair.is_open = False
            pair.save(update_fields=["is_current", "is_open", "updated_at"])
    return result


@transaction.atomic
def overlap_decide(
    *, pair: ProjectPair, kind: str, note: str, by: User | None, notify: bool = True
) -> ProjectPair:
    """Record what a pair is (complementary, co-funded, the same project twice) and tell both contacts."""
    if kind not in OverlapDecisionKind.values:
        raise ValueError(f"Unknown decision {kind!r}")
    pair.decision, pair.decision_note = kind, note.strip()
    pair.decided_by, pair.decided_at = by, timezone.now()
    pair.decided_fingerprint, pair.is_open = pair.fingerprint, False
    pair.save()
    pair = ProjectPair.objects.select_related(
        "project_a__contact", "project_a__reporting_organization",
        "project_b__contact", "project_b__reporting_organization", "decided_by",
    ).get(pk=pair.pk)
    outgoing = [e for e in (emails.overlap_decision_email(pair, pair.project_a),
                            emails.overlap_decision_email(pair, pair.project_b)) if e]
    if outgoing and notify:
        mailing = mailing_create(kind="coordination.overlap_decision", by=by, subject_ref=subject_ref(pair),
                                 subject=f"Decision on possible duplicates: {pair.project_a} / {pair.project_b}")
        messages_queue(kind="coordination.overlap_decision", emails=outgoing, mailing=mailing)
    return pair
