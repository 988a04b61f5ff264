"""What "Did you mean ...?" needs on PostgreSQL (publications.spelling): the pg_trgm extension and
a trigram index on the pages' titles. A GiST index, not a GIN one: it gives the titles nearest to
a word first (``ORDER BY 'diplomcy' <<-> title LIMIT 10``), where a GIN index would give every
title holding a similar word (a tenth of them for a common word), each to compare. On SQLite
nothing: TrigramExtension does nothing on another database, nor does the index below, and the
corrections take a portable way there."""

from django.contrib.postgres.operations import TrigramExtension
from django.db import migrations

INDEX_NAME = "pub_page_title_trgm"


def create_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {INDEX_NAME} "
            "ON wagtailcore_page USING gist (title gist_trgm_ops)"
        )


def drop_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX_NAME}")


class Migration(migrations.Migration):
    dependencies = [
        ("publications", "0035_home_site_identity"),
        ("wagtailcore", "0098_apitoken"),
    ]

    operations = [
        TrigramExtension(),
        migrations.RunPython(create_index, drop_index),
    ]
