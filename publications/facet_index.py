"""A bitmap index of the analyses listed by one analyses index page, kept in each app process, so
that the faceted listing filters and counts in memory instead of in SQL.

Why: every facet's counts apply the other facets' filters (publications.listing), so a listing
with filters needs one scope per facet. In SQL that is about ten grouped queries over the whole
table, 30 to 100 ms each at 100,000 analyses. Here each analysis has a position (newest first),
and each facet value a bitmap of the positions it covers, as a Python integer: filtering is an
AND of bitmaps, a count is ``int.bit_count()``, and one page of results is a slice of the set
bits. At 100,000 analyses a bitmap is 12.5 KB and a whole listing (filters, all counts, the page)
takes a few milliseconds; the same code runs on every database.

Freshness: an index is built (a handful of queries over the live, public analyses and their
links) the first time a process needs it under the current content generation
(publications.page_cache), which publishing, unpublishing, moving or deleting any page and saving
a term bumps; so a listing never shows what it would not show when built from the database. The
analyses' cards are always loaded from the database (live and public again), only the page of
them shown.

Memory: a few bitmaps per facet value, the positions' ids and a map back from id to position:
about 30 MB per process at 100,000 analyses.
"""

from dataclasses import dataclass, field

from publications.models import (
    AnalysisAuthor,
    AnalysisPage,
    AnalysisRegion,
    AnalysisResearchUnit,
    AnalysisTheme,
    Region,
    Theme,
)

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

    @property
    def size(self):
        return len(self.ids)

    def of_ids(self, ids):
        """The bitmap of the given analysis pks (those not in the index are left out)."""
        return bitmap((self.position[pk] for pk in ids if pk in self.position), self.size)

    def count(self, mask):
        return mask.bit_count()

    def ids_at(self, mask, skip, count, reverse=False):
        """The pks of the set positions of ``mask``, newest first (oldest first if ``reverse``)."""
        return [self.ids[p] for p in set_positions(mask, self.size, skip, count, reverse)]


def _newest_first(queryset):
    return queryset.order_by("-publication_date", "-first_published_at", "-pk")


def build(analyses):
    """Build the index of the analyses in ``analyses`` (a queryset of live, public AnalysisPage).
    Seven queries, whatever the number of analyses: the analyses, themes, regions and their
    links, centres and programmes, authors, language versions."""
    rows = list(
        _newest_first(analyses).values_list(
            "pk",
            "translation_key",
            "publication_date",
            "analysis_type__slug",
            "analysis_type__name",
            "series__slug",
            "series__name",
        )
    )
    ids = [row[0] for row in rows]
    position = {pk: index for index, pk in enumerate(ids)}
    size = len(ids)
    positions = {
        name: {} for name in ("theme", "region", "type", "series", "unit", "author", "language")
    }
    positions["year"] = {}
    labels = {"type": {}, "series": {}, "unit": {}, "author": {}}

    def add(facet, key, at):
        positions[facet].setdefault(key, []).append(at)

    by_translation_key = {}
    for at, (_pk, key, date, type_slug, type_name, series_slug, series_name) in enumerate(rows):
        by_translation_key.setdefault(key, []).append(at)
        if date is not None:
            add("year", date.year, at)
        if type_slug:
            add("type", type_slug, at)
            labels["type"][type_slug] = type_name
        if series_slug:
            add("series", series_slug, at)
            labels["series"][series_slug] = series_name

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

    # The link tables are read whole (no join with the analyses: cheaper than the join, at the
    # cost of rows of other languages' analyses, dropped here).
    for analysis_id, tag_id in AnalysisTheme.objects.values_list("content_object_id", "tag_id"):
        at = position.get(analysis_id)
        if at is not None:
            add("theme", tag_id, at)
    for analysis_id, tag_id in AnalysisRegion.objects.values_list("content_object_id", "tag_id"):
        at = position.get(analysis_id)
        if at is not None:
            for region_id in lineage.get(tag_id, (tag_id,)):
                add("region", region_id, at)
    for facet, model, link in (
        ("unit", AnalysisResearchUnit, "unit"),
        ("author", AnalysisAuthor, "expert"),
    ):
        for analysis_id, slug, title in model.objects.filter(
            **{f"{link}__isnull": False}
        ).values_list("page_id", f"{link}__slug", f"{link}__title"):
            at = position.get(analysis_id)
            if at is not None:
                add(facet, slug, at)
                labels[facet].setdefault(slug, title)
    # Languages: the analysis is live in that language (this one or a translation of it).
    for key, code in (
        AnalysisPage.objects.filter(live=True)
        .order_by()
        .values_list("translation_key", "locale__language_code")
    ):
        for at in by_translation_key.get(key, ()):
            add("language", code, at)

    return FacetIndex(
        ids=ids,
        position=position,
        everything=(1 << size) - 1,
        themes=themes,
        regions=regions,
        masks={
            facet: {key: bitmap(ats, size) for key, ats in values.items()}
            for facet, values in positions.items()
        },
        labels=labels,
    )


# Built indexes of this process: {key: (generation, FacetIndex)}.
_indexes = {}


def for_index_page(index_page, request=None):
    """The facet index of the live, public analyses below ``index_page``, built at most once per
    content generation in this process."""
    from publications.page_cache import current_generation
    from publications.selectors import analysis_cards

    generation = current_generation(request)
    key = ("index", index_page.pk)
    entry = _indexes.get(key)
    if entry is None or entry[0] != generation:
        # Entries of older generations are stale for good: drop them all.
        for stale in [k for k, (built_at, _index) in _indexes.items() if built_at != generation]:
            del _indexes[stale]
        entry = (generation, build(analysis_cards().child_of(index_page)))
        _indexes[key] = entry
    return entry[1]
