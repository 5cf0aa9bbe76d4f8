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
