"""“Did you mean …?”: the correction of a search query that found nothing or little, drawn only
from what readers can see, in the language searched: the words of the public analyses' titles,
and the names of the themes and regions that public analyses have, of the public centres,
programmes and experts.

Each word of the query (letters only, three or more) that is none of those words is replaced by
the most similar one, by trigram similarity (PostgreSQL's pg_trgm measure, computed here: the
share of three-letter pieces two words have in common; "diplomcy" and "diplomacy" share 7 of
12), if one is similar enough. Where the words come from:

- PostgreSQL: for each word of the query, the ten public titles holding the most similar words,
  by pg_trgm's word similarity (``TrigramWordDistance``: nearest first, which the trigram GiST
  index on titles answers without reading every title; migration 0032). One query, whatever
  the number of words.
- SQLite, which has no trigram search: the newest ``SQLITE_TITLES`` public titles. One query too;
  a simpler fallback for development and the demo (production runs on PostgreSQL), which can
  miss a word found only in older titles.
- The names: the facet index, which holds them with what is public (no query).

Only public pages are read (``publications.visibility.public``, in the query itself): a draft's
title, or a private analysis's theme, never becomes a suggestion. A correction found is kept under
the content generation, like a ranked search.
"""

import hashlib
import re
from collections import Counter

from django.contrib.postgres.search import TrigramWordDistance
from django.db import connection

from publications.listing import clean_query
from publications.models import AnalysisPage
from publications.page_cache import cached
from publications.visibility import public

MIN_WORD_LENGTH = 3  # shorter words are left as typed
MAX_WORDS = 5  # words of a query that are checked; the others are left as typed
TITLES_PER_WORD = 10  # PostgreSQL: the titles read for each word checked
SQLITE_TITLES = 2000  # SQLite: the newest public titles read
MIN_SIMILARITY = 0.3  # pg_trgm's own default threshold ("sahle" and "sahel": 0.33)
WORD = re.compile(r"[^\W\d_]+")  # a run of letters


def trigrams(word):
    """The trigrams of one word as pg_trgm makes them: lower case, two spaces before, one after."""
    padded = f"  {word.lower()} "
    return {padded[i : i + 3] for i in range(len(padded) - 2)}


def similarity(first, second):
    """pg_trgm's ``similarity`` of two words: shared trigrams over all their trigrams."""
    a, b = trigrams(first), trigrams(second)
    shared = len(a & b)
    return shared / (len(a) + len(b) - shared) if a or b else 0.0


def words_to_check(query):
    """The distinct words of the query that a correction may replace, in order, at most
    ``MAX_WORDS``."""
    seen = []
    for word in WORD.findall(query):
        word = word.lower()
        if len(word) >= MIN_WORD_LENGTH and word not in seen:
            seen.append(word)
    return seen[:MAX_WORDS]


def correction(query, locale_id, index, request=None):
    """The query with its misspelt words corrected, or None when it has none, or when no word
    readers can see is similar enough. ``index``: the current facet index (for the names)."""
    query = clean_query(query)
    words = words_to_check(query)
    if not words:
        return None

    def compute():
        vocabulary = Counter()
        for text in _names(index, locale_id) + _titles(words, locale_id, request):
            vocabulary.update({word.lower(): 1 for word in WORD.findall(text)})
        corrected = corrected_query(query, words, vocabulary)
        return corrected if corrected != query else None

    digest = hashlib.sha256(f"{locale_id}:{query}".encode("utf-8", "surrogateescape")).hexdigest()
    return cached(request, ("did-you-mean", digest), compute)


def corrected_query(query, words, vocabulary):
    """``query`` with each of ``words`` that ``vocabulary`` (a Counter of lower-case words) does
    not hold replaced by its most similar word in it (the more frequent on a tie), when that is
    at least ``MIN_SIMILARITY`` similar. The separators and the other words are kept as typed; a
    word typed in lower case is corrected in lower case, otherwise capitalised."""
    replacements = {}
    for word in words:
        if word in vocabulary:
            continue
        score, _count, best = max(
            ((similarity(word, known), count, known) for known, count in vocabulary.items()),
            default=(0.0, 0, None),
        )
        if best is not None and score >= MIN_SIMILARITY:
            replacements[word] = best

    def replace(match):
        typed = match.group(0)
        best = replacements.get(typed.lower())
        if best is None:
            return typed
        return best if typed.islower() else best.capitalize()

    return WORD.sub(replace, query)


def _titles(words, locale_id, request):
    """The public analyses' titles in which the words to check are looked for (one query)."""
    scope = public(AnalysisPage.objects.filter(locale_id=locale_id), request).order_by()
    if connection.vendor != "postgresql":
        return list(
            scope.order_by("-first_published_at").values_list("title", flat=True)[:SQLITE_TITLES]
        )
    # Each word's nearest titles, in one query (a UNION ALL): ordered by pg_trgm's word distance
    # (`word <<-> title`, 1 - word similarity), which the trigram GiST index on titles answers
    # nearest first, without comparing the word with every title.
    parts = [
        scope.annotate(distance=TrigramWordDistance(word, "title"))
        .order_by("distance")
        .values_list("title", flat=True)[:TITLES_PER_WORD]
        for word in words
    ]
    return list(parts[0].union(*parts[1:], all=True))


def _names(index, locale_id):
    """The names of the themes and regions that public analyses of the language have, and of the
    centres, programmes and experts with a public page in it (from the facet index: no query)."""
    in_language = index.of_locale(locale_id)
    names = [
        term.name
        for facet in ("theme", "region")
        # In the language's own words: each term's version in it, where it has one.
        for term in index.terms(facet, locale_id)
        if index.mask(facet, term.pk).intersect(in_language)
    ]
    for people in (index.units, index.experts):
        names += [labels[locale_id].title for labels in people.values() if locale_id in labels]
    return names
