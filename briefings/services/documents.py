"""Uploads, edits, file replacements and the download log of documents."""

from __future__ import annotations

import datetime
import hashlib
import uuid
from collections.abc import Iterable
from contextlib import contextmanager
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html

from members import cache as portal_cache
from members import permissions
from members.models import Organization, User

from .. import extraction, filetypes, tasks
from ..models import AccessLevel, Document, DocumentChange, DocumentVersion, Download, Topic
from ..selectors import documents as selectors
from .indexing import search_vectors_refresh


def max_upload_bytes() -> int:
    return settings.DOCUMENT_MAX_UPLOAD_MB * 1024 * 1024


# --- Files ---------------------------------------------------------------------


@dataclass(frozen=True)
class CheckedUpload:
    """An upload whose content was checked and fingerprinted: once per upload,
    whether the check runs in a form's validation or in the service."""

    upload: object
    file_type: filetypes.FileType
    sha256: str


def file_fingerprint(upload) -> str:
    digest = hashlib.sha256()
    upload.seek(0)
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    return digest.hexdigest()


def upload_check(*, upload, by: User, replacing: Document | None = None) -> CheckedUpload:
    """Refuse a file by its content, or because the library already holds it.

    Raises ValidationError. A duplicate is only one that ``by`` may see: the same
    bytes as a co-chairs-only document tell a member nothing. Forms call this in
    their validation and hand the result to the service, which then checks
    nothing twice.
    """
    if isinstance(upload, CheckedUpload):
        return upload
    file_type = filetypes.inspect(upload, max_bytes=max_upload_bytes())
    sha256 = file_fingerprint(upload)
    if replacing is not None and sha256 == replacing.sha256:
        raise ValidationError("This is the same file as the current one.", code="same")
    duplicate = selectors.document_duplicate_for(by, sha256, exclude_pk=replacing.pk if replacing else None)
    if duplicate is not None:
        raise ValidationError(
            format_html(
                'This file is already in the library: <a href="{}">{}</a>.',
                reverse("briefings:document", args=[duplicate.pk]), duplicate.title,
            ),
            code="duplicate",
        )
    return CheckedUpload(upload=upload, file_type=file_type, sha256=sha256)


def _store(upload, file_type: filetypes.FileType) -> str:
    # The server names the file; the uploader's name never reaches the file system.
    name = f"documents/{timezone.now():%Y/%m}/{uuid.uuid4().hex}.{file_type.key}"
    upload.seek(0)
    return default_storage.save(name, upload)


def _text_status_for(file_type: filetypes.FileType) -> str:
    if file_type.key in extraction.EXTRACTORS:
        return Document.TextStatus.PENDING
    return Document.TextStatus.NOT_APPLICABLE


def _library_changed() -> None:
    # Saves and deletes retire the library's cached parts through signals
    # (briefings.apps); this covers the writes that bypass them (bulk updates).
    portal_cache.invalidate("library")


def _original_name(upload) -> str:
    name = (upload.name or "file").replace("\\", "/").rsplit("/", 1)[-1]
    return name.strip()[:255] or "file"


@contextmanager
def _new_file(checked: CheckedUpload):
    """Store a checked upload; yield the document fields it sets.

    If what the caller does with it fails, the stored file is removed again: a
    refused or failed upload leaves nothing on disk.
    """
    upload = checked.upload
    stored = _store(upload, checked.file_type)
    try:
        yield {
            "file": stored, "original_name": _original_name(upload), "size": upload.size,
            "content_type": checked.file_type.content_type, "sha256": checked.sha256,
            "text": "", "text_error": "", "text_status": _text_status_for(checked.file_type),
        }
    except BaseException:
        default_storage.delete(stored)
        raise


def _file_changed(document: Document) -> None:
    search_vectors_refresh(document_ids=[document.pk])
    _library_changed()
    if document.text_status == Document.TextStatus.PENDING:
        tasks.document_text_extract.delay_on_commit(document.pk)


@transaction.atomic
def document_upload(
    *,
    upload,
    by: User,
    title: str,
    kind: str,
    description: str = "",
    source: Organization | None = None,
    publication_date: datetime.date | None = None,
    topics: Iterable[Topic] = (),
    access_level: str = AccessLevel.MEMBERS,
    meeting=None,
) -> Document:
    """Check the file by its content, store it under a server-made name, record the document.

    ``upload`` is a file, or the ``CheckedUpload`` a form's validation made of it.
    Raises ValidationError (and stores nothing) for a refused file.
    """
    checked = upload_check(upload=upload, by=by)
    with _new_file(checked) as file_fields:
        document = Document.objects.create(
            title=title.strip(), description=description.strip(), kind=kind, source=source,
            publication_date=publication_date, access_level=access_level, meeting=meeting, uploaded_by=by,
            **file_fields,
        )
        document.topics.set(list(topics))
        DocumentChange.objects.create(document=document, by=by, summary=f"Uploaded {document.original_name}")
        _file_changed(document)
    return document


EDITABLE_FIELDS = {
    "title": "title",
    "description": "description",
    "kind": "kind",
    "source": "source",
    "publication_date": "publication date",
    "access_level": "access level",
    "meeting": "meeting",
}


@transaction.atomic
def document_update(*, document: Document, by: User, topics: Iterable[Topic] | None = None, **fields) -> list[str]:
    """Change a document's metadata; records which fields changed. Returns their labels."""
    unknown = set(fields) - set(EDITABLE_FIELDS)
    if unknown:
        raise TypeError(f"Not editable: {', '.join(sorted(unknown))}")
    if document.meeting_id and not permissions.can(by, permissions.VIEW, document.meeting):
        # A meeting the editor may not see (a draft) was never offered to them: it stays.
        fields.pop("meeting", None)
    changed = []
    for field, value in fields.items():
        if isinstance(value, str):
            value = value.strip()
        if getattr(document, field) != value:
            setattr(document, field, value)
            changed.append(EDITABLE_FIELDS[field])
    if changed:
        document.save()
    if topics is not None:
        new = {t.pk for t in topics}
        if new != set(document.topics.values_list("pk", flat=True)):
            document.topics.set(list(new))
            changed.append("topics")
    if changed:
        DocumentChange.objects.create(document=document, by=by, summary="Changed " + ", ".join(changed))
        search_vectors_refresh(document_ids=[document.pk])
        _library_changed()
    return changed


@transaction.atomic
def document_replace_file(*, document: Document, upload, by: User) -> Document:
    """Put a new file in place; the old one stays as an earlier version.

    ``upload`` is a file, or the ``CheckedUpload`` a form's validation made of it.
    """
    checked = upload_check(upload=upload, by=by, replacing=document)
    with _new_file(checked) as file_fields:
        document = Document.objects.select_for_update().get(pk=document.pk)
        last_upload = selectors.document_last_upload(document)
        DocumentVersion.objects.create(
            document=document,
            file=document.file.name,
            original_name=document.original_name,
            size=document.size,
            content_type=document.content_type,
            sha256=document.sha256,
            uploaded_by_id=last_upload.by_id if last_upload else document.uploaded_by_id,
            uploaded_at=last_upload.at if last_upload else document.created_at,
        )
        for field, value in file_fields.items():
            setattr(document, field, value)
        document.save()
        DocumentChange.objects.create(
            document=document, by=by, summary=f"Uploaded {document.original_name} (replacing the earlier file)"
        )
        _file_changed(document)
    return document


def download_record(*, document: Document, user: User, version: DocumentVersion | None = None) -> Download:
    return Download.objects.create(document=document, user=user, version=version)
