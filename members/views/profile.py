"""Their own profile: a person edits their name, title and phone, or leaves
the group; the secretariat (and co-chairs) deactivate someone in the portal."""

from django.contrib import messages
from django.contrib.auth import logout
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from .. import permissions, services
from ..forms import ProfileForm
from ..ids import parse_id
from ..models import User


def profile(request):
    """Every signed-in person's own record (the middleware sends visitors to sign in)."""
    form = ProfileForm(request.POST or None, instance=request.user)
    if request.method == "POST" and form.is_valid():
        services.profile_update(user=request.user, **form.cleaned_data)
        messages.success(request, "Your profile is saved.")
        return redirect("members:profile")
    return render(request, "members/profile.html", {
        "form": form, "may_leave": permissions.is_member(request.user)})


@require_POST
@permissions.require(permissions.VIEW_PORTAL)
def profile_leave(request):
    services.person_leave(person=request.user)
    logout(request)
    messages.success(request, "You have left the working group. Your past contributions stay in its record.")
    return redirect("account_login")


@require_POST
@permissions.require(permissions.MANAGE_DIRECTORY)
def person_deactivate(request, pk):
    person = permissions.get_visible_or_404(request.user, User.objects.all(), pk=parse_id(pk))
    if not permissions.can(request.user, permissions.MANAGE_DIRECTORY, person):
        return permissions.deny(request)
    if person.pk == request.user.pk:
        messages.error(request, "To leave the group yourself, use your profile page.")
        return redirect("members:person_edit", pk=person.pk)
    services.person_deactivate(person=person, by=request.user)
    messages.success(request, f"{person} is deactivated: no sign-in and no mailings; their record stays.")
    if person.organization_id:
        return redirect("members:organization", pk=person.organization_id)
    return redirect("members:directory")
