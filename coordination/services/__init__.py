"""Every write of the coordination app (split by sub-domain, re-exported here).
Notes on partner organizations are written by ``members.services`` (their model is
``members.OrganizationNote``)."""

from .pairs import overlap_decide, overlaps_refresh
from .policy import (
    policy_agency_add,
    policy_agency_remove,
    policy_item_save,
    policy_stage_add,
    policy_stage_delete,
)
from .projects import Participant, ProjectData, project_save, stale_cutoff, stale_reminders_send

__all__ = [
    "Participant", "ProjectData", "overlap_decide", "overlaps_refresh", "policy_agency_add", "policy_agency_remove",
    "policy_item_save", "policy_stage_add", "policy_stage_delete", "project_save", "stale_cutoff",
    "stale_reminders_send",
]
