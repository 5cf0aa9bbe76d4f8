import contextlib
import logging
import secrets

from django.core.management.base import BaseCommand
from django.db import transaction

import briefings.demo
import coordination.demo
import meetings.demo
import members.demo

# What each demo sign-in is, in the words of the README's table.
ROLES = {
    "cochair@usembassy.example": "co-chair, U.S. Embassy",
    "cochair@unicef.example": "co-chair, UNICEF",
    "secretariat@wgportal.example": "secretariat",
    "member@germany.example": "member, Embassy of Germany",
    "member@sweden.example": "member, Save the Children Sweden",
}

# Loggers that narrate each in-process task ("Task ... succeeded in 0.01s");
# a person loading the demo wants the summary, not fifty of those lines. Kombu
# warns that the in-process broker has no host name, which is the point of it.
QUIET_LOGGERS = {"celery": logging.WARNING, "celery.app.trace": logging.WARNING, "kombu": logging.ERROR}


@contextlib.contextmanager
def _quiet(enabled: bool):
    if not enabled:
        yield
        return
    loggers = [logging.getLogger(name) for name in QUIET_LOGGERS]
    levels = [logger.level for logger in loggers]
    for logger, quiet_level in zip(loggers, QUIET_LOGGERS.values(), strict=True):
        logger.setLevel(quiet_level)
    try:
        yield
    finally:
        for logger, level in zip(loggers, levels, strict=True):
            logger.setLevel(level)


class Command(BaseCommand):
    help = "Load the working group of March 2007 and its demo sign-ins (idempotent)."

    def add_arguments(self, parser):
        parser.add_argument("--password", help="Password of the demo sign-ins (default: a new one, printed).")

    def handle(self, *args, password=None, verbosity=1, **options):
        generated = password is None
        if generated:
            password = secrets.token_urlsafe(12)
        counts = {}
        with _quiet(verbosity < 2), transaction.atomic():
            for module in (members.demo, meetings.demo, briefings.demo, coordination.demo):
                counts.update(module.seed(password=password, keep_passwords=generated))
        if verbosity < 1:
            return
        made = ", ".join(f"{n} {what}" for what, n in counts.items() if n)
        if made:
            self.stdout.write(self.style.SUCCESS(f"Demo group loaded: {made}."))
            self.stdout.write("No email was sent: the demo's invitations are recorded as already delivered.")
        else:
            self.stdout.write(self.style.SUCCESS("Demo group already loaded: nothing new."))
        if generated and not counts.get("people"):
            self.stdout.write("The demo sign-ins already existed; their passwords were not changed "
                              "(run with --password to set one).")
            return
        self.stdout.write(f"Sign in at /accounts/login/ with password {password} as:")
        width = max(len(email) for email in ROLES)
        for email, role in ROLES.items():
            self.stdout.write(f"  {email.ljust(width)}  {role}")
