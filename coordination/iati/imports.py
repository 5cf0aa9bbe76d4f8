"""What an IATI activities file would do to the registry, and doing it.

``import_plan`` judges each activity read from a file: created, changed,
unchanged or skipped, and why. ``import_apply`` plans again against the
database as it is now and, if that is still the plan the person confirmed,
writes it in one transaction through ``services.project_save`` (so that the
pairs of possible duplicates stay current); any failure leaves nothing
imported.

A member imports for their own organization only; a coordinator for any
organization of the directory. The reporting organization is found by its
IATI organisation identifier (or the one the portal's export makes up).
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation

from django.conf import settings
from django.db import transaction

from members import permissions
from members.models import Organization, User

from .. import services
from ..models import Project
from ..selectors import projects_with_details
from ..services import Participant, ProjectData
from ..vocabularies import (
    DAC_SECTORS,
    NATIONAL,
    ActivityType,
    BeneficiaryGroup,
    ProjectStatus,
    counties,
)
from .counties import county_code_by_name
from .export import ACTIVITY_TYPE_FRAGMENT, BENEFICIARY_FRAGMENT, FORBIDDEN_IN_IDENTIFIER, sector_percentages
from .reader import ActivityRecord

CREATE, UPDATE, UNCHANGED, SKIP = "create", "update", "unchanged", "skip"
FIELD_LABELS = {
    "title": "title", "activity_type": "activity type", "status": "status", "description": "description",
    "planned_start": "planned start", "planned_end": "planned end", "actual_start": "actual start",
    "actual_end": "actual end", "budget": "budget", "currency": "currency", "contact": "contact",
    "contact_name": "contact", "contact_email": "contact", "sectors": "sectors", "locations": "counties",
    "beneficiaries": "beneficiary groups", "funders": "funders", "implementers": "implementing partners",
}


class PlanChanged(Exception):
    """The registry changed between the preview and the confirmation: the person must look again."""


@dataclass
class PlanItem:
    index: int
    identifier: str
    title: str
    action: str = SKIP
    reasons: list[str] = field(default_factory=list)  # why it is skipped
    notes: list[str] = field(default_factory=list)  # what was assumed or left out
    changes: list[str] = field(default_factory=list)  # what an update changes
    project: Project | None = None
    organization: Organization | None = None
    data: ProjectData | None = None

    def skip(self, reason: str) -> PlanItem:
        self.action = SKIP
        self.reasons.append(reason)
        return self


@dataclass
class ImportResult:
    created: list[Project] = field(default_factory=list)
    updated: list[Project] = field(default_factory=list)
    skipped: int = 0


# --- Finding organizations ------------------------------------------------------------------


class _Directory:
    """What judging a file needs from the database, loaded once for the whole file: the organizations by
    IATI ref, name and acronym; the projects the activities may update; the people named as contacts."""

    def __init__(self, records: list[ActivityRecord]):
        self.organizations = list(Organization.objects.all())
        self.by_ref = {o.iati_identifier: o for o in self.organizations if o.iati_identifier}
        self.by_pk = {o.pk: o for o in self.organizations}
        self.by_name = {o.acronym.lower(): o for o in self.organizations if o.acronym}
        self.by_name.update({o.name.lower(): o for o in self.organizations})
        prefix = getattr(settings, "IATI_PORTAL_ORG_PREFIX", "XX-WGPORTAL")
        self.portal_ref = re.compile(rf"^{re.escape(prefix)}-(\d{{1,18}})$")
        identifiers = {r.identifier for r in records if r.identifier}
        self.projects = {p.iati_identifier: p for p in projects_with_details(
            Project.objects.filter(iati_identifier__in=identifiers))}
        portal_ids = {int(suffix) for r in records if (suffix := _portal_id(r))}
        self.projects_by_pk = {p.pk: p for p in projects_with_details(
            Project.objects.filter(pk__in=portal_ids, iati_identifier=""))}
        emails = {r.contact_email.lower() for r in records if r.contact_email}
        self.people = {(u.email.lower(), u.organization_id): u for u in User.objects.filter(email__in=emails)}

    def by_iati_ref(self, ref: str) -> Organization | None:
        if not ref:
            return None
        if ref in self.by_ref:
            return self.by_ref[ref]
        match = self.portal_ref.match(ref)
        return self.by_pk.get(int(match.group(1))) if match else None

    def find(self, ref: str, name: str) -> Organization | None:
        return self.by_iati_ref(ref) or (self.by_name.get(name.lower()) if name else None)


def _portal_id(record: ActivityRecord) -> str:
    """The portal's id in an identifier the portal's export made (ref + "-" + id), else ""."""
    ref = record.reporting_ref
    suffix = record.identifier[len(ref) + 1:] if ref and record.identifier.startswith(ref + "-") else ""
    return suffix if suffix.isdigit() and len(suffix) < 19 else ""


# --- Judging one activity --------------------------------------------------------------------


def _date(value: str | None) -> date | None:
    try:
        return date.fromisoformat(value) if value else None
    except ValueError:
        return None


def _decimal(value: str | None) -> Decimal | None:
    try:
        return Decimal(value) if value not in (None, "") else None
    except InvalidOperation:
        return None


def _organization_of(item: PlanItem, record: ActivityRecord, *, user: User, directory: _Directory):
    organization = directory.by_iati_ref(record.reporting_ref)
    if organization is None:
        item.skip(f"no organization in the directory has the IATI identifier {record.reporting_ref!r}"
                  " (a coordinator can add it to the organization's page)")
        return None
    if not permissions.is_coordinator(user) and organization.pk != user.organization_id:
        item.skip(f"the reporting organization ({organization.name}, {record.reporting_ref}) is not yours")
        return None
    return organization


def _existing(record: ActivityRecord, organization: Organization,
              directory: _Directory) -> tuple[Project | None, str]:
    """The project this activity updates, and the identifier to keep on it."""
    project = directory.projects.get(record.identifier)
    if project is not None:
        return project, record.identifier
    # An activity of the portal's own export, on a project that has no identifier of its own.
    project = directory.projects_by_pk.get(int(_portal_id(record) or 0))
    if project is not None and project.reporting_organization_id == organization.pk:
        return project, ""
    return None, record.identifier


def _sectors(item: PlanItem, record: ActivityRecord) -> list[tuple[str, Decimal | None]] | None:
    sectors, unknown, other_vocabularies = [], [], set()
    for vocabulary, code, percentage in record.sectors:
        if vocabulary != "1":
            other_vocabularies.add(vocabulary)
        elif code in DAC_SECTORS:
            sectors.append((code, _decimal(percentage)))
        else:
            unknown.append(code)
    if unknown:
        item.skip(f"sector{'s' if len(unknown) > 1 else ''} {', '.join(unknown)} "
                  f"{'are' if len(unknown) > 1 else 'is'} not among the portal's DAC sectors")
        return None
    if other_vocabularies:
        item.notes.append(f"sectors of vocabulary {', '.join(sorted(other_vocabularies))} left out "
                          "(the portal keeps DAC 5-digit codes)")
    return sectors


def _locations(item: PlanItem, record: ActivityRecord) -> list[str] | None:
    if record.countries and "KE" not in record.countries:
        item.skip(f"the activity is not in Kenya (recipient countries: {', '.join(record.countries)})")
        return None
    codes, unknown = [], []
    for ref, name in record.locations:
        code = ref if ref in counties() else county_code_by_name(name)
        if code:
            codes.append(code)
        else:
            unknown.append(name or ref or "(unnamed)")
    if unknown:
        item.skip(f"location{'s' if len(unknown) > 1 else ''} {', '.join(unknown)} "
                  f"{'are not Kenyan counties' if len(unknown) > 1 else 'is not a Kenyan county'}")
        return None
    return list(dict.fromkeys(codes)) or [NATIONAL]


def _participants(record: ActivityRecord, organization: Organization, ref: str,
                  directory: _Directory) -> tuple[list[Participant], list[Participant]]:
    funders, implementers = [], []
    for role, participant_ref, name in record.participants:
        if role not in ("1", "4") or not (participant_ref or name):
            continue  # accountable and extending organizations: the reporting organization answers for it
        found = directory.find(participant_ref, name)
        if role == "4" and (found == organization or (participant_ref and participant_ref == ref)):
            continue  # the reporting organization carrying out its own project
        participant = Participant(organization=found) if found else Participant(name=name or participant_ref,
                                                                               ref=participant_ref)
        (funders if role == "1" else implementers).append(participant)
    return funders, implementers


def _tagged(record: ActivityRecord, fragment: str, allowed) -> list[str]:
    return [code for vocabulary, uri, code in record.tags
            if vocabulary == "99" and uri.endswith(fragment) and code in allowed]


def _data(item: PlanItem, record: ActivityRecord, *, organization: Organization, existing: ProjectData | None,
          identifier: str, default_activity: str, directory: _Directory) -> ProjectData | None:
    if not record.title:
        item.skip("the activity has no title")
        return None
    dates = {kind: _date(record.dates.get(code)) for code, kind in
             (("1", "planned_start"), ("2", "actual_start"), ("3", "planned_end"), ("4", "actual_end"))}
    if not (dates["planned_start"] or dates["actual_start"]):
        item.skip("the activity has no planned or actual start date (IATI requires one)")
        return None
    sectors = _sectors(item, record)
    locations = _locations(item, record)
    if sectors is None or locations is None:
        return None
    activity_types = _tagged(record, ACTIVITY_TYPE_FRAGMENT, set(ActivityType.values))
    if activity_types:
        activity_type = activity_types[0]
    elif existing is not None:
        activity_type = existing.activity_type
    else:
        activity_type = default_activity
        item.notes.append(f"no activity type given: taken as {ActivityType(default_activity).label.lower()}")
    if record.status in ProjectStatus.values:
        status = record.status
    else:
        status = existing.status if existing else ProjectStatus.IMPLEMENTATION
        item.notes.append(f"no known activity-status: {ProjectStatus(status).label.lower()} kept")
    beneficiaries = _tagged(record, BENEFICIARY_FRAGMENT, set(BeneficiaryGroup.values))
    if not beneficiaries and existing is not None:
        beneficiaries = list(existing.beneficiaries)
    funders, implementers = _participants(record, organization, record.reporting_ref, directory)
    data = ProjectData(
        title=record.title[:300], activity_type=activity_type, status=status,
        description="" if record.description == record.title else record.description,
        iati_identifier=identifier, sectors=sectors, locations=locations, beneficiaries=beneficiaries,
        funders=funders, implementers=implementers, **dates,
    )
    if record.budget_note:
        item.notes.append(record.budget_note)
    budget = _decimal(record.budget)
    if budget is not None and abs(budget) < Decimal("1e13"):
        data.budget, data.currency = budget, record.budget_currency[:3]
    elif existing is not None:
        data.budget, data.currency = existing.budget, existing.currency
    contact = directory.people.get((record.contact_email.lower(), organization.pk))
    if contact is not None:
        data.contact = contact
    elif record.contact_name or record.contact_email:
        data.contact_name, data.contact_email = record.contact_name[:200], record.contact_email[:254]
    elif existing is not None:
        data.contact, data.contact_name, data.contact_email = (existing.contact, existing.contact_name,
                                                               existing.contact_email)
    return data


def _comparable(data: ProjectData) -> dict:
    def participants(group):
        return sorted((p.organization.pk if p.organization else 0, p.name, p.ref) for p in group)

    values = {name: getattr(data, name) for name in ProjectData.SCALAR_FIELDS}
    values["contact"] = data.contact.pk if data.contact else None
    values["budget"] = Decimal(data.budget).normalize() if data.budget is not None else None
    values.update(
        # As exported: percentages that sum to 100 (none given on a single sector means all of it).
        sectors=sorted((c, p.normalize()) for c, p in sector_percentages(list(data.sectors))),
        locations=sorted(data.locations), beneficiaries=sorted(data.beneficiaries),
        funders=participants(data.funders), implementers=participants(data.implementers),
    )
    return values


def _changes(before: ProjectData, after: ProjectData) -> list[str]:
    old, new = _comparable(before), _comparable(after)
    return list(dict.fromkeys(FIELD_LABELS.get(name, name) for name in new
                              if name != "iati_identifier" and old.get(name) != new[name]))


def _judge(record: ActivityRecord, *, user: User, default_activity: str, directory: _Directory,
           seen: set[str]) -> PlanItem:
    item = PlanItem(index=record.index, identifier=record.identifier, title=record.title)
    if not record.identifier:
        return item.skip("the activity has no iati-identifier")
    if FORBIDDEN_IN_IDENTIFIER.search(record.identifier):
        return item.skip("the iati-identifier holds a character IATI forbids (/ & | ? or a space)")
    if record.identifier in seen:
        return item.skip("the same iati-identifier appears earlier in the file")
    seen.add(record.identifier)
    organization = _organization_of(item, record, user=user, directory=directory)
    if organization is None:
        return item
    if not record.identifier.startswith(record.reporting_ref + "-"):
        item.notes.append("the identifier does not start with the reporting organization's ref")
    project, identifier = _existing(record, organization, directory)
    if project is not None and project.reporting_organization_id != organization.pk:
        return item.skip("a project of another organization already has this iati-identifier")
    existing = ProjectData.of(project) if project is not None else None
    data = _data(item, record, organization=organization, existing=existing, identifier=identifier,
                 default_activity=default_activity, directory=directory)
    if data is None:
        return item
    item.organization, item.project, item.data = organization, project, data
    if project is None:
        item.action = CREATE
    else:
        item.changes = _changes(existing, data)
        item.action = UPDATE if item.changes else UNCHANGED
    return item


def import_plan(*, records: list[ActivityRecord], user: User, default_activity: str) -> list[PlanItem]:
    """What importing ``records`` as ``user`` would do, activity by activity; writes nothing."""
    directory, seen = _Directory(records), set()
    return [_judge(record, user=user, default_activity=default_activity, directory=directory, seen=seen)
            for record in records]


def plan_digest(items: list[PlanItem]) -> str:
    """A fingerprint of a plan: the preview a person confirmed must be the plan applied."""
    summary = [(i.index, i.identifier, i.action, i.project.pk if i.project else None, i.changes, i.reasons)
               for i in items]
    return hashlib.sha256(json.dumps(summary, sort_keys=True, default=str).encode()).hexdigest()


@transaction.atomic
def import_apply(*, records: list[ActivityRecord], user: User, default_activity: str,
                 expected_digest: str) -> ImportResult:
    """Create and update the projects of the plan, all or nothing; ``PlanChanged`` if the plan is not the one
    the person saw (``expected_digest``)."""
    items = import_plan(records=records, user=user, default_activity=default_activity)
    if plan_digest(items) != expected_digest:
        raise PlanChanged("The registry changed since the preview.")
    result = ImportResult()
    for item in items:
        if item.action in (CREATE, UPDATE):
            saved = services.project_save(organization=item.organization, data=item.data, by=user,
                                          project=item.project)
            (result.created if item.action == CREATE else result.updated).append(saved)
        elif item.action == SKIP:
            result.skipped += 1
    return result
