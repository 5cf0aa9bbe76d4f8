"""Two-factor sign-in is required of the people who run the group.

Co-chairs, the secretariat and staff (the Django admin) hold police follow-ups,
notes on NGOs and co-chairs-only papers; when ``MFA_REQUIRED`` is on, a
password alone does not open their pages. Until they add an authenticator app
or a security key, every page but those of their own account sends them to the
two-factor page, which says why. Members may add two-factor sign-in; they are
not made to.
"""

from __future__ import annotations

import base64
import hashlib
import secrets

from allauth.mfa.adapter import DefaultMFAAdapter
from allauth.mfa.models import Authenticator
from allauth.mfa.utils import is_mfa_enabled
from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.contrib import messages
from django.shortcuts import redirect

from . import permissions

# The pages a person must reach to set up two factors (or to leave): their
# account pages (sign-out, two-factor, sessions, password) and the health check.
OPEN_PREFIXES = ("/accounts/", "/healthz", "/static/")
EXPLANATION = (
    "Your role lets you see co-chairs-only documents and run the group, so the portal asks for a "
    "second factor when you sign in. Add an authenticator app (and keep the recovery codes) or a "
    "security key below; then every page opens again."
)
# Recovery codes alone are not a second factor: they only stand in for a lost one.
FACTOR_TYPES = [Authenticator.Type.TOTP, Authenticator.Type.WEBAUTHN]


def mfa_required_for(user) -> bool:
    """Must ``user`` sign in with two factors (whether or not they have yet)?"""
    if not settings.MFA_REQUIRED or not getattr(user, "is_authenticated", False):
        return False
    return user.is_staff or user.is_superuser or permissions.is_coordinator(user)


def mfa_missing_for(user) -> bool:
    """``user`` must use two factors and has not set any up yet."""
    return mfa_required_for(user) and not is_mfa_enabled(user, types=FACTOR_TYPES)


class MfaRequiredMiddleware:
    """Sends privileged people without a second factor to the page that sets one up."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not request.path.startswith(OPEN_PREFIXES) and mfa_missing_for(request.user):
            messages.warning(request, EXPLANATION, extra_tags="mfa-required")
            return redirect("mfa_index")
        return self.get_response(request)


class MFAAdapter(DefaultMFAAdapter):
    """Authenticator secrets (the TOTP key, the recovery-code seed) are stored
    encrypted with a key derived from ``SECRET_KEY``: a copy of the database
    alone does not let anyone compute a co-chair's codes."""

    PREFIX = "fernet:"

    def _fernet(self) -> MultiFernet:
        keys = [settings.SECRET_KEY, *getattr(settings, "SECRET_KEY_FALLBACKS", [])]
        return MultiFernet([
            Fernet(base64.urlsafe_b64encode(hashlib.sha256(f"wgportal.mfa:{key}".encode()).digest()))
            for key in keys
        ])

    def encrypt(self, text: str) -> str:
        return self.PREFIX + self._fernet().encrypt(text.encode()).decode()

    def decrypt(self, encrypted_text: str) -> str:
        if not encrypted_text.startswith(self.PREFIX):
            return encrypted_text  # stored before encryption was turned on
        try:
            return self._fernet().decrypt(encrypted_text[len(self.PREFIX):].encode()).decode()
        except InvalidToken:
            # SECRET_KEY changed beyond its fallbacks: the authenticator must no longer
            # verify anything (an empty or fixed key would give codes anyone can compute),
            # so a fresh random secret nobody knows stands in; staff reset the person's
            # two-factor sign-in.
            return base64.b32encode(secrets.token_bytes(20)).decode()
