"""The functions that create the demo content from the data in content.py.

Every function looks its object up first (by slug under its parent, by translation, by name or by
username) and creates it only when it is missing, so that the loader can be run again safely.
Pages are created as drafts and published through a revision, as an editor would.
"""

import html
from io import BytesIO

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.files.base import File
from django.core.files.images import ImageFile
from django.utils.text import slugify
from stdnum import isbn
from wagtail.images import get_image_model
from wagtail.models import Locale, Page

from publications.demo import content, covers, pdfs
from publications.models import (
    AnalysisAuthor,
    AnalysisIndexPage,
    AnalysisPage,
    AnalysisResearchUnit,
    AnalysisType,
    FeaturedAnalysis,
    HomePage,
    PublicationDocument,
    Region,
    RelatedAnalysis,
    Series,
    Theme,
)
from publications.site_origin import configure_default_site
from research_centers.models import (
    CenterStaffGroup,
    CenterTeamMember,
    ExpertLink,
    ExpertPage,
    ProgrammeMember,
    ProgrammePage,
    ProgrammePartner,
    ResearchCenterPage,
    ResearchCentersIndexPage,
)


def rich(paragraphs):
    return "".join(f"<p>{html.escape(text, quote=False)}</p>" for text in paragraphs)


def publish(page):
    """Publish the page's current state through a revision; return the live page."""
    page.save_revision().publish()
    return fresh(page)


def fresh(page):
    """The page as stored now. Publishing an instance whose tree fields are stale (children were
    added through another instance) would write its old child count back."""
    return type(page).objects.get(pk=page.pk)


def ensure_child(parent, model, slug, build):
    """The child of ``parent`` with this slug, created (by ``build()``) and published if
    missing. Returns (page, created)."""
    existing = model.objects.child_of(parent).filter(slug=slug).first()
    if existing:
        return existing, False
    page = build()
    page.slug = slug
    page.live = False
    parent.add_child(instance=page)
    return publish(page), True


def ensure_translation(page, locale, **fields):
    """The translation of ``page`` into ``locale`` (a copy made with copy_for_translation, given
    its own fields, then published). Returns (page, created)."""
    existing = page.get_translation_or_none(locale)
    if existing:
        return existing.specific, False
    translation = page.copy_for_translation(locale)
    slug = fields.pop("slug", None)
    if slug and slug != translation.slug:
        # The copy was saved with the original's slug. Rename the never-published draft in the
        # database directly: a slug change through save() makes Wagtail create a redirect from
        # an address that was never public.
        translation.slug = slug
        translation.set_url_path(translation.get_parent())
        Page.objects.filter(pk=translation.pk).update(slug=slug, url_path=translation.url_path)
    for name, value in fields.items():
        setattr(translation, name, value)
    return publish(translation), True


# --- Files -----------------------------------------------------------------------------------


def make_image(title, description, png_bytes, filename):
    image = get_image_model()(
        title=title,
        description=description,
        file=ImageFile(BytesIO(png_bytes), name=filename),
    )
    image._set_image_file_metadata()
    image.save()
    return image


def make_document(title, pdf_bytes, filename):
    document = PublicationDocument(title=title, file=File(BytesIO(pdf_bytes), name=filename))
    document._set_document_file_metadata()
    document.read_now()
    document.save()
    if not document.page_count:
        raise RuntimeError(f"The generated PDF {filename} could not be read back.")
    return document


def analysis_pdf(spec, author_names, *, about_authors=(), french=False):
    """The full text of an analysis as PDF bytes: a title page with the summary, the sections,
    and a closing page about the authors and the institute (on pages of their own when the
    analysis is "long", as the seed analyses are)."""
    if french:
        type_name = content.TYPE_NAMES_FR[spec["type"]]
    else:
        type_name = {slug: name for name, slug in content.ANALYSIS_TYPES}[spec["type"]]
    long = spec.get("long", True)
    blocks = [("kicker", type_name), ("title", spec["title"])]
    if spec.get("subtitle"):
        blocks.append(("subtitle", spec["subtitle"]))
    blocks.append(("meta", ", ".join(author_names)))
    date_label = spec["date"].strftime("%d/%m/%Y" if french else "%B %Y")
    blocks.append(("meta", date_label))
    if spec.get("isbn"):
        blocks.append(("meta", f"ISBN: {isbn.format(spec['isbn'])}"))
    if spec.get("doi"):
        blocks.append(("meta", f"DOI: {spec['doi']}"))
    blocks.append(("h", "Résumé" if french else "Summary"))
    blocks += [("p", text) for text in spec["summary"]]
    if long:
        blocks.append(("break",))
    for heading, paragraphs in spec["sections"]:
        blocks.append(("h", heading))
        paragraphs = [paragraphs] if isinstance(paragraphs, str) else paragraphs
        blocks += [("p", text) for text in paragraphs]
    if about_authors:
        if long:
            blocks.append(("break",))
        blocks.append(("h", "Les auteurs" if french else "About the authors"))
        blocks += [("p", f"{name}: {bio}") for name, bio in about_authors]
    institute = content.INSTITUTE_FR if french else content.INSTITUTE
    blocks += [
        ("h", f"{'À propos de' if french else 'About the'} {institute}"),
        ("p", content.ABOUT_INSTITUTE_FR if french else content.ABOUT_INSTITUTE),
        ("small", f"(c) {institute}, {spec['date'].year}."),
    ]
    return pdfs.render_pdf(
        blocks,
        title=spec["title"],
        author=", ".join(author_names),
        subject=spec["search_description"],
        running_head=f"{institute} - {type_name}",
    )


# --- Site structure --------------------------------------------------------------------------


def ensure_locales():
    english, _ = Locale.objects.get_or_create(language_code="en")
    french, _ = Locale.objects.get_or_create(language_code="fr")
    return english, french


def ensure_home(english, french):
    """The English home page under the root (replacing Wagtail's welcome page), the default
    site pointing at it, and its French translation."""
    root = Page.get_first_root_node()
    home = HomePage.objects.child_of(root).filter(locale=english).first()
    if home is None:
        # Wagtail's welcome page holds the slug "home"; the default site goes with it.
        for page in Page.objects.child_of(root).filter(slug="home"):
            if page.specific_class is Page:
                page.delete()
        home = HomePage(
            title=content.HOME["title"],
            slug="home",
            intro=content.HOME["intro"],
            site_name=content.INSTITUTE,
            tagline=content.HOME["tagline"],
            live=False,
        )
        root.add_child(instance=home)
        home = publish(home)
    # The default site on the configured origin (settings.SITE_BASE_URL), as at a deploy.
    configure_default_site(root_page=home, site_name=content.INSTITUTE)
    home_fr, _ = ensure_translation(
        home,
        french,
        title=content.HOME["title_fr"],
        intro=content.HOME["intro_fr"],
        site_name=content.INSTITUTE_FR,
        tagline=content.HOME["tagline_fr"],
    )
    return home, home_fr


def ensure_sections(home, french):
    """The analyses index and the research centres index, each with its French translation.
    Returns the English pages by model."""
    sections = {}
    for model, data in (
        (AnalysisIndexPage, content.ANALYSES_INDEX),
        (ResearchCentersIndexPage, content.CENTERS_INDEX),
    ):
        page, _ = ensure_child(
            home,
            model,
            data["slug"],
            lambda model=model, data=data: model(
                title=data["title"], intro=data["intro"], show_in_menus=True
            ),
        )
        ensure_translation(page, french, title=data["title_fr"], intro=data["intro_fr"])
        sections[model] = page
    return sections


# --- Taxonomy --------------------------------------------------------------------------------


def ensure_term_translation(term, locale, name, slug, **fields):
    """The version of ``term`` in ``locale`` (made once, as *Translate* makes it)."""
    existing = term.get_translation_or_none(locale)
    if existing is not None:
        return existing
    version = term.copy_for_translation(locale)
    version.name, version.slug = name, slug
    for field, value in fields.items():
        setattr(version, field, value)
    version.save()
    return version


def ensure_taxonomy(french=None):
    """The terms, in English and (with ``french``) in French. Returns the English ones."""
    types = {
        slug: AnalysisType.objects.get_or_create(slug=slug, defaults={"name": name})[0]
        for name, slug in content.ANALYSIS_TYPES
    }
    series = {}
    for data in content.SERIES:
        defaults = {k: data[k] for k in ("name", "issn", "description")}
        series[data["slug"]] = Series.objects.get_or_create(slug=data["slug"], defaults=defaults)[0]
    themes = {
        slug: Theme.objects.get_or_create(slug=slug, defaults={"name": name})[0]
        for name, slug in content.THEMES
    }
    regions = {}
    for name, slug, parent in content.REGIONS:
        regions[slug] = Region.objects.get_or_create(
            slug=slug, defaults={"name": name, "parent": regions.get(parent)}
        )[0]
    if french is not None:
        for slug, term in types.items():
            ensure_term_translation(term, french, *content.TYPES_FR[slug])
        for slug, term in series.items():
            ensure_term_translation(term, french, **content.SERIES_FR[slug])
        for slug, term in themes.items():
            ensure_term_translation(term, french, *content.THEMES_FR[slug])
        french_regions = {}
        for _name, slug, parent in content.REGIONS:
            french_regions[slug] = ensure_term_translation(
                regions[slug],
                french,
                *content.REGIONS_FR[slug],
                parent=french_regions.get(parent),
            )
    return {"types": types, "series": series, "themes": themes, "regions": regions}


# --- Research centres, programmes, experts ---------------------------------------------------


def ensure_research(centers_index, french, log):
    """Centres, their programmes and experts, in English and French. Returns (units, experts),
    the English pages by slug."""
    units, experts = {}, {}
    for data in content.CENTERS:
        center, created = ensure_child(
            centers_index,
            ResearchCenterPage,
            data["slug"],
            lambda data=data: ResearchCenterPage(
                title=data["title"],
                introduction=data["introduction"],
                description=data["description"],
                search_description=data["introduction"],
            ),
        )
        units[data["slug"]] = center
        ensure_translation(
            center,
            french,
            title=data["title_fr"],
            introduction=data["introduction_fr"],
            description=data["description_fr"],
            search_description=data["introduction_fr"],
        )
        for programme_data in data["programmes"]:
            programme, _ = ensure_child(
                center,
                ProgrammePage,
                programme_data["slug"],
                lambda p=programme_data: ProgrammePage(
                    title=p["title"],
                    introduction=p["introduction"],
                    description=p["description"],
                    search_description=p["introduction"],
                ),
            )
            units[programme_data["slug"]] = programme
            ensure_translation(
                programme,
                french,
                title=programme_data["title_fr"],
                introduction=programme_data["introduction_fr"],
                description=programme_data["description_fr"],
                search_description=programme_data["introduction_fr"],
            )
        if created:
            log(f"  centre: {center.title} ({len(data['programmes'])} programmes)")
    for index, data in enumerate(content.EXPERTS):
        center = units[data["center"]]

        def build(data=data, seed=index):
            photo = make_image(
                title=data["name"],
                description=f"Illustrated portrait of {data['name']}",
                png_bytes=covers.portrait_png(data["name"], seed=seed + 7),
                filename=f"portrait-{data['slug']}.png",
            )
            return ExpertPage(
                title=data["name"],
                role=data["role"],
                bio=rich([data["bio"]]),
                photo=photo,
                search_description=data["role"],
            )

        expert, _ = ensure_child(center, ExpertPage, data["slug"], build)
        experts[data["slug"]] = expert
        ensure_translation(
            expert,
            french,
            role=data["role_fr"],
            bio=rich([data["bio_fr"]]),
            search_description=data["role_fr"],
        )
    log(f"  {len(units)} centres and programmes, {len(experts)} experts")
    return units, experts


def ensure_research_details(units, experts, taxonomy, french, log):
    """Heads, teams, leads, members, partners, themes and regions of the centres and programmes;
    languages, e-mail, links and other centres of the experts (content.CENTER_TERMS and the
    tables after it); and the archived programme. Each page is changed once, in both languages,
    and published through a revision."""
    themes, regions = taxonomy["themes"], taxonomy["regions"]
    changed = 0
    for data in content.CENTERS:
        center = fresh(units[data["slug"]])
        if center.head_id:
            continue
        members = [e for d, e in _experts_of(data["slug"], experts)]
        head = next(
            (e for d, e in _experts_of(data["slug"], experts) if d["role"].startswith("Director")),
            None,
        )
        theme_slugs, region_slugs = content.CENTER_TERMS[data["slug"]]
        for version in _versions(center, french):
            version.head = head
            version.team_members = [CenterTeamMember(expert=e) for e in members if e != head]
            version.themes = [themes[slug] for slug in theme_slugs]
            version.regions = [regions[slug] for slug in region_slugs]
            publish(version)
        changed += 1
    for slug, (
        lead,
        members,
        theme_slugs,
        region_slugs,
        partners,
    ) in content.PROGRAMME_DETAILS.items():
        programme = fresh(units[slug])
        if programme.lead_id:
            continue
        for version in _versions(programme, french):
            version.lead = experts[lead]
            version.members = [ProgrammeMember(expert=experts[m]) for m in members]
            version.partners = [ProgrammePartner(name=n, url=u) for n, u in partners]
            version.themes = [themes[s] for s in theme_slugs]
            version.regions = [regions[s] for s in region_slugs]
            publish(version)
        changed += 1
    for slug, (languages, languages_fr, other_centers) in content.EXPERT_DETAILS.items():
        expert = fresh(experts[slug])
        if expert.languages:
            continue
        for version in _versions(expert, french):
            version.languages = languages_fr if version.locale_id == french.pk else languages
            version.email = f"{slug}@example.org"
            version.links = [
                ExpertLink(label="Publications", url=f"https://example.org/experts/{slug}/")
            ]
            version.other_centers = [units[center_slug] for center_slug in other_centers]
            publish(version)
        changed += 1
    data = content.ARCHIVED_PROGRAMME
    archived, created = ensure_child(
        units[data["center"]],
        ProgrammePage,
        data["slug"],
        lambda: ProgrammePage(
            title=data["title"],
            introduction=data["introduction"],
            description=data["description"],
            search_description=data["introduction"],
            is_archived=True,
        ),
    )
    ensure_translation(
        archived,
        french,
        title=data["title_fr"],
        introduction=data["introduction_fr"],
        description=data["description_fr"],
        search_description=data["introduction_fr"],
    )
    if changed or created:
        log(f"  details of {changed} centres, programmes and experts; 1 archived programme")


def _experts_of(center_slug, experts):
    return [(d, experts[d["slug"]]) for d in content.EXPERTS if d["center"] == center_slug]


def _versions(page, french):
    """The page and its French translation (if any), fresh from the database."""
    versions = [fresh(page)]
    translation = page.get_translation_or_none(french)
    if translation is not None:
        versions.append(fresh(translation.specific))
    return versions


# --- Analyses --------------------------------------------------------------------------------


def author_names(spec, experts):
    return [
        author[0] if isinstance(author, tuple) else experts[author].title
        for author in spec["authors"]
    ]


def build_analysis(spec, taxonomy, units, experts, *, cover_seed=None):
    """An unsaved AnalysisPage for ``spec``, with its PDF (and cover) already stored."""
    names = author_names(spec, experts)
    bios = {data["slug"]: data["bio"] for data in content.EXPERTS}
    about = [a if isinstance(a, tuple) else (experts[a].title, bios[a]) for a in spec["authors"]]
    document = make_document(
        spec["title"], analysis_pdf(spec, names, about_authors=about), spec["pdf_name"]
    )
    cover = None
    if cover_seed is not None:
        type_name = taxonomy["types"][spec["type"]].name
        cover = make_image(
            title=f"Cover: {spec['title']}"[:255],
            description=(
                f"Cover of the {type_name.lower()} “{spec['title']}”: coloured geometric "
                "shapes above the title"
            )[:255],
            png_bytes=covers.cover_png(spec["title"], type_name, seed=cover_seed),
            filename=f"cover-{spec['pdf_name'].removesuffix('.pdf')}.png",
        )
    page = AnalysisPage(
        title=spec["title"],
        subtitle=spec.get("subtitle", ""),
        publication_date=spec["date"],
        analysis_type=taxonomy["types"][spec["type"]],
        series=taxonomy["series"].get(spec.get("series")),
        series_number=spec.get("series_number", ""),
        summary=rich(spec["summary"]),
        search_description=spec["search_description"],
        isbn=spec.get("isbn", ""),
        doi=spec.get("doi", ""),
        pdf=document,
        cover_image=cover,
    )
    if spec.get("key_points") or spec.get("body"):
        body = []
        if spec.get("key_points"):
            body.append(
                {
                    "type": "key_points",
                    "value": {"heading": "Key points", "points": spec["key_points"]},
                }
            )
        body += [
            {"type": kind, "value": body_value(kind, value)} for kind, value in spec.get("body", [])
        ]
        page.body = body
    page.authors = [
        AnalysisAuthor(name=a[0], affiliation=a[1])
        if isinstance(a, tuple)
        else AnalysisAuthor(expert=experts[a])
        for a in spec["authors"]
    ]
    page.research_units = [AnalysisResearchUnit(unit=units[slug]) for slug in spec["units"]]
    page.themes.add(*(taxonomy["themes"][slug] for slug in spec["themes"]))
    page.regions.add(*(taxonomy["regions"][slug] for slug in spec["regions"]))
    return page


def body_value(kind, value):
    """A body block's value as the StreamField stores it; a figure's chart is drawn and saved as
    an image first."""
    if kind != "figure":
        return value
    chart = value["chart"]
    image = make_image(
        title=f"Chart: {chart['title']}"[:255],
        description=value["alt_text"][:255],
        png_bytes=covers.chart_png(chart["title"], chart["bars"], chart.get("note", "")),
        filename=f"chart-{slugify(chart['title'])[:60]}.png",
    )
    figure = {"image": image.pk, "alt_text": value["alt_text"], "decorative": False}
    return {"image": figure, "caption": value["caption"]}


def ensure_analysis(index, spec, taxonomy, units, experts, *, cover_seed=None):
    slug = spec.get("slug") or slugify(spec["title"])
    return ensure_child(
        index,
        AnalysisPage,
        slug,
        lambda: build_analysis(spec, taxonomy, units, experts, cover_seed=cover_seed),
    )


def ensure_seed_analyses(index, taxonomy, units, experts, log):
    pages = {}
    for number, spec in enumerate(content.SEED_ANALYSES):
        page, created = ensure_analysis(index, spec, taxonomy, units, experts, cover_seed=number)
        pages[page.slug] = page
        if created:
            log(f"  analysis: {page.title} ({page.pdf.page_count} PDF pages)")
    # Editors' picks for "Related analyses", set once the targets exist.
    for spec in content.SEED_ANALYSES:
        if not spec.get("related"):
            continue
        page = fresh(pages[slugify(spec["title"])])
        if not page.related_analysis_links.exists():
            page.related_analysis_links = [
                RelatedAnalysis(analysis=pages[slug]) for slug in spec["related"]
            ]
            publish(page)
    return pages


def ensure_subnational_translation(page, french, experts):
    """The French version of the subnational diplomacy study, with its own French PDF."""
    existing = page.get_translation_or_none(french)
    if existing:
        return existing.specific, False
    data = content.SUBNATIONAL_FR
    english = next(s for s in content.SEED_ANALYSES if s["title"] == content.SUBNATIONAL_TITLE)
    spec = {**english, **data}
    names = author_names(english, experts)
    bios = {d["slug"]: d["bio_fr"] for d in content.EXPERTS}
    about = [a if isinstance(a, tuple) else (experts[a].title, bios[a]) for a in english["authors"]]
    document = make_document(
        data["title"], analysis_pdf(spec, names, about_authors=about, french=True), data["pdf_name"]
    )
    return ensure_translation(
        page,
        french,
        slug=data["slug"],
        title=data["title"],
        summary=rich(data["summary"]),
        search_description=data["search_description"],
        pdf=document,
        body=[],
        # The hand-picked related analyses exist in English only.
        related_analysis_links=[],
    )


def ensure_translation_keeping_the_pdf(page, french):
    """A French version of a brief whose full text exists in English only: it keeps the
    English PDF, which the French page labels as English."""
    data = content.CITY_RISK_FR
    return ensure_translation(
        page,
        french,
        slug=data["slug"],
        title=data["title"],
        summary=rich(data["summary"]),
        search_description=data["search_description"],
        body=[],
        related_analysis_links=[],
    )


def ensure_generated_analyses(index, taxonomy, units, experts, log):
    created_count = 0
    specs = content.generated_analyses()
    for number, spec in enumerate(specs):
        _, created = ensure_analysis(
            index,
            spec,
            taxonomy,
            units,
            experts,
            cover_seed=100 + number if spec["with_cover"] else None,
        )
        created_count += created
        if created and created_count % 10 == 0:
            log(f"  {created_count} generated analyses...")
    log(f"  {created_count} generated analyses created ({len(specs)} in all)")


def ensure_featured(home, pages):
    """Editors' picks on a home page, set once."""
    home = fresh(home)
    if home.featured_analysis_links.exists() or not pages:
        return
    home.featured_analysis_links = [FeaturedAnalysis(analysis=page) for page in pages]
    publish(home)


def ensure_admin():
    data = content.ADMIN
    User = get_user_model()
    if User.objects.filter(username=data["username"]).exists():
        return False
    User.objects.create_superuser(data["username"], data["email"], data["password"])
    return True


def ensure_demo_users():
    """One user per editorial role (content.DEMO_USERS), created if missing. Returns the names
    of those created."""
    User = get_user_model()
    created = []
    for data in content.DEMO_USERS:
        if User.objects.filter(username=data["username"]).exists():
            continue
        user = User.objects.create_user(
            data["username"],
            data["email"],
            data["password"],
            first_name=data["first_name"],
            last_name=data["last_name"],
        )
        groups = [Group.objects.get(name=name) for name in data["groups"]]
        if data.get("staff_of_center"):
            center = ResearchCenterPage.objects.get(
                slug=data["staff_of_center"], locale__language_code="en"
            )
            groups.append(
                CenterStaffGroup.objects.get(translation_key=center.translation_key).group
            )
        user.groups.set(groups)
        created.append(data["username"])
    return created


def expected_slugs():
    return [slugify(spec["title"]) for spec in content.SEED_ANALYSES] + [
        spec["slug"] for spec in content.generated_analyses()
    ]


def is_loaded():
    """Whether everything this loader creates is already there (a cheap check)."""
    slugs = expected_slugs()
    analyses = AnalysisPage.objects.filter(locale__language_code="en", slug__in=slugs)
    return (
        analyses.count() == len(slugs)
        and AnalysisPage.objects.filter(
            locale__language_code="fr", slug=content.SUBNATIONAL_FR["slug"]
        ).exists()
        and get_user_model().objects.filter(username=content.ADMIN["username"]).exists()
        and get_user_model()
        .objects.filter(username__in=[data["username"] for data in content.DEMO_USERS])
        .count()
        == len(content.DEMO_USERS)
        and ProgrammePage.objects.filter(slug=content.ARCHIVED_PROGRAMME["slug"]).exists()
        and not ResearchCenterPage.objects.filter(head__isnull=True).exists()
    )
