"""Editors and Moderators may *Translate* pages and terms: until now only administrators
could (simple_translation's own permission), so translators could not make a French version."""

from django.db import migrations

from research_centers.roles import grant_translating


def forwards(apps, schema_editor):
    grant_translating(apps)


class Migration(migrations.Migration):
    dependencies = [
        ("research_centers", "0006_expert_photo_is_decorative"),
        ("simple_translation", "0001_initial"),
    ]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
