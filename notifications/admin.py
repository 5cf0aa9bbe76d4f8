from django.contrib import admin
from django.template.defaultfilters import pluralize

from . import services
from .models import InboundMessage, Mailing, Message


@admin.register(Mailing)
class MailingAdmin(admin.ModelAdmin):
    list_display = ["subject", "kind", "created_by", "created_at"]
    list_filter = ["kind"]
    search_fields = ["subject", "subject_ref"]


@admin.register(Message)
class MessageAdmin(admin.ModelAdmin):
    list_display = ["recipient_email", "kind", "subject", "status", "attempts", "sent_at"]
    list_filter = ["status", "kind"]
    search_fields = ["recipient_email", "subject"]
    readonly_fields = ["created_at", "updated_at", "sent_at"]
    actions = ["retry_failed"]

    @admin.action(description="Retry the selected failed messages")
    def retry_failed(self, request, queryset):
        count = services.messages_retry(message_ids=queryset.values_list("pk", flat=True))
        self.message_user(request, f"{count} message{pluralize(count)} queued again.")


@admin.register(InboundMessage)
class InboundMessageAdmin(admin.ModelAdmin):
    list_display = ["received_at", "sender", "subject", "status", "outcome", "attempts"]
    list_filter = ["status"]
    search_fields = ["key", "sender", "subject", "recipients"]
    readonly_fields = [f.name for f in InboundMessage._meta.fields]
