"""The partner notes move to ``members.OrganizationNote`` (one model of notes on
organizations, owned by the app below): every row is copied, then the model goes."""

from django.db import migrations


def copy_partner_notes(apps, schema_editor):
    PartnerNote = apps.get_model("coordination", "PartnerNote")
    OrganizationNote = apps.get_model("members", "OrganizationNote")
    fields = ["organization_id", "author_id", "author_organization_id", "noted_on", "text", "created_at",
              "updated_at", "hidden_at", "hidden_by_id"]
    old = list(PartnerNote.objects.order_by("pk").values(*fields))
    new = OrganizationNote.objects.bulk_create([OrganizationNote(**row) for row in old], batch_size=500)
    # auto_now_add and auto_now stamped the copies with today: give them back their own times.
    for note, row in zip(new, old, strict=True):
        note.created_at, note.updated_at = row["created_at"], row["updated_at"]
    OrganizationNote.objects.bulk_update(new, ["created_at", "updated_at"], batch_size=500)


class Migration(migrations.Migration):

    dependencies = [
        ("coordination", "0003_project_span"),
        ("members", "0005_organization_note_dated_hidden"),
    ]

    operations = [
        # Going back recreates the table empty; the notes stay in members, where nothing is lost.
        migrations.RunPython(copy_partner_notes, migrations.RunPython.noop),
        migrations.DeleteModel(name="PartnerNote"),
    ]
