from django.contrib import admin

from .models import (
    PolicyAgency,
    PolicyItem,
    PolicyStage,
    Project,
    ProjectBeneficiary,
    ProjectLocation,
    ProjectPair,
    ProjectParticipant,
    ProjectSector,
)


class LocationInline(admin.TabularInline):
    model = ProjectLocation
    extra = 0


class SectorInline(admin.TabularInline):
    model = ProjectSector
    extra = 0


class BeneficiaryInline(admin.TabularInline):
    model = ProjectBeneficiary
    extra = 0


class ParticipantInline(admin.TabularInline):
    model = ProjectParticipant
    extra = 0
    raw_id_fields = ["organization"]


@admin.register(Project)
class ProjectAdmin(admin.ModelAdmin):
    list_display = ["title", "reporting_organization", "activity_type", "status", "updated_at"]
    list_filter = ["activity_type", "status"]
    search_fields = ["title", "iati_identifier"]
    raw_id_fields = ["reporting_organization", "contact", "created_by", "updated_by"]
    inlines = [LocationInline, SectorInline, BeneficiaryInline, ParticipantInline]


@admin.register(ProjectPair)
class ProjectPairAdmin(admin.ModelAdmin):
    list_display = ["project_a", "project_b", "score", "is_current", "is_open", "decision"]
    list_filter = ["is_open", "is_current", "decision"]
    raw_id_fields = ["project_a", "project_b", "decided_by"]


class StageInline(admin.TabularInline):
    model = PolicyStage
    extra = 0
    raw_id_fields = ["source_briefing", "source_document", "recorded_by"]


class AgencyInline(admin.TabularInline):
    model = PolicyAgency
    extra = 0
    raw_id_fields = ["organization"]


@admin.register(PolicyItem)
class PolicyItemAdmin(admin.ModelAdmin):
    list_display = ["title", "kind", "current_stage", "current_stage_on", "outcome"]
    inlines = [StageInline, AgencyInline]
