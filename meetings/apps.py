from django.apps import AppConfig


class MeetingsConfig(AppConfig):
    name = "meetings"

    def ready(self):
        from members import cache, hooks
        from notifications import renderers

        from . import emails, panels, rules
        from .models import Meeting

        rules.register()
        renderers.register(emails.INVITATION_RENDERER, emails.invitation_render, many=emails.invitations_render)
        # The dashboard's attendance chart (panels.attendance_chart).
        cache.invalidate_on_change("attendance", Meeting, m2m=(Meeting.attending_organizations.through,))

        hooks.register_organization_panel(panels.organization_panel)
        hooks.register_group_fact(panels.next_meeting_fact)
