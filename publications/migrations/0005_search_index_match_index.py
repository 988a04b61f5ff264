"""A GIN index on the expression that Wagtail's PostgreSQL search backend matches a query against
(``title || body`` of its index entries). The backend's own indexes cover ``title`` and ``body``
apart, which that expression cannot use: every search read the whole index table (200 ms at
100,000 analyses, however few the matches). PostgreSQL only; nothing on other databases."""

from django.db import migrations

INDEX_NAME = "pub_search_title_body_gin"


def create_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {INDEX_NAME} "
            "ON wagtailsearch_indexentry USING gin ((title || body))"
        )


def drop_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX_NAME}")


class Migration(migrations.Migration):
    dependencies = [
        ("publications", "0004_pdf_text_related_exclusions_facet_indexes"),
        ("wagtailsearch", "0010_add_text_fields"),
    ]

    operations = [migrations.RunPython(create_index, drop_index)]
