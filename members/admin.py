from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin

from .models import Invitation, InvitationToken, MembershipChange, Organization, OrganizationNote, User


class MembershipChangeInline(admin.TabularInline):
    model = MembershipChange
    extra = 0
    fields = ["from_status", "to_status", "changed_on", "changed_by", "note"]
    raw_id_fields = ["changed_by"]


@admin.register(Organization)
class OrganizationAdmin(admin.ModelAdmin):
    list_display = ["name", "acronym", "kind", "country", "status", "joined_on", "is_cochair"]
    list_filter = ["kind", "status", "is_cochair"]
    search_fields = ["name", "acronym", "country"]
    inlines = [MembershipChangeInline]


@admin.register(OrganizationNote)
class OrganizationNoteAdmin(admin.ModelAdmin):
    list_display = ["organization", "author", "noted_on", "hidden_at"]
    search_fields = ["text", "organization__name"]
    raw_id_fields = ["organization", "author", "author_organization", "hidden_by"]


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    ordering = ["email"]
    list_display = ["email", "full_name", "organization", "role", "is_focal_point", "is_active", "is_staff"]
    list_filter = ["role", "is_active", "is_staff", "is_focal_point", "organization__kind"]
    search_fields = ["email", "full_name", "organization__name"]
    list_select_related = ["organization"]
    fieldsets = [
        (None, {"fields": ["email", "password"]}),
        ("Person", {"fields": ["full_name", "title", "phone", "organization", "role", "is_focal_point"]}),
        ("Access", {"fields": ["is_active", "is_staff", "is_superuser", "groups", "user_permissions"]}),
        ("Dates", {"fields": ["last_login", "date_joined"]}),
    ]
    add_fieldsets = [
        (None, {"classes": ["wide"], "fields": ["email", "full_name", "organization", "password1", "password2"]}),
    ]


class InvitationTokenInline(admin.TabularInline):
    model = InvitationToken
    extra = 0
    fields = ["token_hash", "created_at", "replaced_at"]
    readonly_fields = ["token_hash", "created_at"]
    can_delete = False


@admin.register(Invitation)
class InvitationAdmin(admin.ModelAdmin):
    list_display = ["email", "organization", "kind", "status", "sent_at", "expires_at", "opened_at", "reminders_sent"]
    list_filter = ["status", "kind"]
    search_fields = ["email", "full_name", "organization__name"]
    list_select_related = ["organization"]
    raw_id_fields = ["organization", "invited_by", "accepted_by", "revoked_by", "mailing"]
    inlines = [InvitationTokenInline]
