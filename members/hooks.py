"""Hooks through which higher apps add to members' pages without being imported.

``organization_panels``: callables ``(request, organization) -> (template, context) | None``.
A higher app registers one in its ``AppConfig.ready()``; the organization page
includes each panel that returns something (meetings' open action items,
briefings' documents from the organization...).
"""

organization_panels = []


def register_organization_panel(func):
    if func not in organization_panels:
        organization_panels.append(func)
    return func


# ``group_facts``: callables ``() -> list[tuple[str, str]]`` of facts about the
# group shown to people who are not members yet (the invitation page): a higher
# app registers e.g. ("Next meeting", "9 November 2006").
group_facts = []


def register_group_fact(func):
    if func not in group_facts:
        group_facts.append(func)
    return func


# ``member_joined``: callables ``(*, user, invitation) -> None`` run inside the
# transaction in which an invitee accepts (``services.invitation_accept``), once
# per acceptance; a higher app registers one in its ``AppConfig.ready()``
# (meetings invites the newcomer to the upcoming meetings). Whatever they write
# to the outbox goes out after commit, or not at all.
member_joined = []


def register_member_joined(func):
    if func not in member_joined:
        member_joined.append(func)
    return func
