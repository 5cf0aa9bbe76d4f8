"""Hooks through which higher apps add to meetings' pages without being imported.

``meeting_panels``: callables ``(request, meeting) -> (template, context) | None``.
A higher app (briefings) registers one in its ``AppConfig.ready()``; the meeting
page includes each panel that returns something.
"""

meeting_panels = []


def register_meeting_panel(func):
    meeting_panels.append(func)
    return func
