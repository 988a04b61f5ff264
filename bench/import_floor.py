"""The floor of the import benchmark (``bench/imports.py``): what Wagtail itself costs to add and
publish the analyses of a catalogue, with none of the import's work around it.

It reads the benchmark's CSV file with the csv module, finds its terms, experts and centres in
dictionaries, stores each row's PDF (and cover) through the models, and for each batch of
``BATCH`` rows adds the analyses under the analyses index in one transaction with the index
locked, then saves and publishes each one's first revision in another, as the import does
(``index.add_child``, ``page.save_revision()``, ``revision.publish()``), in ``--jobs`` forked
processes, with search indexing and the reference index deferred as the import defers them.
What it leaves out is what the import adds: checking every value and file the way the admin
checks them (the documents' and images' forms, the PDFs' structure), matching names, the
savepoint of each row, the report.

    python bench/import_floor.py CATALOGUE.csv --jobs 2

Run by ``bench/imports.py`` on a database with the skeleton only, as the import's is.
"""

import argparse
import csv
import datetime
import html
import multiprocessing
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
BATCH = 100


def body_blocks(row):
    """The blocks the import makes of the benchmark's body and key points."""
    blocks = [
        {
            "type": "key_points",
            "value": {"heading": "", "points": [p.strip() for p in row["key_points"].split(";")]},
        }
    ]
    for heading, paragraph in re.findall(r"<h2>(.*?)</h2>|(<p>.*?</p>)", row["body"]):
        if heading:
            blocks.append({"type": "heading", "value": heading})
        else:
            blocks.append({"type": "paragraph", "value": paragraph})
    return blocks


class Catalogue:
    """The rows, and what their names stand for in the database."""

    def __init__(self, path):
        from wagtail.models import Collection, Locale

        from publications.models import AnalysisIndexPage, AnalysisType, Region, Series, Theme
        from research_centers.models import ResearchCenterPage

        with open(path, newline="", encoding="utf-8") as handle:
            self.rows = list(csv.DictReader(handle))
        self.folder = Path(path).parent
        self.locale = Locale.objects.get(language_code="en")
        self.index_id = AnalysisIndexPage.objects.get(locale=self.locale).pk
        self.collection = Collection.get_first_root_node()
        self.types = {term.slug: term for term in AnalysisType.objects.all()}
        self.series = {term.name: term for term in Series.objects.all()}
        self.themes = {term.slug: term for term in Theme.objects.all()}
        self.regions = {term.name: term for term in Region.objects.all()}
        self.centres = {page.slug: page for page in ResearchCenterPage.objects.all()}

    def files(self, row):
        """The row's PDF and cover, stored."""
        from django.core.files import File
        from wagtail.documents import get_document_model
        from wagtail.images import get_image_model

        with open(self.folder / row["pdf"], "rb") as handle:
            document = get_document_model()(title=row["title"], collection=self.collection)
            document.file.save(Path(row["pdf"]).name, File(handle), save=False)
            document.save()
        image = None
        if row["cover"]:
            with open(self.folder / row["cover"], "rb") as handle:
                image = get_image_model()(
                    title=row["title"], description=row["cover_alt"], collection=self.collection
                )
                image.file.save(Path(row["cover"]).name, File(handle), save=False)
                image.save()
        return document, image

    def page(self, row):
        """The row's analysis, not saved, with its relations."""
        from django.utils.text import slugify

        from publications.models import (
            AnalysisAuthor,
            AnalysisPage,
            AnalysisRegion,
            AnalysisResearchUnit,
            AnalysisTheme,
        )

        document, image = self.files(row)
        page = AnalysisPage(
            title=row["title"],
            slug=slugify(row["title"]),
            locale=self.locale,
            live=False,
            external_id=row["external_id"],
            subtitle=row["subtitle"],
            publication_date=datetime.date.fromisoformat(row["publication_date"]),
            analysis_type=self.types[row["type"].lower()],
            series=self.series.get(row["series"]),
            series_number=row["series_number"],
            summary=f"<p>{html.escape(row['summary'])}</p>",
            isbn=row["isbn"],
            doi=row["doi"],
            pdf=document,
            cover_image=image,
        )
        page.body = AnalysisPage._meta.get_field("body").stream_block.to_python(body_blocks(row))
        page.theme_items = [
            AnalysisTheme(tag=self.themes[s.strip()]) for s in row["themes"].split(";")
        ]
        page.region_items = [
            AnalysisRegion(tag=self.regions[name.strip()]) for name in row["regions"].split(";")
        ]
        page.research_units = [AnalysisResearchUnit(unit=self.centres[row["centres"]])]
        authors = []
        for author in row["authors"].split(";"):
            author = author.strip()
            if author.startswith("<expert:"):
                authors.append(AnalysisAuthor(expert_id=int(author[8:-1])))
            else:
                name, _, affiliation = author.partition(" (")
                authors.append(AnalysisAuthor(name=name, affiliation=affiliation.rstrip(")")))
        page.authors = authors
        return page


def publish(catalogue, rows):
    """Add and publish ``rows``, batch after batch."""
    from django.db import connections, transaction
    from wagtail.signal_handlers import disable_reference_index_auto_update

    from publications.document_jobs import reading_deferred
    from publications.models import AnalysisIndexPage
    from publications.models.analysis import indexing_deferred

    try:
        with indexing_deferred(), reading_deferred(), disable_reference_index_auto_update():
            for start in range(0, len(rows), BATCH):
                with transaction.atomic():
                    index = AnalysisIndexPage.objects.select_for_update().get(pk=catalogue.index_id)
                    pages = [
                        index.add_child(instance=catalogue.page(row))
                        for row in rows[start : start + BATCH]
                    ]
                with transaction.atomic():
                    for page in pages:
                        page.save_revision().publish()
    finally:
        connections.close_all()


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("catalogue")
    parser.add_argument("--jobs", type=int, default=2)
    args = parser.parse_args()

    import django

    django.setup()
    from django.db import connections

    catalogue = Catalogue(args.catalogue)
    rows = catalogue.rows
    size = -(-len(rows) // args.jobs)
    connections.close_all()
    context = multiprocessing.get_context("fork")
    workers = [
        context.Process(target=publish, args=(catalogue, rows[start : start + size]))
        for start in range(0, len(rows), size)
    ]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    failed = [worker.exitcode for worker in workers if worker.exitcode]
    if failed:
        sys.exit(f"A process failed ({failed})")
    print(f"{len(rows)} rows: {len(rows)} created and published.")


if __name__ == "__main__":
    main()
