"""Circulations: the list, circulating documents, the delivery and downloads of one."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render

from members import permissions
from members.ids import parse_ids
from notifications import services as outbox

from ..forms import CirculationForm
from ..models import Circulation
from ..selectors import circulations as selectors
from ..selectors.documents import documents_visible_to
from ..services import circulations as services
from .common import PAGE_SIZE, visible_or_404

RECIPIENTS_PAGE_SIZE = 50
OFFERED_DOCUMENTS = 30


@permissions.require(permissions.CIRCULATE)
def circulations(request):
    page = Paginator(selectors.circulations_list(request.user), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "briefings/circulations.html", {"page": page, "query": ""})


@permissions.require(permissions.CIRCULATE)
def circulation_create(request):
    documents_queryset = documents_visible_to(request.user).order_by("-created_at", "-id")
    initial = {}
    asked = parse_ids(request.GET.getlist("document"))
    if asked:
        preselected = list(documents_queryset.filter(pk__in=asked))
        initial["documents"] = [d.pk for d in preselected]
        if len(preselected) == 1:
            initial["subject"] = preselected[0].title
        if preselected and all(d.is_restricted for d in preselected):
            initial["audience"] = Circulation.Audience.COCHAIRS
    form = CirculationForm(
        request.POST or None, initial=initial, user=request.user, documents_queryset=documents_queryset
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            circulation = services.circulation_create(
                by=request.user, documents=data["documents"], subject=data["subject"], message=data["message"],
                audience=data["audience"], organizations=data["organizations"] or [],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request, f"Circulation queued for {circulation.recipients_count} "
                         f"recipient{'s' if circulation.recipients_count != 1 else ''}."
            )
            return redirect("briefings:circulation", pk=circulation.pk)
    # Offer the recent documents and those chosen; the form accepts any visible one
    # (a document page's "Circulate" button links here with its id).
    value = form["documents"].value() or []
    chosen_ids = parse_ids(value if isinstance(value, (list, tuple)) else [value])
    chosen = {str(pk) for pk in chosen_ids}
    offered = list(documents_queryset.only("id", "title", "access_level", "created_at")[:OFFERED_DOCUMENTS])
    missing = set(chosen_ids) - {d.pk for d in offered}
    if missing:
        offered = list(documents_queryset.filter(pk__in=missing).only("id", "title", "access_level")) + offered
    return render(
        request, "briefings/circulation_form.html",
        {"form": form, "offered": offered, "chosen": chosen, "library_empty": not offered},
    )


@permissions.require(permissions.VIEW_MAILING)
def circulation_detail(request, pk):
    circulation = visible_or_404(request.user, selectors.circulation_page_queryset(request.user), pk)
    if circulation.mailing is None:
        raise Http404("No such circulation")
    if not permissions.can(request.user, permissions.VIEW_MAILING, circulation.mailing):
        return permissions.deny(request)
    documents = list(circulation.documents.all())
    rows = selectors.circulation_recipient_rows(circulation)
    page = Paginator(rows, RECIPIENTS_PAGE_SIZE).get_page(request.GET.get("page"))
    recipients = list(page.object_list)
    downloads = selectors.circulation_downloads(circulation, [r.recipient_user_id for r in recipients])
    for row in recipients:
        row.document_downloads = [(d, downloads.get((row.recipient_user_id, d.pk))) for d in documents]
    totals = selectors.circulation_download_totals(circulation)
    failed = list(rows.filter(status="failed")[:100])
    return render(
        request,
        "briefings/circulation_detail.html",
        {
            "circulation": circulation, "documents": documents, "mailing": circulation.mailing,
            "progress": outbox.mailing_progress(circulation.mailing), "page": page, "recipients": recipients,
            "failed": failed, "totals": [(d, totals.get(d.pk, 0)) for d in documents], "query": "",
            "organizations": list(circulation.organizations.all()),
        },
    )
