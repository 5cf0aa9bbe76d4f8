"""The working group as recorded in March 2007 (DESIGN.md section 2), for demos.

Names the record does not give (which ten European embassies, the fourth UN
organization, the fifteenth mission, one of the NGOs) are illustrative; the
README says so. Loading is idempotent: rows are looked up by name or email.
"""

from __future__ import annotations

import datetime
import secrets

from allauth.account.models import EmailAddress
from django.conf import settings
from django.db import transaction
from django.utils import timezone

from .models import Invitation, InvitationToken, MembershipChange, Organization, User

FOUNDED = datetime.date(2006, 11, 1)
FIRST_MEETING = datetime.date(2006, 11, 9)

K = Organization.Kind
S = Organization.Status

# name, acronym, kind, country, status, joined_on, co-chair
ORGANIZATIONS = [
    ("Embassy of the United States of America", "U.S. Embassy", K.MISSION, "United States", S.ACTIVE,
     FIRST_MEETING, True),
    ("United Nations Children's Fund", "UNICEF", K.UN_AGENCY, "", S.ACTIVE, FIRST_MEETING, True),
    ("International Organization for Migration", "IOM", K.UN_AGENCY, "", S.ACTIVE, FIRST_MEETING, True),
    # Not at the first meeting (DESIGN.md section 2 names who was): they joined afterwards (dates illustrative).
    ("United Nations Office on Drugs and Crime", "UNODC", K.UN_AGENCY, "", S.ACTIVE, datetime.date(2006, 12, 1),
     False),
    ("International Labour Organization", "ILO", K.UN_AGENCY, "", S.ACTIVE, datetime.date(2007, 1, 10), False),
    ("High Commission of Canada", "", K.MISSION, "Canada", S.ACTIVE, FIRST_MEETING, False),
    ("Embassy of the Arab Republic of Egypt", "", K.MISSION, "Egypt", S.ACTIVE, FIRST_MEETING, False),
    ("Embassy of the Federal Republic of Germany", "", K.MISSION, "Germany", S.ACTIVE, FIRST_MEETING, False),
    ("Embassy of Sweden", "", K.MISSION, "Sweden", S.ACTIVE, FIRST_MEETING, False),
    ("Royal Norwegian Embassy", "", K.MISSION, "Norway", S.ACTIVE, FIRST_MEETING, False),
    ("Royal Danish Embassy", "", K.MISSION, "Denmark", S.ACTIVE, FIRST_MEETING, False),
    ("Embassy of Finland", "", K.MISSION, "Finland", S.ACTIVE, FIRST_MEETING, False),
    ("Embassy of the Kingdom of the Netherlands", "", K.MISSION, "Netherlands", S.ACTIVE, FIRST_MEETING, False),
    ("British High Commission", "", K.MISSION, "United Kingdom", S.ACTIVE, FIRST_MEETING, False),
    ("Embassy of France", "", K.MISSION, "France", S.ACTIVE, FIRST_MEETING, False),
    ("Embassy of Italy", "", K.MISSION, "Italy", S.ACTIVE, FIRST_MEETING, False),
    ("Embassy of Belgium", "", K.MISSION, "Belgium", S.ACTIVE, FIRST_MEETING, False),
    ("Embassy of Japan", "", K.MISSION, "Japan", S.ACTIVE, datetime.date(2007, 1, 25), False),
    ("Australian High Commission", "", K.MISSION, "Australia", S.ACTIVE, datetime.date(2007, 1, 18), False),
    ("United States Agency for International Development", "USAID", K.DONOR_AGENCY, "United States", S.ACTIVE,
     FIRST_MEETING, False),
    ("American Bar Association Rule of Law Initiative", "ABA", K.PROFESSIONAL, "United States", S.ACTIVE,
     FIRST_MEETING, False),
    ("Save the Children Sweden", "", K.NGO, "Sweden", S.ACTIVE, datetime.date(2007, 2, 15), False),
    ("ANPPCAN Kenya Chapter", "ANPPCAN", K.NGO, "Kenya", S.ACTIVE, datetime.date(2007, 2, 8), False),
    ("Solidarity with Women in Distress", "SOLWODI", K.NGO, "Kenya", S.PARTNER, None, False),
    ("Global Child", "", K.NGO, "Kenya", S.PARTNER, None, False),
    ("Embassy of Lebanon", "", K.MISSION, "Lebanon", S.INVITED, None, False),
    ("Royal Embassy of Saudi Arabia", "", K.MISSION, "Saudi Arabia", S.INVITED, None, False),
    ("High Commission of Bangladesh", "", K.MISSION, "Bangladesh", S.INVITED, None, False),
    ("High Commission of India", "", K.MISSION, "India", S.INVITED, None, False),
    ("High Commission of Pakistan", "", K.MISSION, "Pakistan", S.INVITED, None, False),
    ("High Commission of Sri Lanka", "", K.MISSION, "Sri Lanka", S.INVITED, None, False),
]

DESCRIPTIONS = {
    "U.S. Embassy": "Took the initiative to found the group in November 2006; its Ambassador hosted the first meeting.",
    "IOM": "Runs a major anti-TIP project funded by Nordic donors; "
           "follows the anti-TIP bill and the national strategy and action plan.",
    "UNODC": "Runs a major anti-TIP project funded by Nordic donors.",
    "UNICEF": "Studied child sex tourism on Kenya's coast; follows up the ECPAT industry code of conduct.",
    "ABA": "Justice-system capacity building and public-awareness campaigns.",
    "SOLWODI": "Works with women in distress on the coast; members compare notes on its work.",
}

# email, full name, title, organization acronym-or-name, role, focal point
PEOPLE = [
    ("cochair@usembassy.example", "Margaret Ellison", "Political Officer, TIP focal point", "U.S. Embassy",
     User.Role.MEMBER, True),
    ("cochair@unicef.example", "Amina Odhiambo", "Child Protection Specialist", "UNICEF", User.Role.MEMBER, True),
    ("secretariat@wgportal.example", "Peter Kamau", "Secretariat of the working group", None,
     User.Role.SECRETARIAT, False),
    ("member@germany.example", "Katrin Vogel", "First Secretary, Development Cooperation",
     "Embassy of the Federal Republic of Germany", User.Role.MEMBER, True),
    ("member@sweden.example", "Ingrid Larsson", "Programme Manager, Child Protection", "Save the Children Sweden",
     User.Role.MEMBER, True),
    ("counter-trafficking@iom.example", "Daniel Mwangi", "Counter-Trafficking Programme Coordinator", "IOM",
     User.Role.MEMBER, True),
    ("tip@unodc.example", "Sofia Marchetti", "Project Officer, Human Trafficking", "UNODC", User.Role.MEMBER, True),
    ("kenya@aba.example", "Robert Hale", "Country Director", "ABA", User.Role.MEMBER, True),
]


# Contacts of the invited and recently joined organizations (illustrative).
# organization name, contact email, contact name, state, answered on
INVITATIONS = [
    ("Embassy of Lebanon", "contact@lebanon.example", "Rami Haddad", "pending", None),
    ("Royal Embassy of Saudi Arabia", "contact@saudiarabia.example", "Faisal Al-Harbi", "pending", None),
    ("High Commission of Bangladesh", "contact@bangladesh.example", "Nasreen Chowdhury", "pending", None),
    ("High Commission of India", "contact@india.example", "Anjali Sharma", "pending", None),
    ("High Commission of Pakistan", "contact@pakistan.example", "Imran Qureshi", "pending", None),
    ("High Commission of Sri Lanka", "contact@srilanka.example", "Dilani Perera", "pending", None),
    ("Australian High Commission", "contact@australia.example", "James Whitfield", "accepted",
     datetime.date(2007, 1, 18)),
    ("Save the Children Sweden", "member@sweden.example", "Ingrid Larsson", "accepted", datetime.date(2007, 2, 15)),
]
INVITATION_MESSAGE = (
    "The group of donors working against trafficking in persons in Kenya would value your "
    "mission's experience. Our next meeting is at the U.S. Embassy; we would be glad to see you there."
)


def _at(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(10, 0)))


def _pending_sent_on(name: str) -> datetime.date:
    """When the pending invitation of an invited organization went out: a few
    days before the demo is loaded, so that it reads as live (sent last week,
    pending for a month), not as sent in 2007 and pending ever since."""
    invited = [row[0] for row in INVITATIONS if row[3] == "pending"]
    return timezone.localdate() - datetime.timedelta(days=10 - invited.index(name) // 2)


def _seed_invitations() -> int:
    """Record the invitations without sending anything.

    The accepted ones keep the record's dates; the pending ones were sent a few
    days before the demo is loaded and count as already reminded (the beat has
    nothing to send). Their links are random and thrown away, so nobody holds
    them: the secretariat can resend one to get a working link.
    """
    inviter = User.objects.filter(email="secretariat@wgportal.example").first()
    created = 0
    for name, email, full_name, state, answered_on in INVITATIONS:
        organization = Organization.objects.get(name=name)
        if Invitation.objects.filter(organization=organization, email=email).exists():
            continue
        sent_on = _pending_sent_on(name) if state == "pending" else answered_on - datetime.timedelta(days=30)
        sent_at = _at(sent_on)
        invitation = Invitation.objects.create(
            organization=organization, email=email, full_name=full_name, message=INVITATION_MESSAGE,
            invited_by=inviter, status=state, created_at=sent_at, sent_at=sent_at,
            expires_at=sent_at + datetime.timedelta(days=settings.INVITATION_VALID_DAYS),
            opened_at=_at(answered_on) if answered_on else None,
            responded_at=_at(answered_on) if answered_on else None,
            accepted_by=User.objects.filter(email=email).first() if state == "accepted" else None,
            reminders_sent=1 if state == "pending" else 0, auto_reminded=state == "pending",
            last_reminded_at=_at(sent_on + datetime.timedelta(days=7)) if state == "pending" else None,
        )
        token_hash = InvitationToken.hash(secrets.token_urlsafe(32))
        InvitationToken.objects.create(invitation=invitation, token_hash=token_hash,
                                       created_at=sent_at)
        created += 1
    return created


def _organization(key: str) -> Organization:
    if Organization.objects.filter(acronym=key).exists():
        return Organization.objects.get(acronym=key)
    return Organization.objects.get(name=key)


@transaction.atomic
def seed(*, password: str, keep_passwords: bool = False, **_) -> dict:
    """Load the group; returns the counts of what was created this time.

    Existing demo sign-ins get ``password`` too, unless ``keep_passwords``.
    """
    created = {"organizations": 0, "people": 0, "invitations": 0}
    for name, acronym, kind, country, status, joined_on, cochair in ORGANIZATIONS:
        status_on = joined_on or (_pending_sent_on(name) if status == S.INVITED else FOUNDED)
        org, was_created = Organization.objects.get_or_create(
            name=name,
            defaults={
                "acronym": acronym, "kind": kind, "country": country, "status": status,
                "status_changed_on": status_on, "joined_on": joined_on, "is_cochair": cochair,
                "description": DESCRIPTIONS.get(acronym, DESCRIPTIONS.get(name, "")),
            },
        )
        if not was_created:
            continue
        created["organizations"] += 1
        if status == S.ACTIVE:
            if joined_on <= FIRST_MEETING:
                invited_on = min(joined_on, FOUNDED)
            else:
                invited_on = joined_on - datetime.timedelta(days=30)
            MembershipChange.objects.create(organization=org, to_status=S.INVITED, changed_on=invited_on,
                                            note="Invited to the working group")
            MembershipChange.objects.create(organization=org, from_status=S.INVITED, to_status=S.ACTIVE,
                                            changed_on=joined_on,
                                            note="Joined" if joined_on > FIRST_MEETING else "Founding member")
        else:
            MembershipChange.objects.create(organization=org, to_status=status, changed_on=status_on)

    for email, full_name, title, org_key, role, focal in PEOPLE:
        user = User.objects.filter(email=email).first()
        if user is None:
            user = User.objects.create_user(
                email=email, password=password, full_name=full_name, title=title, role=role,
                organization=_organization(org_key) if org_key else None, is_focal_point=focal,
            )
            created["people"] += 1
        elif not keep_passwords and not user.check_password(password):
            user.set_password(password)
            user.save(update_fields=["password"])
        EmailAddress.objects.get_or_create(user=user, email=email, defaults={"verified": True, "primary": True})
    created["invitations"] = _seed_invitations()
    return created
