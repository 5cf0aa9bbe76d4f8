"""Reads of the outbox that pages share: data only."""

from django.db.models import Count, Q

from .models import Mailing, Message


def subject_ref(obj) -> str:
    """What a mailing is about, as "app_label.model:pk": how a page of any app
    finds its mailings without this app knowing the model."""
    return f"{obj._meta.app_label}.{obj._meta.model_name}:{obj.pk}"


def mailings_for(obj):
    """The mailings about ``obj``, newest first."""
    return (
        Mailing.objects.filter(subject_ref=subject_ref(obj))
        .select_related("created_by")
        .order_by("-created_at", "-id")
    )


def mailing_messages(mailing: Mailing, *, status: str | None = None):
    rows = Message.objects.filter(mailing=mailing).order_by("status", "recipient_email")
    if status:
        rows = rows.filter(status=status)
    return rows.only(
        "id", "recipient_email", "recipient_name", "status", "attempts", "last_error", "sent_at", "mailing_id"
    )


def mailing_progress(mailing: Mailing) -> dict:
    counts = mailing.messages.aggregate(
        total=Count("pk"),
        sent=Count("pk", filter=Q(status=Message.Status.SENT)),
        queued=Count("pk", filter=Q(status=Message.Status.QUEUED)),
        failed=Count("pk", filter=Q(status=Message.Status.FAILED)),
    )
    total = counts["total"] or 0
    counts["percent"] = round(100 * counts["sent"] / total) if total else 100
    counts["done"] = counts["queued"] == 0
    return counts
