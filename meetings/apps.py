from django.apps import AppConfig


class MeetingsConfig(AppConfig):
    name = "meetings"

    def ready(self):
        from members import hooks

        from . import panels, rules

        rules.register()

        from members import cache

        from .models import Meeting

        # The dashboard's attendance chart (selectors.attendance_chart).
        cache.invalidate_on_change("attendance", Meeting, m2m=(Meeting.attending_organizations.through,))

        hooks.register_organization_panel(panels.organization_panel)
        hooks.register_group_fact(panels.next_meeting_fact)
