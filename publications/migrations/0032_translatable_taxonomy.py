"""Themes, regions, analysis types and series become translatable (TranslatableMixin).

Each existing term becomes the version in the site's default language of a term of its own (a
new translation key): pages keep their terms, and a French version of a term can then be added
with *Translate* in its menu. Names and slugs become unique per language only."""

import django.db.models.deletion
import uuid
from django.conf import settings
from django.db import migrations, models

TERM_MODELS = ("theme", "region", "analysistype", "series")


def give_terms_a_locale_and_key(apps, schema_editor):
    Locale = apps.get_model("wagtailcore", "Locale")
    language = settings.LANGUAGE_CODE
    locale = (
        Locale.objects.filter(language_code=language).first() or Locale.objects.order_by("pk").first()
    )
    for name in TERM_MODELS:
        model = apps.get_model("publications", name)
        terms = list(model.objects.filter(translation_key__isnull=True))
        if not terms:
            continue
        if locale is None:
            locale = Locale.objects.create(language_code=language)
        for term in terms:
            term.locale = locale
            term.translation_key = uuid.uuid4()
        model.objects.bulk_update(terms, ["locale", "translation_key"])


class Migration(migrations.Migration):

    dependencies = [
        ('publications', '0031_harvest_and_decorative_covers'),
        ('wagtailcore', '0098_apitoken'),
    ]

    operations = [
        migrations.AddField(
            model_name='analysistype',
            name='locale',
            field=models.ForeignKey(editable=False, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='wagtailcore.locale', verbose_name='locale'),
        ),
        migrations.AddField(
            model_name='analysistype',
            name='translation_key',
            field=models.UUIDField(editable=False, null=True),
        ),
        migrations.AddField(
            model_name='region',
            name='locale',
            field=models.ForeignKey(editable=False, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='wagtailcore.locale', verbose_name='locale'),
        ),
        migrations.AddField(
            model_name='region',
            name='translation_key',
            field=models.UUIDField(editable=False, null=True),
        ),
        migrations.AddField(
            model_name='series',
            name='locale',
            field=models.ForeignKey(editable=False, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='wagtailcore.locale', verbose_name='locale'),
        ),
        migrations.AddField(
            model_name='series',
            name='translation_key',
            field=models.UUIDField(editable=False, null=True),
        ),
        migrations.AddField(
            model_name='theme',
            name='locale',
            field=models.ForeignKey(editable=False, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='wagtailcore.locale', verbose_name='locale'),
        ),
        migrations.AddField(
            model_name='theme',
            name='translation_key',
            field=models.UUIDField(editable=False, null=True),
        ),
        migrations.RunPython(give_terms_a_locale_and_key, migrations.RunPython.noop),
        migrations.AlterField(
            model_name='analysistype',
            name='locale',
            field=models.ForeignKey(editable=False, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='wagtailcore.locale', verbose_name='locale'),
        ),
        migrations.AlterField(
            model_name='analysistype',
            name='translation_key',
            field=models.UUIDField(default=uuid.uuid4, editable=False),
        ),
        migrations.AlterField(
            model_name='region',
            name='locale',
            field=models.ForeignKey(editable=False, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='wagtailcore.locale', verbose_name='locale'),
        ),
        migrations.AlterField(
            model_name='region',
            name='translation_key',
            field=models.UUIDField(default=uuid.uuid4, editable=False),
        ),
        migrations.AlterField(
            model_name='series',
            name='locale',
            field=models.ForeignKey(editable=False, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='wagtailcore.locale', verbose_name='locale'),
        ),
        migrations.AlterField(
            model_name='series',
            name='translation_key',
            field=models.UUIDField(default=uuid.uuid4, editable=False),
        ),
        migrations.AlterField(
            model_name='theme',
            name='locale',
            field=models.ForeignKey(editable=False, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='wagtailcore.locale', verbose_name='locale'),
        ),
        migrations.AlterField(
            model_name='theme',
            name='translation_key',
            field=models.UUIDField(default=uuid.uuid4, editable=False),
        ),
        migrations.AlterField(
            model_name='analysistype',
            name='name',
            field=models.CharField(max_length=100, verbose_name='name'),
        ),
        migrations.AlterField(
            model_name='analysistype',
            name='slug',
            field=models.SlugField(help_text="The term's address in this language, e.g. securite-et-defense.", max_length=100, verbose_name='slug'),
        ),
        migrations.AlterField(
            model_name='region',
            name='name',
            field=models.CharField(max_length=100, verbose_name='name'),
        ),
        migrations.AlterField(
            model_name='region',
            name='slug',
            field=models.SlugField(help_text="The term's address in this language, e.g. securite-et-defense.", max_length=100, verbose_name='slug'),
        ),
        migrations.AlterField(
            model_name='series',
            name='name',
            field=models.CharField(max_length=200, verbose_name='name'),
        ),
        migrations.AlterField(
            model_name='series',
            name='slug',
            field=models.SlugField(max_length=200, verbose_name='slug'),
        ),
        migrations.AlterField(
            model_name='theme',
            name='name',
            field=models.CharField(max_length=100, verbose_name='name'),
        ),
        migrations.AlterField(
            model_name='theme',
            name='slug',
            field=models.SlugField(help_text="The term's address in this language, e.g. securite-et-defense.", max_length=100, verbose_name='slug'),
        ),
        migrations.AlterUniqueTogether(
            name='analysistype',
            unique_together={('translation_key', 'locale')},
        ),
        migrations.AlterUniqueTogether(
            name='region',
            unique_together={('translation_key', 'locale')},
        ),
        migrations.AlterUniqueTogether(
            name='series',
            unique_together={('translation_key', 'locale')},
        ),
        migrations.AlterUniqueTogether(
            name='theme',
            unique_together={('translation_key', 'locale')},
        ),
        migrations.AddConstraint(
            model_name='analysistype',
            constraint=models.UniqueConstraint(fields=('locale', 'name'), name='pub_analysistype_name_per_locale'),
        ),
        migrations.AddConstraint(
            model_name='analysistype',
            constraint=models.UniqueConstraint(fields=('locale', 'slug'), name='pub_analysistype_slug_per_locale'),
        ),
        migrations.AddConstraint(
            model_name='region',
            constraint=models.UniqueConstraint(fields=('locale', 'name'), name='pub_region_name_per_locale'),
        ),
        migrations.AddConstraint(
            model_name='region',
            constraint=models.UniqueConstraint(fields=('locale', 'slug'), name='pub_region_slug_per_locale'),
        ),
        migrations.AddConstraint(
            model_name='series',
            constraint=models.UniqueConstraint(fields=('locale', 'name'), name='pub_series_name_per_locale'),
        ),
        migrations.AddConstraint(
            model_name='series',
            constraint=models.UniqueConstraint(fields=('locale', 'slug'), name='pub_series_slug_per_locale'),
        ),
        migrations.AddConstraint(
            model_name='theme',
            constraint=models.UniqueConstraint(fields=('locale', 'name'), name='pub_theme_name_per_locale'),
        ),
        migrations.AddConstraint(
            model_name='theme',
            constraint=models.UniqueConstraint(fields=('locale', 'slug'), name='pub_theme_slug_per_locale'),
        ),
    ]
