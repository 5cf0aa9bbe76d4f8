from django import forms

from members.fields import IdChoiceField
from members.models import User

from . import audit


class AuditFilterForm(forms.Form):
    """Filters of the audit trail: an object (type, and id when known), a person, dates."""

    type = forms.ChoiceField(label="Kind of object", required=False)
    object = forms.IntegerField(label="Object id", required=False, min_value=1, max_value=2**62)
    person = IdChoiceField(
        label="Person", required=False, queryset=User.objects.order_by("full_name", "email"),
        help_text="Changes they made, and changes to their own record.",
    )
    date_from = forms.DateField(label="From", required=False, widget=forms.DateInput(attrs={"type": "date"}))
    date_to = forms.DateField(label="To", required=False, widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["type"].choices = [("", "Any kind"), *audit.audited_types()]

    def filters(self) -> dict:
        if not self.is_valid():
            return {}
        data = self.cleaned_data
        return {
            "object_type": data["type"], "object_id": data["object"] if data["type"] else None,
            "actor": data["person"], "date_from": data["date_from"], "date_to": data["date_to"],
        }
