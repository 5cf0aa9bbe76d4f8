"""The audit trail: who changed what and when, with the values before and after.

Kept by django-auditlog rather than django-simple-history: auditlog writes one
table of changes for every model (what the secretariat's page reads and
filters across objects) and needs no shadow "historical" table and migration
per audited model in each app; simple-history's per-model history tables
answer "what did this object look like then", which the group does not ask.

The audited models and fields are listed here, the one module allowed to know
every app (``wgportal`` sits on top); ``WgportalConfig.ready()`` registers
them. The actor and their address come from auditlog's middleware; services
run by Celery tasks or commands record no actor.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date, datetime, time

from auditlog.models import LogEntry
from auditlog.registry import auditlog
from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.db.models import ForeignKey, Q
from django.utils import timezone

# model label -> the fields whose changes are kept (issue 9: organizations'
# status and co-chair flag, people's email, role and organization, meetings'
# time and status, meeting invitations' sending and replies, documents' access levels and files, invitations' sending,
# resending, revoking and accepting, briefings' presenters).
AUDITED = {
    "members.Organization": ["name", "status", "status_changed_on", "joined_on", "is_cochair"],
    "members.User": ["email", "full_name", "organization", "role", "is_focal_point", "is_staff",
                     "is_superuser", "is_active"],
    "members.Invitation": ["organization", "kind", "email", "status", "sent_at", "times_sent",
                           "expires_at", "accepted_by", "revoked_by"],
    "meetings.Meeting": ["title", "start", "end", "venue", "status"],
    "meetings.Rsvp": ["meeting", "email", "organization", "response", "sent_at"],
    "briefings.Document": ["title", "access_level", "file", "original_name", "sha256", "meeting"],
    "briefings.Briefing": ["title", "presenter", "meeting", "agenda_item", "given_on"],
}


def register_models() -> None:
    for label, fields in AUDITED.items():
        model = apps.get_model(label)
        if not auditlog.contains(model):
            auditlog.register(model, include_fields=fields)


def audited_types() -> list[tuple[str, str]]:
    """(``app_label.model``, a name for people) of each audited model, for the filter."""
    result = []
    for label in AUDITED:
        model = apps.get_model(label)
        result.append((model._meta.label_lower, str(model._meta.verbose_name).capitalize()))
    return result


def audit_entries(*, object_type: str = "", object_id: int | None = None, actor=None,
                  date_from: date | None = None, date_to: date | None = None):
    """The audit trail, newest first, filtered by object, person (who made the change) and dates."""
    entries = LogEntry.objects.select_related("actor", "content_type").order_by("-timestamp", "-id")
    if object_type:
        app_label, _, model = object_type.partition(".")
        entries = entries.filter(content_type__app_label=app_label, content_type__model=model)
        if object_id is not None:
            entries = entries.filter(object_id=object_id)
    if actor is not None:
        # A person's own record changing is part of their history too.
        user_type = ContentType.objects.get_for_model(apps.get_model("members.User"))
        entries = entries.filter(Q(actor=actor) | Q(content_type=user_type, object_id=actor.pk))
    tz = timezone.get_current_timezone()
    if date_from:
        entries = entries.filter(timestamp__gte=datetime.combine(date_from, time.min, tzinfo=tz))
    if date_to:
        entries = entries.filter(timestamp__lte=datetime.combine(date_to, time.max, tzinfo=tz))
    return entries


def changes_of(entries) -> dict[int, list[tuple[str, str, str]]]:
    """For each entry id, its changes as (field, before, after) for people to read:
    choices by their labels, related objects by their names (one query per related model)."""
    wanted = defaultdict(set)  # related model -> pks named in the changes
    parsed = {}
    for entry in entries:
        model = entry.content_type.model_class()
        rows = []
        for name, values in (entry.changes_dict or {}).items():
            before, after = (list(values) + ["", ""])[:2]
            field = _field(model, name)
            rows.append((field, name, before, after))
            if isinstance(field, ForeignKey):
                wanted[field.related_model].update(v for v in (before, after) if _is_pk(v))
        parsed[entry.pk] = rows
    names = {
        related: {str(obj.pk): str(obj) for obj in related._default_manager.filter(pk__in=pks)}
        for related, pks in wanted.items()
    }
    result = {}
    for pk, rows in parsed.items():
        result[pk] = [
            (str(field.verbose_name) if field is not None else name,
             _display(field, before, names), _display(field, after, names))
            for field, name, before, after in rows
        ]
    return result


def _field(model, name):
    if model is None:
        return None
    try:
        return model._meta.get_field(name)
    except Exception:  # noqa: BLE001 - a field removed since the change was recorded
        return None


def _is_pk(value) -> bool:
    return str(value).isdigit()


def _display(field, value, names) -> str:
    if value in (None, "None", ""):
        return "—"
    value = str(value)
    if isinstance(field, ForeignKey):
        return names.get(field.related_model, {}).get(value, f"#{value} (deleted)")
    choices = dict(field.choices) if field is not None and field.choices else None
    if choices:
        return str(choices.get(value, value))
    return value
