"""The Django admin signs people in through the portal's own sign-in.

Django's admin login form would bypass allauth's rate limits and the second
factor; the admin's login page therefore only hands over to allauth's sign-in
(which comes back to the admin page afterwards), and admits staff only.
"""

from django.contrib.auth.decorators import login_not_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme


@login_not_required
def admin_login(request, extra_context=None):
    """``admin.site.login``: anonymous visitors go to the portal's sign-in; signed-in
    people who are not staff are refused (sending them to sign in again would loop)."""
    target = request.GET.get("next") or reverse("admin:index")
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()},
                                           require_https=request.is_secure()):
        target = reverse("admin:index")
    if request.user.is_authenticated:
        if request.user.is_active and request.user.is_staff:
            return redirect(target)
        raise PermissionDenied("The administration is for staff only.")
    return redirect_to_login(target)
