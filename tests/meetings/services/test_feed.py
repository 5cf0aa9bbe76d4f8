"""meetings.services.feed: the calendar address."""


import pytest

from meetings import services

pytestmark = pytest.mark.django_db


def test_feed_rotation_revokes_the_old_key(member):
    old = services.feed_create(user=member).key
    assert services.feed_create(user=member).key == old
    assert services.feed_rotate(user=member).key != old
