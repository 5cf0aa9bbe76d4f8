import datetime

from django.core.management import call_command

from members.models import MembershipChange, Organization, User


def _counts():
    return (Organization.objects.count(), User.objects.count(), MembershipChange.objects.count())


def test_seed_demo_twice_gives_the_same_counts(db):
    call_command("seed_demo", "--password", "demo-pass-2007")
    first = _counts()
    call_command("seed_demo", "--password", "demo-pass-2007")
    assert _counts() == first


def test_demo_group_matches_the_record(db):
    call_command("seed_demo", "--password", "demo-pass-2007")
    active = Organization.objects.filter(status="active")
    assert set(active.filter(is_cochair=True).values_list("acronym", flat=True)) == {"U.S. Embassy", "UNICEF", "IOM"}
    assert active.filter(kind="mission").count() == 15
    assert active.filter(kind="un_agency").count() == 4
    assert active.filter(kind="ngo").count() >= 2
    invited = set(Organization.objects.filter(status="invited").values_list("country", flat=True))
    assert invited == {"Lebanon", "Saudi Arabia", "Bangladesh", "India", "Pakistan", "Sri Lanka"}
    for name in ("Australian High Commission", "Save the Children Sweden"):
        assert Organization.objects.get(name=name).joined_on > datetime.date(2006, 11, 30)
    assert Organization.objects.get(acronym="U.S. Embassy").joined_on == datetime.date(2006, 11, 9)
    partners = set(Organization.objects.filter(status="partner").values_list("acronym", "name"))
    assert partners >= {("SOLWODI", "Solidarity with Women in Distress")}


def test_demo_sign_ins_work(client, db):
    call_command("seed_demo", "--password", "demo-pass-2007")
    expected = {
        "cochair@usembassy.example": "cochair",
        "cochair@unicef.example": "cochair",
        "secretariat@wgportal.example": "secretariat",
        "member@germany.example": "member",
        "member@sweden.example": "member",
    }
    from members.permissions import role_of

    for email, role in expected.items():
        user = User.objects.get(email=email)
        assert role_of(user).value == role
        assert client.login(email=email, password="demo-pass-2007")
