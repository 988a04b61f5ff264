"""Finding the terms an imported row names: themes, regions, analysis types, series, and research
centres and programmes. All term lookup of the import is here, so that it follows the taxonomy
when it changes.

A term is matched in the site's default language, by its name or its slug, whatever the case
("energy", "Energy" and "ENERGY" are the theme "Energy"; so is its slug "energy"). Vocabularies
that are translatable (Wagtail's ``TranslatableMixin``: a row per language, with a locale) are
read in the default locale only; the others have one row per term. A centre is a page, found by
its title among the centres of the default language; a programme by its title under its centre
("Centre for Energy > Grids programme"), or by its title alone when only one programme has it.

Unknown terms are reported; with ``create`` they are created, in the default language: a theme,
region, type or series as a new term (with a first revision, as the Taxonomy menu saves it), a
centre or programme as a new published page (through a revision, as an editor publishes it).
"""

from dataclasses import dataclass, field

from django.conf import settings
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _
from wagtail.coreutils import find_available_slug
from wagtail.models import Locale, TranslatableMixin

from publications.models import AnalysisType, Region, Series, Theme
from research_centers.models import ProgrammePage, ResearchCenterPage, ResearchCentersIndexPage

# The kinds of terms a row names, and what a reader of the import's report calls them.
VOCABULARIES = {"theme": Theme, "region": Region, "type": AnalysisType, "series": Series}
KIND_NAMES = {
    "theme": _("theme"),
    "region": _("region"),
    "type": _("type"),
    "series": _("series"),
    "unit": _("centre or programme"),
}
# "Centre > Programme": the separator between a centre's title and its programme's.
UNIT_SEPARATOR = ">"


def normalise(text):
    """How names are compared: case and runs of spaces do not count."""
    return " ".join(str(text).split()).casefold()


def in_default_locale(queryset):
    """``queryset`` restricted to the default language where its model is translatable."""
    if issubclass(queryset.model, TranslatableMixin):
        return queryset.filter(locale=Locale.get_default())
    return queryset


class AmbiguousTerm(Exception):
    """Two terms answer to the same text (names that differ only by their case)."""

    def __init__(self, kind, text, terms):
        super().__init__(text)
        self.kind, self.text, self.terms = kind, text, terms


@dataclass
class _Index:
    """The terms of one kind, by normalised name and by slug."""

    by_name: dict = field(default_factory=dict)
    by_slug: dict = field(default_factory=dict)

    def add(self, term, name, slug):
        self.by_name.setdefault(normalise(name), []).append(term)
        if slug:
            self.by_slug.setdefault(slug.casefold(), []).append(term)

    def forget(self, term):
        for table in (self.by_name, self.by_slug):
            for key in [key for key, terms in table.items() if term in terms]:
                table[key] = [other for other in table[key] if other != term]

    def find(self, text):
        found = self.by_name.get(normalise(text)) or self.by_slug.get(text.strip().casefold())
        if not found:
            found = self.by_slug.get(slugify(text)) if slugify(text) else None
        return found or []


class Terms:
    """The vocabularies and the research units, read once per import (a few queries), then
    looked up in memory. ``find`` answers a term or None (unknown); ``create`` makes one."""

    def __init__(self):
        self._indexes = {}
        self.created = []  # (kind, term) of every term created, in order

    def _index(self, kind):
        if kind not in self._indexes:
            index = _Index()
            if kind == "unit":
                for unit in self._units():
                    index.add(unit, unit.title, unit.slug)
            else:
                for term in in_default_locale(VOCABULARIES[kind].objects.all()):
                    index.add(term, term.name, term.slug)
            self._indexes[kind] = index
        return self._indexes[kind]

    @staticmethod
    def _units():
        centres = in_default_locale(ResearchCenterPage.objects.all()).specific()
        programmes = in_default_locale(ProgrammePage.objects.all()).specific()
        return [*centres, *programmes]

    def find(self, kind, text):
        """The term of ``kind`` named ``text`` (its name or slug), or None. Raises AmbiguousTerm
        when several answer to it."""
        if kind == "unit" and UNIT_SEPARATOR in text:
            return self._find_programme(text)
        found = self._index(kind).find(text)
        if len(found) > 1:
            exact = [term for term in found if str(term) == text.strip()]
            if len(exact) != 1:
                raise AmbiguousTerm(kind, text, found)
            found = exact
        return found[0] if found else None

    def _find_programme(self, text):
        centre_name, _separator, programme_name = text.partition(UNIT_SEPARATOR)
        centre = self.find("unit", centre_name)
        if centre is None or not isinstance(centre, ResearchCenterPage):
            return None
        found = [
            unit
            for unit in self._index("unit").find(programme_name)
            if isinstance(unit, ProgrammePage) and unit.path.startswith(centre.path)
        ]
        if len(found) > 1:
            raise AmbiguousTerm("unit", text, found)
        return found[0] if found else None

    def create(self, kind, text, *, user=None):
        """A new term of ``kind`` named ``text``, in the default language. Raises TermError."""
        name = " ".join(text.split())
        if kind == "unit":
            term = self._create_unit(name, user)
            self._index(kind).add(term, term.title, term.slug)
        else:
            model = VOCABULARIES[kind]
            term = model(name=name, slug=_free_slug(model, name))
            if issubclass(model, TranslatableMixin):
                term.locale = Locale.get_default()
            term.full_clean()
            term.save()
            term.save_revision(user=user)
            self._index(kind).add(term, term.name, term.slug)
        self.created.append((kind, term))
        return term

    def _create_unit(self, name, user):
        if UNIT_SEPARATOR in name:
            centre_name, _separator, programme_name = name.partition(UNIT_SEPARATOR)
            centre = self.find("unit", centre_name) or self.create("unit", centre_name, user=user)
            if not isinstance(centre, ResearchCenterPage):
                raise TermError(
                    _("“%(name)s” is a programme, not a centre.") % {"name": centre_name.strip()}
                )
            return _publish_child(centre, ProgrammePage(title=programme_name.strip()), user)
        index = in_default_locale(ResearchCentersIndexPage.objects.all()).order_by("path").first()
        if index is None:
            raise TermError(_("The site has no research centres index to add a centre to."))
        return _publish_child(index, ResearchCenterPage(title=name), user)

    def mark(self):
        """Where the list of created terms is now, for ``forget_since``."""
        return len(self.created)

    def forget_since(self, mark):
        """Forget the terms created since ``mark``: their row was rolled back, and them with it."""
        for kind, term in self.created[mark:]:
            self._index(kind).forget(term)
        del self.created[mark:]


class TermError(ValueError):
    """A term that cannot be created; the message says why."""


def _free_slug(model, name):
    """A slug for a new term named ``name`` that no term of its kind (in the default language)
    has."""
    base = slugify(name)[:90] or model._meta.model_name
    taken = set(
        in_default_locale(model.objects.filter(slug__startswith=base)).values_list(
            "slug", flat=True
        )
    )
    slug, number = base, 1
    while slug in taken:
        number += 1
        slug = f"{base}-{number}"
    return slug


def _publish_child(parent, page, user):
    """Add ``page`` under ``parent`` and publish it through a revision, as an editor does."""
    allow_unicode = getattr(settings, "WAGTAIL_ALLOW_UNICODE_SLUGS", True)
    base = slugify(page.title, allow_unicode=allow_unicode)[:200] or "unit"
    page.slug = find_available_slug(parent, base)
    page.locale = parent.locale
    page.live = False
    page.owner = user
    parent.add_child(instance=page)
    page.save_revision(user=user, log_action=True).publish(user=user)
    return type(page).objects.get(pk=page.pk)
