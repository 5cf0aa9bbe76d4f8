"""Reads shared by the meetings pages, emails, other apps and the dashboard panels.

Data only: what a person may see is decided by ``members.permissions.visible_to``
(the rules of ``meetings/rules.py``), never here; charts and panels are built
in ``panels.py``.
"""

from __future__ import annotations

from collections import OrderedDict
from dataclasses import dataclass

from django.conf import settings
from django.db.models import Count, Max, Prefetch, Q
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils import timezone

from members.models import Organization, User
from members.permissions import visible_to
from members.selectors import AudienceSummary, audience_summary, eligible_organizations, people_of_active_members
from notifications.selectors import mailings_for

from . import tokens
from .models import (
    ActionItem,
    AgendaItem,
    CalendarFeed,
    DatePoll,
    Meeting,
    PollAnswer,
    PollSlot,
    Rsvp,
)

# URLs written into emails and calendars --------------------------------------


def meeting_url(meeting: Meeting) -> str:
    return settings.SITE_URL + reverse("meetings:detail", args=[meeting.pk])


def reply_url(rsvp: Rsvp, response: str | None = None) -> str:
    url = settings.SITE_URL + reverse("meetings:reply_link", args=[rsvp.meeting_id, tokens.reply_token(rsvp)])
    return f"{url}?response={response}" if response else url


def poll_url(poll: DatePoll) -> str:
    return settings.SITE_URL + reverse("meetings:poll", args=[poll.pk])


def meeting_number_next() -> int:
    return (Meeting.objects.aggregate(n=Max("number"))["n"] or 0) + 1


# Lists of meetings --------------------------------------------------------------


def meetings_for_choice(user):
    """Meetings ``user`` may pick in a form of any app (briefings, uploads): newest first."""
    return visible_to(user, Meeting.objects.all()).order_by("-start")


def agenda_items_for_choice(user):
    """Agenda items ``user`` may pick in a form of any app, with their meeting."""
    return visible_to(user, AgendaItem.objects.select_related("meeting")).order_by("-meeting__start", "order")


def _own_rsvps(user):
    if not user.is_authenticated:
        return Rsvp.objects.none()
    return Rsvp.objects.filter(Q(user=user) | Q(email__iexact=user.email))


def _with_own_reply(meetings, user):
    own = Prefetch("rsvps", queryset=_own_rsvps(user), to_attr="own_rsvps")
    return meetings.select_related("host").prefetch_related(own)


def meetings_matching(queryset, query: str):
    """Meetings whose title, description, agenda or minutes mention ``query`` (each word)."""
    for word in query.split()[:8]:
        queryset = queryset.filter(
            Q(title__icontains=word) | Q(description__icontains=word) | Q(minutes_markdown__icontains=word)
            | Q(pk__in=AgendaItem.objects.filter(title__icontains=word).values("meeting"))
        )
    return queryset


def meetings_upcoming_for(user, *, query: str = ""):
    """Meetings still ahead, cancelled ones left out (``meetings_cancelled_for`` lists them)."""
    rows = Meeting.objects.filter(end__gte=timezone.now()).exclude(status=Meeting.Status.CANCELLED)
    rows = visible_to(user, meetings_matching(rows, query)).order_by("start")
    return _with_own_reply(rows, user)


def meetings_past_for(user, *, query: str = ""):
    rows = Meeting.objects.filter(end__lt=timezone.now()).exclude(status=Meeting.Status.CANCELLED)
    rows = visible_to(user, meetings_matching(rows, query)).order_by("-start")
    return _with_own_reply(rows, user).annotate(organizations_present=Count("attending_organizations", distinct=True))


def meetings_cancelled_for(user, *, query: str = ""):
    rows = meetings_matching(Meeting.objects.filter(status=Meeting.Status.CANCELLED), query)
    return visible_to(user, rows).select_related("host").order_by("-start")


def organizations_coming(meeting: Meeting) -> list[Organization]:
    """The organizations with at least one person who accepted, by name."""
    return list(Organization.objects.filter(
        pk__in=meeting.rsvps.filter(response=Rsvp.Response.ACCEPTED).values("organization")
    ).order_by(Lower("name")))


def meetings_for_feed(user):
    """The meetings of a person's calendar feed: those they may see, drafts left out
    (a calendar holds what is announced, even for the people who plan it)."""
    rows = visible_to(user, Meeting.objects.exclude(status=Meeting.Status.DRAFT))
    return rows.prefetch_related(
        Prefetch("agenda_items", queryset=AgendaItem.objects.select_related("presenter"))
    ).order_by("start")


def attendance_counts(user, limit: int = 24) -> list[dict]:
    """[{number, start, present}], oldest first: organizations present at the last
    ``limit`` meetings whose attendance was recorded."""
    rows = list(
        visible_to(user, Meeting.objects.exclude(attendance_recorded_at=None))
        .annotate(present=Count("attending_organizations", distinct=True))
        .order_by("-start")
        .values("number", "start", "present")[:limit]
    )
    rows.reverse()
    return rows


def meetings_of_organization(user, organization: Organization) -> tuple[list, list]:
    """(hosted, attended): the meetings ``organization`` hosted and attended, as ``user`` may see them."""
    visible = visible_to(user, Meeting.objects.all()).order_by("start").only("pk", "number", "start")
    return list(visible.filter(host=organization)), list(visible.filter(attending_organizations=organization))


def next_meeting():
    """The next scheduled meeting: a fact about the group shown to invited organizations."""
    return (
        Meeting.objects.filter(status=Meeting.Status.SCHEDULED, start__gte=timezone.now())
        .select_related("host").order_by("start").first()
    )


# One meeting ---------------------------------------------------------------------


def meeting_detail(meeting: Meeting) -> Meeting:
    """The meeting again, with everything its page shows prefetched."""
    return (
        Meeting.objects.select_related("host", "created_by")
        .prefetch_related(
            # An agenda item's briefing is the reverse side of briefings' link to it.
            Prefetch("agenda_items", queryset=AgendaItem.objects.select_related("presenter", "briefing")),
            "attending_organizations",
            "attendees__organization",
            Prefetch("action_items", queryset=ActionItem.objects.select_related("owner")),
        )
        .get(pk=meeting.pk)
    )


def agenda(meeting: Meeting) -> list[AgendaItem]:
    return list(meeting.agenda_items.select_related("presenter"))


def rsvp_for(meeting: Meeting, user) -> Rsvp | None:
    """The person's own invitation to ``meeting`` (by account, else by address)."""
    if not user.is_authenticated:
        return None
    return meeting.rsvps.filter(Q(user=user) | Q(email__iexact=user.email)).order_by("-user_id").first()


@dataclass(frozen=True)
class Recipient:
    email: str
    name: str = ""
    user: User | None = None
    organization: Organization | None = None


def audience_recipients(meeting: Meeting) -> list[Recipient]:
    """Everyone the meeting's audience names, once per address."""
    if meeting.audience_all:
        people = people_of_active_members()
    else:
        # The same rule as every mailing: a chosen organization that is not an active member reaches nobody.
        people = people_of_active_members().filter(organization__in=meeting.audience_organizations.all())
    found: dict[str, Recipient] = {}
    for person in people.select_related("organization").order_by("organization__name", "full_name", "email"):
        found.setdefault(person.email.lower(), Recipient(person.email, person.full_name, person, person.organization))
    extras = [line.strip().lower() for line in meeting.extra_addresses.splitlines() if line.strip()]
    if extras:
        known = {u.email.lower(): u for u in User.objects.filter(email__in=extras).select_related("organization")}
        for address in extras:
            user = known.get(address)
            found.setdefault(address, Recipient(
                address, user.full_name if user else "", user, user.organization if user else None
            ))
    return list(found.values())


def attendance_choices(meeting: Meeting) -> tuple:
    """(organizations, people): who the attendance form offers: the active member
    organizations, those invited, those already recorded, and their people."""
    organizations = Organization.objects.filter(
        Q(status=Organization.Status.ACTIVE) | Q(pk__in=meeting.rsvps.values("organization"))
        | Q(pk__in=meeting.attending_organizations.values("pk"))
    ).distinct().order_by("name")
    people = User.objects.filter(
        Q(organization__in=organizations) | Q(pk__in=meeting.attendees.values("pk"))
    ).select_related("organization").distinct().order_by("full_name", "email")
    return organizations, people


def people_by_organization(organizations, people) -> list[tuple]:
    """[(organization, [people])] in the organizations' order, from two evaluated lists."""
    grouped: dict = {}
    for person in people:
        grouped.setdefault(person.organization_id, []).append(person)
    return [(org, grouped.get(org.pk, [])) for org in organizations]


def attendance_ticked(meeting: Meeting) -> tuple[set, set, bool]:
    """(organization ids, person ids, prefilled): what the attendance form starts with.

    Once attendance is recorded, that record; before, those who accepted the
    invitation, so that the co-chair only corrects the list.
    """
    if meeting.attendance_recorded_at:
        return (set(meeting.attending_organizations.values_list("pk", flat=True)),
                set(meeting.attendees.values_list("pk", flat=True)), False)
    accepted = meeting.rsvps.filter(response=Rsvp.Response.ACCEPTED)
    return (set(accepted.exclude(organization=None).values_list("organization", flat=True)),
            set(accepted.exclude(user=None).values_list("user", flat=True)), True)


def attendees_by_organization(meeting: Meeting) -> list[tuple]:
    """[(organization, [people])] from the prefetched attendance."""
    organizations = sorted(meeting.attending_organizations.all(), key=lambda o: o.name)
    groups = OrderedDict((org.pk, (org, [])) for org in organizations)
    for person in meeting.attendees.all():
        if person.organization_id in groups:
            groups[person.organization_id][1].append(person)
    return list(groups.values())


def replies_by_organization(meeting: Meeting) -> dict:
    """Replies counted overall and grouped by organization (one query)."""
    rsvps = list(meeting.rsvps.select_related("organization").order_by("organization__name", "name", "email"))
    totals = dict.fromkeys(Rsvp.Response.values, 0)
    groups: OrderedDict = OrderedDict()
    for rsvp in rsvps:
        totals[rsvp.response] += 1
        key = rsvp.organization.name if rsvp.organization else "Other addresses"
        groups.setdefault(key, []).append(rsvp)
    return {"totals": totals, "groups": list(groups.items()), "count": len(rsvps)}


def replies_for_export(meeting: Meeting) -> list[Rsvp]:
    return list(meeting.rsvps.select_related("organization").order_by(Lower("organization__name"), "name", "email"))


def meeting_mailings(meeting: Meeting, limit: int = 5) -> list:
    return list(mailings_for(meeting)[:limit])


# Action items ----------------------------------------------------------------------


def open_action_items(user, *, owner=None):
    rows = visible_to(user, ActionItem.objects.filter(status=ActionItem.Status.OPEN)).select_related("owner", "meeting")
    if owner is not None:
        rows = rows.filter(owner=owner)
    return rows.order_by("due_on", "id")


def action_items_for_export(user, *, meeting_id: int | None = None):
    rows = visible_to(user, ActionItem.objects.select_related("owner", "meeting"))
    if meeting_id is not None:
        rows = rows.filter(meeting_id=meeting_id)
    return rows.order_by("-meeting__start", "due_on", "id")


def action_items_with_status(user, status: str):
    return visible_to(user, ActionItem.objects.filter(status=status)).select_related(
        "owner", "meeting").order_by("due_on", "id")


# Date polls ------------------------------------------------------------------------


def polls_open(user):
    return visible_to(user, DatePoll.objects.filter(status=DatePoll.Status.OPEN)).prefetch_related("slots")


def poll_detail(poll: DatePoll, user) -> dict:
    """Slots with their tally, and the user's own answers."""
    answers = visible_to(user, PollAnswer.objects.select_related("user"))
    slots = list(visible_to(user, PollSlot.objects.filter(poll=poll)).prefetch_related(
        Prefetch("answers", queryset=answers)))
    tally, mine = [], {}
    for slot in slots:
        counts = dict.fromkeys(PollAnswer.Answer.values, 0)
        for answer in slot.answers.all():
            counts[answer.answer] += 1
            if answer.user_id == user.pk:
                mine[slot.pk] = answer.answer
        tally.append({"slot": slot, "counts": counts, "score": counts["yes"] * 2 + counts["maybe"],
                      "people": list(slot.answers.all())})
    best = max((row["score"] for row in tally), default=0)
    for row in tally:
        row["best"] = best > 0 and row["score"] == best
    return {"tally": tally, "mine": mine}


def poll_mailing(poll: DatePoll):
    return mailings_for(poll).first()


# Calendar feed ----------------------------------------------------------------------


def feed_of(user) -> CalendarFeed | None:
    """The person's calendar address, if they made one (reading never creates it)."""
    return visible_to(user, CalendarFeed.objects.all()).first()


def feed_by_key(key: str) -> CalendarFeed | None:
    return CalendarFeed.objects.select_related("user__organization").filter(key=key).first()


# Who a sending reaches, before it goes ----------------------------------------------

SEND_KINDS = ("invitations", "update", "minutes")


def _intended_organizations(meeting: Meeting):
    if meeting.audience_all:
        return eligible_organizations()
    return meeting.audience_organizations.all()


def send_audience(meeting: Meeting, kind: str) -> AudienceSummary:
    """How many people at how many organizations a sending of ``kind`` reaches now,
    and the organizations of the audience that receive nothing: invitations go to
    the audience not yet invited, an update to those invited, the minutes to every invitee."""
    covered = ()
    if kind == "invitations":
        sent = dict(meeting.rsvps.exclude(sent_at=None).values_list("email", "organization_id"))
        sent = {email.lower(): organization for email, organization in sent.items()}
        ids = [r.organization.pk if r.organization else None
               for r in audience_recipients(meeting) if r.email.lower() not in sent]
        covered = sent.values()
    elif kind == "update":
        ids = list(meeting.rsvps.exclude(sent_at=None).values_list("organization_id", flat=True))
    elif kind == "minutes":
        ids = list(meeting.rsvps.values_list("organization_id", flat=True))
    else:
        raise ValueError(f"Not a sending: {kind!r}")
    return audience_summary(recipient_organization_ids=ids, intended=_intended_organizations(meeting),
                            covered=covered)


# The dashboards ----------------------------------------------------------------------


def meetings_awaiting_reply(user):
    """Upcoming scheduled meetings ``user`` may reply to and has not answered yet."""
    answered = _own_rsvps(user).exclude(response=Rsvp.Response.NONE).values("meeting_id")
    return (visible_to(user, Meeting.objects.filter(status=Meeting.Status.SCHEDULED, end__gte=timezone.now()))
            .exclude(pk__in=answered).select_related("host").order_by("start"))


def meetings_drafts(user):
    """Drafts not yet scheduled, soonest first: the co-chairs' unfinished work."""
    return visible_to(user, Meeting.objects.filter(status=Meeting.Status.DRAFT)).order_by("start", "pk")


def replies_summary(meeting: Meeting) -> dict:
    """Replies received and awaited by organization, of those sent the invitation (one query):
    {"received": n, "awaited": n, "organizations": [{"name", "received", "awaited"}], most awaited first}."""
    none = Rsvp.Response.NONE
    rows = list(
        meeting.rsvps.exclude(sent_at=None).values("organization__name")
        .annotate(received=Count("pk", filter=~Q(response=none)), awaited=Count("pk", filter=Q(response=none)))
        .order_by("organization__name")
    )
    organizations = [{"name": row["organization__name"] or "Other addresses", "received": row["received"],
                      "awaited": row["awaited"]} for row in rows]
    organizations.sort(key=lambda row: (-row["awaited"], row["name"].lower()))
    return {"received": sum(r["received"] for r in rows), "awaited": sum(r["awaited"] for r in rows),
            "organizations": organizations}
