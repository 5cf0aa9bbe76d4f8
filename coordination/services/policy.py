"""The policy tracker: items, their dated stages with sources, the agencies involved."""

from __future__ import annotations

from datetime import date

from django.db import transaction

from briefings.models import Briefing, Document
from members.models import Organization, User

from ..models import PolicyAgency, PolicyItem, PolicyStage
from ..vocabularies import STAGE_ORDER


@transaction.atomic
def policy_item_save(
    *, title: str, kind: str, route: str, description: str = "", outcome: str = "",
    by: User | None, item: PolicyItem | None = None,
) -> PolicyItem:
    item = item or PolicyItem(created_by=by)
    item.title, item.kind, item.route = title.strip(), kind, route if kind == "bill" else ""
    item.description, item.outcome = description, outcome
    item.save()
    return item


def _current_stage_set(item: PolicyItem) -> None:
    stages = list(item.stages.all().order_by("on", "id"))
    latest = max(stages, key=lambda s: (s.on, STAGE_ORDER.get(s.stage, 0), s.pk), default=None)
    item.current_stage = latest.stage if latest else ""
    item.current_stage_on = latest.on if latest else None
    item.save(update_fields=["current_stage", "current_stage_on", "updated_at"])


@transaction.atomic
def policy_stage_add(
    *, item: PolicyItem, stage: str, on: date, note: str = "", by: User | None,
    source_briefing: Briefing | None = None, source_document: Document | None = None,
) -> PolicyStage:
    """Record a step of the item's history; the latest dated step is its current stage."""
    row = PolicyStage.objects.create(
        item=item, stage=stage, on=on, note=note.strip(), recorded_by=by,
        source_briefing=source_briefing, source_document=source_document,
    )
    _current_stage_set(item)
    return row


@transaction.atomic
def policy_stage_delete(*, stage: PolicyStage) -> None:
    item = stage.item
    stage.delete()
    _current_stage_set(item)


@transaction.atomic
def policy_agency_add(*, item: PolicyItem, role: str, organization: Organization | None = None,
                      name: str = "") -> PolicyAgency:
    return PolicyAgency.objects.create(item=item, organization=organization, name="" if organization else name,
                                       role=role.strip())


@transaction.atomic
def policy_agency_remove(*, agency: PolicyAgency) -> None:
    agency.delete()
