"""The reply address of each invitation: ``rsvp+<token>@REPLY_EMAIL_DOMAIN``.

The token names one invitation and is signed with the portal's secret, so that
a reply is tied to its recipient by something nobody can guess or alter, never
by the ``From`` address. It is an HMAC (django.utils.crypto.salted_hmac, the
primitive under django.core.signing) written in lower-case base32 rather than a
``signing.dumps`` value, because it must fit in the 64 characters of an
address's local part and survive mail systems that change its case.
"""

from __future__ import annotations

import base64
import re
from functools import lru_cache

from django.conf import settings
from django.utils.crypto import constant_time_compare, salted_hmac

SALT = "meetings.mail_in.reply-address"
SIGNATURE_LENGTH = 26  # base32 characters: 130 bits


class InvalidReplyToken(Exception):
    """An address of the reply form whose token was altered or made up."""


def _signature(invitation_id: int) -> str:
    digest = salted_hmac(SALT, str(invitation_id), algorithm="sha256").digest()
    return base64.b32encode(digest).decode("ascii").lower()[:SIGNATURE_LENGTH]


def reply_token(invitation_id: int) -> str:
    return f"{invitation_id}-{_signature(invitation_id)}"


def reply_token_read(token: str) -> int:
    """The invitation id in a valid token; raises InvalidReplyToken otherwise."""
    number, _, signature = token.lower().partition("-")
    if not number.isdigit() or len(number) > 12 or not constant_time_compare(signature, _signature(int(number))):
        raise InvalidReplyToken("the reply address token is not valid: altered or made up")
    return int(number)


def address_template() -> str:
    """The reply address with ``{token}`` in it, or "" when none is configured."""
    if settings.REPLY_EMAIL_ADDRESS:
        return settings.REPLY_EMAIL_ADDRESS
    if settings.REPLY_EMAIL_DOMAIN:
        return "rsvp+{token}@" + settings.REPLY_EMAIL_DOMAIN
    return ""


def replies_by_email() -> bool:
    """Do invitations carry reply addresses? Only when a mailbox reads them."""
    return bool(settings.INBOUND_IMAP_URL and "{token}" in address_template())


def reply_address(invitation) -> str | None:
    """This invitation's reply address, or None (replies through the web links only)."""
    if not replies_by_email():
        return None
    return address_template().replace("{token}", reply_token(invitation.pk))


@lru_cache(maxsize=8)
def _pattern(template: str) -> re.Pattern:
    before, _, after = template.partition("{token}")
    return re.compile(rf"^{re.escape(before)}(?P<token>[^@\s]+?){re.escape(after)}$", re.IGNORECASE)


def invitation_id_in(addresses) -> int | None:
    """The invitation named by the first reply address among ``addresses``.

    None when none is of the reply form; InvalidReplyToken when one is, with a
    token that does not verify (a forgery must not pass as "not for us").
    """
    template = address_template()
    if "{token}" not in template:
        return None
    pattern = _pattern(template)
    invalid = None
    for address in addresses:
        match = pattern.match(address or "")
        if not match:
            continue
        try:
            return reply_token_read(match.group("token"))
        except InvalidReplyToken as exc:
            invalid = exc
    if invalid is not None:
        raise invalid
    return None
