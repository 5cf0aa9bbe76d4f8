import secrets

from django.core.management.base import BaseCommand
from django.db import transaction

import briefings.demo
import coordination.demo
import meetings.demo
import members.demo


class Command(BaseCommand):
    help = "Load the working group of March 2007 and its demo sign-ins (idempotent)."

    def add_arguments(self, parser):
        parser.add_argument("--password", help="Password of the demo sign-ins (default: a new one, printed).")

    def handle(self, *args, password=None, **options):
        generated = password is None
        if generated:
            password = secrets.token_urlsafe(12)
        with transaction.atomic():
            counts = {}
            for module in (members.demo, meetings.demo, briefings.demo, coordination.demo):
                counts.update(module.seed(password=password, keep_passwords=generated))
        made = ", ".join(f"{n} {what}" for what, n in counts.items() if n) or "nothing new"
        self.stdout.write(self.style.SUCCESS(f"Demo group loaded ({made})."))
        if generated and not counts.get("people"):
            self.stdout.write("The demo sign-ins already existed; their passwords were not changed "
                              "(run with --password to set one).")
            return
        self.stdout.write("Sign in at /accounts/login/ with any of these, password: " + password)
        for email, *_ in members.demo.PEOPLE[:5]:
            self.stdout.write(f"  {email}")
