"""People in the directory: added and edited by the secretariat and co-chairs."""

from django.contrib import messages
from django.shortcuts import redirect, render

from .. import permissions, services
from ..forms import PersonForm
from ..ids import parse_id
from ..models import Organization, User


@permissions.require(permissions.MANAGE_DIRECTORY)
def person_create(request):
    organization = None
    if organization_id := parse_id(request.GET.get("organization")):
        organization = permissions.visible_to(request.user, Organization.objects.all()).filter(
            pk=organization_id).first()
    form = PersonForm(request.POST or None, organization=organization, editor=request.user)
    if request.method == "POST" and form.is_valid():
        person = services.person_create(by=request.user, **form.cleaned_data)
        messages.success(request, f"{person} added; a welcome email with a link to set a password is on its way.")
        return _back_to_directory(person)
    return render(request, "members/person_form.html", {"form": form})


@permissions.require(permissions.MANAGE_DIRECTORY)
def person_edit(request, pk):
    person = permissions.get_visible_or_404(request.user, User.objects.all(), pk=parse_id(pk))
    if not permissions.can(request.user, permissions.MANAGE_DIRECTORY, person):
        return permissions.deny(request)
    form = PersonForm(request.POST or None, instance=person, editor=request.user)
    if request.method == "POST" and form.is_valid():
        own = person.pk == request.user.pk
        services.person_update(person=person, by=request.user, **form.cleaned_data,
                               keep_session_key=request.session.session_key if own else None)
        messages.success(request, f"{person} saved.")
        return _back_to_directory(person)
    return render(request, "members/person_form.html", {"form": form, "person": person})


def _back_to_directory(person):
    if person.organization_id:
        return redirect("members:organization", pk=person.organization_id)
    return redirect("members:directory")
