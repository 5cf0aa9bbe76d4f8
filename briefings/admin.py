from django.contrib import admin

from members.markup import markdown_to_html

from .models import Briefing, Circulation, Document, DocumentChange, DocumentVersion, Download, Topic


@admin.register(Topic)
class TopicAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "order"]
    prepopulated_fields = {"slug": ["name"]}


class VersionInline(admin.TabularInline):
    model = DocumentVersion
    extra = 0
    readonly_fields = ["file", "original_name", "size", "content_type", "sha256", "uploaded_by", "uploaded_at"]


class ChangeInline(admin.TabularInline):
    model = DocumentChange
    extra = 0
    readonly_fields = ["by", "at", "summary"]


@admin.register(Document)
class DocumentAdmin(admin.ModelAdmin):
    list_display = ["title", "kind", "source", "publication_date", "access_level", "text_status", "uploaded_by"]
    list_filter = ["kind", "access_level", "text_status", "topics"]
    search_fields = ["title", "description", "original_name", "sha256"]
    readonly_fields = ["file", "original_name", "size", "content_type", "sha256", "text_status", "text_error",
                       "uploaded_by", "created_at", "updated_at"]
    exclude = ["text"]
    autocomplete_fields = ["source"]
    inlines = [VersionInline, ChangeInline]


@admin.register(Download)
class DownloadAdmin(admin.ModelAdmin):
    list_display = ["document", "user", "at"]
    list_select_related = ["document", "user"]
    readonly_fields = ["document", "version", "user", "at"]


@admin.register(Briefing)
class BriefingAdmin(admin.ModelAdmin):
    list_display = ["title", "presenter", "meeting", "given_on"]
    list_select_related = ["presenter", "meeting"]
    search_fields = ["title", "summary"]
    exclude = ["summary_html"]
    filter_horizontal = ["documents"]

    def save_model(self, request, obj, form, change):
        obj.summary_html = markdown_to_html(obj.summary)
        super().save_model(request, obj, form, change)


@admin.register(Circulation)
class CirculationAdmin(admin.ModelAdmin):
    list_display = ["subject", "audience", "created_by", "created_at", "recipients_count"]
    readonly_fields = ["mailing", "created_by", "recipients_count"]
