"""The development mailbox: each printed email opens with who, what and its links."""

import io
import os
import subprocess
import sys

from django.core.mail import EmailMultiAlternatives

from notifications.console import EmailBackend, links_in


def _message():
    message = EmailMultiAlternatives(
        subject="Invitation to join the working group", to=["contact@lebanon.example"],
        body="Dear Rami Haddad,\n\nJoin here: http://127.0.0.1:8000/members/join/AbC-123_x/\n",
    )
    message.attach_alternative(
        '<p>Dear Rami Haddad,</p><p><a href="http://127.0.0.1:8000/members/join/AbC-123_x/">Join</a> '
        '<a href="http://127.0.0.1:8000/meetings/?a=1&amp;b=2">Meetings</a></p>', "text/html")
    message.attach("meeting.ics", "BEGIN:VCALENDAR", "text/calendar")
    return message


def test_summary_names_recipient_subject_attachments_and_every_link_once():
    stream = io.StringIO()
    EmailBackend(stream=stream).send_messages([_message()])
    printed = stream.getvalue()
    head = printed.split("-" * 79)[0]
    assert "Email to contact@lebanon.example" in head
    assert "Subject: Invitation to join the working group" in head
    assert "Attachments: meeting.ics" in head
    assert head.count("http://127.0.0.1:8000/members/join/AbC-123_x/") == 1
    assert "http://127.0.0.1:8000/meetings/?a=1&b=2" in head
    # The raw message follows the summary, as Django's console backend prints it.
    assert printed.index("Subject: Invitation") < printed.index("Content-Type: multipart/alternative")


def test_links_are_read_from_text_and_html_without_trailing_punctuation():
    message = EmailMultiAlternatives(subject="s", to=["a@example.org"], body="See https://example.org/x.")
    assert links_in(message) == ["https://example.org/x"]


def test_settings_pick_the_mailbox_only_when_no_email_url_is_set(tmp_path):
    script = "from django.conf import settings; print(settings.EMAIL_BACKEND)"
    base = {k: v for k, v in os.environ.items() if k != "EMAIL_URL"}
    base.update(DJANGO_SETTINGS_MODULE="wgportal.settings")

    def backend(**extra):
        result = subprocess.run([sys.executable, "-c", "import django; django.setup(); " + script],
                                env={**base, **extra}, capture_output=True, text=True, check=True,
                                cwd=os.path.dirname(os.path.dirname(os.path.dirname(__file__))))
        return result.stdout.strip()

    assert backend() == "notifications.console.EmailBackend"
    assert backend(EMAIL_URL="smtp://127.0.0.1:2525") == "django.core.mail.backends.smtp.EmailBackend"
