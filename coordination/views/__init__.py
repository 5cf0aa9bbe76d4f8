"""Pages of the registry ("who does what where"), overlaps, gaps, partner notes and the policy tracker.

Every view asks ``members.permissions``; objects a user may not know exist
answer 404. Every state change is a POST.
"""

from .gaps import gaps
from .notes import note_add, note_delete, note_edit, note_hide, notes
from .policy import (
    policies,
    policy_agency_add,
    policy_agency_remove,
    policy_create,
    policy_detail,
    policy_edit,
    policy_stage_add,
    policy_stage_delete,
)
from .projects import overlaps, pair_decide, project_create, project_detail, project_edit, projects, projects_export

__all__ = [
    "gaps", "note_add", "note_delete", "note_edit", "note_hide", "notes", "overlaps", "pair_decide", "policies",
    "policy_agency_add", "policy_agency_remove", "policy_create", "policy_detail", "policy_edit",
    "policy_stage_add", "policy_stage_delete", "project_create", "project_detail", "project_edit", "projects",
    "projects_export",
]
