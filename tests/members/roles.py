"""The answer each role must get from a page (DESIGN.md section 3)."""

from django.urls import reverse


def assert_role_answer(response, *, role: str, allowed: set, url: str, ok=(200, 302)):
    """Anonymous: sent to sign-in; outsider: the "not a member" page; others: ``ok`` or 403."""
    if role == "anonymous":
        assert response.status_code == 302, url
        assert response["Location"].startswith(reverse("account_login") + "?next="), url
    elif role == "outsider":
        assert response.status_code == 403, url
        assert b"This part of the portal is for members" in response.content, url
    elif role in allowed:
        assert response.status_code in ok, (url, response.status_code)
    else:
        assert response.status_code == 403, (url, role)
