"""Choice fields by id: an id that no database key can hold is a form error, never a query."""

import pytest

from members.fields import IdChoiceField, IdMultipleChoiceField
from members.models import Organization
from tests.members.factories import OrganizationFactory

HUGE = "9" * 25


@pytest.mark.django_db
@pytest.mark.parametrize("value", [HUGE, "-1", "1e5", "١٢", "0"])
def test_a_choice_no_key_can_hold_is_invalid(value):
    field = IdChoiceField(queryset=Organization.objects.all())
    with pytest.raises(Exception) as refused:
        field.clean(value)
    assert refused.value.code == "invalid_choice"


@pytest.mark.django_db
def test_several_choices_refuse_a_huge_id_among_good_ones():
    organization = OrganizationFactory()
    field = IdMultipleChoiceField(queryset=Organization.objects.all())
    assert list(field.clean([str(organization.pk)])) == [organization]
    with pytest.raises(Exception) as refused:
        field.clean([str(organization.pk), HUGE])
    assert refused.value.code == "invalid_pk_value"
