"""The meeting invitation model becomes ``Rsvp`` (members has its own ``Invitation``).

RenameModel renames the table and keeps every row; the related names change with it.
"""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ("members", "0001_initial"),
        ("meetings", "0001_initial"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RenameModel(old_name="Invitation", new_name="Rsvp"),
        migrations.AlterField(
            model_name="rsvp",
            name="meeting",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.CASCADE, related_name="rsvps", to="meetings.meeting"
            ),
        ),
        migrations.AlterField(
            model_name="rsvp",
            name="user",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="meeting_rsvps",
                to=settings.AUTH_USER_MODEL,
            ),
        ),
    ]
