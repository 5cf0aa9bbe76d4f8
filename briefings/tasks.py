"""Celery tasks of the briefings app: thin wrappers that take ids and call services.

Services enqueue them with ``delay_on_commit``; this module imports only the
indexing services, which enqueue nothing, so that no import loop needs hiding.
"""

import datetime
import logging

from celery import shared_task
from celery.contrib.django.task import DjangoTask
from kombu.exceptions import OperationalError

from .selectors.documents import documents_awaiting_extraction
from .services import indexing

logger = logging.getLogger(__name__)


class BestEffortTask(DjangoTask):
    """A task whose enqueue never fails the request that asked for it.

    When the broker is unreachable the document stays "pending" and the
    indexing sweep enqueues it later; the upload itself has been committed and
    must not answer 500 (``delay_on_commit`` runs ``delay`` after the commit,
    where an error would reach the user).
    """

    def apply_async(self, *args, **kwargs):
        try:
            return super().apply_async(*args, **kwargs)
        except (OperationalError, OSError):
            logger.warning("Could not enqueue %s", self.name, exc_info=True)
            return None


@shared_task(base=BestEffortTask, acks_late=True, ignore_result=True)
def document_text_extract(document_id: int) -> str | None:
    """Extract the text of document ``document_id`` and refresh its search vector.

    Enqueued on commit after an upload or a file replacement. Running it twice
    is harmless: it recomputes the same text, and a result for a file that has
    since been replaced is dropped.
    """
    return indexing.document_text_extract(document_id=document_id)


@shared_task(ignore_result=True)
def documents_indexing_sweep(older_than_minutes: int = 10) -> int:
    """Beat task: enqueue again the documents whose extraction was never picked up."""
    ids = documents_awaiting_extraction(older_than=datetime.timedelta(minutes=older_than_minutes))
    for document_id in ids:
        document_text_extract.delay(document_id)
    return len(ids)
