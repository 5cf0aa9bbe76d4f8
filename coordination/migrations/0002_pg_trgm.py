"""Trigram similarity of project titles breaks ties between possible duplicates.

``TrigramExtension`` does nothing on databases other than PostgreSQL (SQLite
falls back to a similarity computed in Python).
"""

from django.contrib.postgres.operations import TrigramExtension
from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("coordination", "0001_initial")]

    operations = [TrigramExtension()]
