"""Forms of the coordination pages: they validate and hand plain data to the services."""

from __future__ import annotations

import datetime
from decimal import Decimal, InvalidOperation

from django import forms
from django.core.validators import MaxLengthValidator
from django.db.models import Q

from briefings.models import Briefing, Document
from members.fields import IdChoiceField, IdMultipleChoiceField
from members.models import Organization, User
from members.permissions import is_coordinator

from .models import Project
from .services import Participant, ProjectData
from .vocabularies import (
    SECTOR_CHOICES,
    ActivityType,
    BeneficiaryGroup,
    OverlapDecisionKind,
    PolicyKind,
    PolicyOutcome,
    PolicyRoute,
    PolicyStageKind,
    ProjectStatus,
    currency_choices,
    location_choices,
)

LONG_TEXT = 10_000
# Dates a project can plausibly have; anything else is a typing slip.
EARLIEST, LATEST = datetime.date(1990, 1, 1), datetime.date(2100, 12, 31)
DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")




def _names(text: str) -> list[str]:
    return list(dict.fromkeys(line.strip()[:200] for line in text.splitlines() if line.strip()))[:50]


class ProjectForm(forms.Form):
    title = forms.CharField(max_length=300)
    reporting_organization = IdChoiceField(
        queryset=Organization.objects.none(), help_text="Co-chairs and the secretariat may register for others."
    )
    activity_type = forms.ChoiceField(choices=[("", "—")] + ActivityType.choices)
    description = forms.CharField(widget=forms.Textarea(attrs={"rows": 4}), required=False,
                                  validators=[MaxLengthValidator(LONG_TEXT)])
    locations = forms.MultipleChoiceField(
        choices=location_choices, widget=forms.SelectMultiple(attrs={"size": 8}),
        help_text="Kenya's counties (constitutional number and name), or national.",
    )
    beneficiaries = forms.MultipleChoiceField(
        choices=BeneficiaryGroup.choices, required=False, widget=forms.CheckboxSelectMultiple,
        label="Beneficiary groups",
    )
    sectors = forms.MultipleChoiceField(
        choices=SECTOR_CHOICES, required=False, widget=forms.CheckboxSelectMultiple, label="DAC sectors"
    )
    sector_percentages = forms.CharField(
        required=False, max_length=200, label="Sector percentages",
        help_text="Optional, e.g. 15180=60, 16010=40 (must sum to 100). Left empty: shared equally.",
    )
    status = forms.TypedChoiceField(choices=ProjectStatus.choices, coerce=int,
                                    initial=ProjectStatus.IMPLEMENTATION)
    planned_start = forms.DateField(widget=DATE)
    planned_end = forms.DateField(widget=DATE, required=False)
    actual_start = forms.DateField(widget=DATE, required=False)
    actual_end = forms.DateField(widget=DATE, required=False)
    funders = IdMultipleChoiceField(
        queryset=Organization.objects.none(), required=False, widget=forms.SelectMultiple(attrs={"size": 5})
    )
    other_funders = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), required=False, max_length=2000,
                                    help_text="Funders not in the directory, one per line.")
    implementers = IdMultipleChoiceField(
        queryset=Organization.objects.none(), required=False, label="Implementing partners",
        widget=forms.SelectMultiple(attrs={"size": 5}),
    )
    other_implementers = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), required=False,
                                         max_length=2000, help_text="Partners not in the directory, one per line.")
    budget = forms.DecimalField(max_digits=15, decimal_places=2, min_value=0, required=False,
                                help_text="Seen only by your organization and the co-chairs.")
    currency = forms.ChoiceField(choices=currency_choices, required=False)
    contact = IdChoiceField(queryset=User.objects.none(), required=False,
                                     help_text="Whom other members should ask about the project.")

    def __init__(self, *args, user, project: Project | None = None, **kwargs):
        if project is not None and "initial" not in kwargs:
            kwargs["initial"] = self.initial_of(project)
        super().__init__(*args, **kwargs)
        self.user = user
        organizations = Organization.objects.order_by("name")
        self.fields["funders"].queryset = organizations
        self.fields["implementers"].queryset = organizations
        if is_coordinator(user):
            self.fields["reporting_organization"].queryset = organizations.filter(
                status=Organization.Status.ACTIVE
            ) if project is None else organizations.filter(
                Q(status=Organization.Status.ACTIVE) | Q(pk=project.reporting_organization_id)
            )
            if project is None and user.organization_id:
                self.fields["reporting_organization"].initial = user.organization_id
            people = User.objects.filter(is_active=True, organization__status=Organization.Status.ACTIVE)
        else:
            del self.fields["reporting_organization"]
            people = User.objects.filter(is_active=True, organization_id=user.organization_id)
        if project is not None and project.contact_id:
            people = User.objects.filter(Q(pk__in=people.values("pk")) | Q(pk=project.contact_id))
        self.fields["contact"].queryset = people.select_related("organization").order_by("full_name", "email")
        self.fields["contact"].label_from_instance = lambda u: (
            f"{u.get_full_name()} ({u.organization.acronym or u.organization.name})" if u.organization_id
            else u.get_full_name()
        )

    @staticmethod
    def initial_of(project: Project) -> dict:
        data = ProjectData.of(project)
        return {
            **{name: getattr(data, name) for name in ProjectData.SCALAR_FIELDS},
            "reporting_organization": project.reporting_organization_id,
            "locations": data.locations, "beneficiaries": data.beneficiaries,
            "sectors": [code for code, _ in data.sectors],
            "sector_percentages": ", ".join(f"{code}={pct.normalize():f}" for code, pct in data.sectors
                                            if pct is not None),
            "funders": [p.organization.pk for p in data.funders if p.organization],
            "other_funders": "\n".join(p.name for p in data.funders if not p.organization),
            "implementers": [p.organization.pk for p in data.implementers if p.organization],
            "other_implementers": "\n".join(p.name for p in data.implementers if not p.organization),
        }

    def clean_sector_percentages(self):
        text = self.cleaned_data["sector_percentages"].strip()
        result = {}
        for part in filter(None, (p.strip() for p in text.replace(";", ",").split(","))):
            code, _, value = part.partition("=")
            try:
                number = Decimal(value.strip().rstrip("%"))
            except InvalidOperation:
                raise forms.ValidationError(f"“{part[:30]}” is not of the form 15180=60.") from None
            if not number.is_finite() or not 0 < number <= 100:
                raise forms.ValidationError("Each percentage must be above 0 and at most 100.")
            result[code.strip()] = number.quantize(Decimal("0.01"))
        return result

    def clean(self):
        cleaned = super().clean()
        for name in ("planned_start", "planned_end", "actual_start", "actual_end"):
            day = cleaned.get(name)
            if day is not None and not EARLIEST <= day <= LATEST:
                self.add_error(name, f"Give a date between {EARLIEST.year} and {LATEST.year}.")
                cleaned.pop(name, None)
        for start, end in (("planned_start", "planned_end"), ("actual_start", "actual_end")):
            if cleaned.get(start) and cleaned.get(end) and cleaned[end] < cleaned[start]:
                self.add_error(end, "The end cannot be before the start.")
        if cleaned.get("budget") is not None and not cleaned.get("currency"):
            self.add_error("currency", "Give the currency of the budget.")
        percentages = cleaned.get("sector_percentages") or {}
        sectors = cleaned.get("sectors") or []
        if percentages:
            if set(percentages) != set(sectors):
                self.add_error("sector_percentages", "Give a percentage for each chosen sector, and only those.")
            elif sum(percentages.values()) != 100:
                self.add_error("sector_percentages", "The percentages must sum to 100.")
        contact = cleaned.get("contact")
        organization = cleaned.get("reporting_organization") or self.user.organization
        if contact is not None and organization is not None and contact.organization_id != organization.pk \
                and contact.pk != getattr(self.initial.get("contact"), "pk", self.initial.get("contact")):
            self.add_error("contact", "The contact must work for the reporting organization.")
        return cleaned

    @property
    def organization(self) -> Organization | None:
        return self.cleaned_data.get("reporting_organization") or self.user.organization

    def project_data(self) -> ProjectData:
        c = self.cleaned_data
        percentages = c.get("sector_percentages") or {}
        sectors = c.get("sectors") or []
        if not percentages and sectors:
            share = (Decimal(100) / len(sectors)).quantize(Decimal("0.01"))
            percentages = dict.fromkeys(sectors, share)
            percentages[sectors[-1]] = Decimal(100) - share * (len(sectors) - 1)
        return ProjectData(
            title=c["title"].strip(), activity_type=c["activity_type"], status=c["status"],
            description=c.get("description", ""), planned_start=c.get("planned_start"),
            planned_end=c.get("planned_end"), actual_start=c.get("actual_start"), actual_end=c.get("actual_end"),
            budget=c.get("budget"), currency=c.get("currency") or "", contact=c.get("contact"),
            sectors=[(code, percentages.get(code)) for code in sectors],
            locations=list(c["locations"]), beneficiaries=list(c.get("beneficiaries") or []),
            funders=[Participant(organization=o) for o in c.get("funders") or []]
            + [Participant(name=n) for n in _names(c.get("other_funders", ""))],
            implementers=[Participant(organization=o) for o in c.get("implementers") or []]
            + [Participant(name=n) for n in _names(c.get("other_implementers", ""))],
        )


class OverlapDecisionForm(forms.Form):
    """What a possible duplicate is, said before saving (one per warning, prefixed by the other project)."""

    decision = forms.ChoiceField(choices=[("", "Choose…")] + OverlapDecisionKind.choices,
                                 label="These two projects are")
    note = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 2}),
                           validators=[MaxLengthValidator(2000)])


class PolicyItemForm(forms.Form):
    title = forms.CharField(max_length=300)
    kind = forms.ChoiceField(choices=PolicyKind.choices)
    route = forms.ChoiceField(choices=PolicyRoute.choices, required=False)
    outcome = forms.ChoiceField(choices=PolicyOutcome.choices, required=False)
    description = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), required=False,
                                  validators=[MaxLengthValidator(LONG_TEXT)])

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("kind") == PolicyKind.BILL and not cleaned.get("route"):
            self.add_error("route", "Say whether it is a government bill or a private member's bill.")
        return cleaned


class PolicyStageForm(forms.Form):
    stage = forms.ChoiceField(choices=PolicyStageKind.choices)
    on = forms.DateField(widget=DATE, label="Date")
    note = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 2}),
                           validators=[MaxLengthValidator(LONG_TEXT)])
    source_briefing = IdChoiceField(queryset=Briefing.objects.none(), required=False)
    source_document = IdChoiceField(queryset=Document.objects.none(), required=False)

    def __init__(self, *args, item, briefings, documents, **kwargs):
        super().__init__(*args, **kwargs)
        self.item = item
        self.fields["source_briefing"].queryset = briefings
        self.fields["source_document"].queryset = documents

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("stage") == PolicyStageKind.CABINET and self.item.route == PolicyRoute.PRIVATE:
            self.add_error("stage", "Cabinet approval is for government bills only.")
        return cleaned


class PolicyAgencyForm(forms.Form):
    organization = IdChoiceField(
        queryset=Organization.objects.filter(kind=Organization.Kind.GOVERNMENT).order_by("name"), required=False,
        help_text="A government agency of the directory, or give a name.",
    )
    name = forms.CharField(required=False, max_length=200)
    role = forms.CharField(max_length=300)

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("organization") and not (cleaned.get("name") or "").strip():
            self.add_error("name", "Choose an agency or give its name.")
        return cleaned
