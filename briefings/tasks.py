"""Celery tasks of the briefings app: thin wrappers that take ids and call services."""

from celery import shared_task

from . import services


@shared_task(acks_late=True, ignore_result=True)
def document_text_extract(document_id: int) -> str | None:
    """Extract the text of document ``document_id`` and refresh its search vector.

    Enqueued on commit after an upload or a file replacement. Running it twice
    is harmless: it recomputes the same text, and a result for a file that has
    since been replaced is dropped.
    """
    return services.document_text_extract(document_id=document_id)


@shared_task(ignore_result=True)
def documents_indexing_sweep() -> int:
    """Beat task: enqueue again the documents whose extraction was never picked up."""
    return services.documents_indexing_sweep()
