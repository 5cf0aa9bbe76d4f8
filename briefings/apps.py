from django.apps import AppConfig


class BriefingsConfig(AppConfig):
    name = "briefings"
    verbose_name = "Briefings and documents"

    def ready(self):
        from meetings.hooks import register_meeting_panel
        from members.hooks import register_organization_panel

        from . import panels, rules

        rules.register()

        from members import cache

        from .models import Document

        # The library's counts and facets, the dashboard's latest documents (selectors).
        cache.invalidate_on_change("library", Document, m2m=(Document.topics.through,))

        if panels.meeting_panel not in _registered:
            register_meeting_panel(panels.meeting_panel)
            register_organization_panel(panels.organization_panel)
            _registered.add(panels.meeting_panel)


# ready() may run more than once in tests; the hooks must hold each panel once.
_registered = set()
