"""Briefings: the list, one briefing's page, adding and editing one."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render

from members import permissions
from members.ids import parse_id

from ..forms import BriefingForm
from ..selectors import briefings as selectors
from ..services import briefings as services
from .common import PAGE_SIZE, visible_or_404


@permissions.require(permissions.VIEW_PORTAL)
def briefings(request):
    page = Paginator(selectors.briefings_list(request.user), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "briefings/briefings.html", {"page": page, "query": ""})


@permissions.require(permissions.VIEW_PORTAL)
def briefing_detail(request, pk):
    briefing = visible_or_404(request.user, selectors.briefing_page_queryset(request.user), pk)
    return render(
        request, "briefings/briefing_detail.html",
        {"briefing": briefing, "can_edit": permissions.can(request.user, permissions.EDIT_CONTENT, briefing)},
    )


def _briefing_form_page(request, *, briefing=None):
    initial = {}
    if briefing is None:
        meeting_id = parse_id(request.GET.get("meeting"))
        if meeting_id is not None:
            initial["meeting"] = meeting_id
        if request.user.organization_id:
            initial["presenter"] = request.user.organization_id
    else:
        initial["documents"] = [d.pk for d in briefing.documents.all()]
    form = BriefingForm(request.POST or None, instance=briefing, initial=initial, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            if briefing is None:
                briefing = services.briefing_create(by=request.user, **form.cleaned_data)
                messages.success(request, "Briefing added.")
            else:
                services.briefing_update(briefing=briefing, by=request.user, **form.cleaned_data)
                messages.success(request, "Briefing saved.")
        except ValidationError as error:
            form.add_error(None, error)
        else:
            return redirect("briefings:briefing", pk=briefing.pk)
    return render(request, "briefings/briefing_form.html", {"form": form, "briefing": briefing})


@permissions.require(permissions.CONTRIBUTE)
def briefing_create(request):
    return _briefing_form_page(request)


@permissions.require(permissions.CONTRIBUTE)
def briefing_edit(request, pk):
    briefing = visible_or_404(request.user, selectors.briefing_page_queryset(request.user), pk)
    if not permissions.can(request.user, permissions.EDIT_CONTENT, briefing):
        return permissions.deny(request)
    return _briefing_form_page(request, briefing=briefing)
