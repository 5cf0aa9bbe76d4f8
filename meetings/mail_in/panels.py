"""The meeting page's "Messages from invitees", for the people who run the group.

Added through ``meetings.hooks.meeting_panels`` so that the page's view does
not change with it.
"""

from members import permissions

from . import addresses, selectors


def invitee_messages_panel(request, meeting):
    if not permissions.can(request.user, permissions.MANAGE_MEETINGS):
        return None
    by_email = addresses.replies_by_email()
    messages = selectors.invitee_messages(meeting)
    if not by_email and not messages and meeting.status == meeting.Status.DRAFT:
        return None
    return "meetings/panels/invitee_messages.html", {
        "meeting": meeting, "messages": messages, "replies_by_email": by_email,
    }
