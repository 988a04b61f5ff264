"""What the read-side queries return: related analyses, translations, and never a draft."""

import pytest

from publications import selectors
from tests.factories import (
    AnalysisPageFactory,
    RegionFactory,
    ThemeFactory,
    translate,
)

pytestmark = pytest.mark.django_db


def test_related_puts_editor_picks_first_in_their_order_then_shared_terms(site_tree):
    index = site_tree.analyses
    diplomacy, africa = ThemeFactory(name="Diplomacy"), RegionFactory(name="Africa")
    pick_one = AnalysisPageFactory(parent=index, title="Pick one")
    pick_two = AnalysisPageFactory(parent=index, title="Pick two")
    both = AnalysisPageFactory(parent=index, title="Both", themes=[diplomacy], regions=[africa])
    theme_only = AnalysisPageFactory(parent=index, title="Theme only", themes=[diplomacy])
    AnalysisPageFactory(parent=index, title="Unrelated", themes=[ThemeFactory()])
    page = AnalysisPageFactory(
        parent=index, themes=[diplomacy], regions=[africa], related=[pick_two, pick_one]
    )

    related = selectors.related_analyses(page)

    assert [card.title for card in related] == ["Pick two", "Pick one", "Both", "Theme only"]
    assert both.pk in {card.pk for card in related} and theme_only.pk in {c.pk for c in related}


def test_related_never_lists_the_page_itself_drafts_or_duplicates(site_tree):
    index = site_tree.analyses
    theme = ThemeFactory()
    draft = AnalysisPageFactory(parent=index, title="Draft", themes=[theme], live=False)
    pick = AnalysisPageFactory(parent=index, title="Pick", themes=[theme])
    page = AnalysisPageFactory(parent=index, themes=[theme], related=[draft, pick])
    # An editor pick of the page itself (saved past the form) must not show either.
    page.related_analysis_links.create(analysis=page)

    related = selectors.related_analyses(page)

    assert [card.title for card in related] == ["Pick"]


def test_related_is_capped(site_tree):
    theme = ThemeFactory()
    for _ in range(6):
        AnalysisPageFactory(parent=site_tree.analyses, themes=[theme])
    page = AnalysisPageFactory(parent=site_tree.analyses, themes=[theme])
    assert len(selectors.related_analyses(page)) == selectors.RELATED_LIMIT


def test_public_translations_lists_published_language_versions_only(site_tree):
    page = AnalysisPageFactory(parent=site_tree.analyses)
    assert [p.locale.language_code for p in selectors.public_translations(page)] == ["en"]

    translate(site_tree.home, "fr", title="Accueil")
    translate(site_tree.analyses, "fr")
    french = translate(page, "fr", title="Une analyse")
    assert [p.locale.language_code for p in selectors.public_translations(page)] == ["en", "fr"]

    french.unpublish()
    assert [p.locale.language_code for p in selectors.public_translations(page)] == ["en"]


def test_the_listing_shows_public_analyses_newest_first(site_tree):
    import datetime

    from publications.listing import ListingParams

    old = AnalysisPageFactory(parent=site_tree.analyses, publication_date=datetime.date(2020, 1, 1))
    new = AnalysisPageFactory(parent=site_tree.analyses, publication_date=datetime.date(2025, 1, 1))
    AnalysisPageFactory(parent=site_tree.analyses, live=False)
    listing = selectors.analysis_listing(site_tree.analyses, ListingParams(), None)
    assert list(listing.page.object_list) == [new, old]
