"""Every write of the briefings app: uploads, edits, downloads logged, briefings, circulations.

Search vectors are refreshed here (never by signals) whenever what they are
made of changes: a document's metadata or text, or a briefing it belongs to.
"""

from __future__ import annotations

import datetime
import hashlib
import logging
import uuid
from contextlib import contextmanager
from typing import Iterable

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.db import connection, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from members import cache as portal_cache
from members.models import Organization, User
from notifications import services as outbox

from . import extraction, filetypes
from .models import (
    AccessLevel,
    Briefing,
    Circulation,
    Document,
    DocumentChange,
    DocumentVersion,
    Download,
    Topic,
)
from .rendering import markdown_to_html

logger = logging.getLogger(__name__)

SEARCH_CONFIG = "english"
CIRCULATION_KIND = "circulation"


def max_upload_bytes() -> int:
    return settings.DOCUMENT_MAX_UPLOAD_MB * 1024 * 1024


# --- Files ---------------------------------------------------------------------


def _sha256(upload) -> str:
    digest = hashlib.sha256()
    upload.seek(0)
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    return digest.hexdigest()


def file_fingerprint(upload) -> str:
    return _sha256(upload)


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
    # Saves and deletes retire the library's cached parts through signals; this
    # covers the writes that bypass them (bulk updates).
    portal_cache.invalidate("library")


def _enqueue_extraction(document_id: int) -> None:
    from .tasks import document_text_extract

    try:
        document_text_extract.delay(document_id)
    except Exception:  # broker unreachable: the indexing sweep picks it up later
        logger.warning("Could not enqueue text extraction of document %s", document_id, exc_info=True)


def _original_name(upload) -> str:
    name = (upload.name or "file").replace("\\", "/").rsplit("/", 1)[-1]
    return name.strip()[:255] or "file"


@contextmanager
def _new_file(upload):
    """Check an upload by its content, fingerprint and store it; yield the document fields it sets.

    If what the caller does with it fails, the stored file is removed again: a
    refused or failed upload leaves nothing on disk.
    """
    file_type = filetypes.inspect(upload, max_bytes=max_upload_bytes())
    sha256 = _sha256(upload)
    stored = _store(upload, file_type)
    try:
        yield {
            "file": stored, "original_name": _original_name(upload), "size": upload.size,
            "content_type": file_type.content_type, "sha256": sha256,
            "text": "", "text_error": "", "text_status": _text_status_for(file_type),
        }
    except BaseException:
        default_storage.delete(stored)
        raise


def _file_changed(document: Document) -> None:
    search_vectors_refresh(document_ids=[document.pk])
    _library_changed()
    if document.text_status == Document.TextStatus.PENDING:
        transaction.on_commit(lambda: _enqueue_extraction(document.pk))


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

    Raises ValidationError (and stores nothing) for a refused file.
    """
    with _new_file(upload) as file_fields:
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
    """Put a new file in place; the old one stays as an earlier version."""
    with _new_file(upload) as file_fields:
        document = Document.objects.select_for_update().get(pk=document.pk)
        last_upload = document.changes.filter(summary__startswith="Uploaded").first()
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


# --- Text and search -------------------------------------------------------------


def document_text_extract(*, document_id: int) -> str | None:
    """Read the text of a document's current file and make it searchable. Returns the new status."""
    document = Document.objects.filter(pk=document_id).only("pk", "file").first()
    if document is None:
        return None
    file_name = document.file.name
    key = filetypes.extension_of(file_name)
    text, error, status = "", "", Document.TextStatus.INDEXED
    try:
        with default_storage.open(file_name, "rb") as handle:
            text = extraction.extract(handle, key)
        if not text:
            status = Document.TextStatus.EMPTY
    except extraction.NoText:
        status = Document.TextStatus.NOT_APPLICABLE
    except extraction.Unreadable as exc:
        status, error = Document.TextStatus.UNREADABLE, str(exc)
    except OSError as exc:
        status, error = Document.TextStatus.UNREADABLE, f"the file could not be opened ({type(exc).__name__})"
    with transaction.atomic():
        # The file may have been replaced meanwhile: then this result is stale.
        updated = Document.objects.filter(pk=document_id, file=file_name).update(
            text=text, text_status=status, text_error=error[:300]
        )
        if updated:
            search_vectors_refresh(document_ids=[document_id])
    return status if updated else None


def documents_indexing_sweep(*, older_than: datetime.timedelta = datetime.timedelta(minutes=10)) -> int:
    """Enqueue again the extraction of documents still waiting (the broker was down)."""
    cutoff = timezone.now() - older_than
    ids = list(
        Document.objects.filter(text_status=Document.TextStatus.PENDING, updated_at__lt=cutoff)
        .values_list("pk", flat=True)[:500]
    )
    for document_id in ids:
        _enqueue_extraction(document_id)
    return len(ids)


def search_vectors_refresh(*, document_ids: Iterable[int] | None = None) -> None:
    """Rebuild the stored search vectors of these documents (all when None), on PostgreSQL.

    Weights: A title; B description, topics and source; C the briefings the
    document belongs to; D the text inside the file. One statement, so that a
    bulk load refreshes 20,000 documents as fast as one.
    """
    if connection.vendor != "postgresql":
        return
    ids = None if document_ids is None else list(document_ids)
    if ids == []:
        return
    document = Document._meta.db_table
    topic = Topic._meta.db_table
    document_topics = Document.topics.through._meta.db_table
    briefing = Briefing._meta.db_table
    briefing_documents = Briefing.documents.through._meta.db_table
    organization = Organization._meta.db_table
    sql = f"""
        UPDATE {document} AS d SET search_vector =
            setweight(to_tsvector(%(config)s::regconfig, coalesce(d.title, '')), 'A') ||
            setweight(to_tsvector(%(config)s::regconfig,
                coalesce(d.description, '') || ' ' ||
                coalesce((SELECT string_agg(t.name, ' ') FROM {topic} t
                          JOIN {document_topics} dt ON dt.topic_id = t.id WHERE dt.document_id = d.id), '') || ' ' ||
                coalesce((SELECT o.name || ' ' || o.acronym FROM {organization} o WHERE o.id = d.source_id), '')
            ), 'B') ||
            setweight(to_tsvector(%(config)s::regconfig,
                coalesce((SELECT string_agg(b.title || ' ' || b.summary, ' ') FROM {briefing} b
                          JOIN {briefing_documents} bd ON bd.briefing_id = b.id WHERE bd.document_id = d.id), '')
            ), 'C') ||
            setweight(to_tsvector(%(config)s::regconfig, coalesce(d.text, '')), 'D')
    """
    params = {"config": SEARCH_CONFIG}
    if ids is not None:
        sql += " WHERE d.id = ANY(%(ids)s)"
        params["ids"] = ids
    # The head (weights A to C) ranks the matches; kept beside the whole vector.
    head = f"UPDATE {document} AS d SET search_head = ts_filter(d.search_vector, '{{a,b,c}}')"
    if ids is not None:
        head += " WHERE d.id = ANY(%(ids)s)"
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        cursor.execute(head, params)


# --- Briefings -------------------------------------------------------------------


def _check_agenda_item(meeting, agenda_item, briefing: Briefing | None = None) -> None:
    if agenda_item is None:
        return
    if meeting is None or agenda_item.meeting_id != meeting.pk:
        raise ValidationError({"agenda_item": "The agenda item must belong to the briefing's meeting."})
    taken = Briefing.objects.filter(agenda_item=agenda_item)
    if briefing is not None:
        taken = taken.exclude(pk=briefing.pk)
    if taken.exists():
        raise ValidationError({"agenda_item": "That agenda item already has a briefing."})


@transaction.atomic
def briefing_save(
    *,
    by: User,
    briefing: Briefing | None = None,
    title: str,
    summary: str = "",
    presenter: Organization | None = None,
    given_on: datetime.date | None = None,
    meeting=None,
    agenda_item=None,
    documents: Iterable[Document] = (),
) -> Briefing:
    """Record a new briefing (``briefing=None``) or change one; its documents' search vectors follow."""
    _check_agenda_item(meeting, agenda_item, briefing)
    if briefing is None:
        briefing = Briefing(created_by=by)
        before = set()
        if given_on is None and meeting is not None:
            given_on = timezone.localtime(meeting.start).date()
    else:
        before = set(briefing.documents.values_list("pk", flat=True))
    briefing.title = title.strip()
    briefing.summary = summary
    briefing.summary_html = markdown_to_html(summary)
    briefing.presenter = presenter
    briefing.given_on = given_on
    briefing.meeting = meeting
    briefing.agenda_item = agenda_item
    briefing.save()
    documents = list(documents)
    briefing.documents.set(documents)
    search_vectors_refresh(document_ids=before | {d.pk for d in documents})
    return briefing


def briefing_create(**fields) -> Briefing:
    return briefing_save(briefing=None, **fields)


def briefing_update(*, briefing: Briefing, **fields) -> Briefing:
    return briefing_save(briefing=briefing, **fields)


# --- Circulation -----------------------------------------------------------------


def circulation_check(*, documents: list[Document], audience: str, organizations: Iterable[Organization] = ()) -> None:
    """Raise ValidationError when these documents may not go to this audience."""
    if not documents:
        raise ValidationError({"documents": "Choose at least one document."})
    levels = {d.access_level for d in documents}
    if len(levels) > 1:
        raise ValidationError(
            {"documents": "Co-chairs-only documents cannot be circulated together with documents for all members. "
                          "Circulate them separately."}
        )
    restricted = AccessLevel.COCHAIRS in levels
    if restricted and audience != Circulation.Audience.COCHAIRS:
        raise ValidationError({"audience": "Co-chairs-only documents can only be circulated to the co-chairs."})
    if not restricted and audience == Circulation.Audience.COCHAIRS:
        raise ValidationError(
            {"audience": "Only co-chairs-only documents go to the co-chairs audience; choose all members or organizations."}
        )
    if audience == Circulation.Audience.ORGANIZATIONS and not list(organizations):
        raise ValidationError({"organizations": "Choose at least one organization."})


def circulation_recipients(*, audience: str, organizations: Iterable[Organization] = ()):
    """The people a circulation reaches: active accounts of active member organizations."""
    people = User.objects.filter(is_active=True).select_related("organization")
    active = {"organization__status": Organization.Status.ACTIVE}
    if audience == Circulation.Audience.COCHAIRS:
        from django.db.models import Q

        people = people.filter(
            Q(role=User.Role.SECRETARIAT) | Q(organization__is_cochair=True, **active)
        )
    elif audience == Circulation.Audience.ORGANIZATIONS:
        people = people.filter(organization__in=list(organizations), **active)
    else:
        people = people.filter(**active)
    return people.order_by("email")


def _absolute(path: str) -> str:
    return settings.SITE_URL + path


@transaction.atomic
def circulation_create(
    *,
    by: User,
    documents: Iterable[Document],
    subject: str,
    message: str = "",
    audience: str = Circulation.Audience.MEMBERS,
    organizations: Iterable[Organization] = (),
) -> Circulation:
    """Record a circulation and write one outbox row per recipient, sent by Celery after commit."""
    documents = list(documents)
    organizations = list(organizations)
    circulation_check(documents=documents, audience=audience, organizations=organizations)
    if audience != Circulation.Audience.ORGANIZATIONS:
        organizations = []
    recipients = list(circulation_recipients(audience=audience, organizations=organizations))
    circulation = Circulation.objects.create(
        subject=subject.strip(), message=message.strip(), audience=audience, created_by=by,
        recipients_count=len(recipients),
    )
    circulation.documents.set(documents)
    circulation.organizations.set(organizations)
    mailing = outbox.mailing_create(
        kind=CIRCULATION_KIND, subject=circulation.subject, by=by,
        subject_ref=f"briefings.circulation:{circulation.pk}",
    )
    circulation.mailing = mailing
    circulation.save(update_fields=["mailing"])

    links = [
        {
            "document": d,
            "url": _absolute(reverse("briefings:document", args=[d.pk])),
            "download_url": _absolute(reverse("briefings:download", args=[d.pk])),
        }
        for d in documents
    ]
    sender = by.get_full_name() if by else settings.PORTAL_NAME
    sender_org = by.organization.name if by and by.organization_id else ""
    emails = []
    for person in recipients:
        context = {
            "circulation": circulation, "links": links, "recipient": person,
            "sender": sender, "sender_org": sender_org, "portal_name": settings.PORTAL_NAME,
            "library_url": _absolute(reverse("briefings:documents")),
        }
        emails.append(
            outbox.OutgoingEmail(
                to_email=person.email,
                to_name=person.full_name,
                user_id=person.pk,
                subject=f"[TIP working group] {circulation.subject}",
                text=render_to_string("briefings/email/circulation.txt", context),
                html=render_to_string("briefings/email/circulation.html", context),
                dedupe_key=f"circulation:{circulation.pk}:user:{person.pk}",
            )
        )
    outbox.messages_queue(kind=CIRCULATION_KIND, emails=emails, mailing=mailing)
    return circulation
