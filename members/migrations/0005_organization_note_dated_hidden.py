"""Notes on organizations become dated, signed with the author's organization, and
hideable by the coordinators (the coordination app's partner notes move here in its
0004)."""

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models
from django.utils import timezone


def date_existing_notes(apps, schema_editor):
    """A note written before it had a date is dated the day it was written; its author's
    current organization is the best record of the one they wrote it for."""
    OrganizationNote = apps.get_model("members", "OrganizationNote")
    notes = list(OrganizationNote.objects.select_related("author"))
    for note in notes:
        note.noted_on = timezone.localdate(note.created_at)
        note.updated_at = note.created_at
        note.author_organization_id = note.author.organization_id if note.author else None
    # bulk_update writes the values as set: auto_now would stamp every row with today.
    OrganizationNote.objects.bulk_update(notes, ["noted_on", "updated_at", "author_organization"], batch_size=500)


class Migration(migrations.Migration):

    dependencies = [
        ('members', '0004_organization_iati_identifier'),
    ]

    operations = [
        migrations.AlterModelOptions(
            name='organizationnote',
            options={'ordering': ['-noted_on', '-id']},
        ),
        migrations.AddField(
            model_name='organizationnote',
            name='author_organization',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to='members.organization'),
        ),
        migrations.AddField(
            model_name='organizationnote',
            name='hidden_at',
            field=models.DateTimeField(blank=True, null=True),
        ),
        migrations.AddField(
            model_name='organizationnote',
            name='hidden_by',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL),
        ),
        migrations.AddField(
            model_name='organizationnote',
            name='noted_on',
            field=models.DateField(default=django.utils.timezone.localdate),
        ),
        migrations.AddField(
            model_name='organizationnote',
            name='updated_at',
            field=models.DateTimeField(auto_now=True),
        ),
        migrations.RunPython(date_existing_notes, migrations.RunPython.noop),
    ]
