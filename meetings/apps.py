from django.apps import AppConfig


class MeetingsConfig(AppConfig):
    name = "meetings"

    def ready(self):
        from members import cache, hooks
        from notifications import renderers

        from . import emails, panels, rules
        from .models import Meeting
        from .services import newcomers

        rules.register()
        renderers.register(emails.INVITATION_RENDERER, emails.invitation_render, many=emails.invitations_render)
        # The dashboard's attendance chart (panels.attendance_chart).
        cache.invalidate_on_change("attendance", Meeting, m2m=(Meeting.attending_organizations.through,))

        hooks.register_organization_panel(panels.organization_panel)
        hooks.register_group_fact(panels.next_meeting_fact)
        hooks.register_member_joined(newcomers.member_joined)

        # Replies by email: the handler of inbound mail and the coordinators' panel.
        from notifications import inbound

        from . import hooks as meeting_hooks
        from .mail_in import panels as mail_in_panels
        from .mail_in import services as mail_in

        inbound.register_handler(mail_in.inbound_handle)
        if mail_in_panels.invitee_messages_panel not in meeting_hooks.meeting_panels:
            meeting_hooks.register_meeting_panel(mail_in_panels.invitee_messages_panel)
