"""Reads shared by the members pages and the dashboard."""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from django.conf import settings
from django.db.models import Count, Prefetch, Q
from django.db.models.functions import Lower
from django.utils import timezone

from . import cache as portal_cache
from . import hooks
from .models import Invitation, InvitationToken, MembershipChange, Organization, User


def organizations_list(*, q: str = "", kind: str = "", status: str = ""):
    rows = Organization.objects.annotate(people_count=Count("people", filter=Q(people__is_active=True)))
    if q:
        rows = rows.filter(
            Q(name__icontains=q) | Q(acronym__icontains=q) | Q(country__icontains=q)
        )
    if kind:
        rows = rows.filter(kind=kind)
    if status:
        rows = rows.filter(status=status)
    return rows.order_by("name")


def organizations_with_details():
    """Organizations with what their page shows (people, history) prefetched. Notes on an
    organization are not among them: who may read them depends on the reader (``rules.py``)."""
    people = User.objects.filter(is_active=True).order_by("-is_focal_point", "full_name")
    return Organization.objects.prefetch_related(
        Prefetch("people", queryset=people),
        Prefetch("membership_changes", queryset=MembershipChange.objects.select_related("changed_by")),
    )


def group_at_a_glance() -> dict:
    """Counts of active members by kind, and who joined most recently. Cached until
    an organization or its membership changes (``members.cache``, scope "membership")."""
    return portal_cache.cached("membership", "glance", _group_at_a_glance)


def _group_at_a_glance() -> dict:
    active = Organization.objects.filter(status=Organization.Status.ACTIVE)
    counts = dict(active.values_list("kind").annotate(n=Count("pk")).values_list("kind", "n"))
    kinds = Organization.Kind
    return {
        "missions": counts.get(kinds.MISSION, 0),
        "un_agencies": counts.get(kinds.UN_AGENCY, 0),
        "ngos": counts.get(kinds.NGO, 0),
        "others": sum(n for k, n in counts.items() if k not in {kinds.MISSION, kinds.UN_AGENCY, kinds.NGO}),
        "total": sum(counts.values()),
        "cochairs": list(active.filter(is_cochair=True).order_by("name")),
        "recently_joined": list(active.exclude(joined_on=None).order_by("-joined_on", "name")[:5]),
        "invited": Organization.objects.filter(status=Organization.Status.INVITED).count(),
        # Partners work in the field without being members: counted apart, never among the member NGOs.
        "partners": Organization.objects.filter(status=Organization.Status.PARTNER).count(),
    }


def people_for_export():
    return User.objects.filter(is_active=True).select_related("organization").order_by(
        "organization__name", "full_name"
    )


def organizations_without_people():
    return Organization.objects.filter(people=None).order_by("name")


# --- Invitations ---------------------------------------------------------------


Availability = Invitation.Availability


def invitation_resolve(token: str) -> tuple[Availability, Invitation | None]:
    """What a link leads to: ("valid", invitation) or (why not, invitation or None).

    "unknown" is a link that was never issued (forged or mistyped); "replaced"
    one killed by a resend; the rest are ``Invitation.availability``.
    """
    if not token or len(token) > 200:
        return Availability.UNKNOWN, None
    return invitation_resolve_hash(InvitationToken.hash(token))


def invitation_resolve_hash(token_hash: str) -> tuple[Availability, Invitation | None]:
    row = (
        InvitationToken.objects.select_related("invitation__organization", "invitation__invited_by")
        .filter(token_hash=token_hash)
        .first()
    )
    if row is None:
        return Availability.UNKNOWN, None
    invitation = row.invitation
    availability = invitation.availability
    if availability == Availability.VALID and row.replaced_at is not None:
        return Availability.REPLACED, invitation
    return availability, invitation


def _state_filter(state: str) -> Q:
    now = timezone.now()
    if state == Invitation.State.PENDING:
        return Q(status=Invitation.Status.PENDING, expires_at__gt=now)
    if state == Invitation.State.EXPIRED:
        return Q(status=Invitation.Status.PENDING, expires_at__lte=now)
    return Q(status=state)


def invitations_list(*, state: str = "", q: str = "", organization: Organization | None = None):
    rows = Invitation.objects.select_related("organization", "invited_by", "accepted_by")
    if state:
        rows = rows.filter(_state_filter(state))
    if q:
        rows = rows.filter(Q(email__icontains=q) | Q(full_name__icontains=q) | Q(organization__name__icontains=q)
                           | Q(organization__country__icontains=q))
    if organization is not None:
        rows = rows.filter(organization=organization)
    return rows.order_by("-sent_at", "-id")


def invitation_state_counts(invitations=None) -> dict:
    """How many of ``invitations`` (a queryset; all by default) are in each state."""
    invitations = Invitation.objects.all() if invitations is None else invitations
    aggregates = {state.value: Count("pk", filter=_state_filter(state)) for state in Invitation.State}
    return invitations.aggregate(total=Count("pk"), **aggregates)


def invitations_pending():
    return Invitation.objects.filter(_state_filter(Invitation.State.PENDING))


def pending_emails_of(organization: Organization) -> set[str]:
    """The addresses (lower case) with an invitation to ``organization`` still pending."""
    return {email.lower() for email in Invitation.objects.filter(
        organization=organization, status=Invitation.Status.PENDING).values_list("email", flat=True)}


def organization_invitation_answers(organization: Organization) -> set[str]:
    """The statuses of the organization invitations of ``organization``, revoked ones left out."""
    return set(organization.invitations.filter(kind=Invitation.Kind.ORGANIZATION).exclude(
        status=Invitation.Status.REVOKED).values_list("status", flat=True))


def account_exists(email: str) -> bool:
    return User.objects.filter(email__iexact=email).exists()


def invitation_move_from(invitation: Invitation, user) -> Organization | None:
    """The active organization that accepting ``invitation`` would take ``user`` away
    from, or None. Such a move waits for a coordinator: a focal point's invitation
    must not pull a co-chair (or anyone) out of their organization."""
    if user is None or not getattr(user, "pk", None) or not user.organization_id:
        return None
    if user.organization_id == invitation.organization_id:
        return None
    current = Organization.objects.filter(pk=user.organization_id, status=Organization.Status.ACTIVE).first()
    return current


def invitations_due_for_reminder():
    """Pending invitations whose link went out INVITATION_REMINDER_DAYS ago and
    that have had no reminder since (a resend starts a new period)."""
    cutoff = timezone.now() - datetime.timedelta(days=settings.INVITATION_REMINDER_DAYS)
    return invitations_pending().filter(sent_at__lte=cutoff, auto_reminded=False)


def group_facts() -> list[tuple[str, str]]:
    """What an invitee reads about the group: co-chairs, members, and what the
    apps above add through ``hooks.register_group_fact``."""
    active = Organization.objects.filter(status=Organization.Status.ACTIVE)
    cochairs = [org.acronym or org.name for org in active.filter(is_cochair=True).order_by("name")]
    facts = [("Co-chairs", ", ".join(cochairs) or "—"), ("Member organizations", str(active.count()))]
    for func in hooks.group_facts:
        facts.extend(func() or [])
    return facts


# --- Membership over time --------------------------------------------------------

CHART_KINDS = [
    ("Missions", {Organization.Kind.MISSION}),
    ("UN agencies", {Organization.Kind.UN_AGENCY}),
    ("NGOs", {Organization.Kind.NGO}),
    ("Others", None),  # every other kind
]


def _months(start: datetime.date, end: datetime.date) -> list[datetime.date]:
    months, month = [], start.replace(day=1)
    while month <= end:
        months.append(month)
        month = (month + datetime.timedelta(days=32)).replace(day=1)
    return months


def membership_by_month(*, until: datetime.date | None = None) -> dict:
    """Active members by kind at the end of each month since the group began,
    rebuilt from the membership history (one query)."""
    until = until or timezone.localdate()
    founded = datetime.date.fromisoformat(settings.GROUP_FOUNDED)
    months = _months(founded, until)
    changes = defaultdict(list)
    kinds = {}
    for org_id, kind, to_status, changed_on in MembershipChange.objects.order_by("changed_on", "id").values_list(
        "organization_id", "organization__kind", "to_status", "changed_on"
    ):
        changes[org_id].append((changed_on, to_status))
        kinds[org_id] = kind
    series = {label: [0] * len(months) for label, _ in CHART_KINDS}
    for org_id, history in changes.items():
        label = next(label for label, members in CHART_KINDS if members is None or kinds[org_id] in members)
        position, status = 0, ""
        for index, month in enumerate(months):
            month_end = (month + datetime.timedelta(days=32)).replace(day=1) - datetime.timedelta(days=1)
            while position < len(history) and history[position][0] <= month_end:
                status = history[position][1]
                position += 1
            if status == Organization.Status.ACTIVE:
                series[label][index] += 1
    return {"months": months, "series": series}


def people_of_active_members():
    """Everyone at the active member organizations, plus the secretariat (who
    belongs to no organization but runs the group): the one rule for who may
    receive the group's mailings (meeting invitations, circulations, polls)."""
    return User.objects.filter(is_active=True).filter(
        Q(organization__status=Organization.Status.ACTIVE) | Q(role=User.Role.SECRETARIAT)
    )


# --- Who a mailing reaches ---------------------------------------------------------


@dataclass(frozen=True)
class AudienceSummary:
    """Who a mailing reaches, told before it goes: ``people`` addresses at
    ``organizations`` organizations, and the ``unreached`` organizations the
    audience names that will receive nothing (nobody there to write to)."""

    people: int
    organizations: int
    unreached: list

    @property
    def is_empty(self) -> bool:
        return self.people == 0


def eligible_organizations():
    """The organizations whose people receive the group's mailings: the active members
    (the rule of ``people_of_active_members``, seen from the organizations' side)."""
    return Organization.objects.filter(status=Organization.Status.ACTIVE)


def audience_summary(*, recipient_organization_ids: Iterable[int | None], intended,
                     covered: Iterable[int | None] = ()) -> AudienceSummary:
    """The one summary of an audience, for meetings and circulations alike.

    ``recipient_organization_ids`` holds one entry per recipient (``None`` for the
    secretariat or a guest address); ``intended`` is the queryset of organizations
    the audience names; ``covered`` the organizations an earlier sending reached
    (not counted again, not "left out"). One query: the intended organizations
    nobody will hear at.
    """
    ids = list(recipient_organization_ids)
    reached = {pk for pk in ids if pk is not None}
    known = reached | {pk for pk in covered if pk is not None}
    unreached = list(intended.exclude(pk__in=known).order_by(Lower("name")).only("pk", "name", "acronym"))
    return AudienceSummary(people=len(ids), organizations=len(reached), unreached=unreached)


# --- The secretariat's dashboard ---------------------------------------------------


def organizations_without_contact():
    """Active member organizations with nobody active to write to: mailings pass them by."""
    with_people = User.objects.filter(is_active=True, organization__isnull=False).values("organization_id")
    return eligible_organizations().exclude(pk__in=with_people).order_by(Lower("name"))


def invitations_expiring(*, within_days: int = 7):
    """Pending invitations whose link dies within ``within_days``, soonest first."""
    horizon = timezone.now() + datetime.timedelta(days=within_days)
    return invitations_pending().filter(expires_at__lte=horizon).select_related("organization").order_by(
        "expires_at", "id")


def joins_recent(*, days: int = 30):
    """People who accepted an invitation in the last ``days`` days, newest first."""
    since = timezone.now() - datetime.timedelta(days=days)
    return Invitation.objects.filter(status=Invitation.Status.ACCEPTED, responded_at__gte=since).exclude(
        accepted_by=None).select_related("accepted_by", "organization").order_by("-responded_at", "-id")


def cochair_people():
    """The active people of the co-chair organizations: they hear of newcomers."""
    return User.objects.filter(is_active=True, organization__is_cochair=True,
                               organization__status=Organization.Status.ACTIVE).order_by("email")
