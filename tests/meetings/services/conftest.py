from email.utils import parseaddr

import pytest

from tests.members.factories import UserFactory


def addresses(mails) -> list[str]:
    return sorted(parseaddr(m.to[0])[1] for m in mails)


@pytest.fixture
def group(member, cochair, secretariat, outsider, former_member):
    """Two more people at an active member and one at a withdrawn one."""
    colleague = UserFactory(email="colleague@germany.example", organization=member.organization)
    return {"member": member, "cochair": cochair, "colleague": colleague, "outsider": outsider,
            "former": former_member, "secretariat": secretariat}
