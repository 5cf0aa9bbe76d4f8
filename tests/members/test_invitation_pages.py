"""The page for a link that cannot be used: its status says why."""

import pytest
from django.test import RequestFactory

from members.invitation_pages import invitation_dead_response
from members.models import Invitation

Availability = Invitation.Availability


@pytest.mark.parametrize("state, status, words", [
    (Availability.UNKNOWN, 404, b"This invitation link is not valid"),
    (Availability.OTHER_ACCOUNT, 403, b"This invitation is for someone else"),
    (Availability.EXPIRED, 410, b"This invitation has expired"),
    (Availability.REPLACED, 410, b"replaced by a newer one"),
])
def test_dead_link_page_answers_with_the_reason(db, state, status, words):
    request = RequestFactory().get("/members/join/x/")
    response = invitation_dead_response(request, state, None, "x")
    assert response.status_code == status and words in response.content
