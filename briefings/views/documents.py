"""The library: list, upload, a document's page, edits, file replacement, downloads."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.utils.http import content_disposition_header

from members import permissions
from members.ids import parse_id

from .. import storage
from ..forms import DocumentMetadataForm, DocumentReplaceForm, DocumentUploadForm, LibraryFilterForm
from ..selectors import documents as selectors
from ..services import documents as services
from .common import PAGE_SIZE, query_without_page, visible_or_404

DOWNLOADS_PAGE_SIZE = 50


class CountedPaginator(Paginator):
    """A paginator told its count (a cached figure) instead of counting."""

    def __init__(self, *args, count: int, **kwargs):
        super().__init__(*args, **kwargs)
        self.__dict__["count"] = count  # what the cached_property would have computed


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
            "form": form, "page": page, "query": query_without_page(request),
            "filtered": any(filters.get(k) for k in ("kind", "topic", "source", "year")),
        },
    )


@permissions.require(permissions.CONTRIBUTE)
def document_upload(request):
    initial = {}
    meeting_id = parse_id(request.GET.get("meeting"))
    if meeting_id is not None:
        initial["meeting"] = meeting_id
    form = DocumentUploadForm(request.POST or None, request.FILES or None, user=request.user, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        del data["file"]
        try:
            document = services.document_upload(upload=form.checked, by=request.user, **data)
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
    document = visible_or_404(request.user, selectors.document_page_queryset(request.user), pk)
    can_see_downloads = permissions.can(request.user, permissions.VIEW_DOWNLOADS, document)
    recent_downloads = list(selectors.document_downloads(request.user, document)[:10]) if can_see_downloads else []
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


def _editable_document_or_refusal(request, pk):
    """(document, None) when the user may edit it, else (None, the refusal to return)."""
    document = visible_or_404(request.user, selectors.document_page_queryset(request.user), pk)
    if not permissions.can(request.user, permissions.EDIT_CONTENT, document):
        return None, permissions.deny(request)
    return document, None


@permissions.require(permissions.CONTRIBUTE)
def document_edit(request, pk):
    document, refusal = _editable_document_or_refusal(request, pk)
    if refusal:
        return refusal
    form = DocumentMetadataForm(
        request.POST or None, instance=document, user=request.user,
        initial={"topics": [t.pk for t in document.topics.all()]},
    )
    if request.method == "POST":
        # The ModelForm must not touch the instance the service compares with: the service records the change.
        document = selectors.documents_visible_to(request.user).get(pk=document.pk)
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
    document, refusal = _editable_document_or_refusal(request, pk)
    if refusal:
        return refusal
    form = DocumentReplaceForm(request.POST or None, request.FILES or None, document=document, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            services.document_replace_file(document=document, upload=form.checked, by=request.user)
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
    document = visible_or_404(request.user, selectors.document_file_queryset(request.user), pk)
    response = _file_response(
        request, name=document.file.name, original_name=document.original_name,
        content_type=document.content_type, size=document.size,
    )
    services.download_record(document=document, user=request.user)
    return response


@permissions.require(permissions.VIEW_PORTAL)
def version_download(request, pk, version_pk):
    document = visible_or_404(request.user, selectors.document_file_queryset(request.user), pk)
    version = selectors.document_version(document, parse_id(version_pk))
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
    document = visible_or_404(request.user, selectors.documents_visible_to(request.user), pk)
    if not permissions.can(request.user, permissions.VIEW_DOWNLOADS, document):
        return permissions.deny(request)
    rows = selectors.document_downloads(request.user, document)
    page = Paginator(rows, DOWNLOADS_PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "briefings/document_downloads.html", {"document": document, "page": page, "query": ""})
