"""The hook through which higher apps take inbound mail, without this app knowing them.

``handlers``: callables ``(mail: InboundMail) -> str | None`` registered from a
higher app's ``AppConfig.ready()``. Each is asked in turn; the first that
returns a text (what it did: "calendar reply: accepted") has taken the
message. A handler raises ``Refused(reason)`` for a message meant for it that
it will not use (a forged token, a reply to another event). Handlers run in a
savepoint: whatever a handler wrote before it failed is undone.
"""

from __future__ import annotations

from collections.abc import Callable

from .parsing import InboundMail, clean_line

Handler = Callable[[InboundMail], "str | None"]

handlers: list[Handler] = []


def register_handler(func: Handler) -> Handler:
    if func not in handlers:
        handlers.append(func)
    return func


def dispatch(mail: InboundMail) -> str | None:
    for handler in handlers:
        outcome = handler(mail)
        if outcome:
            return clean_line(outcome, 500)
    return None
