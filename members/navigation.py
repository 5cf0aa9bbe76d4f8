"""Where a form sends the user back to."""

from django.utils.http import url_has_allowed_host_and_scheme


def next_url(request) -> str | None:
    """The POSTed ``next`` when it points inside this site, else None (no open redirects)."""
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return None
