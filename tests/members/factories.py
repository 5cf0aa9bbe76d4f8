import datetime

import factory
from allauth.account.models import EmailAddress

from members.models import MembershipChange, Organization, User


class OrganizationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organization
        django_get_or_create = ("name",)
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"Embassy of Country {n}")
    acronym = ""
    kind = Organization.Kind.MISSION
    country = factory.Faker("country")
    status = Organization.Status.ACTIVE
    status_changed_on = datetime.date(2006, 11, 9)
    joined_on = factory.LazyAttribute(lambda o: datetime.date(2006, 11, 9) if o.status == "active" else None)
    is_cochair = False

    @factory.post_generation
    def history(obj, create, extracted, **kwargs):
        if create:
            MembershipChange.objects.get_or_create(
                organization=obj, to_status=obj.status, defaults={"changed_on": obj.status_changed_on}
            )


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("email",)
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"person{n}@example.org")
    full_name = factory.Faker("name")
    title = factory.Faker("job")
    organization = factory.SubFactory(OrganizationFactory)
    role = User.Role.MEMBER

    @factory.post_generation
    def password(obj, create, extracted, **kwargs):
        obj.set_password(extracted or "a-long-test-password-2007")
        if create:
            obj.save(update_fields=["password"])
            EmailAddress.objects.get_or_create(user=obj, email=obj.email, defaults={"verified": True, "primary": True})
