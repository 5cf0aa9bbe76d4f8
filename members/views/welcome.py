"""The first page a new member sees: what the group is and where things are."""

from django.shortcuts import render

from .. import permissions, selectors


@permissions.require(permissions.VIEW_PORTAL)
def welcome(request):
    """Shown after an invitation is accepted; any member may come back to it."""
    return render(request, "members/welcome.html", {
        "facts": selectors.group_facts(),
        "organization": request.user.organization,
    })
