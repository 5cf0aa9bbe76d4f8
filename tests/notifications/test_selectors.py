"""Reads of the outbox: what a mailing is about, and its progress."""

from notifications import selectors
from tests.members.factories import OrganizationFactory
from tests.notifications.factories import MailingFactory, MessageFactory


def test_mailings_for_finds_the_mailings_about_an_object_newest_first(db):
    organization, other = OrganizationFactory(), OrganizationFactory()
    first = MailingFactory(subject_ref=selectors.subject_ref(organization))
    second = MailingFactory(subject_ref=selectors.subject_ref(organization))
    MailingFactory(subject_ref=selectors.subject_ref(other))
    assert selectors.subject_ref(organization) == f"members.organization:{organization.pk}"
    assert list(selectors.mailings_for(organization)) == [second, first]


def test_mailing_progress_counts_each_status(db):
    mailing = MailingFactory()
    MessageFactory.create_batch(2, mailing=mailing, status="sent")
    MessageFactory(mailing=mailing, status="queued")
    MessageFactory(mailing=mailing, status="failed")
    assert selectors.mailing_progress(mailing) == {
        "total": 4, "sent": 2, "queued": 1, "failed": 1, "percent": 50, "done": False,
    }


def test_mailing_messages_filters_by_status(db):
    mailing = MailingFactory()
    failed = MessageFactory(mailing=mailing, status="failed")
    MessageFactory(mailing=mailing, status="sent")
    assert list(selectors.mailing_messages(mailing, status="failed")) == [failed]
    assert selectors.mailing_messages(mailing).count() == 2
