from django.contrib import admin

from .models import (
    ActionItem,
    AgendaItem,
    CalendarFeed,
    DatePoll,
    Meeting,
    PollSlot,
    Rsvp,
)


class AgendaItemInline(admin.TabularInline):
    model = AgendaItem
    extra = 0
    autocomplete_fields = ["presenter"]


@admin.register(Meeting)
class MeetingAdmin(admin.ModelAdmin):
    list_display = ["number", "title", "start", "venue", "host", "status", "sequence"]
    list_filter = ["status"]
    search_fields = ["title", "venue"]
    inlines = [AgendaItemInline]
    readonly_fields = ["calendar_uid", "created_at", "updated_at"]
    filter_horizontal = ["audience_organizations", "attending_organizations"]
    raw_id_fields = ["host", "created_by"]
    autocomplete_fields = ["attendees"]


@admin.register(Rsvp)
class RsvpAdmin(admin.ModelAdmin):
    list_display = ["email", "meeting", "organization", "response", "sent_at", "responded_at"]
    list_filter = ["response"]
    search_fields = ["email", "name"]
    raw_id_fields = ["meeting", "user", "organization"]


@admin.register(ActionItem)
class ActionItemAdmin(admin.ModelAdmin):
    list_display = ["description", "owner", "due_on", "status", "meeting"]
    list_filter = ["status"]
    raw_id_fields = ["meeting", "owner"]


class PollSlotInline(admin.TabularInline):
    model = PollSlot
    extra = 0


@admin.register(DatePoll)
class DatePollAdmin(admin.ModelAdmin):
    list_display = ["title", "status", "created_at"]
    inlines = [PollSlotInline]


@admin.register(CalendarFeed)
class CalendarFeedAdmin(admin.ModelAdmin):
    list_display = ["user", "created_at"]
    raw_id_fields = ["user"]
    exclude = ["key"]
