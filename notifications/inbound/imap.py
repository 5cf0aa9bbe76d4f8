"""The inbound mailbox over IMAP, always over TLS, with IMAPClient.

``INBOUND_IMAP_URL`` names it: ``imaps://user:password@host:993/INBOX``
(TLS from the first byte) or ``imap://user:password@host:143/INBOX`` (STARTTLS,
required). User and password are percent-encoded (``@`` is ``%40``). A server
with a private certificate authority is trusted through ``INBOUND_IMAP_CAFILE``.
"""

from __future__ import annotations

import ssl
from dataclasses import dataclass
from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from imapclient import IMAPClient


@dataclass(frozen=True)
class Mailbox:
    host: str
    port: int
    username: str
    password: str
    folder: str
    implicit_tls: bool

    def __repr__(self):  # never the password in a log line or a traceback
        return f"Mailbox({self.username}@{self.host}:{self.port}/{self.folder})"


def mailbox_from_url(url: str) -> Mailbox:
    parts = urlsplit(url)
    if parts.scheme not in ("imaps", "imap"):
        raise ImproperlyConfigured("INBOUND_IMAP_URL must start with imaps:// (or imap:// for STARTTLS).")
    if not parts.hostname or not parts.username or parts.password is None:
        raise ImproperlyConfigured("INBOUND_IMAP_URL needs a user, a password and a host.")
    implicit = parts.scheme == "imaps"
    return Mailbox(
        host=parts.hostname,
        port=parts.port or (993 if implicit else 143),
        username=unquote(parts.username),
        password=unquote(parts.password),
        folder=unquote(parts.path.lstrip("/")) or "INBOX",
        implicit_tls=implicit,
    )


def _ssl_context() -> ssl.SSLContext:
    context = ssl.create_default_context(cafile=settings.INBOUND_IMAP_CAFILE or None)
    context.minimum_version = ssl.TLSVersion.TLSv1_2
    return context


def connect(mailbox: Mailbox) -> IMAPClient:
    """A logged-in client with the mailbox's folder selected (read-write)."""
    context = _ssl_context()
    client = IMAPClient(
        mailbox.host, port=mailbox.port, ssl=mailbox.implicit_tls, ssl_context=context,
        timeout=settings.INBOUND_IMAP_TIMEOUT,
    )
    try:
        if not mailbox.implicit_tls:
            client.starttls(context)  # raises when the server cannot: no password in clear
        client.login(mailbox.username, mailbox.password)
        client.select_folder(mailbox.folder)
    except Exception:
        _close(client)
        raise
    return client


def _close(client: IMAPClient) -> None:
    try:
        client.logout()
    except Exception:  # the connection is going away anyway
        pass


def folder_ensure(client: IMAPClient, folder: str) -> None:
    if not client.folder_exists(folder):
        client.create_folder(folder)


def move(client: IMAPClient, uid: int, folder: str) -> None:
    """Move one message out of the inbox (MOVE where the server has it)."""
    if client.has_capability("MOVE"):
        client.move([uid], folder)
        return
    client.copy([uid], folder)
    client.delete_messages([uid])
    if client.has_capability("UIDPLUS"):
        client.uid_expunge([uid])
    else:
        client.expunge()
