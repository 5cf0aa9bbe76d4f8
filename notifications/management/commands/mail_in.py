"""``manage.py mail_in``: read the inbound mailbox now, as the beat task does every minute."""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from notifications.inbound import services


class Command(BaseCommand):
    help = "Read the inbound mailbox (INBOUND_IMAP_URL) once and handle the replies in it."

    def handle(self, *args, **options):
        if not settings.INBOUND_IMAP_URL:
            raise CommandError("INBOUND_IMAP_URL is not set: there is no inbound mailbox to read.")
        try:
            counts = services.mail_in_run(raise_errors=True)
        except Exception as exc:
            raise CommandError(f"The inbound mailbox could not be read: {type(exc).__name__}: {exc}") from exc
        if counts.get("skipped"):
            self.stdout.write("Another run is reading the mailbox; nothing done.")
            return
        summary = ", ".join(f"{count} {status}" for status, count in sorted(counts.items())) or "no messages"
        self.stdout.write(f"Inbound mailbox read: {summary}.")
