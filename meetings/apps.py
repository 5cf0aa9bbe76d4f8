from django.apps import AppConfig


class MeetingsConfig(AppConfig):
    name = "meetings"

    def ready(self):
        from members import hooks

        from . import panels, rules

        rules.register()

        hooks.register_organization_panel(panels.organization_panel)
        hooks.register_group_fact(panels.next_meeting_fact)

        from notifications import inbound

        from .mail_in import services as mail_in

        inbound.register_handler(mail_in.inbound_handle)
