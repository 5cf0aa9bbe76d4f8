class MeetingStateError(Exception):
    """The meeting (or poll) is not in a state that allows the action; the message says why."""
