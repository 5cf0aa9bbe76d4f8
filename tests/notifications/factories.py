import factory

from notifications.models import Mailing, Message


class MailingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Mailing

    kind = "test"
    subject = factory.Sequence(lambda n: f"Mailing {n}")


class MessageFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Message

    mailing = factory.SubFactory(MailingFactory)
    kind = factory.LazyAttribute(lambda m: m.mailing.kind if m.mailing else "test")
    recipient_email = factory.Sequence(lambda n: f"recipient{n}@example.org")
    recipient_name = factory.Faker("name")
    subject = factory.LazyAttribute(lambda m: m.mailing.subject if m.mailing else "Hello")
    body_text = "Body"
    status = Message.Status.QUEUED
