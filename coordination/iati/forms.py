"""The upload form of the IATI import."""

from django import forms

from ..vocabularies import ActivityType
from .reader import max_bytes


class IatiImportForm(forms.Form):
    file = forms.FileField(
        label="IATI activities file (XML)",
        help_text="An iati-activities file, IATI version 2.0x, as your organization publishes it.",
        widget=forms.ClearableFileInput(attrs={"accept": ".xml,application/xml,text/xml"}),
    )
    default_activity = forms.ChoiceField(
        label="Activity type for activities that do not say",
        choices=ActivityType.choices, initial=ActivityType.COORDINATION,
        help_text="IATI has no anti-trafficking activity types; files exported by this portal carry them.",
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > max_bytes():
            raise forms.ValidationError(f"The file is too large: at most {max_bytes() // (1024 * 1024)} MB.")
        return upload
