import datetime

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import validate_email

from members.fields import IdChoiceField, IdMultipleChoiceField
from members.models import Organization, User
from members.selectors import eligible_organizations
from members.widgets import OrganizationCheckboxes, OrganizationSelect, organizations_by_name

from .models import ActionItem, AgendaItem, Meeting, Rsvp

MAX_LENGTH = datetime.timedelta(hours=12)
DATETIME_WIDGET = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


def _organizations():
    return organizations_by_name(Organization.objects.exclude(status__in=[Organization.Status.DECLINED]))


YEARS = (2000, 2100)


def _check_span(cleaned, start_field="start", end_field="end"):
    start, end = cleaned.get(start_field), cleaned.get(end_field)
    for name, value in ((start_field, start), (end_field, end)):
        if value and not YEARS[0] <= value.year <= YEARS[1]:
            raise ValidationError({name: f"Enter a date between {YEARS[0]} and {YEARS[1]}."})
    if start and end:
        if end <= start:
            raise ValidationError({end_field: "The end must come after the start."})
        if end - start > MAX_LENGTH:
            raise ValidationError({end_field: "A meeting cannot last more than 12 hours."})


class MeetingForm(forms.ModelForm):
    start = forms.DateTimeField(widget=DATETIME_WIDGET, help_text="Nairobi time.")
    end = forms.DateTimeField(widget=DATETIME_WIDGET, help_text="Nairobi time.")
    audience_all = forms.TypedChoiceField(
        label="Audience", coerce=lambda v: v == "all", initial="all", widget=forms.RadioSelect,
        choices=[("all", "Everyone at the active member organizations"),
                 ("chosen", "Only the organizations chosen below")],
    )
    audience_organizations = IdMultipleChoiceField(
        queryset=Organization.objects.none(), required=False, widget=OrganizationCheckboxes,
        label="Chosen organizations",
    )
    extra_addresses = forms.CharField(
        required=False, widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Further addresses to invite, one per line (guests, speakers).",
    )

    class Meta:
        model = Meeting
        fields = ["title", "number", "start", "end", "venue", "host", "description",
                  "audience_all", "audience_organizations", "extra_addresses"]
        widgets = {"description": forms.Textarea(attrs={"rows": 4}), "host": OrganizationSelect}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["host"].queryset = _organizations()
        # Only organizations whose people receive mailings (the circulation form's rule too).
        self.fields["audience_organizations"].queryset = organizations_by_name(eligible_organizations())
        if self.instance.pk:
            self.initial["audience_all"] = "all" if self.instance.audience_all else "chosen"

    def clean_number(self):
        number = self.cleaned_data["number"]
        if number < 1:
            raise ValidationError("The number in the series starts at 1.")
        if Meeting.objects.filter(number=number).exclude(pk=self.instance.pk).exists():
            raise ValidationError(f"Meeting number {number} exists already.")
        return number

    def clean_extra_addresses(self):
        lines = [line.strip() for line in self.cleaned_data["extra_addresses"].splitlines() if line.strip()]
        bad = []
        for line in lines:
            try:
                validate_email(line)
            except ValidationError:
                bad.append(line)
        if bad:
            raise ValidationError("Not an email address: " + ", ".join(bad[:5]))
        return "\n".join(dict.fromkeys(line.lower() for line in lines))

    def clean(self):
        cleaned = super().clean()
        _check_span(cleaned)
        if cleaned.get("audience_all") is False and not cleaned.get("audience_organizations") \
                and not cleaned.get("extra_addresses"):
            self.add_error("audience_organizations", "Choose at least one organization, or invite everyone.")
        return cleaned


class AgendaItemForm(forms.ModelForm):
    minutes = forms.IntegerField(min_value=1, max_value=720, initial=15, label="Minutes allotted")

    class Meta:
        model = AgendaItem
        fields = ["title", "presenter", "minutes"]
        labels = {"presenter": "Presenter organization"}
        widgets = {"presenter": OrganizationSelect}

    def __init__(self, *args, autofocus: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["presenter"].queryset = _organizations()
        if autofocus:
            self.fields["title"].widget.attrs["autofocus"] = True


class ReplyForm(forms.Form):
    response = forms.ChoiceField(choices=[
        (Rsvp.Response.ACCEPTED, "Accept"), (Rsvp.Response.TENTATIVE, "Tentative"),
        (Rsvp.Response.DECLINED, "Decline"),
    ])
    comment = forms.CharField(required=False, max_length=500)
    substitute = forms.CharField(required=False, max_length=200, label="Coming instead of you (name)")

    def reply_fields(self) -> dict:
        """The comment and substitute when the form carried them (a bare button keeps the earlier ones)."""
        return {name: self.cleaned_data[name] for name in ("comment", "substitute") if name in self.data}


class AttendanceForm(forms.Form):
    organizations = IdMultipleChoiceField(queryset=Organization.objects.none(), required=False)
    people = IdMultipleChoiceField(queryset=User.objects.none(), required=False)

    def __init__(self, *args, organizations, people, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organizations"].queryset = organizations
        self.fields["people"].queryset = people


class MinutesForm(forms.Form):
    text = forms.CharField(
        label="Minutes", required=False, widget=forms.Textarea(attrs={"rows": 16}),
        help_text="Markdown: **bold**, *italic*, lists with -, headings with #.",
    )


class ActionItemForm(forms.ModelForm):
    due_on = forms.DateField(required=False, widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
                             label="Due")

    class Meta:
        model = ActionItem
        fields = ["description", "owner", "due_on", "status"]
        labels = {"owner": "Owner organization"}
        widgets = {"owner": OrganizationSelect}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = _organizations()


class DatePollForm(forms.Form):
    title = forms.CharField(max_length=200)
    venue = forms.CharField(max_length=300, required=False)
    host = IdChoiceField(queryset=Organization.objects.none(), required=False, widget=OrganizationSelect)
    description = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 3}))
    deadline = forms.DateField(required=False, widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
                               help_text="Answers close at the end of this day (optional).")
    notify = forms.BooleanField(required=False, initial=True, label="Email every member a link to answer the poll")

    def clean_deadline(self):
        deadline = self.cleaned_data["deadline"]
        if deadline and not YEARS[0] <= deadline.year <= YEARS[1]:
            raise ValidationError(f"Enter a date between {YEARS[0]} and {YEARS[1]}.")
        return deadline

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["host"].queryset = _organizations()


class SlotForm(forms.Form):
    start = forms.DateTimeField(widget=DATETIME_WIDGET, required=False)
    end = forms.DateTimeField(widget=DATETIME_WIDGET, required=False)

    def clean(self):
        cleaned = super().clean()
        if bool(cleaned.get("start")) != bool(cleaned.get("end")) and not self.errors:
            raise ValidationError("Give both the start and the end of this slot, or neither.")
        _check_span(cleaned)
        return cleaned


class BaseSlotFormSet(forms.BaseFormSet):
    def clean(self):
        if any(self.errors):
            return
        slots = [(f.cleaned_data["start"], f.cleaned_data["end"]) for f in self.forms
                 if f.cleaned_data.get("start") and f.cleaned_data.get("end")]
        if not 2 <= len(slots) <= 8:
            raise ValidationError("Offer between 2 and 8 candidate slots.")
        if len(set(slots)) != len(slots):
            raise ValidationError("The same slot is offered twice.")
        self.slots = slots


SlotFormSet = forms.formset_factory(SlotForm, formset=BaseSlotFormSet, extra=8, max_num=8, absolute_max=8)
