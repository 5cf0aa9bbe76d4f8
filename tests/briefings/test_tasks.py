"""The briefings tasks: text extraction enqueued on commit, the indexing sweep."""

from briefings import tasks
from briefings.models import Document
from briefings.services import documents as document_services
from tests.briefings.factories import make_pdf, upload

SENTENCE = "Fishermen near Kilifi reported that recruiters promised housework in Oman."


def test_indexing_sweep_picks_up_documents_whose_extraction_was_never_run(member):
    import datetime

    from django.utils import timezone

    document = document_services.document_upload(upload=upload("a.pdf", make_pdf(SENTENCE)), by=member,
                                                  title="x", kind="report")
    assert tasks.documents_indexing_sweep() == 0  # too recent: its task may still be on its way
    Document.objects.filter(pk=document.pk).update(updated_at=timezone.now() - datetime.timedelta(hours=1))
    assert tasks.documents_indexing_sweep() == 1
    document.refresh_from_db()
    assert document.text_status == "indexed"


def test_a_broker_that_is_down_leaves_the_document_indexing(member, monkeypatch, django_capture_on_commit_callbacks):
    from celery.app.task import Task

    def broker_down(*args, **kwargs):
        raise ConnectionError("broker down")

    # Publishing fails as it does when the broker is unreachable; the upload must still succeed.
    monkeypatch.setattr(Task, "apply_async", broker_down)
    with django_capture_on_commit_callbacks(execute=True):
        document = document_services.document_upload(upload=upload("a.pdf", make_pdf(SENTENCE)), by=member, title="x",
                                            kind="report")
    document.refresh_from_db()
    assert document.text_status == "pending"
