"""The reading side of publications.facet_index against plain Python: the order of results (days
and years crossed, both directions, any page), the scoring of related analyses, the analyses
published since a date. The index is filled by hand here (its build and patches are tested
through the pages: tests/test_faceted_listing.py, tests/test_visibility.py)."""

import datetime
import random

import pytest
from pyroaring import BitMap

from publications.facet_index import FacetIndex


def random_index(rng, count=3000):
    """An index of ``count`` analyses over about six years, several a day."""
    index = FacetIndex(1, "test")
    dates = {}
    for pk in rng.sample(range(1, 100_000), count):
        date = datetime.date(2019, 1, 1) + datetime.timedelta(days=rng.randrange(6 * 365))
        dates[pk] = date
        index.masks["day"].setdefault(date.toordinal(), BitMap()).add(pk)
        index.masks["year"].setdefault(date.year, BitMap()).add(pk)
    index.everything = BitMap(dates)
    return index, dates


def newest_first(ids, dates):
    """The order the site promises: publication date, then id, both descending."""
    return sorted(ids, key=lambda pk: (dates[pk], pk), reverse=True)


@pytest.mark.parametrize("share", [0.001, 0.05, 0.5, 1.0])
def test_results_come_newest_first_in_any_slice_and_oldest_first_reversed(share):
    rng = random.Random(share)
    index, dates = random_index(rng)
    mask = BitMap(pk for pk in dates if rng.random() < share)
    expected = newest_first(mask, dates)
    for skip, count in [(0, 12), (5, 12), (len(expected) // 2, 30), (len(expected) - 3, 12)]:
        skip = max(skip, 0)
        assert index.ids_at(mask, skip, count) == expected[skip : skip + count]
        assert index.ids_at(mask, skip, count, reverse=True) == expected[::-1][skip : skip + count]
    assert index.ids_at(mask, len(expected), 10) == []
    assert index.ids_at(BitMap(), 0, 10) == []


def test_published_since_is_every_analysis_of_that_day_or_later():
    rng = random.Random(7)
    index, dates = random_index(rng)
    for since in [datetime.date(2018, 1, 1), datetime.date(2021, 3, 5), datetime.date(2030, 1, 1)]:
        assert set(index.published_since(since)) == {pk for pk, d in dates.items() if d >= since}


def test_best_scored_matches_a_brute_force_ranking():
    rng = random.Random(3)
    index, dates = random_index(rng, count=2000)
    ids = list(dates)
    weighted = [
        (BitMap(rng.sample(ids, rng.randrange(1, 600))), rng.randrange(1, 6)) for _ in range(7)
    ]
    within = BitMap(rng.sample(ids, 1500))

    def score(pk):
        return sum(weight for mask, weight in weighted if pk in mask)

    expected = sorted(
        (pk for pk in within if score(pk)),
        key=lambda pk: (score(pk), dates[pk], pk),
        reverse=True,
    )
    assert index.best_scored(weighted, within, 25) == expected[:25]


def test_a_snapshot_reads_back_the_same_index():
    import pickle

    index, dates = random_index(random.Random(11))
    copy = pickle.loads(pickle.dumps(index))
    mask = BitMap(list(dates)[:500])
    assert copy.ids_at(mask, 10, 40) == index.ids_at(mask, 10, 40)
    assert copy.version_key == index.version_key
