"""Documents of the library, briefings given to the group, circulations and the download log.

No I/O here: files are written, text extracted and search vectors refreshed by
``services``; a document's ``search_vector`` is only meaningful on PostgreSQL.
"""

from django.conf import settings
from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVectorField
from django.db import models
from django.urls import reverse

from members.validators import no_control_characters


class Topic(models.Model):
    """A heading the group files material under (DESIGN.md section 2: the "4P" and more)."""

    slug = models.SlugField(unique=True)
    name = models.CharField(max_length=100, unique=True)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["order", "name"]

    def __str__(self):
        return self.name


class AccessLevel(models.TextChoices):
    # The values are what members.permissions reads on a document.
    MEMBERS = "members", "All members"
    COCHAIRS = "cochairs", "Co-chairs only"


class Document(models.Model):
    class Kind(models.TextChoices):
        REPORT = "report", "Report"
        ARTICLE = "article", "Article"
        STUDY = "study", "Study"
        BRIEFING_NOTE = "briefing_note", "Briefing note"
        MINUTES = "minutes", "Minutes"
        PRESENTATION = "presentation", "Presentation"

    class TextStatus(models.TextChoices):
        PENDING = "pending", "Indexing"
        INDEXED = "indexed", "Indexed"
        EMPTY = "empty", "No text in the file"
        UNREADABLE = "unreadable", "Could not be read"
        NOT_APPLICABLE = "none", "Not a text format"

    title = models.CharField(max_length=300, validators=[no_control_characters])
    description = models.TextField(blank=True)
    kind = models.CharField(max_length=20, choices=Kind.choices, db_index=True)
    source = models.ForeignKey(
        "members.Organization", null=True, blank=True, on_delete=models.SET_NULL, related_name="documents",
        help_text="The organization that published it.",
    )
    publication_date = models.DateField(null=True, blank=True, db_index=True)
    topics = models.ManyToManyField(Topic, blank=True, related_name="documents")
    access_level = models.CharField(
        max_length=10, choices=AccessLevel.choices, default=AccessLevel.MEMBERS, db_index=True
    )
    meeting = models.ForeignKey(
        "meetings.Meeting", null=True, blank=True, on_delete=models.SET_NULL, related_name="documents"
    )

    # The current file. Its storage name is made by the server; the name the
    # uploader gave is kept only to show and to offer when downloading.
    file = models.FileField(max_length=300)
    original_name = models.CharField(max_length=255)
    size = models.PositiveBigIntegerField()
    content_type = models.CharField(max_length=100)
    sha256 = models.CharField(max_length=64, db_index=True)

    text = models.TextField(blank=True)
    text_status = models.CharField(max_length=12, choices=TextStatus.choices, default=TextStatus.PENDING)
    text_error = models.CharField(max_length=300, blank=True)
    search_vector = SearchVectorField(null=True, editable=False)
    # The part of search_vector that is not the file's text (weights A to C: title,
    # description, topics, source, briefings). A few hundred bytes where the whole
    # vector is tens of kilobytes: search ranks every match by it without reading
    # the large vectors (services.search_vectors_refresh keeps both).
    search_head = SearchVectorField(null=True, editable=False)

    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="documents_uploaded"
    )
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-publication_date", "-created_at", "-id"]
        indexes = [
            GinIndex(fields=["search_vector"], name="document_search_gin"),
            GinIndex(fields=["search_head"], name="document_search_head_gin"),
            models.Index(fields=["-created_at", "-id"], name="document_recent"),
            # The library's orders, so that a page of 25 reads 25 rows, not the table
            # (members see only members' documents: the partial indexes serve them).
            models.Index(fields=["-publication_date", "-created_at", "-id"], name="document_newest"),
            models.Index(fields=["-publication_date", "-created_at", "-id"], name="document_members_newest",
                         condition=models.Q(access_level="members")),
            models.Index(fields=["title", "id"], name="document_title"),
            models.Index(fields=["title", "id"], name="document_members_title",
                         condition=models.Q(access_level="members")),
        ]

    def __str__(self):
        return self.title

    @property
    def is_restricted(self) -> bool:
        return self.access_level == AccessLevel.COCHAIRS

    @property
    def is_indexing(self) -> bool:
        return self.text_status == self.TextStatus.PENDING

    @property
    def date(self):
        return self.publication_date or self.created_at.date()

    @property
    def extension(self) -> str:
        return self.file.name.rsplit(".", 1)[-1].upper() if "." in self.file.name else ""


class DocumentVersion(models.Model):
    """A file that a document used to have, kept when someone replaced it."""

    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="versions")
    file = models.FileField(max_length=300)
    original_name = models.CharField(max_length=255)
    size = models.PositiveBigIntegerField()
    content_type = models.CharField(max_length=100)
    sha256 = models.CharField(max_length=64, db_index=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    uploaded_at = models.DateTimeField()
    replaced_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-replaced_at", "-id"]

    def __str__(self):
        return self.original_name


class DocumentChange(models.Model):
    """Who changed what on a document: the record kept for edits and replacements."""

    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="changes")
    by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    at = models.DateTimeField(auto_now_add=True)
    summary = models.CharField(max_length=500)

    class Meta:
        ordering = ["-at", "-id"]

    def __str__(self):
        return self.summary


class Download(models.Model):
    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="downloads")
    version = models.ForeignKey(DocumentVersion, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="downloads")
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [
            models.Index(fields=["document", "-at"], name="download_document_at"),
            models.Index(fields=["user", "document"], name="download_user_document"),
        ]

    def __str__(self):
        return f"Download of document {self.document_id} by user {self.user_id}"


class Briefing(models.Model):
    """A briefing given to the group (at a meeting or not) by a presenting organization."""

    title = models.CharField(max_length=300, validators=[no_control_characters])
    summary = models.TextField(blank=True, help_text="Markdown.")
    # The summary as sanitized HTML, rendered by the service whenever it changes.
    summary_html = models.TextField(blank=True, editable=False)
    presenter = models.ForeignKey(
        "members.Organization", null=True, blank=True, on_delete=models.SET_NULL, related_name="briefings_given"
    )
    given_on = models.DateField(null=True, blank=True)
    meeting = models.ForeignKey(
        "meetings.Meeting", null=True, blank=True, on_delete=models.SET_NULL, related_name="briefings"
    )
    agenda_item = models.OneToOneField(
        "meetings.AgendaItem", null=True, blank=True, on_delete=models.SET_NULL, related_name="briefing"
    )
    documents = models.ManyToManyField(Document, blank=True, related_name="briefings")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-given_on", "-created_at", "-id"]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("briefings:briefing", args=[self.pk])


class Circulation(models.Model):
    class Audience(models.TextChoices):
        MEMBERS = "members", "All active members"
        ORGANIZATIONS = "organizations", "Chosen organizations"
        COCHAIRS = "cochairs", "Co-chairs only"

    subject = models.CharField(max_length=200)
    message = models.TextField(blank=True)
    audience = models.CharField(max_length=15, choices=Audience.choices, default=Audience.MEMBERS)
    organizations = models.ManyToManyField("members.Organization", blank=True, related_name="+")
    documents = models.ManyToManyField(Document, related_name="circulations")
    mailing = models.OneToOneField(
        "notifications.Mailing", null=True, blank=True, on_delete=models.SET_NULL, related_name="circulation"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    recipients_count = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return self.subject
