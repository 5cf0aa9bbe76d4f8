"""The organization picker: grouped by kind, sorted by name ignoring case, no multiple select."""

import re

import pytest
from django.template import Context, Template

from meetings.forms import AgendaItemForm, MeetingForm
from members.forms import InviteOrganizationForm
from tests.members.factories import OrganizationFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def organizations():
    OrganizationFactory(name="unicef", kind="un_agency", status="active")
    OrganizationFactory(name="IOM", kind="un_agency", status="active")
    OrganizationFactory(name="Embassy of Sweden", kind="mission", status="active")
    OrganizationFactory(name="embassy of Germany", kind="mission", status="active")


def _names(html: str) -> list[str]:
    return [name.strip() for name in re.findall(r"<option value=\"\d+\"[^>]*>([^<]+)</option>", html)]


def test_single_choice_is_a_select_grouped_by_kind_and_sorted_ignoring_case(organizations):
    html = str(AgendaItemForm()["presenter"])
    assert 'data-org-picker="one"' in html and "multiple" not in html
    assert re.findall(r'<optgroup label="([^"]+)"', html) == ["Mission (embassy)", "UN agency"]
    assert _names(html) == ["embassy of Germany", "Embassy of Sweden", "IOM", "unicef"]


def test_several_choices_are_checkboxes_grouped_by_kind(organizations):
    html = Template("{% load crispy_forms_tags %}{{ f.audience_organizations|as_crispy_field }}").render(
        Context({"f": MeetingForm()}))
    assert "<select" not in html and html.count('type="checkbox"') == 4
    assert html.count('data-org-picker="many"') == 4
    assert html.index("Mission (embassy)") < html.index("embassy of Germany") < html.index("Embassy of Sweden") \
        < html.index("UN agency") < html.index("IOM") < html.index("unicef")


def test_invite_form_names_the_organization_once(organizations):
    html = str(InviteOrganizationForm()["organization"])
    assert 'data-org-picker="one"' in html
    assert InviteOrganizationForm().fields["organization"].label == "In the directory"
