"""Raw inbound mail to a plain description that handlers can trust.

Everything read here comes from outside: a message may be built to hurt the
parser or whoever reads it later. So the parse is bounded (parts, depth, text
sizes), a broken MIME structure is refused rather than guessed at, HTML is
handed on raw but marked as such (handlers show it only through the portal's
sanitizer), and attachments are described by name and type, never kept.
"""

from __future__ import annotations

import datetime
import email
import email.errors
import email.policy
import hashlib
import re
from dataclasses import dataclass, field
from email.message import Message
from email.utils import getaddresses, parseaddr, parsedate_to_datetime


class Refused(Exception):
    """The message cannot or must not be used; ``reason`` is logged and kept."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


MAX_PARTS = 100
MAX_DEPTH = 8
MAX_TEXT_CHARS = 100_000
MAX_CALENDAR_CHARS = 256_000

# A multipart whose boundaries do not add up has no trustworthy content: which
# part is the calendar reply, which the quoted invitation, cannot be known.
BROKEN_STRUCTURE = (
    email.errors.NoBoundaryInMultipartDefect,
    email.errors.StartBoundaryNotFoundDefect,
    email.errors.CloseBoundaryNotFoundDefect,
    email.errors.MultipartInvariantViolationDefect,
    email.errors.InvalidMultipartContentTransferEncodingDefect,
)

CALENDAR_TYPES = {"text/calendar", "application/ics", "text/x-vcalendar"}
# Headers that name where a message was delivered; a reply address may be in any.
RECIPIENT_HEADERS = ("To", "Cc", "Delivered-To", "X-Original-To", "Envelope-To")
AUTOMATIC_PRECEDENCE = {"bulk", "junk", "list", "auto_reply"}


@dataclass(frozen=True)
class CalendarPart:
    text: str
    method: str = ""  # the Content-Type's method parameter, upper case


@dataclass(frozen=True)
class DeliveryFailure:
    recipient: str
    status: str = ""
    diagnostic: str = ""


@dataclass(frozen=True)
class DeliveryReport:
    """A delivery status notification (RFC 3464): who failed, and the headers
    of the message that bounced when the report includes them."""

    failures: tuple[DeliveryFailure, ...]
    original: Message | None = None


@dataclass(frozen=True)
class InboundMail:
    key: str
    size: int
    message_id: str
    sender: str
    sender_name: str
    subject: str
    recipients: tuple[str, ...]
    date: datetime.datetime | None = None
    # Why the message is automatic ("Auto-Submitted: auto-replied"), or "".
    automatic: str = ""
    text: str = ""
    # Raw HTML from outside: never shown without sanitizing.
    html_unsafe: str = ""
    calendars: tuple[CalendarPart, ...] = ()
    # "name (type, size)" of each attachment; the content is never kept.
    attachments: tuple[str, ...] = ()
    report: DeliveryReport | None = None
    headers: Message | None = field(default=None, compare=False, repr=False)


def clean_line(value, limit: int = 255) -> str:
    """A header value on one line, without control characters, cut to ``limit``."""
    text = re.sub(r"[\x00-\x20\x7f]+", " ", str(value or "")).strip()
    return text[:limit]


def message_key(message_id: str, raw: bytes) -> str:
    """The key a message is recorded under: its Message-ID, or a hash of it all."""
    message_id = clean_line(message_id, 1000).strip("<> ")
    if message_id and len(message_id) <= 240:
        return message_id
    return "sha256:" + hashlib.sha256(message_id.encode() if message_id else raw).hexdigest()


def header_message_id(header_bytes: bytes) -> str:
    """The Message-ID in raw header bytes (used before the body is downloaded)."""
    match = re.search(rb"^message-id:[ \t]*(.*(?:\r?\n[ \t].*)*)", header_bytes, re.IGNORECASE | re.MULTILINE)
    return match.group(1).decode("ascii", "replace").strip() if match else ""


def _decoded_text(part: Message, limit: int) -> str:
    payload = part.get_payload(decode=True) or b""
    charset = part.get_content_charset() or "utf-8"
    try:
        text = payload.decode(charset, "replace")
    except LookupError:  # a charset Python does not know
        text = payload.decode("utf-8", "replace")
    return text.replace("\r\n", "\n").replace("\x00", "")[:limit]


def _addresses(message: Message, names: tuple[str, ...]) -> tuple[str, ...]:
    values = []
    for name in names:
        values.extend(str(v) for v in message.get_all(name, []))
    found = []
    for _, address in getaddresses(values):
        address = clean_line(address, 254).lower()
        if "@" in address and address not in found:
            found.append(address)
    return tuple(found)


def _automatic(message: Message) -> str:
    auto = clean_line(message.get("Auto-Submitted", ""), 100).lower()
    if auto and auto != "no":
        return f"Auto-Submitted: {auto}"
    for name in ("X-Autoreply", "X-Autorespond"):
        if message.get(name) is not None:
            return f"{name}: {clean_line(message.get(name), 100)}"
    precedence = clean_line(message.get("Precedence", ""), 100).lower()
    if precedence in AUTOMATIC_PRECEDENCE:
        return f"Precedence: {precedence}"
    return ""


def _delivery_report(message: Message) -> DeliveryReport | None:
    if message.get_content_type() != "multipart/report":
        return None
    status_part = original = None
    for part in message.walk():
        kind = part.get_content_type()
        if kind == "message/delivery-status" and status_part is None:
            status_part = part
        elif kind == "message/rfc822" and original is None:
            inner = part.get_payload()
            original = inner[0] if isinstance(inner, list) and inner else None
        elif kind == "text/rfc822-headers" and original is None:
            original = email.message_from_string(_decoded_text(part, MAX_TEXT_CHARS), policy=email.policy.default)
    if status_part is None:
        return None
    failures = []
    blocks = status_part.get_payload()
    # The first block is about the message, each following one about a recipient.
    for block in (blocks[1:] if isinstance(blocks, list) else []):
        action = clean_line(block.get("Action", ""), 50).lower()
        if action != "failed":
            continue
        recipient = clean_line(block.get("Final-Recipient", "") or block.get("Original-Recipient", ""), 300)
        recipient = recipient.split(";", 1)[-1].strip().lower()
        failures.append(DeliveryFailure(
            recipient=recipient,
            status=clean_line(block.get("Status", ""), 20),
            diagnostic=clean_line(block.get("Diagnostic-Code", ""), 400),
        ))
    return DeliveryReport(failures=tuple(failures), original=original)


def _walk(message: Message):
    """Every leaf part, depth-first, with limits on depth and count."""
    count = 0
    stack = [(message, 0)]
    while stack:
        part, depth = stack.pop()
        count += 1
        if count > MAX_PARTS:
            raise Refused(f"malformed MIME: more than {MAX_PARTS} parts")
        if depth > MAX_DEPTH:
            raise Refused(f"malformed MIME: parts nested deeper than {MAX_DEPTH}")
        for defect in part.defects:
            if isinstance(defect, BROKEN_STRUCTURE):
                raise Refused(f"malformed MIME: {type(defect).__name__}")
        if part.get_content_type() == "message/rfc822":
            # A forwarded or bounced message: its parts (a quoted invitation and
            # its calendar file) are not this message's own, so it stays whole.
            yield part
        elif part.is_multipart():
            children = part.get_payload()
            if not isinstance(children, list):
                raise Refused("malformed MIME: a multipart without parts")
            stack.extend((child, depth + 1) for child in reversed(children))
        else:
            yield part


def mail_parse(raw: bytes) -> InboundMail:
    """Parse ``raw``; raises Refused when the structure cannot be trusted."""
    try:
        message = email.message_from_bytes(raw, policy=email.policy.default)
        return _describe(message, raw)
    except Refused:
        raise
    except Exception as exc:  # the parser is lenient; what still breaks is not a message we can read
        raise Refused(f"malformed message: {type(exc).__name__}") from exc


def _describe(message: Message, raw: bytes) -> InboundMail:
    if not message.keys():
        raise Refused("malformed message: no headers")
    message_id = clean_line(message.get("Message-ID", ""), 1000)
    sender_name, sender = parseaddr(str(message.get("From", "")))
    try:
        date = parsedate_to_datetime(str(message.get("Date"))) if message.get("Date") else None
    except (TypeError, ValueError):
        date = None

    text = html = ""
    calendars: list[CalendarPart] = []
    attachments: list[str] = []
    report = _delivery_report(message)
    for part in _walk(message):
        kind = part.get_content_type()
        filename = clean_line(part.get_filename() or "", 120)
        is_attachment = part.get_content_disposition() == "attachment" or bool(filename)
        if kind in CALENDAR_TYPES or filename.lower().endswith(".ics"):
            # Calendar replies come inline or attached (or both): read the text, keep no file.
            body = _decoded_text(part, MAX_CALENDAR_CHARS + 1)
            if len(body) > MAX_CALENDAR_CHARS:
                raise Refused("calendar part too large")
            method = clean_line(part.get_param("method") or "", 20).upper()
            if body.strip() and all(body != c.text for c in calendars):
                calendars.append(CalendarPart(text=body, method=method))
        elif kind == "text/plain" and not is_attachment and not text:
            text = _decoded_text(part, MAX_TEXT_CHARS).strip()
        elif kind == "text/html" and not is_attachment and not html:
            html = _decoded_text(part, MAX_TEXT_CHARS)
        elif is_attachment or kind not in ("text/plain", "text/html"):
            if report is not None and kind in ("message/delivery-status", "message/rfc822", "text/rfc822-headers"):
                continue
            size = 0 if part.is_multipart() else len(part.get_payload(decode=True) or b"")
            attachments.append(f"{filename or 'unnamed'} ({kind}, {size} bytes)")

    return InboundMail(
        key=message_key(message_id, raw),
        size=len(raw),
        message_id=message_id,
        sender=clean_line(sender, 254).lower(),
        sender_name=clean_line(sender_name, 200),
        subject=clean_line(message.get("Subject", "")),
        recipients=_addresses(message, RECIPIENT_HEADERS),
        date=date,
        automatic=_automatic(message),
        text=text,
        html_unsafe=html,
        calendars=tuple(calendars),
        attachments=tuple(attachments),
        report=report,
        headers=message,
    )
