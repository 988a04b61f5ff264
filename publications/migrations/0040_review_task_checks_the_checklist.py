# The "Editorial review" workflow's review task becomes a group approval that checks the
# pre-publication checklist, in place (research_centers.roles.review_with_the_checklist). Its
# own migration: on PostgreSQL, reversing it and dropping the new table cannot share one
# transaction.

from django.db import migrations

from research_centers import roles


def review_with_the_checklist(apps, schema_editor):
    roles.review_with_the_checklist(apps)


def review_without_the_checklist(apps, schema_editor):
    roles.review_without_the_checklist(apps)


class Migration(migrations.Migration):

    dependencies = [
        ('contenttypes', '0002_remove_content_type_name'),
        ('publications', '0039_checklist_approval_task'),
        ('research_centers', '0003_editorial_roles_and_review_workflow'),
    ]

    operations = [
        migrations.RunPython(review_with_the_checklist, review_without_the_checklist),
    ]
