"""The editorial roles and the review workflow (see research_centers/roles.py and the README):
Editors, Moderators, the "Editorial review" workflow on the root page, and a "Research staff"
group for each centre that already exists (new centres get theirs from a signal)."""

from django.db import migrations

from research_centers import roles


def create_roles(apps, schema_editor):
    roles.ensure_editorial_roles(apps)
    ResearchCenterPage = apps.get_model("research_centers", "ResearchCenterPage")
    # The page in the default locale first, so that the group is named after it.
    for center in ResearchCenterPage.objects.order_by("locale_id", "path"):
        roles.center_staff_group(apps, center)


class Migration(migrations.Migration):

    dependencies = [
        ("research_centers", "0002_centre_people_themes_archiving"),
        ("wagtailcore", "0098_apitoken"),
        ("wagtailimages", "0027_image_description"),
        ("wagtaildocs", "0014_alter_document_file_size"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_roles, migrations.RunPython.noop)]
