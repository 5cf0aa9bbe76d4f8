"""Projects as IATI activity XML, version 2.03.

What the schema allows is not all IATI asks; the export also follows its rules:
the identifier is the reporting organization's ref, a dash and the portal's
id, without ``/ & | ?``; every activity has a start date (a project without
one is left out, and a comment in the file says so); sector percentages sum to
100 per vocabulary; budget periods last a year at most; counties travel as
location names and approximate points (IATI has no ISO 3166-2 vocabulary).
The portal's own vocabularies (activity type, beneficiary groups) travel as
tags of vocabulary 99 so that an export imports back unchanged. Budgets are
written only for the projects whose budget the person exporting may see.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import date, datetime, timedelta
from decimal import ROUND_DOWN, Decimal

from django.conf import settings
from django.utils import timezone
from lxml import etree

from members import permissions
from members.models import Organization

from .. import rules
from ..models import Project
from ..vocabularies import NATIONAL, ActivityType, BeneficiaryGroup, ParticipantRole, county_name
from .counties import COUNTY_CENTROIDS

VERSION = "2.03"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
DEFAULT_CURRENCY = "USD"
WGS84 = "http://www.opengis.net/def/crs/EPSG/0/4326"
# Characters IATI forbids in an activity identifier.
FORBIDDEN_IN_IDENTIFIER = re.compile(r"[/&|?\s]")

# IATI OrganisationRole.
ROLE_FUNDING, ROLE_ACCOUNTABLE, ROLE_IMPLEMENTING = "1", "2", "4"
# IATI OrganisationType by the directory's kind of organization.
ORGANISATION_TYPE = {
    Organization.Kind.MISSION: "10",  # government
    Organization.Kind.DONOR_AGENCY: "10",
    Organization.Kind.GOVERNMENT: "10",
    Organization.Kind.UN_AGENCY: "40",  # multilateral
    Organization.Kind.INTERNATIONAL: "40",
    Organization.Kind.NGO: "21",  # international NGO (22 when seated in Kenya)
    Organization.Kind.PROFESSIONAL: "90",  # other
}
# UN SDG targets (tag vocabulary 3) that name trafficking.
SDG_TRAFFICKING = "8.7"  # end forced labour, modern slavery and human trafficking
SDG_WOMEN = "5.2"  # violence against women and girls, trafficking included
SDG_CHILDREN = "16.2"  # abuse, exploitation and trafficking of children
SDG_NAMES = {
    SDG_TRAFFICKING: "Eradicate forced labour, end modern slavery and human trafficking",
    SDG_WOMEN: "Eliminate all forms of violence against all women and girls, including trafficking",
    SDG_CHILDREN: "End abuse, exploitation, trafficking and all forms of violence against children",
}
# Fragments of the vocabulary-uri of the portal's own vocabularies (tag vocabulary 99).
ACTIVITY_TYPE_FRAGMENT = "#activity-type"
BENEFICIARY_FRAGMENT = "#beneficiary-group"


def organization_ref(organization: Organization) -> str:
    """Its IATI organisation identifier, else one the portal makes up from its id."""
    if organization.iati_identifier:
        return organization.iati_identifier
    prefix = getattr(settings, "IATI_PORTAL_ORG_PREFIX", "XX-WGPORTAL")
    return f"{prefix}-{organization.pk}"


def activity_identifier(project: Project) -> str:
    """The project's IATI identifier: kept if it has one (imported), else ref + "-" + the portal's id."""
    if project.iati_identifier:
        return project.iati_identifier
    return FORBIDDEN_IN_IDENTIFIER.sub("", f"{organization_ref(project.reporting_organization)}-{project.pk}")


def organization_type(organization: Organization) -> str:
    kind = ORGANISATION_TYPE.get(organization.kind, "90")
    if organization.kind == Organization.Kind.NGO and organization.country.strip().lower() == "kenya":
        return "22"
    return kind


def sector_percentages(sectors: list[tuple[str, Decimal | None]]) -> list[tuple[str, Decimal]]:
    """Percentages that sum to exactly 100: as given, scaled if they do not, shared evenly if none given."""
    if not sectors:
        return []
    given = [Decimal(p or 0) for _, p in sectors]
    total = sum(given)
    weights = given if total > 0 else [Decimal(1)] * len(sectors)
    total = sum(weights)
    shares = [(w * 100 / total).quantize(Decimal("0.01"), rounding=ROUND_DOWN) for w in weights]
    shares[-1] += Decimal(100) - sum(shares)
    return [(code, share) for (code, _), share in zip(sectors, shares, strict=True)]


def _add_year(day: date) -> date:
    try:
        return day.replace(year=day.year + 1)
    except ValueError:  # 29 February
        return day.replace(year=day.year + 1, day=28)


def budget_periods(start: date, end: date, amount: Decimal) -> list[tuple[date, date, Decimal]]:
    """``amount`` over ``start``..``end`` in periods of a year at most, shared by days (the last takes the
    rounding), so that the periods sum to the amount."""
    if end < start:
        end = start
    periods = []
    cursor = start
    while cursor <= end:
        last = min(_add_year(cursor) - timedelta(days=1), end)
        periods.append((cursor, last))
        cursor = last + timedelta(days=1)
    days = (end - start).days + 1
    values = [(amount * ((b - a).days + 1) / days).quantize(Decimal("0.01"), rounding=ROUND_DOWN)
              for a, b in periods]
    values[-1] += amount - sum(values)
    return [(a, b, v) for (a, b), v in zip(periods, values, strict=True)]


def _sub(parent, tag: str, text: str | None = None, **attrs) -> etree._Element:
    element = etree.SubElement(parent, tag, {k.replace("_", "-"): str(v) for k, v in attrs.items()})
    if text is not None:
        element.text = text
    return element


def _narrative(parent, tag: str, text: str, **attrs) -> etree._Element:
    element = _sub(parent, tag, **attrs)
    _sub(element, "narrative", text)
    return element


def _participant(parent, *, role: str, name: str, ref: str = "", org_type: str = ""):
    attrs = {"role": role}
    if ref:
        attrs["ref"] = ref
    if org_type:
        attrs["type"] = org_type
    _narrative(parent, "participating-org", name, **attrs)


def _activity(root, project: Project, *, may_see_budget: bool, vocabulary_uri: str) -> None:
    organization = project.reporting_organization
    ref = organization_ref(organization)
    currency = project.currency or DEFAULT_CURRENCY
    activity = _sub(root, "iati-activity", **{
        "last-updated-datetime": project.updated_at.isoformat(timespec="seconds"),
        XML_LANG: "en", "default-currency": currency, "hierarchy": "1",
    })
    _sub(activity, "iati-identifier", activity_identifier(project))
    _narrative(activity, "reporting-org", organization.name, ref=ref, type=organization_type(organization))
    _narrative(activity, "title", project.title)
    # The schema requires a description; a project without one repeats its title (the import drops it again).
    _narrative(activity, "description", project.description or project.title, type="1")

    participants = list(project.participants.all())
    for role, code in ((ParticipantRole.FUNDING, ROLE_FUNDING),):
        for p in participants:
            if p.role == role:
                _participant(activity, role=code, name=p.display_name,
                             ref=organization_ref(p.organization) if p.organization_id else p.ref,
                             org_type=organization_type(p.organization) if p.organization_id else "")
    _participant(activity, role=ROLE_ACCOUNTABLE, name=organization.name, ref=ref,
                 org_type=organization_type(organization))
    implementers = [p for p in participants if p.role == ParticipantRole.IMPLEMENTING]
    for p in implementers:
        _participant(activity, role=ROLE_IMPLEMENTING, name=p.display_name,
                     ref=organization_ref(p.organization) if p.organization_id else p.ref,
                     org_type=organization_type(p.organization) if p.organization_id else "")
    if not implementers:  # the reporting organization carries out its own project
        _participant(activity, role=ROLE_IMPLEMENTING, name=organization.name, ref=ref,
                     org_type=organization_type(organization))

    _sub(activity, "activity-status", code=project.status)
    for day, kind in ((project.planned_start, 1), (project.actual_start, 2), (project.planned_end, 3),
                      (project.actual_end, 4)):
        if day:
            _sub(activity, "activity-date", iso_date=day.isoformat(), type=kind)

    contact_name = str(project.contact) if project.contact_id else project.contact_name
    contact_email = project.contact_address
    if contact_name or contact_email:
        contact = _sub(activity, "contact-info", type="1")
        _narrative(contact, "organisation", organization.name)
        if contact_name:
            _narrative(contact, "person-name", contact_name)
        if contact_email:
            _sub(contact, "email", contact_email)

    _sub(activity, "recipient-country", code="KE", percentage="100")
    for location in project.locations.all():
        if location.code == NATIONAL:
            continue
        element = _sub(activity, "location", ref=location.code)
        _sub(element, "location-reach", code="1")
        _narrative(element, "name", f"{county_name(location.code)} County")
        if location.code in COUNTY_CENTROIDS:
            latitude, longitude = COUNTY_CENTROIDS[location.code]
            point = _sub(element, "point", srsName=WGS84)
            _sub(point, "pos", f"{latitude:.2f} {longitude:.2f}")
            _sub(element, "exactness", code="2")  # approximate: the county's centre
        _sub(element, "location-class", code="1")  # administrative region
        _sub(element, "feature-designation", code="ADM1")

    for code, percentage in sector_percentages([(s.code, s.percentage) for s in project.sectors.all()]):
        _sub(activity, "sector", vocabulary="1", code=code, percentage=f"{percentage:.2f}")

    groups = [b.group for b in project.beneficiaries.all()]
    targets = [SDG_TRAFFICKING]
    if BeneficiaryGroup.WOMEN_GIRLS in groups:
        targets.append(SDG_WOMEN)
    if BeneficiaryGroup.CHILDREN in groups:
        targets.append(SDG_CHILDREN)
    for target in targets:
        _narrative(activity, "tag", SDG_NAMES[target], vocabulary="3", code=target)
    _narrative(activity, "tag", ActivityType(project.activity_type).label, vocabulary="99",
               vocabulary_uri=vocabulary_uri + ACTIVITY_TYPE_FRAGMENT, code=project.activity_type)
    for group in groups:
        _narrative(activity, "tag", BeneficiaryGroup(group).label, vocabulary="99",
                   vocabulary_uri=vocabulary_uri + BENEFICIARY_FRAGMENT, code=group)

    if may_see_budget and project.budget is not None and project.start:
        for start, end, value in budget_periods(project.start, project.end or project.start, project.budget):
            budget = _sub(activity, "budget", type="1", status="1")
            _sub(budget, "period-start", iso_date=start.isoformat())
            _sub(budget, "period-end", iso_date=end.isoformat())
            _sub(budget, "value", f"{value:.2f}", currency=currency, value_date=start.isoformat())


def activities_xml(projects: Iterable[Project], *, user, vocabulary_uri: str,
                   generated_at: datetime | None = None) -> bytes:
    """The projects (with their details prefetched) as an ``iati-activities`` document."""
    root = etree.Element("iati-activities", {
        "version": VERSION,
        "generated-datetime": (generated_at or timezone.now()).isoformat(timespec="seconds"),
    })
    for project in projects:
        if not project.start:
            root.append(etree.Comment(
                f" Left out: project {project.pk} has no planned or actual start date, which IATI requires. "
            ))
            continue
        _activity(root, project, may_see_budget=permissions.can(user, rules.VIEW_BUDGET, project),
                  vocabulary_uri=vocabulary_uri)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)
