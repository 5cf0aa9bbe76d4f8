"""The rules that say whether two projects may duplicate each other, and how strongly.

Pure functions over ``ProjectFacts`` (what the rules read of a project, saved
or still in a form), so that the same rules run before a save and when the
stored pairs are refreshed. The rules (issue: "Duplication warnings"):

- only projects of *different* organizations, both open (not closed or cancelled);
- the same activity type is required;
- a place must match: the same county, or both national; a national project
  against a county one is a weaker match;
- the dates must overlap: each starts before the other ends (a missing end
  counts as the planned end, else 12 months after the start);
- beneficiary groups that are both given and disjoint lower the score;
  shared ones raise it;
- pairs linked by funding (one's funder is the other's reporter) are not duplicates;
- title similarity (trigram on PostgreSQL) breaks ties between equal scores.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import date
from difflib import SequenceMatcher

from .vocabularies import (
    CLOSED_STATUSES,
    NATIONAL,
    BeneficiaryGroup,
    ParticipantRole,
    county_name,
)

# Points of each rule; a pair is raised from MIN_SCORE up (out of 100).
SAME_ACTIVITY = 40
SAME_PLACE = 30
NATIONAL_AGAINST_COUNTY = 10
DATES_AT_MOST = 20
SHARED_BENEFICIARIES = 10
DISJOINT_BENEFICIARIES = -25
MIN_SCORE = 50

DAYS_PER_MONTH = 30.44


@dataclass(frozen=True)
class ProjectFacts:
    """What the overlap rules read of one project."""

    pk: int | None
    organization_id: int
    title: str
    activity_type: str
    status: int
    start: date | None
    end: date | None
    locations: frozenset[str] = field(default_factory=frozenset)
    beneficiaries: frozenset[str] = field(default_factory=frozenset)
    funder_ids: frozenset[int] = field(default_factory=frozenset)

    @classmethod
    def of(cls, project) -> ProjectFacts:
        """From a saved project whose locations, beneficiaries and participants are prefetched."""
        return cls(
            pk=project.pk,
            organization_id=project.reporting_organization_id,
            title=project.title,
            activity_type=project.activity_type,
            status=project.status,
            start=project.start,
            end=project.end,
            locations=frozenset(loc.code for loc in project.locations.all()),
            beneficiaries=frozenset(b.group for b in project.beneficiaries.all()),
            funder_ids=frozenset(
                p.organization_id for p in project.participants.all()
                if p.role == ParticipantRole.FUNDING and p.organization_id
            ),
        )

    @property
    def is_open(self) -> bool:
        return self.status not in CLOSED_STATUSES


@dataclass(frozen=True)
class Assessment:
    score: int
    reasons: tuple[str, ...]
    similarity: float = 0.0

    @property
    def sort_key(self):
        return (self.score, self.similarity)


def _months(days: int) -> int:
    return max(1, round(days / DAYS_PER_MONTH))


def _places(codes) -> str:
    names = sorted(county_name(code) for code in codes)
    text = names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]
    return f"{text} {'County' if len(names) == 1 else 'Counties'}"


def _groups(codes) -> str:
    labels = dict(BeneficiaryGroup.choices)
    return ", ".join(labels.get(code, code).lower() for code in sorted(codes))


def title_similarity(a: str, b: str) -> float:
    """A similarity of titles for databases without pg_trgm."""
    return SequenceMatcher(None, a.casefold(), b.casefold()).ratio()


def assess(a: ProjectFacts, b: ProjectFacts, *, similarity: float | None = None) -> Assessment | None:
    """How strongly ``a`` and ``b`` may duplicate each other, or ``None`` when they do not."""
    if a.organization_id == b.organization_id or (a.pk is not None and a.pk == b.pk):
        return None
    if not (a.is_open and b.is_open):
        return None
    if a.activity_type != b.activity_type:
        return None
    if a.organization_id in b.funder_ids or b.organization_id in a.funder_ids:
        return None

    score, reasons = SAME_ACTIVITY, ["same activity"]

    shared = (a.locations & b.locations) - {NATIONAL}
    if shared:
        score += SAME_PLACE
        reasons.append(f"both in {_places(shared)}")
    elif NATIONAL in a.locations and NATIONAL in b.locations:
        score += SAME_PLACE
        reasons.append("both national")
    elif NATIONAL in a.locations and b.locations - {NATIONAL}:
        score += NATIONAL_AGAINST_COUNTY
        reasons.append(f"national, against {_places(b.locations - {NATIONAL})}")
    elif NATIONAL in b.locations and a.locations - {NATIONAL}:
        score += NATIONAL_AGAINST_COUNTY
        reasons.append(f"{_places(a.locations - {NATIONAL})}, against national")
    else:
        return None

    if a.start and b.start and a.end and b.end:
        if not (a.start < b.end and b.start < a.end):
            return None
        overlap = (min(a.end, b.end) - max(a.start, b.start)).days
        shorter = min((a.end - a.start).days, (b.end - b.start).days) or 1
        score += round(DATES_AT_MOST * min(1.0, overlap / shorter))
        reasons.append(f"dates overlap {min(_months(overlap), _months(shorter))} of {_months(shorter)} months")
    else:
        reasons.append("dates not given")

    if a.beneficiaries and b.beneficiaries:
        common = a.beneficiaries & b.beneficiaries
        if common:
            score += SHARED_BENEFICIARIES
            reasons.append(f"both for {_groups(common)}")
        else:
            score += DISJOINT_BENEFICIARIES
            reasons.append(f"different beneficiaries ({_groups(a.beneficiaries)} / {_groups(b.beneficiaries)})")

    if score < MIN_SCORE:
        return None
    if similarity is None:
        similarity = title_similarity(a.title, b.title)
    if similarity >= 0.5:
        reasons.append(f"similar titles ({round(similarity * 100)}%)")
    return Assessment(score=min(score, 100), reasons=tuple(reasons), similarity=float(similarity))


def fingerprint(a: ProjectFacts, b: ProjectFacts) -> str:
    """The dates and places of a pair: a decision holds while this stays the same."""
    first, second = sorted((a, b), key=lambda facts: facts.pk or float("inf"))
    parts = [
        f"{facts.start}|{facts.end}|{','.join(sorted(facts.locations))}" for facts in (first, second)
    ]
    return hashlib.sha256("#".join(parts).encode()).hexdigest()
