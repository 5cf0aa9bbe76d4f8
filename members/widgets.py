"""The organization picker, the same on every form: organizations grouped by kind,
sorted by name whatever the case, with a box to filter them by typing
(static/js/org-picker.js). One choice is a native select (a phone shows its own
picker); several are checkboxes, never a Ctrl-click multiple select."""

from __future__ import annotations

from django import forms
from django.db.models.functions import Lower

from .models import Organization

PICKER_ATTR = "data-org-picker"


def _name_key(choice) -> str:
    return str(choice[1]).casefold()


class _GroupedByKind:
    """Regroups a ModelChoiceField's choices under the organization's kind."""

    def optgroups(self, name, value, attrs=None):
        blank, grouped = [], {}
        for option_value, label in self.choices:
            instance = getattr(option_value, "instance", None)
            if instance is None:
                blank.append((option_value, label))
            else:
                grouped.setdefault(instance.get_kind_display(), []).append((option_value, label))
        original = self.choices
        self.choices = blank + [
            (kind, sorted(options, key=_name_key))
            for kind, options in sorted(grouped.items(), key=lambda item: item[0].casefold())
        ]
        try:
            return super().optgroups(name, value, attrs)
        finally:
            self.choices = original


class OrganizationSelect(_GroupedByKind, forms.Select):
    def __init__(self, attrs=None):
        super().__init__({PICKER_ATTR: "one", **(attrs or {})})


class OrganizationCheckboxes(_GroupedByKind, forms.CheckboxSelectMultiple):
    def __init__(self, attrs=None):
        super().__init__({PICKER_ATTR: "many", **(attrs or {})})


def organizations_by_name(queryset=None):
    """``queryset`` (all organizations by default) sorted by name, ignoring case."""
    return (Organization.objects.all() if queryset is None else queryset).order_by(Lower("name"), "pk")


class OrganizationChoiceField(forms.ModelChoiceField):
    widget = OrganizationSelect

    def __init__(self, queryset=None, **kwargs):
        super().__init__(organizations_by_name(queryset), **kwargs)


class OrganizationMultipleChoiceField(forms.ModelMultipleChoiceField):
    widget = OrganizationCheckboxes

    def __init__(self, queryset=None, **kwargs):
        super().__init__(organizations_by_name(queryset), **kwargs)
