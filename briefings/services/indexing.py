"""Text extraction and the stored search vectors (PostgreSQL)."""

from __future__ import annotations

from collections.abc import Iterable

from django.core.files.storage import default_storage
from django.db import connection, transaction

from members.models import Organization

from .. import extraction, filetypes
from ..models import Briefing, Document, Topic
from ..selectors.search import SEARCH_CONFIG


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
    # The head (weights A to C) ranks the matches (selectors.search); kept beside the whole vector.
    head = f"UPDATE {document} AS d SET search_head = ts_filter(d.search_vector, '{{a,b,c}}')"
    if ids is not None:
        head += " WHERE d.id = ANY(%(ids)s)"
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        cursor.execute(head, params)
