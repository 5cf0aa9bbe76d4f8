"""Pages of the library, briefings, search and circulations.

Every view asks members.permissions; a document a user may not see answers
404 (as if it did not exist), so that ids reveal nothing.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.utils.functional import cached_property
from django.http import FileResponse, Http404, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.utils.http import content_disposition_header

from members import permissions
from notifications import services as outbox

from . import selectors, services, storage
from .forms import (
    BriefingForm,
    CirculationForm,
    DocumentMetadataForm,
    DocumentReplaceForm,
    DocumentUploadForm,
    LibraryFilterForm,
)
from .models import Circulation, Document, DocumentVersion

PAGE_SIZE = 25
DOWNLOADS_PAGE_SIZE = 50
RECIPIENTS_PAGE_SIZE = 50
OFFERED_DOCUMENTS = 30


def _query_without_page(request) -> str:
    query = request.GET.copy()
    query.pop("page", None)
    return query.urlencode()


def _document_or_404(request, pk) -> Document:
    document = selectors.document_for(request.user, pk)
    if document is None:
        raise Http404("No such document")
    return document


# --- Library -------------------------------------------------------------------


@permissions.require(permissions.VIEW_PORTAL)
def documents(request):
    form = LibraryFilterForm(request.GET or None, user=request.user)
    filters = form.filters() if request.GET else {}
    rows = selectors.documents_library(
        request.user,
        kind=filters.get("kind") or "",
        topic=filters.get("topic") or "",
        source=filters.get("source"),
        year=filters.get("year"),
        sort=filters.get("sort") or "newest",
    )
    count = selectors.documents_library_count(
        request.user, kind=filters.get("kind") or "", topic=filters.get("topic") or "",
        source=filters.get("source"), year=filters.get("year"),
    )
    page = CountedPaginator(rows, PAGE_SIZE, count=count).get_page(request.GET.get("page"))
    return render(
        request,
        "briefings/documents.html",
        {
            "form": form, "page": page, "query": _query_without_page(request),
            "filtered": any(filters.get(k) for k in ("kind", "topic", "source", "year")),
        },
    )


@permissions.require(permissions.CONTRIBUTE)
def document_upload(request):
    initial = {}
    meeting_id = request.GET.get("meeting", "")
    if meeting_id.isdigit():
        initial["meeting"] = meeting_id
    form = DocumentUploadForm(request.POST or None, request.FILES or None, user=request.user, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        upload = data.pop("file")
        try:
            document = services.document_upload(upload=upload, by=request.user, **data)
        except ValidationError as error:
            form.add_error("file", error)
        else:
            if permissions.can(request.user, permissions.VIEW_DOCUMENT, document):
                messages.success(request, f"“{document.title}” was added to the library.")
                return redirect("briefings:document", pk=document.pk)
            messages.success(
                request, f"“{document.title}” was added for the co-chairs and the secretariat only."
            )
            return redirect("briefings:documents")
    return render(request, "briefings/document_form.html", {"form": form, "upload": True})


@permissions.require(permissions.VIEW_PORTAL)
def document_detail(request, pk):
    document = _document_or_404(request, pk)
    can_see_downloads = permissions.can(request.user, permissions.VIEW_DOWNLOADS, document)
    recent_downloads = list(selectors.document_downloads(document)[:10]) if can_see_downloads else []
    return render(
        request,
        "briefings/document_detail.html",
        {
            "document": document,
            "can_edit": permissions.can(request.user, permissions.EDIT_CONTENT, document),
            "can_see_downloads": can_see_downloads,
            "recent_downloads": recent_downloads,
            "can_circulate": permissions.can(request.user, permissions.CIRCULATE),
        },
    )


@permissions.require(permissions.CONTRIBUTE)
def document_edit(request, pk):
    document = _document_or_404(request, pk)
    if not permissions.can(request.user, permissions.EDIT_CONTENT, document):
        raise PermissionDenied
    form = DocumentMetadataForm(
        request.POST or None, instance=document,
        initial={"topics": [t.pk for t in document.topics.all()]},
    )
    if request.method == "POST":
        # The ModelForm must not touch the instance: the service records the change.
        document = Document.objects.get(pk=document.pk)
        if form.is_valid():
            data = dict(form.cleaned_data)
            topics = data.pop("topics")
            changed = services.document_update(document=document, by=request.user, topics=topics, **data)
            if changed:
                messages.success(request, "Saved: " + ", ".join(changed) + ".")
            else:
                messages.info(request, "Nothing was changed.")
            if permissions.can(request.user, permissions.VIEW_DOCUMENT, document):
                return redirect("briefings:document", pk=document.pk)
            return redirect("briefings:documents")
    return render(request, "briefings/document_form.html", {"form": form, "document": document})


@permissions.require(permissions.CONTRIBUTE)
def document_replace(request, pk):
    document = _document_or_404(request, pk)
    if not permissions.can(request.user, permissions.EDIT_CONTENT, document):
        raise PermissionDenied
    form = DocumentReplaceForm(request.POST or None, request.FILES or None, document=document, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            services.document_replace_file(document=document, upload=form.cleaned_data["file"], by=request.user)
        except ValidationError as error:
            form.add_error("file", error)
        else:
            messages.success(request, "The new file is in place; the earlier one is kept as a version.")
            return redirect("briefings:document", pk=document.pk)
    return render(request, "briefings/document_replace.html", {"form": form, "document": document})


def _file_response(request, *, name: str, original_name: str, content_type: str, size: int):
    signed_url = storage.signed_download_url(name=name, original_name=original_name, content_type=content_type)
    if signed_url:
        response = HttpResponseRedirect(signed_url)
    elif settings.DOWNLOAD_X_ACCEL_REDIRECT:
        # nginx sends the file from its internal location; Django only says which.
        response = HttpResponse(content_type=content_type)
        response["X-Accel-Redirect"] = settings.DOWNLOAD_X_ACCEL_PREFIX.rstrip("/") + "/" + name
        response["Content-Disposition"] = content_disposition_header(True, original_name)
    else:
        from django.core.files.storage import default_storage

        try:
            handle = default_storage.open(name, "rb")
        except OSError:
            raise Http404("The file is missing from storage") from None
        response = FileResponse(handle, as_attachment=True, filename=original_name, content_type=content_type)
        response["Content-Length"] = str(size)
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


@permissions.require(permissions.VIEW_PORTAL)
def document_download(request, pk):
    document = selectors.documents_visible_to(request.user).filter(pk=pk).only(
        "id", "file", "original_name", "content_type", "size", "access_level", "uploaded_by_id"
    ).first()
    if document is None:
        raise Http404("No such document")
    response = _file_response(
        request, name=document.file.name, original_name=document.original_name,
        content_type=document.content_type, size=document.size,
    )
    services.download_record(document=document, user=request.user)
    return response


@permissions.require(permissions.VIEW_PORTAL)
def version_download(request, pk, version_pk):
    document = _document_or_404(request, pk)
    version = DocumentVersion.objects.filter(pk=version_pk, document=document).first()
    if version is None:
        raise Http404("No such version")
    response = _file_response(
        request, name=version.file.name, original_name=version.original_name,
        content_type=version.content_type, size=version.size,
    )
    services.download_record(document=document, user=request.user, version=version)
    return response


@permissions.require(permissions.VIEW_PORTAL)
def document_downloads(request, pk):
    document = _document_or_404(request, pk)
    if not permissions.can(request.user, permissions.VIEW_DOWNLOADS, document):
        raise PermissionDenied
    page = Paginator(selectors.document_downloads(document), DOWNLOADS_PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "briefings/document_downloads.html", {"document": document, "page": page, "query": ""})


class CountedPaginator(Paginator):
    """A paginator told its count (a cached figure) instead of counting."""

    def __init__(self, *args, count: int, **kwargs):
        super().__init__(*args, **kwargs)
        self.__dict__["count"] = count  # what the cached_property would have computed


# --- Search --------------------------------------------------------------------


class SearchPaginator(Paginator):
    """Counts matches only up to ``cap``: a word found in most of the library would
    otherwise make PostgreSQL read every match's search vector just to count it.
    Beyond the cap, people refine the query rather than page on."""

    cap = selectors.SEARCH_CAP

    @cached_property
    def count(self):
        if isinstance(self.object_list, selectors.RankedMatches):
            return self.object_list.count()  # already stops counting past the cap
        # Without the ranking and the snippets: only "is there a match" per row.
        return self.object_list.order_by().values("pk")[: self.cap + 1].count()

    @property
    def capped(self):
        return self.count > self.cap


@permissions.require(permissions.VIEW_PORTAL)
def search(request):
    results = selectors.search(request.user, request.GET.get("q", ""))
    page = SearchPaginator(results.documents, PAGE_SIZE).get_page(request.GET.get("page"))
    page.object_list = selectors.with_snippets(results, page.object_list)
    return render(
        request,
        "briefings/search.html",
        {"results": results, "page": page, "query": _query_without_page(request),
         "searched": bool(selectors.search_terms(results.query))},
    )


# --- Briefings -----------------------------------------------------------------


@permissions.require(permissions.VIEW_PORTAL)
def briefings(request):
    page = Paginator(selectors.briefings_list(request.user), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "briefings/briefings.html", {"page": page, "query": ""})


@permissions.require(permissions.VIEW_PORTAL)
def briefing_detail(request, pk):
    briefing = selectors.briefing_for(request.user, pk)
    if briefing is None:
        raise Http404("No such briefing")
    return render(
        request, "briefings/briefing_detail.html",
        {"briefing": briefing, "can_edit": permissions.can(request.user, permissions.EDIT_CONTENT, briefing)},
    )


def _briefing_form_page(request, *, briefing=None):
    initial = {}
    if briefing is None:
        meeting_id = request.GET.get("meeting", "")
        if meeting_id.isdigit():
            initial["meeting"] = meeting_id
        if request.user.organization_id:
            initial["presenter"] = request.user.organization_id
    else:
        # Documents the editor cannot see stay attached whatever the form says.
        initial["documents"] = [d.pk for d in briefing.documents.all()]
    form = BriefingForm(request.POST or None, instance=briefing, initial=initial, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        try:
            if briefing is None:
                briefing = services.briefing_create(by=request.user, **data)
                messages.success(request, "Briefing added.")
            else:
                from .models import Briefing

                hidden = list(
                    Briefing.objects.get(pk=briefing.pk).documents.exclude(
                        pk__in=selectors.documents_visible_to(request.user).values("pk")
                    )
                )
                data["documents"] = [*data["documents"], *hidden]
                services.briefing_update(briefing=briefing, by=request.user, **data)
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
    briefing = selectors.briefing_for(request.user, pk)
    if briefing is None:
        raise Http404("No such briefing")
    if not permissions.can(request.user, permissions.EDIT_CONTENT, briefing):
        raise PermissionDenied
    return _briefing_form_page(request, briefing=briefing)


# --- Circulations --------------------------------------------------------------


@permissions.require(permissions.CIRCULATE)
def circulations(request):
    page = Paginator(selectors.circulations_list(), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "briefings/circulations.html", {"page": page, "query": ""})


@permissions.require(permissions.CIRCULATE)
def circulation_create(request):
    documents_queryset = selectors.documents_visible_to(request.user).order_by("-created_at", "-id")
    initial = {}
    chosen = [v for v in request.GET.getlist("document") if v.isdigit()]
    if chosen:
        preselected = list(documents_queryset.filter(pk__in=chosen))
        initial["documents"] = [d.pk for d in preselected]
        if len(preselected) == 1:
            initial["subject"] = preselected[0].title
        if preselected and all(d.is_restricted for d in preselected):
            initial["audience"] = Circulation.Audience.COCHAIRS
    form = CirculationForm(request.POST or None, initial=initial, user=request.user,
                           documents_queryset=documents_queryset)
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
    chosen = {str(v) for v in (form["documents"].value() or [])}
    offered = list(documents_queryset.only("id", "title", "access_level", "created_at")[:OFFERED_DOCUMENTS])
    offered_ids = {str(d.pk) for d in offered}
    missing = [v for v in chosen - offered_ids if v.isdigit()]
    if missing:
        offered = list(documents_queryset.filter(pk__in=missing).only("id", "title", "access_level")) + offered
    return render(
        request, "briefings/circulation_form.html",
        {"form": form, "offered": offered, "chosen": chosen, "library_empty": not offered},
    )


@permissions.require(permissions.VIEW_PORTAL)
def circulation_detail(request, pk):
    circulation = selectors.circulation_for(pk)
    if circulation is None or circulation.mailing is None:
        raise Http404("No such circulation")
    if not permissions.can(request.user, permissions.VIEW_MAILING, circulation.mailing):
        raise PermissionDenied
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

