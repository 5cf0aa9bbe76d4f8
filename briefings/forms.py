"""Forms of the briefings pages: they validate input and ask the services' checks;
every dropdown lists only what the user may see (``permissions.visible_to``)."""

from django import forms
from django.core.exceptions import ValidationError

from meetings.models import AgendaItem, Meeting
from members import permissions
from members.fields import IdChoiceField, IdMultipleChoiceField
from members.models import Organization

from . import filetypes
from .models import AccessLevel, Briefing, Circulation, Document, Topic
from .selectors import documents as document_selectors
from .services import briefings as briefing_services
from .services import circulations as circulation_services
from .services import documents as document_services


class DateInput(forms.DateInput):
    input_type = "date"


# ModelForms use the id-checking fields for every relation.
ID_FIELD_CLASSES = {
    "source": IdChoiceField, "meeting": IdChoiceField, "presenter": IdChoiceField, "agenda_item": IdChoiceField,
}


def _organizations(user, rows):
    return permissions.visible_to(user, rows.order_by("name"))


def _meetings(user):
    # Draft meetings exist only for the co-chairs and the secretariat (meetings.rules).
    return permissions.visible_to(user, Meeting.objects.order_by("-start"))


def _agenda_items(user):
    return permissions.visible_to(
        user, AgendaItem.objects.select_related("meeting").order_by("-meeting__start", "order")
    )


def _upload_help() -> str:
    return (
        "PDF, Word, Excel, PowerPoint, OpenDocument, plain text, PNG or JPEG; "
        f"at most {document_services.max_upload_bytes() // (1024 * 1024)} MB."
    )


class LibraryFilterForm(forms.Form):
    """The library's filters; bad values are dropped rather than failing the page."""

    kind = forms.ChoiceField(choices=[("", "Any kind"), *Document.Kind.choices], required=False)
    topic = forms.ChoiceField(required=False)
    source = IdChoiceField(queryset=Organization.objects.none(), required=False, empty_label="Any source")
    year = forms.TypedChoiceField(required=False, coerce=int, empty_value=None)
    sort = forms.ChoiceField(
        choices=[("newest", "Newest first"), ("oldest", "Oldest first"), ("added", "Recently added"),
                 ("title", "Title")],
        required=False,
    )

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["topic"].choices = [("", "Any topic"), *((t.slug, t.name) for t in Topic.objects.all())]
        facets = document_selectors.library_facets(user)
        sources = Organization.objects.filter(pk__in=facets["source_ids"])
        self.fields["source"].queryset = _organizations(user, sources)
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
    topics = IdMultipleChoiceField(
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
        field_classes = ID_FIELD_CLASSES
        help_texts = {
            "access_level": "Co-chairs-only documents are visible to the co-chairs and the secretariat alone.",
        }

    def __init__(self, *args, user=None, **kwargs):
        self.user = user
        super().__init__(*args, **kwargs)
        self.fields["source"].queryset = _organizations(
            user, Organization.objects.exclude(status=Organization.Status.DECLINED)
        )
        self.fields["meeting"].queryset = _meetings(user)
        self.fields["access_level"].choices = AccessLevel.choices


class DocumentUploadForm(DocumentMetadataForm):
    file = forms.FileField(
        widget=forms.ClearableFileInput(attrs={"accept": filetypes.ACCEPT_ATTRIBUTE}),
    )

    class Meta(DocumentMetadataForm.Meta):
        fields = ["file", *DocumentMetadataForm.Meta.fields]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Read per form: the limit is a setting that tests and deployments change.
        self.fields["file"].help_text = _upload_help()

    def clean_file(self):
        # The service's own check; its result (``checked``) goes to the service, which checks nothing twice.
        upload = self.cleaned_data["file"]
        self.checked = document_services.upload_check(upload=upload, by=self.user)
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
        self.checked = document_services.upload_check(upload=upload, by=self.user, replacing=self.document)
        return upload


class BriefingForm(forms.ModelForm):
    documents = IdMultipleChoiceField(
        queryset=Document.objects.none(), required=False,
        widget=forms.SelectMultiple(attrs={"size": 8}),
        help_text="Hold Ctrl (or ⌘) to choose several.",
    )

    class Meta:
        model = Briefing
        fields = ["title", "presenter", "meeting", "agenda_item", "given_on", "summary", "documents"]
        widgets = {"given_on": DateInput(), "summary": forms.Textarea(attrs={"rows": 8})}
        field_classes = ID_FIELD_CLASSES
        labels = {"presenter": "Presenting organization", "given_on": "Date", "summary": "Summary"}
        help_texts = {
            "summary": "Markdown: **bold**, *italic*, lists with - and links.",
            "given_on": "Defaults to the meeting's date.",
            "agenda_item": "The agenda item of that meeting the briefing was given under.",
        }

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        presenters = Organization.objects.filter(
            status__in=[Organization.Status.ACTIVE, Organization.Status.PARTNER, Organization.Status.OBSERVER]
        )
        if not permissions.is_coordinator(user):
            # A member presents in their own organization's name (or keeps the briefing's presenter).
            presenters = presenters.filter(pk__in=[getattr(user, "organization_id", None),
                                                   self.instance.presenter_id if self.instance.pk else None])
        self.fields["presenter"].queryset = _organizations(user, presenters)
        self.fields["meeting"].queryset = _meetings(user)
        self.fields["agenda_item"].queryset = _agenda_items(user)
        self.fields["agenda_item"].label_from_instance = lambda item: f"{item.meeting.number}. {item.title}"
        self.fields["documents"].queryset = document_selectors.documents_visible_to(user).order_by("title")

    def clean(self):
        data = super().clean()
        if "agenda_item" in data and "meeting" in data:
            try:
                data["meeting"] = briefing_services.briefing_check(
                    meeting=data["meeting"], agenda_item=data["agenda_item"],
                    briefing=self.instance if self.instance.pk else None,
                    presenter=data.get("presenter"), by=self.user,
                )
            except ValidationError as error:
                self.add_error(None, error)
        return data


class CirculationForm(forms.Form):
    documents = IdMultipleChoiceField(queryset=Document.objects.none(), widget=forms.CheckboxSelectMultiple)
    subject = forms.CharField(max_length=200)
    message = forms.CharField(widget=forms.Textarea(attrs={"rows": 5}), required=False,
                              help_text="Plain text; shown above the links.")
    audience = forms.ChoiceField(choices=Circulation.Audience.choices, widget=forms.RadioSelect,
                                 initial=Circulation.Audience.MEMBERS)
    organizations = IdMultipleChoiceField(
        queryset=Organization.objects.none(),
        required=False, widget=forms.SelectMultiple(attrs={"size": 8}),
        help_text="For the audience \"Chosen organizations\".",
    )

    def __init__(self, *args, user=None, documents_queryset=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["documents"].queryset = documents_queryset
        self.fields["organizations"].queryset = _organizations(
            user, Organization.objects.filter(status=Organization.Status.ACTIVE)
        )

    def clean(self):
        data = super().clean()
        if "documents" in data and "audience" in data:
            try:
                circulation_services.circulation_check(
                    documents=list(data["documents"]), audience=data["audience"],
                    organizations=data.get("organizations") or [],
                )
            except ValidationError as error:
                self.add_error(None, error)
        return data
