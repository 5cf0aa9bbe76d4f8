"""allauth's hooks: signup stays closed, and its emails go through the outbox."""

from allauth.account.adapter import DefaultAccountAdapter
from allauth.core import context as allauth_context
from django.contrib.sites.shortcuts import get_current_site

from notifications.services import OutgoingEmail, message_queue


class AccountAdapter(DefaultAccountAdapter):
    def is_open_for_signup(self, request):
        """Public signup is closed: accounts come from an organization invitation
        (which opens signup for its own email only) or from the secretariat."""
        return False

    def send_mail(self, template_prefix, email, context):
        request = allauth_context.request
        ctx = {"request": request, "email": email, "current_site": get_current_site(request)}
        ctx.update(context)
        rendered = self.render_mail(template_prefix, email, ctx)
        html = next((body for body, mimetype in getattr(rendered, "alternatives", []) if mimetype == "text/html"), "")
        kind = "account:" + template_prefix.rsplit("/", 1)[-1]
        message_queue(
            kind=kind[:40],
            email=OutgoingEmail(to_email=email, subject=rendered.subject, text=rendered.body, html=html),
        )
