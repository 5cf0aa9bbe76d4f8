"""The fixed vocabularies of the project registry and the policy tracker.

Counties come from ``pycountry`` (ISO 3166-2:KE), never typed by hand. The
ISO codes KE-01..KE-47 follow the alphabetical order of the names; the
Constitution of Kenya (First Schedule) numbers the counties in another order
(Mombasa 1 ... Nairobi City 47), so that number is kept here beside the code.
"""

from __future__ import annotations

from functools import lru_cache

import pycountry
from django.db import models


class ActivityType(models.TextChoices):
    PREVENTION = "prevention", "Prevention and public awareness"
    IDENTIFICATION = "identification", "Identification and referral"
    SHELTER = "shelter", "Shelter and victim services"
    REINTEGRATION = "reintegration", "Reintegration"
    PROSECUTION = "prosecution", "Prosecution and legal aid"
    TRAINING = "training", "Law-enforcement and justice-sector training"
    LEGISLATION = "legislation", "Legislation and policy support"
    RESEARCH = "research", "Research and data"
    COORDINATION = "coordination", "Coordination"
    CONFERENCE = "conference", "Conference or seminar"


class Pillar(models.TextChoices):
    """The "4P" of anti-trafficking work (DESIGN.md section 2)."""

    PREVENTION = "prevention", "Prevention"
    PROTECTION = "protection", "Protection"
    PROSECUTION = "prosecution", "Prosecution"
    PARTNERSHIP = "partnership", "Partnership"


PILLAR_OF_ACTIVITY = {
    ActivityType.PREVENTION: Pillar.PREVENTION,
    ActivityType.RESEARCH: Pillar.PREVENTION,
    ActivityType.IDENTIFICATION: Pillar.PROTECTION,
    ActivityType.SHELTER: Pillar.PROTECTION,
    ActivityType.REINTEGRATION: Pillar.PROTECTION,
    ActivityType.PROSECUTION: Pillar.PROSECUTION,
    ActivityType.TRAINING: Pillar.PROSECUTION,
    ActivityType.LEGISLATION: Pillar.PARTNERSHIP,
    ActivityType.COORDINATION: Pillar.PARTNERSHIP,
    ActivityType.CONFERENCE: Pillar.PARTNERSHIP,
}


def activities_of_pillar(pillar: str) -> list[str]:
    return [str(activity) for activity, p in PILLAR_OF_ACTIVITY.items() if p == pillar]


class BeneficiaryGroup(models.TextChoices):
    CHILDREN = "children", "Children"
    WOMEN_GIRLS = "women_girls", "Women and girls"
    MIGRANTS = "migrants", "Migrant workers and returnees"
    REFUGEES = "refugees", "Refugees"
    SURVIVORS = "survivors", "Survivors"
    JUSTICE_ACTORS = "justice_actors", "Justice actors"
    PUBLIC = "public", "General public"


# OECD DAC 5-digit purpose codes (IATI Sector vocabulary 1) that trafficking work falls under.
DAC_SECTORS = {
    "15130": "Legal and judicial development",
    "15132": "Police",
    "15136": "Immigration",
    "15160": "Human rights",
    "15170": "Women's rights organisations and movements, and government institutions",
    "15180": "Ending violence against women and girls",
    "15190": "Facilitation of orderly, safe, regular and responsible migration and mobility",
    "15220": "Civilian peace-building, conflict prevention and resolution",
    "16010": "Social Protection",
    "16020": "Employment creation",
    "16070": "Labour rights",
}
SECTOR_CHOICES = [(code, f"{code} {name}") for code, name in DAC_SECTORS.items()]


class ProjectStatus(models.IntegerChoices):
    """IATI ActivityStatus codes."""

    PIPELINE = 1, "Pipeline/identification"
    IMPLEMENTATION = 2, "Implementation"
    FINALISATION = 3, "Finalisation"
    CLOSED = 4, "Closed"
    CANCELLED = 5, "Cancelled"
    SUSPENDED = 6, "Suspended"


CLOSED_STATUSES = (ProjectStatus.CLOSED, ProjectStatus.CANCELLED)


class ParticipantRole(models.IntegerChoices):
    """IATI OrganisationRole codes used here."""

    FUNDING = 1, "Funder"
    IMPLEMENTING = 4, "Implementing partner"


NATIONAL = "national"
COUNTRY_CODE = "KE"

# Constitution of Kenya, First Schedule: the number of each county, by its ISO 3166-2 code.
CONSTITUTIONAL_NUMBER = {
    "KE-28": 1, "KE-19": 2, "KE-14": 3, "KE-40": 4, "KE-21": 5, "KE-39": 6, "KE-07": 7, "KE-46": 8,
    "KE-24": 9, "KE-25": 10, "KE-09": 11, "KE-26": 12, "KE-41": 13, "KE-06": 14, "KE-18": 15,
    "KE-22": 16, "KE-23": 17, "KE-35": 18, "KE-36": 19, "KE-15": 20, "KE-29": 21, "KE-13": 22,
    "KE-43": 23, "KE-47": 24, "KE-37": 25, "KE-42": 26, "KE-44": 27, "KE-05": 28, "KE-32": 29,
    "KE-01": 30, "KE-20": 31, "KE-31": 32, "KE-33": 33, "KE-10": 34, "KE-12": 35, "KE-02": 36,
    "KE-11": 37, "KE-45": 38, "KE-03": 39, "KE-04": 40, "KE-38": 41, "KE-17": 42, "KE-08": 43,
    "KE-27": 44, "KE-16": 45, "KE-34": 46, "KE-30": 47,
}


@lru_cache(maxsize=1)
def counties() -> dict[str, str]:
    """ISO 3166-2:KE code -> county name, in the Constitution's order."""
    rows = {s.code: s.name for s in pycountry.subdivisions.get(country_code=COUNTRY_CODE)}
    return dict(sorted(rows.items(), key=lambda item: CONSTITUTIONAL_NUMBER.get(item[0], 99)))


def county_name(code: str) -> str:
    return "National" if code == NATIONAL else counties().get(code, code)


def location_choices() -> list[tuple[str, str]]:
    return [(NATIONAL, "National (whole country)")] + [
        (code, f"{CONSTITUTIONAL_NUMBER.get(code, 0):03} {name} ({code})") for code, name in counties().items()
    ]


def currency_choices() -> list[tuple[str, str]]:
    return [("", "—")] + sorted((c.alpha_3, f"{c.alpha_3} {c.name}") for c in pycountry.currencies)


class PolicyKind(models.TextChoices):
    BILL = "bill", "Bill"
    STRATEGY = "strategy", "Strategy"
    PLAN = "plan", "Plan of action"
    REGULATION = "regulation", "Regulation"


class PolicyRoute(models.TextChoices):
    GOVERNMENT = "government", "Government bill"
    PRIVATE = "private", "Private member's bill"
    NONE = "", "Not a bill"


class PolicyStageKind(models.TextChoices):
    """Kenya's procedure for a bill, in order, and what follows it."""

    DRAFTING = "drafting", "Drafting (ministry with the Attorney General)"
    CABINET = "cabinet", "Cabinet approval"
    GAZETTE = "gazette", "Publication in a Kenya Gazette supplement"
    FIRST_READING = "first_reading", "First reading and committal to committee (public participation)"
    SECOND_READING = "second_reading", "Second reading"
    COMMITTEE_WHOLE = "committee_whole", "Committee of the Whole House"
    REPORT = "report", "Report stage"
    THIRD_READING = "third_reading", "Third reading"
    SENATE = "senate", "Senate (bills concerning counties)"
    ASSENT = "assent", "Presidential assent or referral back"
    ACT = "act", "Publication as an Act"
    COMMENCEMENT = "commencement", "Commencement"
    REGULATIONS = "regulations", "Regulations"


STAGE_ORDER = {stage: number for number, stage in enumerate(PolicyStageKind.values, start=1)}
# Cabinet approval is for government bills only.
GOVERNMENT_ONLY_STAGES = {PolicyStageKind.CABINET}


class PolicyOutcome(models.TextChoices):
    PENDING = "", "Pending"
    PASSED = "passed", "Passed"
    WITHDRAWN = "withdrawn", "Withdrawn"
    LAPSED = "lapsed", "Lapsed"
    DEFERRED = "deferred", "Deferred"


class OverlapDecisionKind(models.TextChoices):
    COMPLEMENTARY = "complementary", "Complementary"
    COFUNDED = "cofunded", "Co-funded"
    SAME = "same", "The same project reported twice"
