"""Demo projects, notes and policy items of the group as it stood in March 2007 (DESIGN.md section 2).

IOM and UNODC run major anti-trafficking projects funded by Nordic donors; the
ABA already does justice-sector training and public awareness. The IOM/ABA
awareness pair is already marked complementary; the IOM/ABA training pair is
left open, as the group found it. Budgets, dates, counties and most titles
are illustrative (the record is silent on them). Idempotent: a second run
creates nothing.
"""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.db import transaction

from briefings.models import Briefing, Document
from members import services as members_services
from members.models import Organization, OrganizationNote, User

from . import services
from .models import PolicyItem, Project
from .services import Participant, ProjectData

D = datetime.date

IOM, UNODC, ABA, UNICEF = "IOM", "UNODC", "ABA", "UNICEF"
NORWAY, SWEDEN, DENMARK, FINLAND = "Royal Norwegian Embassy", "Embassy of Sweden", "Royal Danish Embassy", \
    "Embassy of Finland"

# key, reporter, contact email, title, activity, counties, beneficiaries, sectors, start, end, status,
# funders, implementers, budget (currency), description
PROJECTS = [
    ("iom-training", IOM, "counter-trafficking@iom.example",
     "Counter-trafficking capacity building for police, prosecutors and magistrates", "training",
     ["KE-28", "KE-30"], ["justice_actors"], [("15130", 60), ("15132", 40)], D(2007, 1, 15), D(2008, 12, 31), 2,
     [NORWAY, SWEDEN], [], (Decimal("850000"), "USD"),
     "Training of trainers for the Kenya Police, the prosecution and the judiciary on identifying and "
     "prosecuting trafficking cases."),
    ("iom-awareness", IOM, "counter-trafficking@iom.example",
     "Safe migration information campaign", "prevention", ["KE-28", "KE-30"], ["migrants", "public"],
     [("15190", 100)], D(2007, 2, 1), D(2008, 1, 31), 2, [NORWAY], [], (Decimal("240000"), "USD"),
     "Radio spots and community meetings on the risks of irregular migration and fraudulent job offers abroad."),
    ("unodc-legislation", UNODC, "tip@unodc.example",
     "Support to anti-trafficking legislation and victim protection", "legislation", ["national"],
     ["survivors", "justice_actors"], [("15130", 50), ("15160", 50)], D(2007, 3, 1), D(2009, 2, 28), 1,
     [DENMARK, FINLAND], [], (Decimal("1200000"), "USD"),
     "Technical advice to the drafters of the anti-trafficking bill and to the agencies that will apply it."),
    ("aba-training", ABA, "kenya@aba.example",
     "Justice-sector training on trafficking cases", "training", ["KE-30", "KE-28"], ["justice_actors"],
     [("15130", 100)], D(2006, 9, 1), D(2007, 12, 31), 2, ["USAID"], [], (Decimal("300000"), "USD"),
     "Workshops for magistrates and prosecutors on the laws that already apply to trafficking."),
    ("aba-awareness", ABA, "kenya@aba.example",
     "Public awareness campaign on trafficking in persons", "prevention", ["KE-28", "KE-14", "KE-19"],
     ["public"], [("15180", 100)], D(2007, 1, 1), D(2007, 12, 31), 2, ["USAID"], [], (Decimal("120000"), "USD"),
     "Posters, radio and school visits on the coast."),
    ("unicef-coast", UNICEF, "cochair@unicef.example",
     "Identification and referral of child victims of sex tourism on the coast", "identification",
     ["KE-28", "KE-14", "KE-19"], ["children"], [("15180", 50), ("16010", 50)], D(2006, 11, 1), D(2008, 10, 31), 2,
     [], ["Global Child"], (Decimal("500000"), "USD"),
     "Follow-up of the study of child sex tourism: referral desks and the ECPAT code of conduct with hotels."),
    ("anppcan-committees", "ANPPCAN", "",
     "Community child protection committees in Kwale", "identification", ["KE-19"], ["children"],
     [("16010", 100)], D(2007, 1, 1), D(2007, 12, 31), 2, [UNICEF], [], None,
     "Village committees that spot and refer children at risk (funded by UNICEF)."),
    ("stc-reintegration", "Save the Children Sweden", "member@sweden.example",
     "Reintegration of child survivors with their families", "reintegration", ["KE-14", "KE-19"],
     ["children", "survivors"], [("16010", 100)], D(2007, 3, 1), D(2008, 2, 29), 1, [SWEDEN], ["SOLWODI"],
     (Decimal("900000"), "SEK"), "Family tracing, schooling and follow-up of children returned from exploitation."),
    ("usaid-shelter", "USAID", "",
     "Shelter and services for survivors of trafficking", "shelter", ["KE-30", "KE-28"], ["survivors",
                                                                                           "women_girls"],
     [("15180", 100)], D(2006, 10, 1), D(2007, 9, 30), 2, [], ["SOLWODI"], (Decimal("400000"), "USD"),
     "Support to shelters run by NGOs in Nairobi and Mombasa."),
    ("ilo-research", "ILO", "",
     "Study of labour trafficking of Kenyan migrant workers to the Gulf", "research", ["national"], ["migrants"],
     [("16070", 100)], D(2007, 2, 1), D(2007, 11, 30), 2, [], [], None,
     "Interviews with returnees and recruitment agencies."),
    ("iom-seminar", IOM, "counter-trafficking@iom.example",
     "TIP seminar in Mombasa", "conference", ["KE-28"], ["public", "survivors"], [("15160", 100)],
     D(2007, 1, 25), D(2007, 1, 26), 4, [NORWAY], [], None,
     "A seminar with a Kenyan survivor who was trafficked to Germany."),
    ("germany-coordination", "Embassy of the Federal Republic of Germany", "member@germany.example",
     "Support to the working group's coordination", "coordination", ["KE-30"], [], [("15160", 100)],
     D(2007, 1, 1), D(2007, 12, 31), 2, [], [], None, "Meeting rooms, translation and the group's mailing list."),
]

# (reporter's project, other project, decision, note)
DECISIONS = [
    ("iom-awareness", "aba-awareness", "complementary",
     "IOM speaks to would-be migrants in towns; the ABA to schools and villages on the coast. Materials shared."),
]

NOTES = [
    ("SOLWODI", "counter-trafficking@iom.example", D(2007, 2, 12),
     "Runs a shelter and drop-in centre for women in Mombasa; reliable partner for referrals. "
     "Ask for their outreach worker in Bamburi."),
    ("SOLWODI", "member@sweden.example", D(2007, 3, 1),
     "Implementing partner for our reintegration work in Kilifi and Kwale; good at family tracing."),
    ("Global Child", "cochair@unicef.example", D(2007, 2, 20),
     "Works with children on the beaches of Malindi and Watamu; small team, strong community links, "
     "reporting to donors is slow."),
]


def _organization(key: str) -> Organization | None:
    return Organization.objects.filter(acronym=key).first() or Organization.objects.filter(name=key).first()


def _participants(keys) -> list[Participant]:
    found = []
    for key in keys:
        organization = _organization(key)
        found.append(Participant(organization=organization) if organization else Participant(name=key))
    return found


def _seed_projects() -> int:
    made, by_key = 0, {}
    for (key, reporter, contact, title, activity, places, groups, sectors, start, end, status, funders,
         implementers, budget, description) in PROJECTS:
        organization = _organization(reporter)
        if organization is None:
            continue
        existing = Project.objects.filter(reporting_organization=organization, title=title).first()
        if existing is not None:
            by_key[key] = existing
            continue
        contact_user = User.objects.filter(email=contact).first() if contact else None
        data = ProjectData(
            title=title, activity_type=activity, status=status, description=description,
            planned_start=start, planned_end=end, actual_start=start if status != 1 else None,
            budget=budget[0] if budget else None, currency=budget[1] if budget else "",
            contact=contact_user, contact_name="" if contact_user else f"Programme officer, {reporter}",
            sectors=[(code, Decimal(pct)) for code, pct in sectors], locations=places, beneficiaries=groups,
            funders=_participants(funders), implementers=_participants(implementers),
        )
        decisions = {}
        for mine, theirs, kind, note in DECISIONS:
            if mine == key and theirs in by_key:
                decisions[by_key[theirs].pk] = (kind, note)
        by_key[key] = services.project_save(organization=organization, data=data, by=contact_user,
                                            decisions=decisions, notify=False)
        made += 1
    # Decisions whose second project was saved first (a re-run after a partial seed).
    for mine, theirs, kind, note in DECISIONS:
        if mine in by_key and theirs in by_key:
            pairs = services.overlaps_refresh(project=by_key[mine])
            pair = pairs.get(by_key[theirs].pk)
            if pair is not None and not pair.decision:
                services.overlap_decide(pair=pair, kind=kind, note=note, by=by_key[mine].contact, notify=False)
    return made


def _seed_notes() -> int:
    made = 0
    for org_key, email, on, text in NOTES:
        organization, author = _organization(org_key), User.objects.filter(email=email).first()
        if organization is None or author is None:
            continue
        if OrganizationNote.objects.filter(organization=organization, author=author, noted_on=on).exists():
            continue
        members_services.note_add(organization=organization, author=author, text=text, noted_on=on)
        made += 1
    return made


BILL = "Counter-trafficking in persons bill"
PLAN = "National plan of action against trafficking in persons"


def _iom_briefing() -> tuple[Briefing | None, Document | None]:
    briefing = Briefing.objects.filter(title__icontains="anti-TIP bill").order_by("id").first()
    document = Document.objects.filter(title__icontains="anti-TIP bill").order_by("id").first()
    return briefing, document


def _seed_policy() -> int:
    made = 0
    secretariat = User.objects.filter(email="secretariat@wgportal.example").first()
    briefing, document = _iom_briefing()
    when = D(2007, 2, 8)
    if briefing is not None:
        when = briefing.given_on or (briefing.meeting.start.date() if briefing.meeting_id else when)
    if not PolicyItem.objects.filter(title=BILL).exists():
        bill = services.policy_item_save(
            title=BILL, kind="bill", route="government", by=secretariat,
            description="A law making trafficking in persons an offence, protecting its victims and setting up "
                        "an advisory committee. As of March 2007 it is still being drafted.",
        )
        services.policy_stage_add(
            item=bill, stage="drafting", on=when, by=secretariat, source_briefing=briefing, source_document=document,
            note="Draft prepared by the Ministry of Home Affairs with the State Law Office; IOM briefed the group "
                 "on where it stands and which agencies play which role.",
        )
        for name, role in [
            ("Ministry of Home Affairs", "Leads the drafting and the inter-ministerial task force."),
            ("Office of the Attorney General (State Law Office)", "Drafts the bill with the ministry."),
            ("Kenya Police", "Investigates trafficking cases; trained under the bill."),
            ("Department of Immigration", "Screens at borders and airports; identifies victims."),
            ("Department of Children's Services", "Protects child victims; runs rescue centres."),
        ]:
            services.policy_agency_add(item=bill, name=name, role=role)
        made += 1
    if not PolicyItem.objects.filter(title=PLAN).exists():
        plan = services.policy_item_save(
            title=PLAN, kind="plan", route="", by=secretariat,
            description="The national strategy and plan of action that sets which agency does what.",
        )
        services.policy_stage_add(
            item=plan, stage="drafting", on=when, by=secretariat, source_briefing=briefing,
            note="Being drafted with the agencies named in IOM's briefing.",
        )
        services.policy_agency_add(item=plan, name="Ministry of Home Affairs", role="Coordinates the plan.")
        services.policy_agency_add(item=plan, name="Ministry of Gender, Sports, Culture and Social Services",
                                   role="Leads on prevention and the protection of women.")
        made += 1
    return made


@transaction.atomic
def seed(*, password: str = "", **_) -> dict:
    """Load the demo projects, notes and policy items (after members and briefings)."""
    return {"projects": _seed_projects(), "partner notes": _seed_notes(), "policy items": _seed_policy()}


def load(**kwargs) -> dict:
    return seed(**kwargs)
