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


def test_demo_joins_follow_who_was_at_the_first_meeting(db):
    from meetings.models import Meeting

    call_command("seed_demo", "--password", "demo-pass-2007")
    first = Meeting.objects.get(number=1)
    present = set(first.attending_organizations.values_list("pk", flat=True))
    founding = Organization.objects.filter(joined_on=datetime.date(2006, 11, 9))
    assert set(founding.values_list("pk", flat=True)) == present
    for acronym in ("UNODC", "ILO", "ANPPCAN"):
        assert Organization.objects.get(acronym=acronym).joined_on > datetime.date(2006, 11, 9)
    assert MembershipChange.objects.filter(organization__acronym="UNODC", to_status="active").get().changed_on \
        == Organization.objects.get(acronym="UNODC").joined_on


def test_demo_pending_invitations_were_sent_days_before_loading(db):
    from django.utils import timezone

    from members.models import Invitation

    call_command("seed_demo", "--password", "demo-pass-2007")
    today = timezone.localdate()
    for invitation in Invitation.objects.filter(status="pending"):
        sent = timezone.localtime(invitation.sent_at).date()
        assert today - datetime.timedelta(days=14) <= sent < today
        assert invitation.state == "pending" and invitation.expires_at > timezone.now()
        assert invitation.organization.status_changed_on == sent


def test_seed_demo_prints_a_summary_and_no_task_logs(db, capsys, caplog):
    import io

    out = io.StringIO()
    call_command("seed_demo", "--password", "demo-pass-2007", stdout=out)
    printed = out.getvalue()
    assert "Demo group loaded: 31 organizations" in printed
    assert "secretariat@wgportal.example" in printed and "demo-pass-2007" in printed
    assert not [r for r in caplog.records if r.name.startswith(("celery", "kombu")) and r.levelname == "INFO"]
    again = io.StringIO()
    call_command("seed_demo", "--password", "demo-pass-2007", stdout=again)
    assert "nothing new" in again.getvalue()
