"""Every write of the meetings app, one module per sub-domain:

- ``scheduling``: meetings created, edited, scheduled, cancelled; the agenda;
- ``rsvp``: invitations, updates, reminders and replies;
- ``after``: attendance, minutes, action items;
- ``polls``: date polls;
- ``feed``: the calendar subscription address;
- ``newcomers``: a new member's invitations to the upcoming meetings.

Emails are composed in ``meetings.emails`` and written to the outbox
(notifications.services) in the same transaction as the change that causes
them; Celery sends them after commit. The names below are the app's service API.
"""

from .after import (
    action_item_add,
    action_item_done,
    action_item_may_complete,
    action_item_reminders_send,
    action_item_update,
    attendance_check_open,
    attendance_record,
    minutes_check_open,
    minutes_publish,
    minutes_save,
)
from .errors import MeetingStateError
from .feed import feed_create, feed_rotate
from .newcomers import newcomer_invite
from .polls import poll_answer, poll_close, poll_create, poll_schedule
from .rsvp import reminders_nudge, reminders_send, reply_set, reply_set_for_user, rsvps_send, update_send
from .scheduling import (
    agenda_item_add,
    agenda_item_delete,
    agenda_item_move,
    agenda_item_update,
    meeting_cancel,
    meeting_create,
    meeting_schedule,
    meeting_update,
)

__all__ = [
    "MeetingStateError",
    "action_item_add", "action_item_done", "action_item_may_complete", "action_item_reminders_send",
    "action_item_update", "attendance_check_open", "attendance_record",
    "minutes_check_open", "minutes_publish", "minutes_save",
    "feed_create", "feed_rotate", "newcomer_invite",
    "poll_answer", "poll_close", "poll_create", "poll_schedule",
    "reminders_nudge", "reminders_send", "reply_set", "reply_set_for_user", "rsvps_send", "update_send",
    "agenda_item_add", "agenda_item_delete", "agenda_item_move", "agenda_item_update",
    "meeting_cancel", "meeting_create", "meeting_schedule", "meeting_update",
]
