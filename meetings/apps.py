from django.apps import AppConfig


class MeetingsConfig(AppConfig):
    name = "meetings"

    def ready(self):
        from members import hooks

        from . import panels, rules
        from .services import newcomers

        rules.register()

        hooks.register_organization_panel(panels.organization_panel)
        hooks.register_group_fact(panels.next_meeting_fact)
        hooks.register_member_joined(newcomers.member_joined)
