"""The organization picker on a phone-sized screen: typing filters the organizations;
several are ticked as checkboxes; the invitation form hides the new-organization
fields once one is picked from the directory."""

import pytest

from tests.fixtures.browser import sign_in
from tests.members.factories import OrganizationFactory

pytestmark = pytest.mark.browser


@pytest.fixture
def organizations(transactional_db):
    OrganizationFactory(name="Embassy of Sweden", kind="mission", status="active")
    OrganizationFactory(name="embassy of Germany", kind="mission", status="active")
    OrganizationFactory(name="IOM", kind="un_agency", status="active")


def test_typing_filters_the_pickers_on_a_phone(page, live_server, organizations, cochair, password):
    page.set_viewport_size({"width": 390, "height": 844})
    sign_in(page, cochair.email, password)
    page.goto(live_server.url + "/meetings/new/")
    host_filter = page.get_by_label("Filter the organizations of Host")
    host_filter.fill("swe")
    visible = page.locator("#id_host option:not([hidden])").all_inner_texts()
    assert [name.strip() for name in visible if name.strip() != "---------"] == ["Embassy of Sweden"]
    assert page.locator("#id_host").input_value() != ""  # the one match is chosen

    page.get_by_label("Only the organizations chosen below").check()
    checkbox_filter = page.get_by_label("Filter the organizations", exact=True)
    checkbox_filter.fill("iom")
    assert page.get_by_label("IOM").is_visible()
    assert not page.get_by_label("Embassy of Sweden", exact=True).is_visible()
    page.get_by_label("IOM").check()
    checkbox_filter.fill("")
    assert page.get_by_label("Embassy of Sweden", exact=True).is_visible()
    assert page.get_by_label("IOM").is_checked()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390


def test_invite_form_hides_the_new_organization_fields_once_one_is_picked(page, live_server, organizations,
                                                                          secretariat, password):
    sign_in(page, secretariat.email, password)
    page.goto(live_server.url + "/members/invitations/new/")
    new_name = page.get_by_label("Name", exact=True)
    assert new_name.is_visible()
    page.get_by_label("In the directory", exact=True).select_option(label="IOM")
    assert not new_name.is_visible()
    page.get_by_label("In the directory", exact=True).select_option(index=0)
    assert new_name.is_visible()
