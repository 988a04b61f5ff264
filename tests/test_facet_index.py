"""The bitmap helpers of publications.facet_index against plain Python, on indexes larger than
one chunk (CHUNK_BITS), where paging and scoring cross chunk boundaries."""

import datetime
import random
from array import array

import pytest

from publications.facet_index import (
    CHUNK_BITS,
    FacetIndex,
    bitmap,
    either,
    set_positions,
)

SIZE = 3 * CHUNK_BITS + 123


def random_positions(rng, share):
    return sorted(p for p in range(SIZE) if rng.random() < share)


def test_bitmap_sets_exactly_the_positions_given():
    positions = [0, 7, 8, CHUNK_BITS - 1, CHUNK_BITS, SIZE - 1]
    mask = bitmap(positions, SIZE)
    assert [p for p in range(SIZE) if mask >> p & 1] == positions
    assert bitmap([], SIZE) == 0
    assert either([bitmap([1], SIZE), bitmap([2], SIZE)]) == bitmap([1, 2], SIZE)
    assert either([]) == 0


@pytest.mark.parametrize("share", [0.0005, 0.01, 0.5, 1.0])
def test_set_positions_pages_through_any_mask_in_both_directions(share):
    rng = random.Random(share)
    positions = random_positions(rng, share)
    mask = bitmap(positions, SIZE)
    for skip, count in [(0, 12), (5, 12), (len(positions) - 3, 12), (len(positions), 12)]:
        assert set_positions(mask, SIZE, skip, count) == positions[skip : skip + count]
        backwards = positions[::-1]
        assert (
            set_positions(mask, SIZE, skip, count, reverse=True) == backwards[skip : skip + count]
        )
    # Every page of 100, as a listing reads them, covers every position once.
    pages = [set_positions(mask, SIZE, skip, 100) for skip in range(0, len(positions), 100)]
    assert [p for page in pages for p in page] == positions


def make_index():
    """An index of SIZE analyses (pk = position + 1000), newest first, one a day."""
    ids = [position + 1000 for position in range(SIZE)]
    newest = datetime.date(2026, 11, 1).toordinal()
    return FacetIndex(
        ids=ids,
        position={pk: at for at, pk in enumerate(ids)},
        everything=(1 << SIZE) - 1,
        themes=[],
        regions=[],
        days=array("l", (newest - at for at in range(SIZE))),
    )


def test_best_scored_matches_a_brute_force_ranking():
    rng = random.Random(5)
    index = make_index()
    terms = [
        (random_positions(rng, share), weight)
        for share, weight in [(0.3, 3), (0.2, 3), (0.1, 2), (0.05, 4), (0.5, 1)]
    ]
    weighted = [(bitmap(positions, SIZE), weight) for positions, weight in terms]
    within_positions = set(random_positions(rng, 0.9))
    within = bitmap(sorted(within_positions), SIZE)

    scores = {}
    for positions, weight in terms:
        for position in positions:
            if position in within_positions:
                scores[position] = scores.get(position, 0) + weight
    expected = sorted(scores, key=lambda position: (-scores[position], position))[:40]

    assert index.best_scored(weighted, within, 40) == [index.ids[p] for p in expected]


def test_published_since_is_the_prefix_of_newer_analyses():
    index = make_index()
    newest = datetime.date(2026, 11, 1)
    assert index.published_since(newest + datetime.timedelta(days=1)) == 0
    assert index.published_since(newest) == 1
    assert index.published_since(newest - datetime.timedelta(days=CHUNK_BITS)) == (
        (1 << (CHUNK_BITS + 1)) - 1
    )
    assert index.published_since(datetime.date(1900, 1, 1)) == index.everything
