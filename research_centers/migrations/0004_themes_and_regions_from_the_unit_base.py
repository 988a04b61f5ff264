"""Centres and programmes declare their themes and regions once, on their shared base
(ResearchUnitPage). Only the reverse names change (theme.researchcenterpage_set...): the link
tables stay as they are, no SQL runs."""

import modelcluster.fields
from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('publications', '0005_search_index_match_index'),
        ('research_centers', '0003_editorial_roles_and_review_workflow'),
    ]

    operations = [
        migrations.AlterField(
            model_name='programmepage',
            name='regions',
            field=modelcluster.fields.ParentalManyToManyField(blank=True, to='publications.region', verbose_name='regions'),
        ),
        migrations.AlterField(
            model_name='programmepage',
            name='themes',
            field=modelcluster.fields.ParentalManyToManyField(blank=True, to='publications.theme', verbose_name='themes'),
        ),
        migrations.AlterField(
            model_name='researchcenterpage',
            name='regions',
            field=modelcluster.fields.ParentalManyToManyField(blank=True, to='publications.region', verbose_name='regions'),
        ),
        migrations.AlterField(
            model_name='researchcenterpage',
            name='themes',
            field=modelcluster.fields.ParentalManyToManyField(blank=True, to='publications.theme', verbose_name='themes'),
        ),
    ]
