from django import forms
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils.html import format_html

from meetings.models import AgendaItem, Meeting
from members import permissions
from members.models import Organization

from . import filetypes, selectors, services
from .models import AccessLevel, Briefing, Circulation, Document, Topic


class DateInput(forms.DateInput):
    input_type = "date"


def _organizations():
    return Organization.objects.exclude(status=Organization.Status.DECLINED).order_by("name")


def _meetings():
    return Meeting.objects.order_by("-start")


class LibraryFilterForm(forms.Form):
    """The library's filters; bad values are dropped rather than failing the page."""

    kind = forms.ChoiceField(choices=[("", "Any kind"), *Document.Kind.choices], required=False)
    topic = forms.ChoiceField(required=False)
    source = forms.ModelChoiceField(queryset=Organization.objects.none(), required=False, empty_label="Any source")
    year = forms.TypedChoiceField(required=False, coerce=int, empty_value=None)
    sort = forms.ChoiceField(
        choices=[("newest", "Newest first"), ("oldest", "Oldest first"), ("added", "Recently added"), ("title", "Title")],
        required=False,
    )

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["topic"].choices = [("", "Any topic"), *((t.slug, t.name) for t in Topic.objects.all())]
        facets = selectors.library_facets(user)
        self.fields["source"].queryset = Organization.objects.filter(pk__in=facets["source_ids"]).order_by("name")
        years = facets["years"]
        self.fields["year"].choices = [("", "Any year"), *((y, y) for y in years)]

    def filters(self) -> dict:
        if not self.is_valid():
            # Keep what is valid: a bad year should not hide the kind chosen.
            data = {}
            for name in self.fields:
                if name not in self.errors and name in getattr(self, "cleaned_data", {}):
                    data[name] = self.cleaned_data[name]
            return data
        return self.cleaned_data


class DocumentMetadataForm(forms.ModelForm):
    topics = forms.ModelMultipleChoiceField(
        queryset=Topic.objects.all(), required=False, widget=forms.CheckboxSelectMultiple
    )

    class Meta:
        model = Document
        fields = ["title", "description", "kind", "source", "publication_date", "topics", "access_level", "meeting"]
        widgets = {
            "publication_date": DateInput(),
            "description": forms.Textarea(attrs={"rows": 4}),
            "access_level": forms.RadioSelect,
        }
        labels = {"source": "Source organization", "meeting": "Shared at meeting"}
        help_texts = {
            "access_level": "Co-chairs-only documents are visible to the co-chairs and the secretariat alone.",
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["source"].queryset = _organizations()
        self.fields["meeting"].queryset = _meetings()
        self.fields["access_level"].choices = AccessLevel.choices


def _check_upload(upload, *, exclude_pk=None, user=None):
    """Refuse a file by its content; point to the document that already has the same file."""
    kind = filetypes.inspect(upload, max_bytes=services.max_upload_bytes())
    duplicate = selectors.document_duplicate_of(services.file_fingerprint(upload), exclude_pk=exclude_pk)
    if duplicate is not None:
        if permissions.can(user, permissions.VIEW_DOCUMENT, duplicate):
            raise ValidationError(
                format_html(
                    'This file is already in the library: <a href="{}">{}</a>.',
                    reverse("briefings:document", args=[duplicate.pk]), duplicate.title,
                ),
                code="duplicate",
            )
        raise ValidationError("This file is already in the library (as a co-chairs-only document).", code="duplicate")
    return kind


class DocumentUploadForm(DocumentMetadataForm):
    file = forms.FileField(
        help_text=(
            f"PDF, Word, Excel, PowerPoint, OpenDocument, plain text, PNG or JPEG; "
            f"at most {services.max_upload_bytes() // (1024 * 1024)} MB."
        ),
        widget=forms.ClearableFileInput(attrs={"accept": filetypes.ACCEPT_ATTRIBUTE}),
    )

    class Meta(DocumentMetadataForm.Meta):
        fields = ["file", *DocumentMetadataForm.Meta.fields]

    def __init__(self, *args, user=None, **kwargs):
        self.user = user
        super().__init__(*args, **kwargs)
        self.fields["file"].help_text = (
            f"PDF, Word, Excel, PowerPoint, OpenDocument, plain text, PNG or JPEG; "
            f"at most {services.max_upload_bytes() // (1024 * 1024)} MB."
        )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        _check_upload(upload, user=self.user)
        return upload


class DocumentReplaceForm(forms.Form):
    file = forms.FileField(
        label="New file", widget=forms.ClearableFileInput(attrs={"accept": filetypes.ACCEPT_ATTRIBUTE}),
        help_text="The current file is kept as an earlier version.",
    )

    def __init__(self, *args, document=None, user=None, **kwargs):
        self.document = document
        self.user = user
        super().__init__(*args, **kwargs)

    def clean_file(self):
        upload = self.cleaned_data["file"]
        _check_upload(upload, exclude_pk=self.document.pk if self.document else None, user=self.user)
        if self.document and services.file_fingerprint(upload) == self.document.sha256:
            raise ValidationError("This is the same file as the current one.", code="same")
        return upload


class BriefingForm(forms.ModelForm):
    documents = forms.ModelMultipleChoiceField(
        queryset=Document.objects.none(), required=False,
        widget=forms.SelectMultiple(attrs={"size": 8}),
        help_text="Hold Ctrl (or ⌘) to choose several.",
    )

    class Meta:
        model = Briefing
        fields = ["title", "presenter", "meeting", "agenda_item", "given_on", "summary", "documents"]
        widgets = {"given_on": DateInput(), "summary": forms.Textarea(attrs={"rows": 8})}
        labels = {"presenter": "Presenting organization", "given_on": "Date", "summary": "Summary"}
        help_texts = {
            "summary": "Markdown: **bold**, *italic*, lists with - and links.",
            "given_on": "Defaults to the meeting's date.",
            "agenda_item": "The agenda item of that meeting the briefing was given under.",
        }

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["presenter"].queryset = Organization.objects.filter(
            status__in=[Organization.Status.ACTIVE, Organization.Status.PARTNER, Organization.Status.OBSERVER]
        ).order_by("name")
        self.fields["meeting"].queryset = _meetings()
        self.fields["agenda_item"].queryset = AgendaItem.objects.select_related("meeting").order_by(
            "-meeting__start", "order"
        )
        self.fields["agenda_item"].label_from_instance = lambda item: f"{item.meeting.number}. {item.title}"
        self.fields["documents"].queryset = selectors.documents_visible_to(user).order_by("title")

    def clean(self):
        data = super().clean()
        item, meeting = data.get("agenda_item"), data.get("meeting")
        if item is not None:
            if meeting is None:
                data["meeting"] = meeting = item.meeting
            if item.meeting_id != meeting.pk:
                self.add_error("agenda_item", "The agenda item must belong to the chosen meeting.")
            elif Briefing.objects.filter(agenda_item=item).exclude(pk=self.instance.pk or 0).exists():
                self.add_error("agenda_item", "That agenda item already has a briefing.")
        return data


class CirculationForm(forms.Form):
    documents = forms.ModelMultipleChoiceField(
        queryset=Document.objects.none(), widget=forms.CheckboxSelectMultiple,
    )
    subject = forms.CharField(max_length=200)
    message = forms.CharField(widget=forms.Textarea(attrs={"rows": 5}), required=False,
                              help_text="Plain text; shown above the links.")
    audience = forms.ChoiceField(choices=Circulation.Audience.choices, widget=forms.RadioSelect,
                                 initial=Circulation.Audience.MEMBERS)
    organizations = forms.ModelMultipleChoiceField(
        queryset=Organization.objects.filter(status=Organization.Status.ACTIVE).order_by("name"),
        required=False, widget=forms.SelectMultiple(attrs={"size": 8}),
        help_text="For the audience \"Chosen organizations\".",
    )

    def __init__(self, *args, user=None, documents_queryset=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["documents"].queryset = documents_queryset

    def clean(self):
        data = super().clean()
        if "documents" in data and "audience" in data:
            try:
                services.circulation_check(
                    documents=list(data["documents"]), audience=data["audience"],
                    organizations=data.get("organizations") or [],
                )
            except ValidationError as error:
                self.add_error(None, error)
        return data
