"""The meetings pages, one module per sub-domain (scheduling and the agenda,
invitations and replies, after the meeting, date polls, calendars)."""

from .after import (
    action_add,
    action_done,
    action_edit,
    action_items,
    action_items_csv,
    attendance,
    attendance_csv,
    minutes_edit,
    minutes_publish,
)
from .calendar import calendar_feed, calendar_rotate, calendar_settings, meeting_ics
from .polls import poll_close, poll_create, poll_detail, poll_schedule
from .rsvp import remind, replies_csv, reply, reply_link, rsvps_send, update_send
from .scheduling import (
    agenda_add,
    agenda_delete,
    agenda_edit,
    agenda_move,
    meeting_cancel,
    meeting_create,
    meeting_detail,
    meeting_edit,
    meeting_list,
    meeting_schedule,
)
from .sending import send_confirm

__all__ = [
    "action_add", "action_done", "action_edit", "action_items", "action_items_csv",
    "attendance", "attendance_csv", "minutes_edit", "minutes_publish",
    "calendar_feed", "calendar_rotate", "calendar_settings", "meeting_ics",
    "poll_close", "poll_create", "poll_detail", "poll_schedule",
    "remind", "replies_csv", "reply", "reply_link", "rsvps_send", "update_send", "send_confirm",
    "agenda_add", "agenda_delete", "agenda_edit", "agenda_move", "meeting_cancel", "meeting_create",
    "meeting_detail", "meeting_edit", "meeting_list", "meeting_schedule",
]
