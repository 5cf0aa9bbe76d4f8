"""Form fields shared by every app's forms."""

from django import forms

from .ids import parse_id


class IdChoiceField(forms.ModelChoiceField):
    """A choice by id: an id no database key can hold is an invalid choice, never a
    query (SQLite overflows on it, which would be a 500)."""

    def to_python(self, value):
        if value not in self.empty_values and parse_id(value) is None:
            raise forms.ValidationError(self.error_messages["invalid_choice"], code="invalid_choice")
        return super().to_python(value)


class IdMultipleChoiceField(forms.ModelMultipleChoiceField):
    """Several choices by id, each checked as ``IdChoiceField`` checks one."""

    def _check_values(self, value):
        try:
            values = list(value)
        except TypeError:
            values = []
        for item in values:
            if parse_id(item) is None:
                raise forms.ValidationError(
                    self.error_messages["invalid_pk_value"], code="invalid_pk_value", params={"pk": str(item)[:30]}
                )
        return super()._check_values(value)
