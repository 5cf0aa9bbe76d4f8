"""Hooks through which higher apps add to members' pages without being imported.

``organization_panels``: callables ``(request, organization) -> (template, context) | None``.
A higher app registers one in its ``AppConfig.ready()``; the organization page
includes each panel that returns something (meetings' open action items,
briefings' documents from the organization...).
"""

organization_panels = []


def register_organization_panel(func):
    organization_panels.append(func)
    return func
