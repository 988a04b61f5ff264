"""One set of factories for the whole suite. Pages are created under a parent with
``Factory(parent=...)``; ``build_site()`` makes the tree every page test starts from."""

import datetime
from dataclasses import dataclass

import factory
import wagtail_factories
from django.core.files.base import ContentFile
from factory.django import DjangoModelFactory
from wagtail.models import Locale, Page, Site

from publications.models import (
    AnalysisAuthor,
    AnalysisIndexPage,
    AnalysisPage,
    AnalysisResearchUnit,
    AnalysisType,
    HomePage,
    PublicationDocument,
    Region,
    RelatedAnalysis,
    Series,
    Theme,
)
from research_centers.models import (
    ExpertPage,
    ProgrammePage,
    ResearchCenterPage,
    ResearchCentersIndexPage,
)
from tests.pdf_samples import valid_pdf


class ThemeFactory(DjangoModelFactory):
    class Meta:
        model = Theme
        django_get_or_create = ("slug",)

    name = factory.Sequence(lambda n: f"Theme {n}")
    slug = factory.Sequence(lambda n: f"theme-{n}")


class RegionFactory(DjangoModelFactory):
    class Meta:
        model = Region
        django_get_or_create = ("slug",)

    name = factory.Sequence(lambda n: f"Region {n}")
    slug = factory.Sequence(lambda n: f"region-{n}")
    parent = None


class AnalysisTypeFactory(DjangoModelFactory):
    class Meta:
        model = AnalysisType
        django_get_or_create = ("slug",)

    name = "Policy brief"
    slug = "policy-brief"


class SeriesFactory(DjangoModelFactory):
    class Meta:
        model = Series

    name = factory.Sequence(lambda n: f"Series {n}")
    slug = factory.Sequence(lambda n: f"series-{n}")
    issn = "2111-4447"


class DocumentFactory(DjangoModelFactory):
    class Meta:
        model = PublicationDocument

    title = factory.Sequence(lambda n: f"Document {n}")
    file = factory.LazyAttribute(lambda o: ContentFile(valid_pdf(o.pages), name="analysis.pdf"))

    class Params:
        pages = 3

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        document = model_class(*args, **kwargs)
        document._set_document_file_metadata()
        document.read_now()
        document.save()
        return document


class HomePageFactory(wagtail_factories.PageFactory):
    class Meta:
        model = HomePage

    title = "Home"
    slug = "home"


class AnalysisIndexPageFactory(wagtail_factories.PageFactory):
    class Meta:
        model = AnalysisIndexPage

    title = "Analyses"
    slug = "analyses"


class CentersIndexPageFactory(wagtail_factories.PageFactory):
    class Meta:
        model = ResearchCentersIndexPage

    title = "Research centers and programs"
    slug = "research"


class CenterPageFactory(wagtail_factories.PageFactory):
    class Meta:
        model = ResearchCenterPage

    title = factory.Sequence(lambda n: f"Centre {n}")
    introduction = "A research centre."


class ProgrammePageFactory(wagtail_factories.PageFactory):
    class Meta:
        model = ProgrammePage

    title = factory.Sequence(lambda n: f"Programme {n}")


class ExpertPageFactory(wagtail_factories.PageFactory):
    class Meta:
        model = ExpertPage

    title = factory.Sequence(lambda n: f"Expert {n}")
    role = "Research fellow"


class AnalysisPageFactory(wagtail_factories.PageFactory):
    """An analysis. Relations are passed as lists after creation:
    ``AnalysisPageFactory(parent=index, themes=[t], authors=[expert, "Outside Name"],
    units=[centre], related=[other])``."""

    class Meta:
        model = AnalysisPage

    title = factory.Sequence(lambda n: f"Analysis {n}")
    publication_date = factory.Sequence(lambda n: datetime.date(2024, 1, 1) + datetime.timedelta(n))
    analysis_type = factory.SubFactory(AnalysisTypeFactory)
    summary = "<p>What this analysis finds.</p>"

    @classmethod
    def _create(
        cls, model_class, *args, themes=(), regions=(), authors=(), units=(), related=(), **kwargs
    ):
        page = super()._create(model_class, *args, **kwargs)
        if themes:
            page.themes.set(themes)
        if regions:
            page.regions.set(regions)
        page.authors = [
            AnalysisAuthor(name=author)
            if isinstance(author, str)
            else AnalysisAuthor(expert=author)
            for author in authors
        ]
        page.research_units = [AnalysisResearchUnit(unit=unit) for unit in units]
        page.related_analysis_links = [RelatedAnalysis(analysis=other) for other in related]
        page.save()
        return page


@dataclass
class SiteTree:
    home: HomePage
    analyses: AnalysisIndexPage
    centers: ResearchCentersIndexPage
    english: Locale


def build_site():
    """The tree every page test starts from: an English home at the site root (replacing
    Wagtail's welcome page), with the analyses index and the centres index under it."""
    english = Locale.objects.get(language_code="en")
    root = Page.get_first_root_node()
    site = Site.objects.get(is_default_site=True)
    welcome = site.root_page
    Page.objects.filter(pk=welcome.pk).update(slug="wagtail-welcome")
    home = HomePageFactory(parent=root, locale=english)
    site.root_page = home
    site.save()
    welcome.delete()
    analyses = AnalysisIndexPageFactory(parent=home, show_in_menus=True)
    centers = CentersIndexPageFactory(parent=home, show_in_menus=True)
    return SiteTree(home=home, analyses=analyses, centers=centers, english=english)


def translate(page, language_code, **changes):
    """Publish a translation of ``page`` (its parent must already be translated)."""
    locale, _ = Locale.objects.get_or_create(language_code=language_code)
    translated = page.copy_for_translation(locale)
    for name, value in changes.items():
        setattr(translated, name, value)
    translated.save_revision().publish()
    translated.refresh_from_db()
    return translated


# --- Research centres, programmes, experts; users with roles ---------------------------------


def set_people(page, **relations):
    """Set a centre's or programme's ordered relations and save: ``team=[experts]`` (centre),
    ``members=[experts]``, ``partners=[("Name", "https://...")]`` (programme),
    ``featured=[analyses]``; other keyword arguments are plain fields (``head=expert``)."""
    from research_centers.models import (
        CenterFeaturedAnalysis,
        CenterTeamMember,
        ProgrammeFeaturedAnalysis,
        ProgrammeMember,
        ProgrammePartner,
    )

    is_center = isinstance(page, ResearchCenterPage)
    if "team" in relations:
        page.team_members = [CenterTeamMember(expert=e) for e in relations.pop("team")]
    if "members" in relations:
        page.members = [ProgrammeMember(expert=e) for e in relations.pop("members")]
    if "partners" in relations:
        page.partners = [ProgrammePartner(name=n, url=u) for n, u in relations.pop("partners")]
    if "featured" in relations:
        link = CenterFeaturedAnalysis if is_center else ProgrammeFeaturedAnalysis
        page.featured_analysis_links = [link(analysis=a) for a in relations.pop("featured")]
    for name, value in relations.items():
        setattr(page, name, value)
    page.save()
    return page


class UserFactory(DjangoModelFactory):
    """A staff user in the named groups: ``UserFactory(groups=["Editors"])``."""

    class Meta:
        model = "auth.User"
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda o: f"{o.username}@example.org")
    password = factory.django.Password("a-long-test-password")

    @factory.post_generation
    def groups(self, create, names, **kwargs):
        from django.contrib.auth.models import Group

        if create and names:
            self.groups.set([Group.objects.get(name=name) for name in names])


# --- Discovery: PDFs with text, for search ---------------------------------------------------


class TextDocumentFactory(DocumentFactory):
    """A PDF whose text is ``text`` (readable by pypdf): ``TextDocumentFactory(text="...")``."""

    file = factory.LazyAttribute(
        lambda o: ContentFile(
            __import__("publications.demo.pdfs", fromlist=["render_pdf"]).render_pdf(
                [("p", o.text)], title="Full text"
            ),
            name="analysis.pdf",
        )
    )

    class Params:
        text = "The full text of an analysis."


def translate_term(term, language_code, **changes):
    """The ``language_code`` version of a theme, region, type or series (as *Translate* in its
    menu makes it), with ``changes`` (name, slug, description)."""
    locale, _ = Locale.objects.get_or_create(language_code=language_code)
    translated = term.copy_for_translation(locale)
    for name, value in changes.items():
        setattr(translated, name, value)
    translated.save()
    return translated
