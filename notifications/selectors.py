from .models import Mailing, Message


def mailings_for(subject_ref: str):
    return Mailing.objects.filter(subject_ref=subject_ref).select_related("created_by")


def mailing_messages(mailing: Mailing, *, status: str | None = None):
    rows = Message.objects.filter(mailing=mailing).order_by("status", "recipient_email")
    if status:
        rows = rows.filter(status=status)
    return rows.only(
        "id", "recipient_email", "recipient_name", "status", "attempts", "last_error", "sent_at", "mailing_id"
    )
