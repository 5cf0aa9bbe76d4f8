"""The group's meetings for demos (DESIGN.md section 2).

The first three meetings as recorded (9 November 2006 at the U.S.
Ambassador's residence, December 2006, February 2007), with their agendas,
attendance, minutes and action items (closed in 2006-07, with their dates);
then, counted from the day the demo is loaded, a meeting held a few weeks ago
whose action items are open and one a few weeks ahead whose invitations are
recorded as sent without delivering anything, so that seeding never spams.
"""

from __future__ import annotations

import datetime
from zoneinfo import ZoneInfo

from django.db import transaction
from django.utils import timezone

from members.models import Organization, User
from notifications.models import Message

from . import services
from .models import ActionItem, Meeting

NAIROBI = ZoneInfo("Africa/Nairobi")

EUROPEAN = ["Germany", "Sweden", "Norway", "Denmark", "Finland", "Netherlands", "United Kingdom", "France", "Italy",
            "Belgium"]
FOUNDERS = ["U.S. Embassy", "UNICEF", "IOM", "Canada", "Egypt", "USAID", "ABA", *EUROPEAN]

MEETINGS = [
    {
        "number": 1, "title": "Founding meeting of the working group", "date": (2006, 11, 9), "hours": (10, 12),
        "venue": "Residence of the U.S. Ambassador, Nairobi", "host": "U.S. Embassy",
        "description": "At the initiative of the U.S. Embassy, donors meet to coordinate their work against "
                       "trafficking in persons (TIP) and for child protection in Kenya.",
        "agenda": [("Welcome by the U.S. Ambassador", "U.S. Embassy", 15),
                   ("Why a donor working group on TIP and child protection", "U.S. Embassy", 30),
                   ("Tour de table: what each member does on TIP", None, 60),
                   ("Co-chairs and next steps", "UNICEF", 15)],
        "attended": FOUNDERS,
        "people": ["cochair@usembassy.example", "cochair@unicef.example", "counter-trafficking@iom.example",
                   "member@germany.example", "kenya@aba.example"],
        "minutes": "## Founding meeting\n\nThe U.S. Ambassador welcomed ten European embassies, Canada, Egypt, USAID, "
                   "the ABA, UNICEF and IOM.\n\n"
                   "- The group is founded; the **U.S. Embassy, UNICEF and IOM** co-chair it.\n"
                   "- Members will meet about every six weeks and compare notes on NGOs in the field "
                   "(SOLWODI, Global Child, the ABA).\n",
        "actions": [("Circulate a contact list of the founding members", "U.S. Embassy", (2006, 11, 30),
                     (2006, 11, 24)),
                    ("Propose terms of reference for the group", "UNICEF", (2006, 12, 14), (2006, 12, 14))],
    },
    {
        "number": 2, "title": "TIP report, NGO network and the anti-TIP bill", "date": (2006, 12, 14),
        "hours": (10, 12),
        "venue": "UNICEF Kenya Country Office, UN Gigiri complex", "host": "UNICEF",
        "agenda": [("Interim TIP report on Kenya", "U.S. Embassy", 30),
                   ("The U.S. Embassy's work with the NGO network", "U.S. Embassy", 20),
                   ("Status of the anti-TIP bill", "IOM", 30),
                   ("Any other business", None, 10)],
        "attended": ["U.S. Embassy", "UNICEF", "IOM", "UNODC", "Canada", "USAID", "ABA", "Germany", "Sweden", "Norway",
                     "Netherlands", "United Kingdom", "Italy"],
        "people": ["cochair@usembassy.example", "cochair@unicef.example", "counter-trafficking@iom.example",
                   "tip@unodc.example", "member@germany.example"],
        "minutes": "## TIP report, NGO network and the anti-TIP bill\n\n- The U.S. Embassy presented the interim TIP "
                   "report on Kenya and its work with the NGO network.\n"
                   "- IOM reported on the status of the anti-TIP bill.\n",
        "actions": [("Share IOM's summary of the anti-TIP bill", "IOM", (2007, 1, 15), (2007, 1, 25)),
                    ("Compare IOM, UNODC and ABA project activities to avoid duplication", "UNODC",
                     (2007, 2, 22), (2007, 2, 22))],
    },
    {
        "number": 3, "title": "National action plan, child sex tourism and police investigations",
        "date": (2007, 2, 22),
        "hours": (10, 13), "venue": "IOM Regional Office, Church Road, Westlands", "host": "IOM",
        "agenda": [("Roles of Kenyan government agencies in the national strategy and action plan", "IOM", 40),
                   ("Study of child sex tourism on Kenya's coast", "UNICEF", 40),
                   ("Follow-up on the ECPAT industry code of conduct", "UNICEF", 20),
                   ("Pushing for police investigation of two TIP cases", "U.S. Embassy", 20),
                   ("Report from the TIP seminar in Mombasa (January 2007)", "ABA", 20)],
        "attended": ["U.S. Embassy", "UNICEF", "IOM", "UNODC", "ILO", "Canada", "Egypt", "USAID", "ABA", "Australia",
                     "Save the Children Sweden", "Germany", "Sweden", "Denmark", "Finland", "France", "Belgium"],
        "people": ["cochair@usembassy.example", "cochair@unicef.example", "counter-trafficking@iom.example",
                   "member@sweden.example", "kenya@aba.example"],
        "minutes": "## National action plan, child sex tourism and police investigations\n\n"
                   "- IOM explained which Kenyan agencies play which role in the national strategy and action plan.\n"
                   "- UNICEF presented its study of child sex tourism on the coast "
                   "and the ECPAT code of conduct follow-up.\n"
                   "- The U.S. Embassy asked members to support police investigation of two TIP cases.\n",
        "actions": [("Write to the Commissioner of Police in support of the two investigations", "U.S. Embassy",
                     (2007, 3, 15), (2007, 3, 13)),
                    ("Circulate the child sex tourism study to members", "UNICEF", (2007, 3, 8), (2007, 3, 1))],
    },
]

# The demo is seen today, not in 2007: the last meeting was held a few weeks
# before the day the demo is loaded (its action items are open, due in the
# coming weeks) and the next one is a few weeks ahead. Days are counted from
# that day; everything else keeps the record's dates.
RECENT = {
    "title": "Who does what where: the project registry", "days": -33, "hours": (10, 12),
    "venue": "IOM Regional Office, Church Road, Westlands", "host": "IOM",
    "description": "Members register their anti-TIP projects so that overlaps and gaps show.",
    "agenda": [("The project registry: who does what where", "IOM", 40),
               ("Priorities of the group for the year", "UNICEF", 30),
               ("Any other business", None, 10)],
    "attended": ["U.S. Embassy", "UNICEF", "IOM", "UNODC", "ILO", "USAID", "ABA", "Germany", "Sweden", "Norway",
                 "Save the Children Sweden", "ANPPCAN"],
    "people": ["cochair@usembassy.example", "cochair@unicef.example", "counter-trafficking@iom.example",
               "member@germany.example", "member@sweden.example"],
    "minutes": "## Who does what where: the project registry\n\n"
               "- IOM showed the project registry; members agreed to enter their anti-TIP projects.\n"
               "- UNICEF proposed the group's priorities for the year; comments are welcome before the next "
               "meeting.\n",
    # description, owner, due in days from the day the demo is loaded
    "actions": [("Register the Embassy's anti-TIP projects in the registry", "Germany", 9),
                ("Send comments on the draft priorities for the year", "Save the Children Sweden", 12),
                ("Draft the group's work plan for the year", "UNICEF", 16)],
}

UPCOMING = {
    "title": "Coordination of anti-TIP projects and the year ahead", "days": 19,
    "venue": "UNICEF Kenya Country Office, UN Gigiri complex", "host": "UNICEF",
    "description": "Who does what where: IOM, UNODC and ABA projects side by side, and the group's plan for the year.",
    "agenda": [("Review of open action items", "UNICEF", 15),
               ("Anti-TIP projects: who does what where", "IOM", 45),
               ("Update on the anti-TIP bill", "IOM", 20),
               ("Any other business", None, 10)],
    "replies": {"member@germany.example": "accepted", "cochair@unicef.example": "accepted",
                "counter-trafficking@iom.example": "tentative"},
}


def _organization(key: str) -> Organization | None:
    return (Organization.objects.filter(acronym=key).first() or Organization.objects.filter(name=key).first()
            or Organization.objects.filter(country=key, kind=Organization.Kind.MISSION).first())


def _at(day: datetime.date, hour: int) -> datetime.datetime:
    return datetime.datetime(day.year, day.month, day.day, hour, 0, tzinfo=NAIROBI)


def _agenda(meeting: Meeting, agenda) -> None:
    for title, presenter, minutes in agenda:
        services.agenda_item_add(meeting=meeting, title=title,
                                 presenter=_organization(presenter) if presenter else None,
                                 minutes=minutes)


def _held(spec: dict, *, number: int, day: datetime.date, by: User | None) -> Meeting:
    """A past meeting with its agenda, attendance and minutes (published a week later)."""
    meeting = services.meeting_create(
        by=by, title=spec["title"], number=number, start=_at(day, spec["hours"][0]), end=_at(day, spec["hours"][1]),
        venue=spec["venue"], host=_organization(spec["host"]), description=spec.get("description", ""),
        status=Meeting.Status.HELD,
    )
    _agenda(meeting, spec["agenda"])
    services.attendance_record(
        meeting=meeting, organizations=[o for o in map(_organization, spec["attended"]) if o],
        people=User.objects.filter(email__in=spec["people"]).select_related("organization"),
    )
    meeting.minutes_markdown = spec["minutes"]
    meeting.minutes_published_at = _at(day, 18) + datetime.timedelta(days=min(7, (timezone.localdate() - day).days))
    meeting.save(update_fields=["minutes_markdown", "minutes_published_at"])
    return meeting


def _action(meeting: Meeting, *, description: str, owner: str, due_on: datetime.date,
            closed_on: datetime.date | None = None) -> None:
    status = ActionItem.Status.DONE if closed_on else ActionItem.Status.OPEN
    item = ActionItem.objects.create(meeting=meeting, description=description, owner=_organization(owner),
                                     due_on=due_on, status=status)
    # The record's items were closed in 2006-07: the last change carries that date, not the day of loading.
    stamp = _at(closed_on or meeting.start.astimezone(NAIROBI).date(), 17)
    ActionItem.objects.filter(pk=item.pk).update(created_at=min(stamp, meeting.end), updated_at=stamp)


@transaction.atomic
def seed(*, password: str, **_) -> dict:
    """Load the meetings; returns the counts of what was created this time.

    The record's meetings are found by number; the recent and the upcoming ones
    by title, so that loading again on another day adds nothing.
    """
    created = {"meetings": 0, "invitations": 0}
    by = User.objects.filter(email="cochair@usembassy.example").first()
    today = timezone.localdate()
    for spec in MEETINGS:
        if Meeting.objects.filter(number=spec["number"]).exists():
            continue
        meeting = _held(spec, number=spec["number"], day=datetime.date(*spec["date"]), by=by)
        for description, owner, due, closed in spec["actions"]:
            _action(meeting, description=description, owner=owner, due_on=datetime.date(*due),
                    closed_on=datetime.date(*closed))
        created["meetings"] += 1

    if not Meeting.objects.filter(title=RECENT["title"]).exists():
        meeting = _held(RECENT, number=len(MEETINGS) + 1, day=today + datetime.timedelta(days=RECENT["days"]), by=by)
        for description, owner, due_in in RECENT["actions"]:
            _action(meeting, description=description, owner=owner, due_on=today + datetime.timedelta(days=due_in))
        created["meetings"] += 1

    if not Meeting.objects.filter(title=UPCOMING["title"]).exists():
        day = today + datetime.timedelta(days=UPCOMING["days"])
        meeting = services.meeting_create(
            by=by, title=UPCOMING["title"], number=len(MEETINGS) + 2, start=_at(day, 10), end=_at(day, 12),
            venue=UPCOMING["venue"], host=_organization(UPCOMING["host"]), description=UPCOMING["description"],
            status=Meeting.Status.SCHEDULED,
        )
        _agenda(meeting, UPCOMING["agenda"])
        mailing = services.rsvps_send(meeting=meeting, by=by)
        # The demo records the invitations as delivered: seeding must not send email to anyone.
        if mailing is not None:
            created["invitations"] = mailing.messages.update(status=Message.Status.SENT, sent_at=timezone.now())
        for email, response in UPCOMING["replies"].items():
            rsvp = meeting.rsvps.filter(email=email).first()
            if rsvp:
                services.reply_set(rsvp=rsvp, response=response)
        created["meetings"] += 1
    return created
