"""Who gets what from every page: one role x URL table for the whole portal.

The table is keyed by URL *name* and checked against the URL resolver, so that a
page added without a row fails ``test_every_named_url_has_a_row``. Each
(URL, object variant, role) is its own test case.

The answers (DESIGN.md section 3, and the portal's way of refusing):

- anonymous visitors are sent to sign-in (public pages excepted);
- a signed-in person who is not a member (an invited organization's contact, or
  someone whose organization withdrew) gets the "not a member" page (403) on
  pages meant for members;
- a member on a page meant for co-chairs and the secretariat gets the portal's
  403 page;
- an object the person may not know exists (a draft meeting, a document for
  co-chairs only, someone else's mailing) answers 404, never a 403 that would
  confirm it exists;
- a POST-only URL answers GET with 405 and changes nothing.

Each object URL is tried with a second object that the roles may not all reach:
one of another organization, a draft, or a co-chairs-only document.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass, field
from types import SimpleNamespace

import pytest
from django.apps import apps
from django.core.files.base import ContentFile
from django.db import transaction
from django.test import override_settings
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from tests.fixtures import people

ROLES = ["anonymous", "outsider", "former_member", "member", "cochair", "secretariat"]

# Outcomes
OK = "200"
SIGN_IN = "sign-in"
NOT_MEMBER = "403 not a member"
FORBIDDEN = "403"
NOT_FOUND = "404"
NOT_ALLOWED = "405"
BAD_LINK = "400"
REDIRECT = "302"  # a page not open yet for this object: back to the object's page with a message

# URL names that are not the portal's own pages, and why the table leaves them out.
EXCLUDED_PREFIXES = {
    "accounts/": "django-allauth's own pages (sign-in, sign-up, password reset), tested by tests/members/test_auth.py",
    "admin/": "the Django admin: staff only, guarded by Django's own staff check",
}
# allauth pages that are the portal's own features (two-factor sign-in, the sessions
# list) and so have rows, although they live under an excluded prefix.
INCLUDED_ACCOUNT_PAGES = {"mfa_index", "usersessions_list"}


def expect(*, anonymous=SIGN_IN, outsider=NOT_MEMBER, former_member=None, member, cochair=OK, secretariat=OK):
    """The answer of each role; a former member gets what an outsider gets unless said otherwise."""
    return {
        "anonymous": anonymous,
        "outsider": outsider,
        "former_member": outsider if former_member is None else former_member,
        "member": member,
        "cochair": cochair,
        "secretariat": secretariat,
    }


MEMBERS_PAGE = expect(member=OK)
COORDINATORS_PAGE = expect(member=FORBIDDEN)
SECRETARIAT_PAGE = expect(member=FORBIDDEN, cochair=FORBIDDEN)
SIGNED_IN_PAGE = expect(outsider=OK, member=OK)  # a person's own account pages
HIDDEN_FROM_MEMBERS = expect(member=NOT_FOUND)  # a members' page, about an object members may not know
POST_ONLY = expect(outsider=NOT_ALLOWED, member=NOT_ALLOWED, cochair=NOT_ALLOWED, secretariat=NOT_ALLOWED)
PUBLIC = dict.fromkeys(ROLES, OK)
PUBLIC_POST_ONLY = dict.fromkeys(ROLES, NOT_ALLOWED)

COORDINATORS = frozenset({"cochair", "secretariat"})
MEMBERS = COORDINATORS | {"member"}
NOBODY = frozenset()
SIGNED_IN = frozenset(ROLES) - {"anonymous"}


@dataclass
class Case:
    """One object variant of a URL: how to build its arguments, and each role's answer."""

    variant: str
    kwargs: Callable[[SimpleNamespace], dict] = field(default=lambda w: {})
    answers: dict = field(default_factory=dict)
    # For a POST-only URL: the signed-in roles whose POST may act. Every other role's POST changes nothing.
    posters: frozenset | None = None


def page(answers) -> list[Case]:
    """A URL without an object."""
    return [Case("page", lambda w: {}, answers)]


def pk_of(attr: str, key: str = "pk") -> Callable:
    return lambda w: {key: getattr(w, attr).pk}


def meeting_item(meeting: str, item: str) -> Callable:
    return lambda w: {"pk": getattr(w, meeting).pk, "item_pk": getattr(w, item).pk}


TABLE: dict[str, list[Case]] = {
    # --- wgportal: the dashboard, health, mailings ---------------------------
    "dashboard": page(MEMBERS_PAGE),
    "healthz": page(PUBLIC),
    # --- trust: the audit trail, two-factor sign-in, sessions -----------------
    "audit_log": page(SECRETARIAT_PAGE),
    "mfa_index": page(SIGNED_IN_PAGE),
    "usersessions_list": page(SIGNED_IN_PAGE),
    "mailing": [
        Case("the member's own mailing", pk_of("member_mailing"), MEMBERS_PAGE),
        Case("another member's mailing", pk_of("other_member_mailing"), HIDDEN_FROM_MEMBERS),
        Case("a co-chair's mailing", pk_of("cochair_mailing"), HIDDEN_FROM_MEMBERS),
    ],
    "mailing_progress": [
        Case("the member's own mailing", pk_of("member_mailing"), MEMBERS_PAGE),
        Case("another member's mailing", pk_of("other_member_mailing"), HIDDEN_FROM_MEMBERS),
        Case("a co-chair's mailing", pk_of("cochair_mailing"), HIDDEN_FROM_MEMBERS),
    ],
    "mailing_retry": [
        Case("the member's own mailing", pk_of("member_mailing"), POST_ONLY, MEMBERS),
        Case("a co-chair's mailing", pk_of("cochair_mailing"), POST_ONLY, COORDINATORS),
    ],
    # --- members -------------------------------------------------------------
    "members:directory": page(MEMBERS_PAGE),
    "members:export": page(COORDINATORS_PAGE),
    "members:organization_create": page(COORDINATORS_PAGE),
    "members:organization": [
        Case("the member's organization", lambda w: {"pk": w.member.organization_id}, MEMBERS_PAGE),
        Case("another organization", pk_of("other_org"), MEMBERS_PAGE),
    ],
    "members:organization_edit": [
        Case("the member's organization", lambda w: {"pk": w.member.organization_id}, COORDINATORS_PAGE),
        Case("another organization", pk_of("other_org"), COORDINATORS_PAGE),
    ],
    "members:organization_status": [
        Case("the member's organization", lambda w: {"pk": w.member.organization_id}, POST_ONLY, COORDINATORS),
        Case("another organization", pk_of("other_org"), POST_ONLY, COORDINATORS),
    ],
    # Inviting colleagues is for coordinators and an organization's focal point (the member is not one).
    "members:organization_invite": [
        Case("the member's organization", lambda w: {"pk": w.member.organization_id}, COORDINATORS_PAGE),
        Case("another organization", pk_of("other_org"), COORDINATORS_PAGE),
    ],
    "members:person_create": page(COORDINATORS_PAGE),
    # The newcomer's first page; any member may come back to it.
    "members:welcome": page(MEMBERS_PAGE),
    "members:person_edit": [
        Case("a colleague of the member", pk_of("colleague"), COORDINATORS_PAGE),
        Case("a person of another organization", pk_of("other_member"), COORDINATORS_PAGE),
    ],
    "members:person_deactivate": [
        Case("a colleague of the member", pk_of("colleague"), POST_ONLY, COORDINATORS),
        Case("a person of another organization", pk_of("other_member"), POST_ONLY, COORDINATORS),
    ],
    # Everyone signed in has a profile; leaving is for members (a non-member has nothing to leave).
    "members:profile": page(expect(outsider=OK, member=OK)),
    "members:profile_leave": [Case("page", lambda w: {}, POST_ONLY, MEMBERS)],
    "members:invitations": page(COORDINATORS_PAGE),
    "members:invitation_new": page(COORDINATORS_PAGE),
    "members:invitations_remind": [Case("page", lambda w: {}, POST_ONLY, COORDINATORS)],
    "members:invitation_resend": [
        Case("an organization's invitation", pk_of("org_invitation"), POST_ONLY, COORDINATORS),
        Case("a colleague invitation of another organization", pk_of("colleague_invitation"), POST_ONLY, COORDINATORS),
    ],
    "members:invitation_revoke": [
        Case("an organization's invitation", pk_of("org_invitation"), POST_ONLY, COORDINATORS),
        Case("a colleague invitation of another organization", pk_of("colleague_invitation"), POST_ONLY, COORDINATORS),
    ],
    # The invitee's personal link: public; a link never issued is unknown (404).
    "members:invitation_public": [
        Case("a valid link", lambda w: {"token": w.org_invitation_token}, PUBLIC),
        Case("a link never issued", lambda w: {"token": "never-issued-" + "x" * 30}, dict.fromkeys(ROLES, NOT_FOUND)),
    ],
    "members:invitation_accept": [
        Case("a valid link", lambda w: {"token": w.org_invitation_token}, PUBLIC_POST_ONLY, SIGNED_IN),
        Case("a link never issued", lambda w: {"token": "never-issued-" + "x" * 30}, PUBLIC_POST_ONLY, SIGNED_IN),
    ],
    "members:invitation_decline": [
        Case("a valid link", lambda w: {"token": w.org_invitation_token}, PUBLIC),
        Case("a link never issued", lambda w: {"token": "never-issued-" + "x" * 30}, dict.fromkeys(ROLES, NOT_FOUND)),
    ],
    "members:invitation_new_link": [
        Case("a valid link", lambda w: {"token": w.org_invitation_token}, PUBLIC_POST_ONLY, SIGNED_IN),
        Case("a link never issued", lambda w: {"token": "never-issued-" + "x" * 30}, PUBLIC_POST_ONLY, SIGNED_IN),
    ],
    # --- meetings ------------------------------------------------------------
    "meetings:list": page(MEMBERS_PAGE),
    "meetings:create": page(COORDINATORS_PAGE),
    "meetings:actions": page(MEMBERS_PAGE),
    "meetings:actions_csv": page(MEMBERS_PAGE),
    "meetings:calendar": page(MEMBERS_PAGE),
    "meetings:calendar_rotate": [Case("page", lambda w: {}, POST_ONLY, MEMBERS)],
    # The secret subscription address works without sign-in; an unknown key is 404.
    "meetings:feed": [
        Case("the member's address", lambda w: {"key": w.member_feed.key}, PUBLIC),
        Case("an address never issued", lambda w: {"key": "never-issued"}, dict.fromkeys(ROLES, NOT_FOUND)),
    ],
    "meetings:poll_create": page(COORDINATORS_PAGE),
    "meetings:poll": [
        Case("an open poll", pk_of("poll"), MEMBERS_PAGE),
        Case("a closed poll", pk_of("closed_poll"), MEMBERS_PAGE),
    ],
    "meetings:poll_close": [
        Case("an open poll", pk_of("poll"), POST_ONLY, COORDINATORS),
        Case("a closed poll", pk_of("closed_poll"), POST_ONLY, COORDINATORS),
    ],
    "meetings:poll_schedule": [
        Case("a slot of an open poll", lambda w: {"pk": w.poll.pk, "slot_pk": w.slot.pk}, POST_ONLY, COORDINATORS),
        Case("a slot of a closed poll", lambda w: {"pk": w.closed_poll.pk, "slot_pk": w.closed_slot.pk},
             POST_ONLY, COORDINATORS),
    ],
    "meetings:detail": [
        Case("a scheduled meeting", pk_of("meeting"), MEMBERS_PAGE),
        Case("a draft meeting", pk_of("draft"), HIDDEN_FROM_MEMBERS),
    ],
    # The confirmation before a meeting's mailing goes (who it reaches); it posts to the sending URL.
    "meetings:send_confirm": [
        Case("the invitations of a scheduled meeting", lambda w: {"pk": w.meeting.pk, "kind": "invitations"},
             COORDINATORS_PAGE),
        Case("the minutes of a draft meeting", lambda w: {"pk": w.draft.pk, "kind": "minutes"}, COORDINATORS_PAGE),
        Case("a sending that does not exist", lambda w: {"pk": w.meeting.pk, "kind": "everything"},
             expect(member=FORBIDDEN, cochair=NOT_FOUND, secretariat=NOT_FOUND)),
    ],
    "meetings:edit": [
        Case("a scheduled meeting", pk_of("meeting"), COORDINATORS_PAGE),
        Case("a draft meeting", pk_of("draft"), COORDINATORS_PAGE),
    ],
    **{
        name: [
            Case("a scheduled meeting", pk_of("meeting"), POST_ONLY, COORDINATORS),
            Case("a draft meeting", pk_of("draft"), POST_ONLY, COORDINATORS),
        ]
        for name in [
            "meetings:schedule", "meetings:invitations_send", "meetings:update_send", "meetings:cancel",
            "meetings:agenda_add", "meetings:minutes_publish", "meetings:action_add", "meetings:remind",
        ]
    },
    # Members reply to any published meeting, an outsider to the ones they are invited to; nobody to a draft.
    "meetings:reply": [
        Case("a meeting the outsider is invited to", pk_of("meeting"), POST_ONLY, MEMBERS | {"outsider"}),
        Case("a meeting the outsider is not invited to", pk_of("other_meeting"), POST_ONLY, MEMBERS),
        Case("a draft meeting", pk_of("draft"), POST_ONLY, NOBODY),
    ],
    # The reply link of an invitation email: public; a token of another meeting is refused with its page.
    "meetings:reply_link": [
        Case("the invitation's own link", lambda w: {"pk": w.meeting.pk, "token": w.reply_token}, PUBLIC),
        Case("a link of another meeting", lambda w: {"pk": w.other_meeting.pk, "token": w.reply_token},
             dict.fromkeys(ROLES, BAD_LINK)),
    ],
    # Whoever may reply to a meeting may add it to their calendar: members, and the invitees of that meeting.
    "meetings:ics": [
        Case("a meeting the outsider is invited to", pk_of("meeting"),
             expect(outsider=OK, former_member=NOT_FOUND, member=OK)),
        Case("a meeting the outsider is not invited to", pk_of("other_meeting"),
             expect(outsider=NOT_FOUND, member=OK)),
        Case("a draft meeting", pk_of("draft"), expect(outsider=NOT_FOUND, member=NOT_FOUND)),
    ],
    "meetings:agenda_edit": [
        Case("an item of a scheduled meeting", meeting_item("meeting", "agenda_item"), COORDINATORS_PAGE),
        Case("an item of a draft meeting", meeting_item("draft", "draft_agenda_item"), COORDINATORS_PAGE),
        Case("an item of another meeting", meeting_item("meeting", "other_agenda_item"),
             expect(member=FORBIDDEN, cochair=NOT_FOUND, secretariat=NOT_FOUND)),
    ],
    "meetings:agenda_delete": [
        Case("an item of a scheduled meeting", meeting_item("meeting", "agenda_item"), POST_ONLY, COORDINATORS),
        Case("an item of a draft meeting", meeting_item("draft", "draft_agenda_item"), POST_ONLY, COORDINATORS),
    ],
    "meetings:agenda_move": [
        Case("an item of a scheduled meeting", meeting_item("meeting", "agenda_item"), POST_ONLY, COORDINATORS),
        Case("an item of a draft meeting", meeting_item("draft", "draft_agenda_item"), POST_ONLY, COORDINATORS),
    ],
    "meetings:replies_csv": [
        Case("a scheduled meeting", pk_of("meeting"), COORDINATORS_PAGE),
        Case("a draft meeting", pk_of("draft"), COORDINATORS_PAGE),
    ],
    # Attendance and minutes open once a meeting has started.
    "meetings:attendance": [
        Case("a past meeting", pk_of("past_meeting"), COORDINATORS_PAGE),
        Case("a meeting not started yet", pk_of("meeting"), expect(member=FORBIDDEN, cochair=REDIRECT,
                                                                   secretariat=REDIRECT)),
        Case("a draft meeting", pk_of("draft"), expect(member=FORBIDDEN, cochair=REDIRECT, secretariat=REDIRECT)),
    ],
    "meetings:attendance_csv": [
        Case("a scheduled meeting", pk_of("meeting"), MEMBERS_PAGE),
        Case("a draft meeting", pk_of("draft"), HIDDEN_FROM_MEMBERS),
    ],
    "meetings:minutes": [
        Case("a past meeting", pk_of("past_meeting"), COORDINATORS_PAGE),
        Case("a meeting not started yet", pk_of("meeting"), expect(member=FORBIDDEN, cochair=REDIRECT,
                                                                   secretariat=REDIRECT)),
        Case("a draft meeting", pk_of("draft"), expect(member=FORBIDDEN, cochair=REDIRECT, secretariat=REDIRECT)),
    ],
    "meetings:action_edit": [
        Case("an action of a scheduled meeting", meeting_item("meeting", "action_item"), COORDINATORS_PAGE),
        Case("an action of a draft meeting", meeting_item("draft", "draft_action_item"), COORDINATORS_PAGE),
        Case("an action of another meeting", meeting_item("other_meeting", "action_item"),
             expect(member=FORBIDDEN, cochair=NOT_FOUND, secretariat=NOT_FOUND)),
    ],
    # The owner organization's people mark their own action items done; co-chairs any.
    "meetings:action_done": [
        Case("an action of the member's organization", meeting_item("meeting", "member_action_item"),
             POST_ONLY, MEMBERS),
        Case("an action of another organization", meeting_item("meeting", "action_item"), POST_ONLY, COORDINATORS),
        Case("an action of a draft meeting", meeting_item("draft", "draft_action_item"), POST_ONLY, COORDINATORS),
    ],
    # --- briefings -----------------------------------------------------------
    "briefings:list": page(MEMBERS_PAGE),
    "briefings:briefing_create": page(MEMBERS_PAGE),
    "briefings:briefing": [
        Case("the member's briefing", pk_of("member_briefing"), MEMBERS_PAGE),
        Case("a briefing of another organization", pk_of("other_briefing"), MEMBERS_PAGE),
    ],
    # Its author or a coordinator edits a briefing; another member sees it but may not edit it.
    "briefings:briefing_edit": [
        Case("the member's briefing", pk_of("member_briefing"), MEMBERS_PAGE),
        Case("a briefing of another organization", pk_of("other_briefing"), COORDINATORS_PAGE),
    ],
    "briefings:documents": page(MEMBERS_PAGE),
    "briefings:upload": page(MEMBERS_PAGE),
    "briefings:search": page(MEMBERS_PAGE),
    "briefings:document": [
        Case("a document for members", pk_of("other_document"), MEMBERS_PAGE),
        Case("a document for co-chairs only", pk_of("cochairs_document"), HIDDEN_FROM_MEMBERS),
    ],
    "briefings:download": [
        Case("a document for members", pk_of("other_document"), MEMBERS_PAGE),
        Case("a document for co-chairs only", pk_of("cochairs_document"), HIDDEN_FROM_MEMBERS),
    ],
    "briefings:version_download": [
        Case("an earlier version of a document for members",
             lambda w: {"pk": w.other_document.pk, "version_pk": w.version.pk}, MEMBERS_PAGE),
        Case("an earlier version of a document for co-chairs only",
             lambda w: {"pk": w.cochairs_document.pk, "version_pk": w.cochairs_version.pk}, HIDDEN_FROM_MEMBERS),
    ],
    **{
        # Editing, replacing and the download log: the uploader or a coordinator.
        name: [
            Case("the member's own upload", pk_of("member_document"), MEMBERS_PAGE),
            Case("another organization's upload", pk_of("other_document"), COORDINATORS_PAGE),
            Case("a document for co-chairs only", pk_of("cochairs_document"), HIDDEN_FROM_MEMBERS),
        ]
        for name in ["briefings:document_edit", "briefings:document_replace", "briefings:document_downloads"]
    },
    "briefings:circulations": page(COORDINATORS_PAGE),
    "briefings:circulation_create": page(COORDINATORS_PAGE),
    # Circulating is the coordinators' work: the page is theirs, and a member gets the
    # 403 page for any id, existing or not, so the answer tells nothing about a circulation.
    "briefings:circulation": [
        Case("a co-chair's circulation", pk_of("circulation"), COORDINATORS_PAGE),
        Case("a circulation of a co-chairs-only document", pk_of("cochairs_circulation"), COORDINATORS_PAGE),
    ],
    # --- coordination: the project registry, overlaps, gaps, notes, the policy tracker ---
    "coordination:projects": page(MEMBERS_PAGE),
    "coordination:projects_export": page(MEMBERS_PAGE),
    "coordination:projects_iati": page(MEMBERS_PAGE),
    # The IATI import: members for their own organization, coordinators for any (the plan decides per activity).
    "coordination:iati_import": page(MEMBERS_PAGE),
    "coordination:iati_import_preview": page(MEMBERS_PAGE),
    # Without an upload waiting in the session, a confirmation imports nothing whoever posts it.
    "coordination:iati_import_confirm": [Case("page", lambda w: {}, POST_ONLY, posters=MEMBERS)],
    "coordination:project_create": page(MEMBERS_PAGE),
    "coordination:gaps": page(MEMBERS_PAGE),
    "coordination:notes": page(MEMBERS_PAGE),
    "coordination:policies": page(MEMBERS_PAGE),
    "coordination:overlaps": page(COORDINATORS_PAGE),
    "coordination:policy_create": page(COORDINATORS_PAGE),
    "coordination:project": [
        Case("the member's organization's project", pk_of("member_project"), MEMBERS_PAGE),
        Case("another organization's project", pk_of("other_project"), MEMBERS_PAGE),
    ],
    # A project is edited by its own organization or a coordinator.
    "coordination:project_edit": [
        Case("the member's organization's project", pk_of("member_project"), MEMBERS_PAGE),
        Case("another organization's project", pk_of("other_project"), COORDINATORS_PAGE),
    ],
    # A possible duplicate is decided by either project's organization or a coordinator.
    "coordination:pair_decide": [
        Case("a pair with the member's project", pk_of("member_pair"), POST_ONLY, posters=MEMBERS),
        Case("a pair of two other organizations", pk_of("others_pair"), POST_ONLY, posters=COORDINATORS),
    ],
    "coordination:note_add": [
        Case("a note on another organization", pk_of("other_org", "organization_pk"), POST_ONLY, posters=MEMBERS),
        # Nobody writes notes on their own organization (they could never read them).
        Case("a note on the member's own organization", lambda w: {"organization_pk": w.member.organization_id},
             POST_ONLY, posters=COORDINATORS),
    ],
    # A note is its author's to edit; a note on the member's own organization does not exist for them.
    "coordination:note_edit": [
        Case("the member's own note", pk_of("member_note"), expect(member=OK, cochair=FORBIDDEN,
                                                                  secretariat=FORBIDDEN)),
        Case("another member's note", pk_of("other_note"), expect(member=FORBIDDEN, cochair=FORBIDDEN,
                                                                   secretariat=FORBIDDEN)),
        Case("a note on the member's organization", pk_of("note_on_member_org"),
             expect(member=NOT_FOUND, cochair=FORBIDDEN, secretariat=FORBIDDEN)),
    ],
    "coordination:note_delete": [
        Case("the member's own note", pk_of("member_note"), POST_ONLY, posters=frozenset({"member"})),
        Case("a note on the member's organization", pk_of("note_on_member_org"), POST_ONLY, posters=NOBODY),
    ],
    "coordination:note_hide": [
        Case("another member's note", pk_of("other_note"), POST_ONLY, posters=COORDINATORS),
        Case("a note on the member's organization", pk_of("note_on_member_org"), POST_ONLY, posters=COORDINATORS),
    ],
    "coordination:policy": [
        Case("a bill", pk_of("policy_item"), MEMBERS_PAGE),
        Case("a plan of action without stages", pk_of("other_policy_item"), MEMBERS_PAGE),
    ],
    "coordination:policy_edit": [
        Case("a bill", pk_of("policy_item"), COORDINATORS_PAGE),
        Case("a plan of action without stages", pk_of("other_policy_item"), COORDINATORS_PAGE),
    ],
    "coordination:policy_stage_add": [
        Case("a bill", pk_of("policy_item"), POST_ONLY, posters=COORDINATORS),
        Case("a plan of action without stages", pk_of("other_policy_item"), POST_ONLY, posters=COORDINATORS),
    ],
    "coordination:policy_stage_delete": [
        Case("a stage of a policy item", lambda w: {"pk": w.policy_item.pk, "stage_pk": w.policy_stage.pk},
             POST_ONLY, posters=COORDINATORS),
        # A stage under another item's address is no stage of it: nobody removes it that way.
        Case("a stage named under another item", lambda w: {"pk": w.other_policy_item.pk,
                                                             "stage_pk": w.policy_stage.pk},
             POST_ONLY, posters=NOBODY),
    ],
    "coordination:policy_agency_add": [
        Case("a bill", pk_of("policy_item"), POST_ONLY, posters=COORDINATORS),
        Case("a plan of action without stages", pk_of("other_policy_item"), POST_ONLY, posters=COORDINATORS),
    ],
    "coordination:policy_agency_remove": [
        Case("an agency of a policy item", lambda w: {"pk": w.policy_item.pk, "agency_pk": w.policy_agency.pk},
             POST_ONLY, posters=COORDINATORS),
        Case("an agency named under another item", lambda w: {"pk": w.other_policy_item.pk,
                                                               "agency_pk": w.policy_agency.pk},
             POST_ONLY, posters=NOBODY),
    ],
}


def _portal_url_names() -> dict[str, str]:
    """Every named URL of the project's own pages: {name: route}, leaving out EXCLUDED_PREFIXES."""
    names: dict[str, str] = {}

    def walk(patterns, namespace: str, prefix: str):
        for entry in patterns:
            route = prefix + str(entry.pattern)
            excluded = any(route.startswith(prefix) for prefix in EXCLUDED_PREFIXES)
            if isinstance(entry, URLResolver):
                if excluded and entry.namespace is not None:
                    continue
                inner = entry.namespace
                walk(entry.url_patterns, f"{namespace}{inner}:" if inner else namespace, route)
            elif isinstance(entry, URLPattern) and entry.name:
                if not excluded or entry.name in INCLUDED_ACCOUNT_PAGES:
                    names[namespace + entry.name] = route

    walk(get_resolver().url_patterns, "", "")
    return names


def test_every_named_url_has_a_row():
    """A new page fails here until the table says what each role gets from it."""
    missing = sorted(set(_portal_url_names()) - set(TABLE))
    assert not missing, f"add these URLs to TABLE in tests/test_access.py: {missing}"


def test_every_row_is_a_named_url():
    stale = sorted(set(TABLE) - set(_portal_url_names()))
    assert not stale, f"these rows name no URL any more: {stale}"


def test_the_table_covers_the_portal():
    """Guards the resolver walk itself: it must find every app's pages, and leave allauth's and admin's out."""
    names = _portal_url_names()
    for prefix in ("members:", "meetings:", "briefings:"):
        assert sum(name.startswith(prefix) for name in names) >= 10, prefix
    assert {"dashboard", "healthz", "meetings:feed", "meetings:reply_link", "members:invitation_public"} <= set(names)
    assert not any(name.startswith("admin:") or name.startswith("account_") for name in names)


def test_every_object_url_is_tried_with_a_second_object():
    single = [name for name, cases in TABLE.items() if cases[0].variant != "page" and len(cases) < 2]
    assert not single, f"object URLs tried with one object only: {single}"


def _meeting_rsvp_model():
    """The meeting app's reply model (its name is changing; the table does not depend on it)."""
    for name in ("Rsvp", "Invitation"):
        try:
            return apps.get_model("meetings", name)
        except LookupError:
            continue
    raise LookupError("no meeting invitation model")


@pytest.fixture(scope="module")
def _world(django_db_setup, django_db_blocker, tmp_path_factory):
    """Built once for the module's hundreds of cases, inside a transaction rolled back at the end.

    Each test still runs in its own savepoint (the ``db`` fixture nests inside this
    transaction), so what one request writes is gone before the next test.
    """
    media = tmp_path_factory.mktemp("access-media")
    with django_db_blocker.unblock(), override_settings(MEDIA_ROOT=media):
        outer = transaction.atomic()
        outer.__enter__()
        try:
            world = _build_world({role: make() for role, make in people.MAKERS.items()})
        except BaseException:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)
            raise
    world.media = media
    yield world
    with django_db_blocker.unblock():
        transaction.set_rollback(True)
        outer.__exit__(None, None, None)


@pytest.fixture
def world(_world, db, settings):
    settings.MEDIA_ROOT = _world.media  # where the module's files were written
    return _world


def _build_world(users: dict) -> SimpleNamespace:
    """The objects the URLs need, each with a twin that some roles may not reach."""
    from briefings.models import Circulation, Document, DocumentVersion
    from meetings import tokens
    from meetings.models import CalendarFeed, DatePoll, Meeting, PollSlot
    from notifications import services as outbox
    from tests.briefings.factories import BriefingFactory, DocumentFactory, make_pdf
    from tests.meetings.factories import ActionItemFactory, AgendaItemFactory, MeetingFactory, in_days
    from tests.members.factories import OrganizationFactory, UserFactory
    from tests.members.invitation_helpers import invite

    member, cochair, secretariat, outsider = users["member"], users["cochair"], users["secretariat"], users["outsider"]
    w = SimpleNamespace(users=users, member=member, cochair=cochair, secretariat=secretariat)
    w.other_org = OrganizationFactory(name="Embassy of Sweden", country="Sweden")
    w.other_member = UserFactory(email="member@sweden.example", organization=w.other_org)
    w.colleague = UserFactory(email="colleague@germany.example", organization=member.organization)

    # Mailings: the member's own, another member's, a co-chair's.
    w.member_mailing = outbox.mailing_create(kind="test", subject="The member's mailing", by=member)
    w.other_member_mailing = outbox.mailing_create(kind="test", subject="Another member's", by=w.other_member)
    w.cochair_mailing = outbox.mailing_create(kind="test", subject="The co-chair's", by=cochair)

    # Organization invitations: one of a new organization, one colleague invitation elsewhere.
    lebanon = OrganizationFactory(name="Embassy of Lebanon", country="Lebanon", status="invited", joined_on=None)
    w.org_invitation, w.org_invitation_token = invite(by=secretariat, email="contact@lebanon.example",
                                                      organization=lebanon)
    w.colleague_invitation, _ = invite(by=cochair, email="new@sweden.example", organization=w.other_org,
                                       kind="colleague")

    # Meetings: one scheduled that the outsider is invited to, another scheduled, a draft.
    w.meeting = MeetingFactory(title="Scheduled meeting")
    w.other_meeting = MeetingFactory(title="Another scheduled meeting")
    w.draft = MeetingFactory(title="Draft meeting", status=Meeting.Status.DRAFT)
    rsvp = _meeting_rsvp_model().objects.create(
        meeting=w.meeting, email=outsider.email, user=outsider, organization=outsider.organization,
        sent_at=timezone.now(),
    )
    w.reply_token = tokens.reply_token(rsvp)
    w.agenda_item = AgendaItemFactory(meeting=w.meeting)
    w.other_agenda_item = AgendaItemFactory(meeting=w.other_meeting)
    w.draft_agenda_item = AgendaItemFactory(meeting=w.draft)
    w.action_item = ActionItemFactory(meeting=w.meeting)
    w.draft_action_item = ActionItemFactory(meeting=w.draft)
    w.member_action_item = ActionItemFactory(meeting=w.meeting, owner=member.organization)
    w.past_meeting = MeetingFactory(title="Past meeting", start=in_days(-7), end=in_days(-7, hour=12),
                                    status=Meeting.Status.HELD)
    w.member_feed = CalendarFeed.objects.create(user=member)

    # Date polls: one open with a slot, one closed.
    w.poll = DatePoll.objects.create(title="Seventh meeting", created_by=cochair)
    w.slot = PollSlot.objects.create(poll=w.poll, start=in_days(30), end=in_days(30) + datetime.timedelta(hours=2))
    w.closed_poll = DatePoll.objects.create(title="Sixth meeting", created_by=cochair, status=DatePoll.Status.CLOSED)
    w.closed_slot = PollSlot.objects.create(poll=w.closed_poll, start=in_days(3), end=in_days(3, hour=12))

    # Documents: the member's own upload, another organization's, one for co-chairs only; earlier versions.
    w.member_document = DocumentFactory(title="The member's report", uploaded_by=member, source=member.organization)
    w.other_document = DocumentFactory(title="Sweden's report", uploaded_by=w.other_member, source=w.other_org)
    w.cochairs_document = DocumentFactory(title="Co-chairs' note", uploaded_by=cochair, access_level="cochairs")

    def version_of(document):
        return DocumentVersion.objects.create(
            document=document, file=ContentFile(make_pdf("earlier"), name="earlier.pdf"), original_name="earlier.pdf",
            size=100, content_type="application/pdf", sha256="e" * 64, uploaded_by=document.uploaded_by,
            uploaded_at=timezone.now(),
        )

    w.version = version_of(w.other_document)
    w.cochairs_version = version_of(w.cochairs_document)
    assert Document.objects.filter(access_level="cochairs").count() == 1

    # Briefings: the member's, another organization's.
    w.member_briefing = BriefingFactory(title="The member's briefing", presenter=member.organization,
                                        created_by=member)
    w.other_briefing = BriefingFactory(title="Sweden's briefing", presenter=w.other_org, created_by=w.other_member)

    # Circulations, each the mailing of a coordinator.
    def circulation(subject, document, by):
        row = Circulation.objects.create(
            subject=subject, created_by=by, mailing=outbox.mailing_create(kind="circulation", subject=subject, by=by)
        )
        row.documents.add(document)
        return row

    w.circulation = circulation("Sweden's report", w.other_document, cochair)
    w.cochairs_circulation = circulation("Co-chairs' note", w.cochairs_document, secretariat)

    # Coordination: projects that overlap (one pair with the member's project, one between two
    # other organizations), notes on organizations, a policy item with a stage and an agency.
    from coordination import services as coordination
    from coordination.models import ProjectPair
    from members import services as members_services
    from tests.coordination.factories import make_project

    w.member_project = make_project(organization=member.organization, contact=member, title="Germany's campaign")
    w.other_project = make_project(organization=w.other_org, contact=w.other_member, title="Sweden's campaign")
    third_org = OrganizationFactory(name="Embassy of Norway", country="Norway")
    make_project(organization=third_org, title="Norway's campaign")
    pairs = ProjectPair.objects.filter(is_current=True)
    w.member_pair = pairs.filter(project_a__reporting_organization=member.organization).first() or pairs.filter(
        project_b__reporting_organization=member.organization).first()
    w.others_pair = pairs.exclude(project_a__reporting_organization=member.organization).exclude(
        project_b__reporting_organization=member.organization).first()
    assert w.member_pair and w.others_pair
    w.member_note = members_services.note_add(organization=w.other_org, author=member,
                                              text="Worked well with them.")
    w.other_note = members_services.note_add(organization=third_org, author=w.other_member,
                                             text="Active in Kilifi.")
    w.note_on_member_org = members_services.note_add(organization=member.organization, author=w.other_member,
                                                     text="A note on Germany.")
    w.policy_item = coordination.policy_item_save(by=cochair, title="Counter-Trafficking in Persons Bill",
                                                    kind="bill", route="government")
    w.policy_stage = coordination.policy_stage_add(item=w.policy_item, stage="drafting",
                                                   on=datetime.date(2006, 12, 14), by=cochair)
    w.policy_agency = coordination.policy_agency_add(item=w.policy_item, name="State Law Office",
                                                     role="Drafts the bill")
    w.other_policy_item = coordination.policy_item_save(by=secretariat, title="National Plan of Action",
                                                        kind="plan", route="")
    return w


CASES = [
    pytest.param(name, case, role, id=f"{name}[{case.variant}]-{role}")
    for name, cases in TABLE.items()
    for case in cases
    for role in ROLES
]


def _templates(response) -> set[str]:
    return {template.name for template in response.templates}


def _assert_answer(response, expected: str, url: str):
    status = response.status_code
    where = f"{url}: expected {expected}, got {status}"
    if expected == SIGN_IN:
        assert status == 302, where
        assert response["Location"].startswith(reverse("account_login") + "?next="), where
    elif expected == NOT_MEMBER:
        assert status == 403, where
        assert "members/not_a_member.html" in _templates(response), where
    elif expected == FORBIDDEN:
        assert status == 403, where
        assert "403.html" in _templates(response), f"{where}, without the portal's 403 page"
    else:
        assert status == int(expected), where


@pytest.mark.parametrize(("name", "case", "role"), CASES)
def test_role_gets_the_right_answer(client, world, name, case, role):
    url = reverse(name, kwargs=case.kwargs(world))
    if role != "anonymous":
        client.force_login(world.users[role])
    response = client.get(url)
    _assert_answer(response, case.answers[role], url)


# --- POST-only URLs: a GET changes nothing; an anonymous POST, or one by a role that may not, does nothing ---

POST_ONLY_CASES = [
    pytest.param(name, case, id=f"{name}[{case.variant}]")
    for name, cases in TABLE.items()
    for case in cases
    if case.answers["cochair"] == NOT_ALLOWED
]

# The portal's own tables: what a request could change.
PORTAL_APPS = ["members", "meetings", "briefings", "notifications", "coordination"]


def _snapshot() -> dict:
    return {
        model._meta.label: list(model._default_manager.order_by("pk").values())
        for app in PORTAL_APPS
        for model in apps.get_app_config(app).get_models()
    }


# A form that would pass validation, so that a missing check would show as a change.
POST_DATA = {
    "response": "accepted", "text": "A note", "status": "withdrawn", "changed_on": "2007-03-01",
    "title": "An agenda item", "minutes": "20", "description": "Follow up", "due_on": "2007-04-01",
    "direction": "down",
}
POST_DATA_FOR = {"meetings:action_add": {"status": "open"}}  # an action item's status, not an organization's


def _post_data(name: str) -> dict:
    return {**POST_DATA, **POST_DATA_FOR.get(name, {})}


def test_every_post_only_url_says_who_may_post():
    unsaid = [param.id for param in POST_ONLY_CASES if param.values[1].posters is None]
    assert not unsaid, f"say which roles may POST (Case.posters): {unsaid}"


REFUSED_POSTS = [
    pytest.param(name, case, role, id=f"{name}[{case.variant}]-{role}")
    for name, cases in TABLE.items()
    for case in cases
    if case.answers["cochair"] == NOT_ALLOWED
    for role in ROLES[1:]
    if role not in (case.posters or ROLES)
]


@pytest.mark.parametrize(("name", "case", "role"), REFUSED_POSTS)
def test_post_by_a_role_that_may_not_changes_nothing(client, world, name, case, role):
    url = reverse(name, kwargs=case.kwargs(world))
    client.force_login(world.users[role])
    before = _snapshot()
    response = client.post(url, _post_data(name))
    assert response.status_code in {403, 404}, f"{url}: {response.status_code}"
    assert _snapshot() == before


@pytest.mark.parametrize(("name", "case"), POST_ONLY_CASES)
def test_get_on_a_post_only_url_changes_nothing(client, world, name, case):
    url = reverse(name, kwargs=case.kwargs(world))
    client.force_login(world.cochair)
    before = _snapshot()
    response = client.get(url)
    assert response.status_code == 405
    assert _snapshot() == before


@pytest.mark.parametrize(("name", "case"), POST_ONLY_CASES)
def test_anonymous_post_changes_nothing(client, world, name, case):
    url = reverse(name, kwargs=case.kwargs(world))
    before = _snapshot()
    response = client.post(url, _post_data(name))
    assert response.status_code in {302, 200, 404}, response.status_code
    if case.answers["anonymous"] == SIGN_IN:
        _assert_answer(response, SIGN_IN, url)
    assert _snapshot() == before
