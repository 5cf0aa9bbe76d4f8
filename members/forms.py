from django import forms

from .models import Organization, OrganizationNote, User


class DirectoryFilterForm(forms.Form):
    q = forms.CharField(required=False, label="Search", max_length=100)
    kind = forms.ChoiceField(required=False, choices=[("", "Any kind"), *Organization.Kind.choices])
    status = forms.ChoiceField(required=False, choices=[("", "Any status"), *Organization.Status.choices])


class OrganizationForm(forms.ModelForm):
    website = forms.URLField(required=False, assume_scheme="https")

    class Meta:
        model = Organization
        fields = ["name", "acronym", "kind", "country", "website", "description", "is_cochair"]
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}


class OrganizationStatusForm(forms.Form):
    status = forms.ChoiceField(choices=Organization.Status.choices)
    changed_on = forms.DateField(
        widget=forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"}), label="Date of the change"
    )
    note = forms.CharField(required=False, max_length=300)


class PersonForm(forms.ModelForm):
    class Meta:
        model = User
        fields = ["full_name", "email", "title", "phone", "organization", "role", "is_focal_point"]
        labels = {"full_name": "Full name", "is_focal_point": "Focal point of the organization"}

    def __init__(self, *args, organization=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["full_name"].required = True
        self.fields["organization"].queryset = Organization.objects.order_by("name")
        if organization is not None and not self.instance.pk:
            self.fields["organization"].initial = organization.pk

    def clean_email(self):
        email = User.objects.normalize_email(self.cleaned_data["email"]).lower()
        taken = User.objects.filter(email__iexact=email).exclude(pk=self.instance.pk)
        if taken.exists():
            raise forms.ValidationError("Someone with this email address is already in the directory.")
        return email


class OrganizationNoteForm(forms.ModelForm):
    class Meta:
        model = OrganizationNote
        fields = ["text"]
        labels = {"text": "Add a note"}
        widgets = {"text": forms.Textarea(attrs={"rows": 2, "maxlength": 2000})}
