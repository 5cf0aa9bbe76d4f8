"""The portal's wording: one "Forgot your password?", sentence-case labels,
real plurals, and the same salutation ("Dear <full name>") in every email."""

import pathlib
import re
from types import SimpleNamespace

import pytest
from django.core import mail
from django.template.loader import render_to_string
from django.urls import reverse

from meetings import emails as meeting_emails
from meetings.models import DatePoll

ROOT = pathlib.Path(__file__).resolve().parent.parent
APPS = ["members", "meetings", "briefings", "coordination", "notifications", "wgportal", "templates"]


def test_sign_in_page_offers_the_password_reset_once_and_speaks_in_sentence_case(client, db):
    page = client.get(reverse("account_login")).content.decode()
    assert page.count("Forgot your password?") == 1
    assert "Remember me" in page and "Remember Me" not in page


def test_no_text_uses_a_parenthesised_plural():
    """'invitation(s)' reads as a form letter: each count picks its word."""
    offenders = []
    for app in APPS:
        for path in (ROOT / app).rglob("*"):
            if path.suffix not in {".py", ".html", ".txt"} or "migrations" in path.parts:
                continue
            for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
                if re.search(r"[a-z]\(s\)", line):
                    offenders.append(f"{path.relative_to(ROOT)}:{number}")
    assert offenders == []


def test_circulation_download_count_ends_with_the_date_it_was_sent(client, cochair, member):
    from briefings.services import circulations as circulation_services
    from tests.briefings.factories import DocumentFactory

    circulation = circulation_services.circulation_create(by=cochair, documents=[DocumentFactory()], subject="Study")
    client.force_login(cochair)
    page = client.get(reverse("briefings:circulation", args=[circulation.pk])).content.decode()
    assert re.search(r"downloaded by 0 of \d+ recipients? since it was sent on \d{1,2} \w{3} \d{4}", page)


@pytest.mark.parametrize("template", ["briefings/email/circulation.txt", "briefings/email/circulation.html"])
def test_circulation_email_greets_by_full_name(template, member):
    text = render_to_string(template, {"recipient": member, "circulation": SimpleNamespace(message=""), "links": []})
    assert f"Dear {member.full_name}," in text


@pytest.mark.parametrize("template", ["coordination/email/stale_reminder.txt",
                                      "coordination/email/overlap_decision.txt"])
def test_coordination_emails_greet_by_full_name_or_colleague(template, db):
    assert "Dear Katrin Vogel," in render_to_string(template, {"name": "Katrin Vogel"})
    assert "Dear colleague," in render_to_string(template, {"name": ""})


def test_date_poll_email_greets_each_person_by_full_name(member, cochair):
    poll = DatePoll.objects.create(title="Next meeting", created_by=cochair)
    composed = meeting_emails.date_poll(poll, [member, cochair])
    greetings = [email.text.splitlines()[0] for email in composed.emails]
    assert greetings == [f"Dear {member.full_name},", f"Dear {cochair.full_name},"]
    assert f"Dear {member.full_name}," in composed.emails[0].html


def test_account_emails_greet_by_full_name(client, member, settings, django_capture_on_commit_callbacks):
    from allauth.account.models import EmailAddress

    settings.ACCOUNT_RATE_LIMITS = False
    EmailAddress.objects.get_or_create(user=member, email=member.email, defaults={"verified": True, "primary": True})
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("account_reset_password"), {"email": member.email})
    assert mail.outbox, "the reset email was sent"
    assert mail.outbox[-1].body.startswith(f"Dear {member.full_name},")
