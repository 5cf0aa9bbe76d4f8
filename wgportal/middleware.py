import time

from django.conf import settings
from django.contrib.auth import logout


class ContentSecurityPolicyMiddleware:
    """Adds the portal's Content-Security-Policy header: no inline or foreign scripts."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.headers.setdefault("Content-Security-Policy", settings.CONTENT_SECURITY_POLICY)
        return response


class SessionIdleMiddleware:
    """Ends a signed-in session after ``SESSION_IDLE_HOURS`` without a request.

    The session's expiry is pushed forward at most once every
    ``SESSION_ACTIVITY_RESOLUTION_SECONDS`` (one write a minute rather than one
    a request); the time of the last push is kept in the session, and a request
    that comes later than the idle limit after it signs the person out before
    any view runs.
    """

    KEY = "wgportal_seen"

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if getattr(request, "user", None) is not None and request.user.is_authenticated:
            now = int(time.time())
            seen = request.session.get(self.KEY)
            if seen is not None and now - seen > settings.SESSION_COOKIE_AGE:
                logout(request)
            elif seen is None or now - seen >= settings.SESSION_ACTIVITY_RESOLUTION_SECONDS:
                request.session[self.KEY] = now  # marks the session modified: its expiry moves on
        return self.get_response(request)


def session_mark_seen(sender, request, user, **kwargs):
    """``user_logged_in`` receiver: a new session starts its idle clock at sign-in
    (so that the first pages after signing in write nothing more)."""
    if request is not None and hasattr(request, "session"):
        request.session[SessionIdleMiddleware.KEY] = int(time.time())
