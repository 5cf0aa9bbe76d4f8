"""Reads of circulations: who they reach, their pages, the links they carry."""

from __future__ import annotations

from django.conf import settings
from django.db.models import Count, Min, Prefetch, Q
from django.urls import reverse

from members import permissions
from members.models import User
from members.selectors import people_of_active_members
from notifications.models import Message

from ..models import Circulation, Document, Download
from .documents import documents_visible_to

CIRCULATION_KIND = "circulation"


def circulation_recipients(*, audience: str, organizations=()):
    """The people a circulation reaches, all drawn from the one rule for who receives
    the group's mailings (``people_of_active_members``)."""
    people = people_of_active_members().select_related("organization")
    if audience == Circulation.Audience.COCHAIRS:
        people = people.filter(Q(role=User.Role.SECRETARIAT) | Q(organization__is_cochair=True))
    elif audience == Circulation.Audience.ORGANIZATIONS:
        people = people.filter(organization__in=list(organizations))
    return people.order_by("email")


def absolute_url(path: str) -> str:
    """A link for an email: the site's address, then the path."""
    return settings.SITE_URL + path


def document_links(documents) -> list[dict]:
    """Each document with the absolute link of its page (behind sign-in; the file itself never travels)."""
    return [{"document": d, "url": absolute_url(reverse("briefings:document", args=[d.pk]))} for d in documents]


def library_url() -> str:
    return absolute_url(reverse("briefings:documents"))


def circulations_visible_to(user):
    return permissions.visible_to(user, Circulation.objects.all())


def circulations_list(user):
    return (
        circulations_visible_to(user).select_related("created_by", "mailing")
        .prefetch_related(Prefetch("documents", queryset=Document.objects.only("id", "title", "access_level")))
        .order_by("-created_at", "-id")
    )


def circulation_page_queryset(user):
    """The circulations ``user`` may see, with what a circulation's page shows."""
    return (
        circulations_visible_to(user).select_related("created_by", "created_by__organization", "mailing")
        .prefetch_related(
            Prefetch("documents", queryset=Document.objects.select_related("source").order_by("title")),
            "organizations",
        )
    )


def circulation_recipient_rows(circulation: Circulation):
    """The outbox rows of a circulation, one per recipient, for pagination."""
    if circulation.mailing_id is None:
        return Message.objects.none()
    return (
        Message.objects.filter(mailing_id=circulation.mailing_id)
        .only("id", "recipient_email", "recipient_name", "recipient_user_id", "status", "attempts",
              "last_error", "sent_at")
        .order_by("recipient_email", "id")
    )


def circulation_downloads(circulation: Circulation, user_ids) -> dict:
    """{(user_id, document_id): first download since the circulation} for these recipients."""
    documents = [d.pk for d in circulation.documents.all()]
    rows = (
        Download.objects.filter(
            document_id__in=documents, user_id__in=[u for u in user_ids if u], at__gte=circulation.created_at
        )
        .values("user_id", "document_id")
        .annotate(first=Min("at"))
    )
    return {(r["user_id"], r["document_id"]): r["first"] for r in rows}


def circulation_download_totals(circulation: Circulation) -> dict:
    """{document_id: recipients who downloaded it since} over all recipients."""
    if circulation.mailing_id is None:
        return {}
    recipients = Message.objects.filter(mailing_id=circulation.mailing_id).values("recipient_user_id")
    rows = (
        Download.objects.filter(
            document__in=circulation.documents.all(), user_id__in=recipients, at__gte=circulation.created_at
        )
        .values("document_id")
        .annotate(people=Count("user_id", distinct=True))
    )
    return {r["document_id"]: r["people"] for r in rows}


def circulations_to(user, *, limit=5) -> list[Circulation]:
    """Circulations that reached ``user`` (by their outbox row), newest first."""
    mailings = Message.objects.filter(recipient_user=user, kind=CIRCULATION_KIND).values("mailing_id")
    return list(
        Circulation.objects.filter(mailing_id__in=mailings)
        .select_related("created_by", "created_by__organization")
        .prefetch_related(
            Prefetch("documents", queryset=documents_visible_to(user).only("id", "title", "access_level"))
        )
        .order_by("-created_at", "-id")[:limit]
    )


def documents_downloaded_by(user, document_ids) -> set[int]:
    return set(
        Download.objects.filter(user=user, document__in=list(document_ids)).values_list("document_id", flat=True)
    )
