"""Creating an analysis through the real page editor: controlled vocabularies and identifiers."""

import pytest
from django.urls import reverse
from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text, streamfield

from publications.models import AnalysisPage, Region, Theme
from tests.admin_forms import editor_data
from tests.factories import (
    AnalysisPageFactory,
    AnalysisTypeFactory,
    RegionFactory,
    ThemeFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def editor_client(client, django_user_model):
    client.force_login(django_user_model.objects.create_superuser("ed", "ed@example.org", "pw"))
    return client


def analysis_form(**overrides):
    data = {
        "title": "Cities in a fragmented world",
        "slug": "cities-fragmented-world",
        "publication_date": "2025-03-01",
        "analysis_type": AnalysisTypeFactory().pk,
        "summary": rich_text("<p>Cities act abroad.</p>"),
        "body": streamfield([]),
        "authors": inline_formset([]),
        "research_units": inline_formset([]),
        "related_analysis_links": inline_formset([]),
        "excluded_related_links": inline_formset([]),
        "theme_items": inline_formset([]),
        "region_items": inline_formset([]),
    }
    data.update(overrides)
    return nested_form_data(data)


def add_url(site_tree):
    return reverse(
        "wagtailadmin_pages:add",
        args=["publications", "analysispage", site_tree.analyses.pk],
    )


def test_editor_creates_an_analysis_with_existing_terms(site_tree, editor_client):
    diplomacy = ThemeFactory(name="Diplomacy")
    east_africa = RegionFactory(name="East Africa")
    response = editor_client.post(
        add_url(site_tree),
        analysis_form(
            theme_items=inline_formset([{"tag": diplomacy.pk}]),
            region_items=inline_formset([{"tag": east_africa.pk}]),
            isbn="978-0-306-40615-7",
            authors=inline_formset([{"name": "Jane Outside", "affiliation": "University"}]),
        ),
    )
    assert response.status_code == 302, response.context["form"].errors
    page = AnalysisPage.objects.get(slug="cities-fragmented-world")
    assert [t.name for t in page.themes.all()] == ["Diplomacy"]
    assert [r.name for r in page.regions.all()] == ["East Africa"]
    assert page.isbn == "9780306406157"
    assert not page.live  # saved as a draft, not published


def test_a_term_not_in_the_list_is_refused_and_creates_no_term(site_tree, editor_client):
    diplomacy = ThemeFactory(name="Diplomacy")
    response = editor_client.post(
        add_url(site_tree),
        analysis_form(theme_items=inline_formset([{"tag": diplomacy.pk}, {"tag": "Diplomcy"}])),
    )
    assert response.status_code == 200
    errors = response.context["form"].formsets["theme_items"].errors[1]["tag"]
    assert "Select a valid choice" in errors[0]
    missing = diplomacy.pk + 1000  # a term deleted while the form was open
    response = editor_client.post(
        add_url(site_tree), analysis_form(theme_items=inline_formset([{"tag": missing}]))
    )
    assert response.status_code == 200
    assert not Theme.objects.filter(name="Diplomcy").exists()
    assert not Region.objects.exists()
    assert not AnalysisPage.objects.exists()


def test_a_term_chosen_twice_is_refused_naming_it(site_tree, editor_client):
    diplomacy = ThemeFactory(name="Diplomacy")
    response = editor_client.post(
        add_url(site_tree),
        analysis_form(theme_items=inline_formset([{"tag": diplomacy.pk}, {"tag": diplomacy.pk}])),
    )
    assert response.status_code == 200
    assert "Chosen twice: Diplomacy" in response.context["form"].non_field_errors()[0]
    assert not AnalysisPage.objects.exists()


def test_a_malformed_isbn_gets_a_clear_message(site_tree, editor_client):
    response = editor_client.post(add_url(site_tree), analysis_form(isbn="978-0-306-40615-8"))
    assert response.status_code == 200
    assert "not a valid ISBN" in response.context["form"].errors["isbn"][0]
    assert not AnalysisPage.objects.exists()


def test_an_author_needs_exactly_one_of_expert_or_name(site_tree, editor_client):
    response = editor_client.post(
        add_url(site_tree), analysis_form(authors=inline_formset([{"affiliation": "Nowhere"}]))
    )
    assert response.status_code == 200
    assert not AnalysisPage.objects.exists()


def test_a_region_cannot_be_nested_in_itself(db):
    from django.core.exceptions import ValidationError

    africa = RegionFactory(name="Africa")
    east = RegionFactory(name="East Africa", parent=africa)
    africa.parent = east
    with pytest.raises(ValidationError):
        africa.full_clean()


@pytest.mark.parametrize(
    "change",
    [
        pytest.param(lambda data: data.pop("body-count"), id="no body-count"),
        pytest.param(lambda data: data.update({"body-count": "abc"}), id="body-count not a number"),
        pytest.param(lambda data: data.update({"body-count": "1"}), id="a block that was not sent"),
    ],
)
def test_a_malformed_edit_post_answers_400_not_500(site_tree, editor_client, change):
    page = AnalysisPageFactory(parent=site_tree.analyses)
    url = reverse("wagtailadmin_pages:edit", args=[page.pk])
    data = editor_data(editor_client.get(url), AnalysisPage)
    assert editor_client.post(url, data).status_code == 302  # the form as the admin drew it
    change(data)
    editor_client.raise_request_exception = False
    assert editor_client.post(url, data).status_code == 400
