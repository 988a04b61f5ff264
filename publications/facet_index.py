"""A bitmap index of the analyses listed by one analyses index page, kept in each app process, so
that the faceted listing filters and counts in memory instead of in SQL. The related analyses
(publications.selectors) are scored on it too, and the analyses of a centre, a programme or an
expert (research_centers.selectors) are found on it.

Why: every facet's counts apply the other facets' filters (publications.listing), so a listing
with filters needs one scope per facet. In SQL that is about ten grouped queries over the whole
table, 30 to 100 ms each at 100,000 analyses. Here each analysis has a position (newest first),
and each facet value a bitmap of the positions it covers, as a Python integer: filtering is an
AND of bitmaps, a count is ``int.bit_count()``, and one page of results is a slice of the set
bits. At 100,000 analyses a bitmap is 12.5 KB and a whole listing (filters, all counts, the page)
takes a few milliseconds; the same code runs on every database.

Freshness: an index is built (a fixed number of queries over the live, public analyses and their
links) by the first process that needs it under the current content generation
(publications.page_cache), which publishing, unpublishing, moving or deleting any page and saving
a term bumps, and left in the shared cache for the other processes; so a listing never shows what
it would not show when built from the database. The analyses' cards are always loaded from the
database (live and public again), only the page of them shown.

Memory: a bitmap per facet value, the positions' ids and dates, and a map back from id to
position: about 20 MB per process at 100,000 analyses (60 MB at the peak of a build), and 7 MB
in the shared cache.
"""

import datetime
import os
import time
from array import array
from dataclasses import dataclass, field

from django.conf import settings
from django.db import connection
from django.db.models import Exists, OuterRef
from wagtail.models import Page

from publications.models import (
    AnalysisAuthor,
    AnalysisPage,
    AnalysisRegion,
    AnalysisResearchUnit,
    AnalysisTheme,
    AnalysisType,
    Region,
    Series,
    Theme,
)

# The shape of a FacetIndex in the shared cache: change it with the class, so that processes of a
# new release never read an index pickled by the previous one under the same generation.
FORMAT = 1
# How long a built index stays in the shared cache (a new content generation makes it stale at
# once; this only bounds how long an unused one takes room).
SHARED_TIMEOUT = 24 * 3600
# While one process builds an index, the others wait for it (polling the shared cache) up to
# BUILD_WAIT seconds; its lock expires after BUILD_LOCK_TIMEOUT if that process dies.
BUILD_WAIT = 10
BUILD_POLL = 0.05
BUILD_LOCK_TIMEOUT = 60
# Bits are read back a chunk at a time: the count of each chunk says whether to look inside it.
CHUNK_BITS = 4096
_CHUNK_MASK = (1 << CHUNK_BITS) - 1


def bitmap(positions, size):
    """The bitmap (an int) with the given positions set. Linear in ``size`` (setting bits one by
    one on an int would copy it each time)."""
    buffer = bytearray((size + 7) // 8)
    for position in positions:
        buffer[position >> 3] |= 1 << (position & 7)
    return int.from_bytes(buffer, "little")


def set_positions(mask, size, skip, count, reverse=False):
    """The positions of the set bits of ``mask``, in ascending order (descending if ``reverse``),
    after skipping the first ``skip`` of them, at most ``count``."""
    found = []
    offsets = range(0, size, CHUNK_BITS)
    for offset in reversed(offsets) if reverse else offsets:
        chunk = (mask >> offset) & _CHUNK_MASK
        if not chunk:
            continue
        ones = chunk.bit_count()
        if skip >= ones:
            skip -= ones
            continue
        digits = bin(chunk)[:1:-1]  # least significant bit first
        positions = [offset + i for i, digit in enumerate(digits) if digit == "1"]
        if reverse:
            positions.reverse()
        found += positions[skip : skip + count - len(found)]
        skip = 0
        if len(found) >= count:
            break
    return found


def either(masks):
    """The OR of some bitmaps (0 for none)."""
    result = 0
    for mask in masks:
        result |= mask
    return result


@dataclass
class FacetIndex:
    ids: list  # analysis pk at each position, newest first
    position: dict  # analysis pk -> position
    everything: int  # every position
    themes: list  # every Theme (pk, name, slug, description)
    regions: list  # every Region (pk, name, slug, parent_id, description)
    # Facet name -> {value: bitmap}. Themes and regions by pk (a region's bitmap covers its
    # parts), type, series, unit and author by slug, language by code, year by year.
    masks: dict = field(default_factory=dict)
    # Facet name -> {slug: label}, for type, series, unit and author.
    labels: dict = field(default_factory=dict)
    # The publication date of each position, as a day number (date.toordinal()): newest first.
    days: array = field(default_factory=lambda: array("l"))

    @property
    def size(self):
        return len(self.ids)

    def __getstate__(self):
        # The id -> position map is rebuilt on loading: faster than reading it from the cache.
        return {**self.__dict__, "position": None}

    def __setstate__(self, state):
        self.__dict__.update(state)
        self.position = {pk: at for at, pk in enumerate(self.ids)}

    def of_ids(self, ids):
        """The bitmap of the given analysis pks (those not in the index are left out)."""
        return bitmap((self.position[pk] for pk in ids if pk in self.position), self.size)

    def ids_at(self, mask, skip, count, reverse=False):
        """The pks of the set positions of ``mask``, newest first (oldest first if ``reverse``)."""
        return [self.ids[p] for p in set_positions(mask, self.size, skip, count, reverse)]

    def published_since(self, date):
        """The bitmap of the analyses published on ``date`` or later: the first positions."""
        day, low, high = date.toordinal(), 0, len(self.days)
        while low < high:  # the first position published before ``day``
            middle = (low + high) // 2
            if self.days[middle] >= day:
                low = middle + 1
            else:
                high = middle
        return (1 << low) - 1

    def best_scored(self, weighted, within, count):
        """The pks of the ``count`` analyses of ``within`` with the highest score, best first
        (newest first at equal scores). ``weighted``: (bitmap, weight) pairs; an analysis scores
        the weights of the bitmaps it is in. The scores are added up for every analysis at once,
        as binary counters whose bit ``i`` is a bitmap (``digits[i]``), with carries."""
        digits = []
        for mask, weight in weighted:
            mask &= within
            for bit in range(weight.bit_length()):
                if not weight >> bit & 1:
                    continue
                carry, at = mask, bit
                while carry:
                    while len(digits) <= at:
                        digits.append(0)
                    digits[at], carry = digits[at] ^ carry, digits[at] & carry
                    at += 1
        found = []
        for score in range((1 << len(digits)) - 1, 0, -1):
            scored = within
            for at, digit in enumerate(digits):
                scored &= digit if score >> at & 1 else ~digit
                if not scored:
                    break
            if scored:
                found += self.ids_at(scored, 0, count - len(found))
                if len(found) >= count:
                    break
        return found


def _newest_first(queryset):
    return queryset.order_by("-publication_date", "-first_published_at", "-pk")


def _fetch(queryset):
    """Every row of a ``values_list`` queryset in one round trip, as the database driver gives
    them (Django's iterator reads 100 rows a trip and converts each value: several times slower
    for the hundreds of thousands of rows of an index)."""
    sql, params = queryset.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def _bitmaps(pairs, size):
    """{key: bitmap} from (position, key) pairs."""
    length = (size + 7) // 8
    buffers = {}
    for at, key in pairs:
        buffer = buffers.get(key)
        if buffer is None:
            buffer = buffers[key] = bytearray(length)
        buffer[at >> 3] |= 1 << (at & 7)
    return {key: int.from_bytes(buffer, "little") for key, buffer in buffers.items()}


def build(analyses):
    """Build the index of the analyses in ``analyses`` (a queryset of live, public AnalysisPage).
    Eleven queries, whatever the number of analyses: the analyses (with the languages each is
    live in), the types, series, themes and regions, the links to themes, to regions, to centres
    and programmes and those pages, to authors and those pages. About a second at 100,000
    analyses."""
    languages = [code for code, _name in settings.LANGUAGES]
    rows = _fetch(
        _newest_first(analyses)
        .annotate(
            # Live in each language: this analysis or one of its translations.
            **{
                f"in_{at}": Exists(
                    AnalysisPage.objects.filter(
                        live=True,
                        translation_key=OuterRef("translation_key"),
                        locale__language_code=code,
                    )
                )
                for at, code in enumerate(languages)
            },
        )
        .values_list(
            "pk",
            "publication_date",
            "analysis_type_id",
            "series_id",
            *(f"in_{at}" for at in range(len(languages))),
        )
    )
    ids = [row[0] for row in rows]
    position = {pk: at for at, pk in enumerate(ids)}
    size = len(ids)
    # The driver gives a date (PostgreSQL) or its ISO text (SQLite).
    dates = [
        row[1] if isinstance(row[1], datetime.date) else datetime.date.fromisoformat(row[1])
        for row in rows
    ]
    types = {
        pk: (slug, name)
        for pk, slug, name in AnalysisType.objects.values_list("pk", "slug", "name")
    }
    series = {
        pk: (slug, name) for pk, slug, name in Series.objects.values_list("pk", "slug", "name")
    }
    masks = {
        "year": _bitmaps(((at, date.year) for at, date in enumerate(dates)), size),
        "type": _bitmaps(
            ((at, types[row[2]][0]) for at, row in enumerate(rows) if row[2] in types), size
        ),
        "series": _bitmaps(
            ((at, series[row[3]][0]) for at, row in enumerate(rows) if row[3] in series), size
        ),
        "language": _bitmaps(
            (
                (at, code)
                for at, row in enumerate(rows)
                for code, live in zip(languages, row[4:], strict=True)
                if live
            ),
            size,
        ),
    }
    labels = {
        "type": dict(types.values()),
        "series": dict(series.values()),
        "unit": {},
        "author": {},
    }

    themes = list(Theme.objects.only("pk", "name", "slug", "description"))
    regions = list(Region.objects.only("pk", "name", "slug", "parent_id", "description"))
    # A region's bitmap covers its parts: each link counts for the region and its ancestors.
    parent_of = {region.pk: region.parent_id for region in regions}
    lineage = {}
    for region in regions:
        chain, current = [], region.pk
        while current is not None and current not in chain:
            chain.append(current)
            current = parent_of.get(current)
        lineage[region.pk] = chain

    # The link tables are read whole, without a join to the analyses (cheaper than the join);
    # the rows of analyses outside the index (other languages, drafts) are dropped here.
    links = _fetch(AnalysisTheme.objects.values_list("content_object_id", "tag_id"))
    masks["theme"] = _bitmaps(((position[pk], tag) for pk, tag in links if pk in position), size)
    links = _fetch(AnalysisRegion.objects.values_list("content_object_id", "tag_id"))
    masks["region"] = _bitmaps(
        (
            (position[pk], region_id)
            for pk, tag in links
            if pk in position
            for region_id in lineage.get(tag, (tag,))
        ),
        size,
    )
    # Centres, programmes and authors: the links name pages (in any language); the facets
    # name them by slug, and the centre and expert pages find theirs by translation key.
    for facet, model, link in (
        ("unit", AnalysisResearchUnit, "unit_id"),
        ("author", AnalysisAuthor, "expert_id"),
    ):
        links = _fetch(
            model.objects.filter(**{f"{link}__isnull": False})
            .order_by()
            .values_list("page_id", link)
        )
        by_page = _bitmaps(((position[pk], page) for pk, page in links if pk in position), size)
        named = Page.objects.filter(pk__in={page for _pk, page in links}).order_by()
        slug_masks, key_masks = {}, {}
        for page, key, slug, title in named.values_list("pk", "translation_key", "slug", "title"):
            labels[facet].setdefault(slug, title)
            mask = by_page.get(page, 0)
            slug_masks[slug] = slug_masks.get(slug, 0) | mask
            key_masks[str(key)] = key_masks.get(str(key), 0) | mask
        masks[facet], masks[f"{facet}_key"] = slug_masks, key_masks
    return FacetIndex(
        ids=ids,
        position=position,
        everything=(1 << size) - 1,
        themes=themes,
        regions=regions,
        masks=masks,
        labels=labels,
        days=array("l", (date.toordinal() for date in dates)),
    )


# Built indexes of this process: {key: (generation, FacetIndex)}.
_indexes = {}


def for_index_page(index_page, request=None):
    """The facet index of the live, public analyses below ``index_page`` under the current
    content generation: from this process's memory, else from the shared cache (where the
    first process to need it after a publish leaves it: one build per generation for the whole
    site, not one per process), else built."""
    from publications.page_cache import cache_get, current_generation, generation_key

    generation = current_generation(request)
    key = ("index", index_page.pk)
    entry = _indexes.get(key)
    if entry is not None and entry[0] == generation:
        return entry[1]
    # Entries of older generations are stale for good: drop them all.
    for stale in [k for k, (built_at, _index) in _indexes.items() if built_at != generation]:
        del _indexes[stale]
    shared_key = generation_key(request, "facet-index", FORMAT, index_page.pk)
    index = cache_get(shared_key)
    if not isinstance(index, FacetIndex):
        index = _build_once(index_page, shared_key)
    _indexes[key] = (generation, index)
    return index


def _build_once(index_page, shared_key):
    """Build the index and leave it in the shared cache, unless another process is building
    it already (a lock in the shared cache): then wait for its result, at most BUILD_WAIT
    seconds, rather than have every process of every server build the same index at once
    after a publish (a second of CPU and 60 MB each at 100,000 analyses)."""
    from django.core.cache import cache

    from publications.page_cache import cache_get, cache_set
    from publications.selectors import analysis_cards

    lock_key = f"{shared_key}:building"
    try:
        building_elsewhere = not cache.add(lock_key, os.getpid(), timeout=BUILD_LOCK_TIMEOUT)
    except Exception:  # noqa: BLE001 - cache unreachable: build here
        building_elsewhere = False
    if building_elsewhere:
        deadline = time.monotonic() + BUILD_WAIT
        while time.monotonic() < deadline:
            time.sleep(BUILD_POLL)
            index = cache_get(shared_key)
            if isinstance(index, FacetIndex):
                return index
        # The other process is too slow, or died: build here.
    try:
        index = build(analysis_cards().child_of(index_page))
        cache_set(shared_key, index, lifetime=SHARED_TIMEOUT)
        return index
    finally:
        if not building_elsewhere:
            try:
                cache.delete(lock_key)
            except Exception:  # noqa: BLE001 - it expires by itself
                pass
