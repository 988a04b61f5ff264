"""Fill a PostgreSQL database with N analyses, fast: the page tree's materialised paths are
computed here and the rows written with bulk_create (pages) and COPY (the analysis table, which
Django cannot bulk-create because it inherits from Page), then the taxonomy links, authors and
research units in bulk, then the search index in batches.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/pub_bench python bench/seed.py --count 10000

The database must be migrated and empty of content (bench/run.py creates a fresh one). The site
skeleton (home, analyses index, centres, experts, taxonomy) is made through the ordinary models.
"""

import argparse
import datetime
import os
import random
import sys
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# The checkout to seed: this one, or another that bench/run.py --app-dir names (an older commit
# without this file's latest version), whose code must be imported rather than this one's.
sys.path.insert(0, os.environ.get("BENCH_APP_DIR") or str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.dev")

WORDS = (
    "energy transition security diplomacy cities climate trade migration africa europe asia "
    "maritime cyber nuclear governance water food health finance debt sanctions alliances "
    "elections democracy technology space arctic sahel indo-pacific china russia india brazil "
    "supply chains industry critical minerals hydrogen gas oil grids defence budget strategy"
).split()
THEMES = 20
REGIONS = 30
CENTRES = 10
EXPERTS = 200
BATCH = 5000


def progress(label, done, total, started):
    width = 30
    filled = int(width * done / max(total, 1))
    rate = done / max(time.monotonic() - started, 1e-6)
    sys.stderr.write(
        f"\r{label:<16} [{'#' * filled}{'.' * (width - filled)}] {done:>7}/{total} {rate:8.0f}/s"
    )
    if done >= total:
        sys.stderr.write("\n")
    sys.stderr.flush()


def title_for(rng, n):
    words = rng.sample(WORDS, 5)
    return f"{' '.join(words).capitalize()} ({n})"


def skeleton(rng):
    """Home, analyses index, centres index, centres and experts, taxonomy: through the models."""
    from wagtail.models import Locale, Page, Site

    from publications.models import (
        AnalysisIndexPage,
        AnalysisType,
        HomePage,
        Region,
        Series,
        Theme,
    )
    from research_centers.models import (
        ExpertPage,
        ResearchCenterPage,
        ResearchCentersIndexPage,
    )

    english = Locale.objects.get_or_create(language_code="en")[0]
    Locale.objects.get_or_create(language_code="fr")
    root = Page.get_first_root_node()
    site = Site.objects.get(is_default_site=True)
    welcome = site.root_page
    Page.objects.filter(pk=welcome.pk).update(slug="wagtail-welcome")
    home = root.add_child(instance=HomePage(title="Home", slug="home", locale=english))
    site.root_page = home
    site.hostname = "127.0.0.1"
    site.save()
    welcome.delete()
    analyses = home.add_child(
        instance=AnalysisIndexPage(
            title="Analyses", slug="analyses", locale=english, show_in_menus=True
        )
    )
    centres_index = home.add_child(
        instance=ResearchCentersIndexPage(
            title="Research centers", slug="research", locale=english, show_in_menus=True
        )
    )
    centres = [
        centres_index.add_child(
            instance=ResearchCenterPage(
                title=f"Centre for {WORDS[i].capitalize()} Studies",
                slug=f"centre-{i}",
                locale=english,
            )
        )
        for i in range(CENTRES)
    ]
    experts = []
    for i in range(EXPERTS):
        centre = centres[i % CENTRES]
        experts.append(
            centre.add_child(
                instance=ExpertPage(
                    title=f"Expert {i} {rng.choice(WORDS).capitalize()}",
                    slug=f"expert-{i}",
                    role="Research fellow",
                    locale=english,
                )
            )
        )
    themes = [
        Theme.objects.create(name=f"Theme {w} {i}", slug=f"theme-{i}")
        for i, w in enumerate(WORDS[:THEMES])
    ]
    regions = [
        Region.objects.create(name=f"Region {i}", slug=f"region-{i}") for i in range(REGIONS)
    ]
    types = [
        AnalysisType.objects.get_or_create(slug=slug, defaults={"name": slug.title()})[0]
        for slug in ("note", "study", "policy-brief", "report", "book")
    ]
    series = [Series.objects.create(name=f"Series {i}", slug=f"series-{i}") for i in range(5)]
    return home, analyses, centres, experts, themes, regions, types, series, english


def bulk_analyses(count, rng, analyses, centres, experts, themes, regions, types, series, locale):
    from django.contrib.contenttypes.models import ContentType
    from django.db import connection, transaction
    from django.utils import timezone
    from wagtail.models import Page

    from publications.models import AnalysisPage
    from publications.models.analysis import AnalysisAuthor, AnalysisResearchUnit
    from publications.models.taxonomy import AnalysisRegion, AnalysisTheme

    content_type = ContentType.objects.get_for_model(AnalysisPage)
    alphabet, steplen = Page.alphabet, Page.steplen
    local_fields = [f for f in AnalysisPage._meta.local_concrete_fields]
    columns = [f.column for f in local_fields]
    now = timezone.now()
    start_date = datetime.date(2000, 1, 1)

    # The analyses are children of one page: their path steps (steplen characters of the
    # alphabet: 36 ** 4 = 1,679,616 with treebeard's defaults) must number them all.
    if count >= len(alphabet) ** steplen:
        sys.exit(f"{count} children of one page do not fit {steplen}-character path steps")

    def step(n):
        digits = ""
        for _ in range(steplen):
            n, r = divmod(n, len(alphabet))
            digits = alphabet[r] + digits
        return digits

    started = time.monotonic()
    done = 0
    for offset in range(0, count, BATCH):
        size = min(BATCH, count - offset)
        with transaction.atomic():
            pages = []
            for i in range(offset, offset + size):
                slug = f"analysis-{i + 1}"
                title = title_for(rng, i + 1)
                published = now - datetime.timedelta(minutes=count - i)
                pages.append(
                    Page(
                        path=analyses.path + step(i + 1),
                        depth=analyses.depth + 1,
                        numchild=0,
                        title=title,
                        draft_title=title,
                        slug=slug,
                        url_path=f"{analyses.url_path}{slug}/",
                        content_type=content_type,
                        locale=locale,
                        translation_key=uuid.uuid4(),
                        live=True,
                        has_unpublished_changes=False,
                        first_published_at=published,
                        last_published_at=published,
                        show_in_menus=False,
                    )
                )
            Page.objects.bulk_create(pages, batch_size=BATCH)
            rows = []
            for page in pages:
                n = int(page.slug.rsplit("-", 1)[1])
                instance = AnalysisPage(
                    page_ptr_id=page.pk,
                    subtitle="",
                    publication_date=start_date + datetime.timedelta(days=n * 9131 // count),
                    analysis_type=types[n % len(types)],
                    series=series[n % len(series)] if n % 3 == 0 else None,
                    series_number=str(n) if n % 3 == 0 else "",
                    summary=f"<p>{title_for(rng, n)}. {' '.join(rng.sample(WORDS, 20))}.</p>",
                )
                rows.append(
                    [
                        f.get_db_prep_save(f.pre_save(instance, True), connection)
                        for f in local_fields
                    ]
                )
            with connection.cursor() as cursor:
                raw = cursor.cursor  # psycopg 3
                with raw.copy(
                    f"COPY {AnalysisPage._meta.db_table} ({', '.join(columns)}) FROM STDIN"
                ) as copy:
                    for row in rows:
                        copy.write_row(row)
            theme_links, region_links, authors, units = [], [], [], []
            for page in pages:
                for theme in rng.sample(themes, 2):
                    theme_links.append(AnalysisTheme(content_object_id=page.pk, tag=theme))
                for region in rng.sample(regions, 2):
                    region_links.append(AnalysisRegion(content_object_id=page.pk, tag=region))
                for order, expert in enumerate(rng.sample(experts, 2)):
                    authors.append(AnalysisAuthor(page_id=page.pk, expert=expert, sort_order=order))
                units.append(
                    AnalysisResearchUnit(page_id=page.pk, unit=rng.choice(centres), sort_order=0)
                )
            AnalysisTheme.objects.bulk_create(theme_links, batch_size=BATCH)
            AnalysisRegion.objects.bulk_create(region_links, batch_size=BATCH)
            AnalysisAuthor.objects.bulk_create(authors, batch_size=BATCH)
            AnalysisResearchUnit.objects.bulk_create(units, batch_size=BATCH)
        done += size
        progress("analyses", done, count, started)
    Page.objects.filter(pk=analyses.pk).update(numchild=count)


def search_index():
    """Wagtail's database search index for the analyses, written in SQL in one statement (the
    backend's own indexing runs at about 30 objects/s): the same columns the PostgreSQL backend
    writes, with the title weighted "A" (AnalysisPage's title boost) and a body of the summary
    (weighted "B", its boost) and the themes."""
    from django.contrib.contenttypes.models import ContentType
    from django.db import connection

    from publications.models import AnalysisPage

    started = time.monotonic()
    content_type = ContentType.objects.get_for_model(AnalysisPage)
    with connection.cursor() as cursor:
        cursor.execute(
            """
            INSERT INTO wagtailsearch_indexentry
                (object_id, title_norm, content_type_id, autocomplete, title, body,
                 title_text, body_text)
            SELECT p.id::text, 1.0, %s, to_tsvector('simple', p.title),
                   setweight(to_tsvector('english', p.title), 'A'),
                   setweight(to_tsvector('english', b.summary), 'B')
                       || to_tsvector('english', b.terms),
                   p.title, b.summary || ' ' || b.terms
            FROM wagtailcore_page p
            JOIN (
                SELECT a.page_ptr_id AS id,
                       regexp_replace(a.summary, '<[^>]+>', ' ', 'g') AS summary,
                       coalesce((
                           SELECT string_agg(t.name, ' ')
                           FROM publications_analysistheme at
                           JOIN publications_theme t ON t.id = at.tag_id
                           WHERE at.content_object_id = a.page_ptr_id), '') AS terms
                FROM publications_analysispage a
            ) b ON b.id = p.id
            ON CONFLICT (content_type_id, object_id) DO NOTHING
            """,
            [content_type.pk],
        )
        written = cursor.rowcount
    sys.stderr.write(f"search index: {written} entries in {time.monotonic() - started:.0f} s\n")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=5)
    parser.add_argument("--no-search-index", action="store_true")
    args = parser.parse_args()

    import django

    django.setup()
    rng = random.Random(args.seed)
    started = time.monotonic()
    parts = skeleton(rng)
    sys.stderr.write(f"site skeleton in {time.monotonic() - started:.0f} s\n")
    home, analyses, centres, experts, themes, regions, types, series, english = parts
    bulk_analyses(
        args.count, rng, analyses, centres, experts, themes, regions, types, series, english
    )
    if not args.no_search_index:
        search_index()
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    sys.stderr.write(f"seeded {args.count} analyses in {time.monotonic() - started:.0f} s\n")


if __name__ == "__main__":
    main()
