"""The development mailbox: Django's console backend, with a short summary
before each raw message.

Under ``make run`` (no ``EMAIL_URL``) every email is printed to the console.
The raw message is base64 or quoted-printable, so a person looking for the
link of an invitation would have to decode it; the summary says who it is to,
its subject, its attachments and every link in it, in plain text.
"""

from __future__ import annotations

import re

from django.core.mail.backends.console import EmailBackend as ConsoleEmailBackend

# Links end at whitespace, quotes or angle brackets (HTML attributes, <url> in text).
LINK = re.compile(r"https?://[^\s\"'<>]+")


def links_in(message) -> list[str]:
    """Every distinct link of the text and HTML parts, in the order they appear."""
    bodies = [message.body or ""]
    bodies += [content for content, mimetype in getattr(message, "alternatives", []) or []
               if isinstance(content, str) and mimetype == "text/html"]
    seen: dict[str, None] = {}
    for body in bodies:
        for link in LINK.findall(body):
            seen.setdefault(link.rstrip(".,;:)").replace("&amp;", "&"), None)
    return list(seen)


def _attachment_name(attachment) -> str:
    if isinstance(attachment, tuple):  # (filename, content, mimetype)
        return attachment[0] or attachment[2] or "attachment"
    return attachment.get_filename() or attachment.get_content_type()


def summary(message) -> str:
    """A few plain lines naming the email: recipients, subject, attachments, links."""
    lines = ["=" * 79, f"Email to {', '.join(message.to) or '(nobody)'}"]
    if message.cc:
        lines.append(f"  Cc: {', '.join(message.cc)}")
    lines.append(f"  Subject: {message.subject}")
    names = [_attachment_name(attachment) for attachment in message.attachments]
    if names:
        lines.append(f"  Attachments: {', '.join(names)}")
    links = links_in(message)
    if links:
        lines.append("  Links:")
        lines += [f"    {link}" for link in links]
    lines.append("-" * 79)
    return "\n".join(lines) + "\n"


class EmailBackend(ConsoleEmailBackend):
    def write_message(self, message):
        self.stream.write(summary(message))
        super().write_message(message)
