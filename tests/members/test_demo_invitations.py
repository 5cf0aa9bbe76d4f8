"""seed_demo's invitations: recorded, never sent, loaded once."""

from django.core.management import call_command

from members.models import Invitation
from members.tasks import invitation_reminders_send
from notifications.models import Message


def test_demo_has_the_invitations_of_the_record_and_sends_nothing(db, mailoutbox):
    call_command("seed_demo", "--password", "demo-pass-2007")
    pending = Invitation.objects.filter(status="pending").select_related("organization")
    assert {i.organization.country for i in pending if i.state == "pending"} == {
        "Lebanon", "Saudi Arabia", "Bangladesh", "India", "Pakistan", "Sri Lanka"}
    assert "contact@lebanon.example" in {i.email for i in pending}
    accepted = {i.organization.name: i
                for i in Invitation.objects.filter(status="accepted").select_related("organization")}
    assert set(accepted) == {"Australian High Commission", "Save the Children Sweden"}
    for _name, invitation in accepted.items():
        assert invitation.responded_at.date() == invitation.organization.joined_on
    assert accepted["Australian High Commission"].responded_at.strftime("%Y-%m") == "2007-01"
    assert accepted["Save the Children Sweden"].responded_at.strftime("%Y-%m") == "2007-02"
    assert accepted["Save the Children Sweden"].accepted_by.email == "member@sweden.example"
    # Other parts of the demo may record mail as already sent; nothing waits to go out.
    assert not Message.objects.filter(kind__startswith="invitation").exists()
    assert not Message.objects.exclude(status="sent").exists()
    rows = Message.objects.count()
    # The demo's pending invitations already had their reminder: the beat sends nothing.
    assert invitation_reminders_send.delay().get() == 0
    assert Message.objects.count() == rows and not mailoutbox

    count = Invitation.objects.count()
    call_command("seed_demo", "--password", "demo-pass-2007")
    assert Invitation.objects.count() == count == 8
