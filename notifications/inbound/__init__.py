"""The inbound mailbox: replies to the portal's emails, read over IMAP.

This app knows nothing of what the replies are about. Higher apps register a
handler (``register_handler``) from their ``AppConfig.ready()``, as they add
panels through ``members.hooks``; the handler gets an ``InboundMail`` and says
what it did with it.
"""

from .handlers import register_handler
from .parsing import CalendarPart, DeliveryFailure, DeliveryReport, InboundMail, Refused

__all__ = [
    "CalendarPart", "DeliveryFailure", "DeliveryReport", "InboundMail", "Refused", "register_handler",
]
