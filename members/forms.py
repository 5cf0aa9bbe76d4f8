from email.utils import parseaddr

from allauth.account.forms import SignupForm
from allauth.core import context as allauth_context
from django import forms
from django.core.validators import validate_email
from django.shortcuts import render
from django.utils.html import escape

from . import permissions
from .fields import IdChoiceField
from .invitation_pages import invitation_dead_response
from .models import Invitation, Organization, OrganizationNote, User
from .services import Contact
from .session import invitation_in_session, invitation_state_in_session
from .validators import no_control_characters
from .widgets import OrganizationSelect, organizations_by_name


class DirectoryFilterForm(forms.Form):
    q = forms.CharField(required=False, label="Search", max_length=100)
    kind = forms.ChoiceField(required=False, choices=[("", "Any kind"), *Organization.Kind.choices])
    status = forms.ChoiceField(required=False, choices=[("", "Any status"), *Organization.Status.choices])


class OrganizationForm(forms.ModelForm):
    website = forms.URLField(required=False, assume_scheme="https")

    class Meta:
        model = Organization
        fields = ["name", "acronym", "kind", "country", "website", "description", "is_cochair", "iati_identifier"]
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
        widgets = {"organization": OrganizationSelect}

    def __init__(self, *args, organization=None, editor=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["full_name"].required = True
        self.fields["organization"].queryset = organizations_by_name()
        if organization is not None and not self.instance.pk:
            self.fields["organization"].initial = organization.pk
        if editor is not None and not permissions.can(editor, permissions.GRANT_SECRETARIAT):
            # Only the secretariat gives its role: others see members' role only.
            self.fields["role"].choices = [(User.Role.MEMBER, User.Role.MEMBER.label)]
            self.fields["role"].help_text = "Only the secretariat gives the secretariat role."

    def clean_email(self):
        email = User.objects.normalize_email(self.cleaned_data["email"]).lower()
        taken = User.objects.filter(email__iexact=email).exclude(pk=self.instance.pk)
        if taken.exists():
            raise forms.ValidationError("Someone with this email address is already in the directory.")
        return email


class OrganizationNoteForm(forms.ModelForm):
    """A member's dated note on an organization; the pages that take it are the
    coordination app's (partner notes)."""

    text = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), max_length=10_000, label="Note",
                           help_text="What it does, where, how it was to work with.")

    class Meta:
        model = OrganizationNote
        fields = ["noted_on", "text"]
        labels = {"noted_on": "Date"}
        widgets = {"noted_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The model's callable default (today) would add a hidden "initial-" input to every form.
        self.fields["noted_on"].show_hidden_initial = False


# --- Invitations ---------------------------------------------------------------

MAX_CONTACTS = 50


def _parse_contacts(text: str) -> list[Contact]:
    """One contact a line: "Name <email>", "Name, email" or just "email"."""
    contacts, errors = [], []
    for number, line in enumerate(text.splitlines(), start=1):
        line = line.strip()
        if not line:
            continue
        if "<" not in line and "," in line:
            name, _, address = line.rpartition(",")
        else:
            name, address = parseaddr(line)
            if not address:
                name, address = "", line
        address = address.strip()
        try:
            validate_email(address)
        except forms.ValidationError:
            errors.append(f"line {number}: “{line[:80]}” has no valid email address")
            continue
        name = name.strip().strip('"')[:200]
        try:
            no_control_characters(name)
        except forms.ValidationError:
            errors.append(f"line {number}: the name has a tab or another control character")
            continue
        contacts.append(Contact(email=address.lower(), full_name=name))
    if errors:
        raise forms.ValidationError("; ".join(errors))
    if not contacts:
        raise forms.ValidationError("Give at least one contact.")
    if len(contacts) > MAX_CONTACTS:
        raise forms.ValidationError(f"At most {MAX_CONTACTS} contacts at a time.")
    return contacts


class ContactsField(forms.CharField):
    widget = forms.Textarea(attrs={"rows": 3, "placeholder": "Anjali Sharma <anjali.sharma@india.example>"})

    def clean(self, value):
        return _parse_contacts(super().clean(value) or "")


class InviteColleaguesForm(forms.Form):
    contacts = ContactsField(
        label="Contacts", max_length=10000,
        help_text=escape("One a line: “Name <email>” or “Name, email”. Each gets a personal link."),
    )
    message = forms.CharField(
        label="Personal message", required=False, max_length=4000, widget=forms.Textarea(attrs={"rows": 4}),
        help_text="Shown in the email and on the invitation page.",
    )


class InviteOrganizationForm(InviteColleaguesForm):
    organization = IdChoiceField(
        queryset=Organization.objects.none(), required=False, label="In the directory",
        empty_label="— a new organization (fill in below) —", widget=OrganizationSelect,
    )
    new_name = forms.CharField(label="Name", max_length=200, required=False)
    new_acronym = forms.CharField(label="Acronym", max_length=30, required=False)
    new_kind = forms.ChoiceField(label="Kind", choices=Organization.Kind.choices, required=False,
                                 initial=Organization.Kind.MISSION)
    new_country = forms.CharField(label="Country", max_length=100, required=False)

    field_order = ["organization", "new_name", "new_acronym", "new_kind", "new_country", "contacts", "message"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Active members are invited too (more contacts), but the list starts with those not yet in.
        self.fields["organization"].queryset = organizations_by_name()

    def clean(self):
        data = super().clean()
        name = (data.get("new_name") or "").strip()
        if data.get("organization") and name:
            self.add_error("new_name", "Either pick an organization or name a new one, not both.")
        elif not data.get("organization"):
            if not name:
                self.add_error("organization", "Pick an organization, or give the name of a new one.")
            elif Organization.objects.filter(name__iexact=name).exists():
                self.add_error("new_name", "An organization with this name is already in the directory: pick it above.")
            elif not data.get("new_kind"):
                self.add_error("new_kind", "Say what kind of organization it is.")
        return data


class InvitationFilterForm(forms.Form):
    state = forms.ChoiceField(required=False, choices=[("", "Any state"), *Invitation.STATES])
    q = forms.CharField(required=False, label="Search", max_length=100)


class DeclineForm(forms.Form):
    reason = forms.CharField(
        label="Reason (optional)", required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 3}),
        help_text="The secretariat reads it; it helps the group know whom to ask instead.",
    )


class InvitationSignupForm(SignupForm):
    """allauth's signup form, opened only by an invitation: the email is the
    invitation's (fixed, already verified by the link), plus name and title."""

    full_name = forms.CharField(label="Full name", max_length=200, validators=[no_control_characters])
    title = forms.CharField(label="Job title", max_length=200, required=False, validators=[no_control_characters],
                            help_text="e.g. First Secretary, Political Affairs")

    field_order = ["email", "full_name", "title", "password1", "password2"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        invitation = invitation_in_session(allauth_context.request)
        if invitation is not None:
            self.fields["email"].initial = invitation.email
            self.fields["email"].disabled = True
            self.fields["email"].help_text = "The address the invitation was sent to."
            if not self.is_bound:
                self.fields["full_name"].initial = invitation.full_name
        self.order_fields(self.field_order)

    def try_save(self, request):
        """An account for this address appeared after the form was opened (a
        concurrent submission, another tab): say what to do, instead of
        allauth's "account already exists" email."""
        if self.account_already_exists:
            state, invitation = invitation_state_in_session(request)
            if state == Invitation.Availability.VALID:  # the account exists but has not accepted: signing in will
                return None, render(request, "members/invitation_sign_in.html", {"invitation": invitation})
            return None, invitation_dead_response(request, state, invitation)
        return super().try_save(request)


class ProfileForm(forms.ModelForm):
    """What a person edits of their own record; the email address changes
    through allauth's verified-address page instead."""

    class Meta:
        model = User
        fields = ["full_name", "title", "phone"]
        labels = {"full_name": "Full name"}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["full_name"].required = True
