"""Messages composed by the worker: the apps above register how.

An app that sends one message per recipient of a large audience (meeting
invitations) writes rows naming a renderer and its arguments instead of the
rendered message; the worker that delivers the row calls the renderer, so the
per-recipient work (templates, signed links, calendar files) is spread over
the worker processes and the web request returns at once. The outbox knows no
renderer by itself: ``register`` is called from the apps' ``ready()``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .services import OutgoingEmail

Renderer = Callable[[dict], "OutgoingEmail | None"]
_renderers: dict[str, Renderer] = {}


class NothingToSend(Exception):
    """The renderer found nothing to send any more (the row's subject is gone)."""


_many: dict[str, Callable[[list[dict]], list]] = {}


def register(name: str, renderer: Renderer, *, many: Callable[[list[dict]], list] | None = None) -> None:
    """``renderer(args)`` returns the message, or None when there is nothing to send any more.
    ``many(list_of_args)``, if given, does the same for a whole batch at once (one query
    for the batch instead of one per message) and returns the messages in order."""
    _renderers[name] = renderer
    if many is not None:
        _many[name] = many
    else:
        _many.pop(name, None)


def render_many(name: str, args_list: list[dict]) -> list:
    """The messages of a batch: an ``OutgoingEmail``, or None when nothing is to be sent, per args."""
    if name not in _renderers:
        raise LookupError(f"no renderer registered as {name!r}")
    if name in _many:
        return list(_many[name](args_list))
    return [_renderers[name](args) for args in args_list]


def render(name: str, args: dict) -> OutgoingEmail:
    try:
        renderer = _renderers[name]
    except KeyError:
        raise LookupError(f"no renderer registered as {name!r}") from None
    email = renderer(args)
    if email is None:
        raise NothingToSend(name)
    return email
