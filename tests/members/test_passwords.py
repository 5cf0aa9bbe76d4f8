"""Passwords (finding 12): at least 12 characters, Django's common-password and
similarity checks kept, on every page that sets one."""

import pytest
from django.urls import reverse


@pytest.mark.parametrize("new,accepted", [
    ("Kx9!mQ2#", False),           # 8 characters: accepted before
    ("Kx9!mQ2#vL7", False),        # 11
    ("1qaz2wsx3edc", False),       # 12, but a common password
    ("member@germany", False),     # 14, but like the person's email
    ("Kx9!mQ2#vL7p", True),        # 12
])
def test_password_change_needs_twelve_characters(client, member, password, new, accepted):
    client.force_login(member)
    response = client.post(reverse("account_change_password"),
                           {"oldpassword": password, "password1": new, "password2": new})
    member.refresh_from_db()
    assert member.check_password(new) is accepted
    assert (response.status_code == 302) is accepted
