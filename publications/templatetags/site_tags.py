"""Template tags of the public site: the header navigation, the language versions of a page, the
site name and pagination links.

Each tag states what it costs. Templates do no queries of their own; the few a tag needs are here,
counted, and cached on the request so that a tag used twice on a page costs nothing the second
time.
"""

from django import template
from django.conf import settings
from django.db.models import Q
from django.urls import reverse
from django.utils import translation
from django.utils.translation import get_language_info
from wagtail.coreutils import get_supported_content_language_variant
from wagtail.models import Page, Site

from publications import language_switch, site_names
from publications.memo import per_request
from publications.page_cache import cached
from publications.site_origin import absolute_url
from publications.visibility import public

register = template.Library()


# --- Helpers ---------------------------------------------------------------------------------


def _active_language():
    """The active content language ("en", "fr"), as set from the URL prefix."""
    try:
        return get_supported_content_language_variant(translation.get_language())
    except LookupError:
        return settings.LANGUAGE_CODE


def _site_root_paths(request):
    """Wagtail's list of (site, root url_path, root url, language) for every site and every
    translation of its home page (kept in the cache by Wagtail), once per request."""
    return per_request(request, "site-root-paths", Site.get_site_root_paths)


def _language_home_url(language_code):
    """/en/, /fr/: the home page of a language, without a query."""
    with translation.override(language_code):
        return reverse("wagtail_serve", args=("",))


# --- Site name ---------------------------------------------------------------------------------


@register.simple_tag(takes_context=True)
def site_name(context):
    """The institute's name in the active language (publications.site_names). No query."""
    return site_names.site_name(request=context.get("request"))


@register.simple_tag(takes_context=True)
def site_tagline(context):
    """The institute's tagline in the active language ("" for none). No query."""
    return site_names.site_tagline(request=context.get("request"))


META_DESCRIPTION_FIELDS = ("search_description", "intro", "introduction", "description", "bio")
META_DESCRIPTION_WORDS = 40


@register.simple_tag(takes_context=True)
def meta_description(context, page):
    """`{% meta_description page %}`: the page's search description, else the first of its own
    texts that has one (an index's introduction, a centre's description, an expert's biography),
    as plain text of at most 40 words; else "<title>: <site name>". No query."""
    from django.utils.html import strip_tags
    from django.utils.text import Truncator

    for name in META_DESCRIPTION_FIELDS:
        value = getattr(page, name, None)
        if isinstance(value, str) and value.strip():
            text = " ".join(strip_tags(value.replace("</p>", "</p> ")).split())
            if text:
                return Truncator(text).words(META_DESCRIPTION_WORDS)
    return f"{page.title}: {site_names.site_name(request=context.get('request'))}"


@register.simple_tag
def contact_email():
    """The address readers write to (settings.SITE_CONTACT_EMAIL; "" for none). No query."""
    return settings.SITE_CONTACT_EMAIL


# --- Header pages: navigation and language versions, in one query ------------------------------


def _root_path(request, language_code):
    """The url_path of the current site's home page in ``language_code`` ("/home/"), or None.
    No query: Wagtail's site root paths are cached (and `{% pageurl %}` loads them anyway)."""
    site = Site.find_for_request(request) if request is not None else None
    if site is None:
        return None
    return next(
        (
            srp.root_path
            for srp in _site_root_paths(request)
            if srp.site_id == site.pk and srp.language_code == language_code
        ),
        None,
    )


def header_pages(request, language_code, page=None):
    """Every page the header needs, in ONE query (none if there is nothing to look up):

    - ``home``: the home page of the current site in ``language_code`` (or None);
    - ``menu``: its live, public children with "show in menus" ticked, in tree order;
    - ``translations``: when ``page`` is given, its live, public language versions, itself
      included, locale joined (else None).
    """
    conditions = []
    root_path = _root_path(request, language_code)
    # A url_path has one segment per tree level: "/" is the root (depth 1), "/home/" depth 2.
    home_depth = root_path.count("/") if root_path else None
    if root_path:
        conditions.append(Q(url_path=root_path))
        conditions.append(
            Q(url_path__startswith=root_path, depth=home_depth + 1, show_in_menus=True)
        )
    if page is not None and page.translation_key:
        conditions.append(Q(translation_key=page.translation_key))
    rows = []
    if conditions:
        query = conditions[0]
        for condition in conditions[1:]:
            query |= condition
        rows = list(
            public(Page.objects.filter(query), request).select_related("locale").order_by("path")
        )

    def in_menu(row):
        return (
            root_path is not None
            and row.depth == home_depth + 1
            and row.show_in_menus
            and row.url_path.startswith(root_path)
        )

    return {
        "home": next((row for row in rows if row.url_path == root_path), None),
        "menu": [row for row in rows if in_menu(row)],
        "translations": (
            [row for row in rows if row.translation_key == page.translation_key]
            if page is not None
            else None
        ),
    }


def _shared_header_pages(request, language_code, page):
    """header_pages() through the shared cache, under the content generation: no query at all
    until something is published, moved or deleted (publications.page_cache). Not for previews,
    where ``page`` may be an unsaved draft."""
    if request is None or getattr(request, "is_preview", False):
        return header_pages(request, language_code, page)
    site = Site.find_for_request(request)
    return cached(
        request,
        (
            "header",
            site.pk if site else "",
            language_code,
            page.translation_key if page is not None else "",
        ),
        lambda: header_pages(request, language_code, page),
    )


def _header_data(context):
    """header_pages() for the page being rendered, once per request, shared by both tags. The
    translations are left out of the query when the context already has them (analysis page)."""
    request = context.get("request")
    page = context.get("page")
    if not isinstance(page, Page):
        page = None
    language_code = _active_language()
    lookup_page = page if context.get("translations") is None else None
    key = ("header", language_code, id(lookup_page))
    data = per_request(
        request, key, lambda: _shared_header_pages(request, language_code, lookup_page)
    )
    translations = context.get("translations")
    if translations is None:
        translations = data["translations"]
    return page, language_code, data, translations


@register.simple_tag(takes_context=True)
def site_navigation(context):
    """`{% site_navigation as navigation %}`: ``navigation.home`` (the home page of the active
    language, or None), ``navigation.home_url`` (/en/, /fr/) and ``navigation.items``, a list of
    {"page", "current"} where current is "page" for the page being shown, "true" for the section
    it is in, else None. One query per request, shared with `{% language_versions %}`."""
    page, language_code, data, _translations = _header_data(context)
    current_path = page.path if page is not None and page.path else ""
    items = []
    for item in data["menu"]:
        if current_path == item.path:
            state = "page"
        elif current_path.startswith(item.path):
            state = "true"
        else:
            state = None
        items.append({"page": item, "current": state})
    return {"home": data["home"], "items": items, "home_url": _language_home_url(language_code)}


# --- Language versions -------------------------------------------------------------------------


@register.simple_tag(takes_context=True)
def language_versions(context):
    """`{% language_versions as languages %}`: one entry per language in settings.LANGUAGES, in
    that order: {"code", "name" (in its own language), "translation" (the live Page in that
    language, or None), "url" (where the switcher takes the reader: publications.language_switch),
    "alternate" (the URL of the same content in that language, for ``hreflang``, or None),
    "is_current"}.

    Reuses ``translations`` from the context when the page provides it (the analysis page);
    otherwise they come with the navigation, in the same single query (see header_pages). The
    switcher's URLs cost no query: a page without a version in a language links to
    ``switch/<id>/``, which finds the closest translated ancestor when followed."""
    request = context.get("request")
    page, active, _data, translations = _header_data(context)
    by_language = {}
    for version in translations or []:
        by_language.setdefault(version.locale.language_code, version)
    is_listing = page is not None and page._meta.model_name == "analysisindexpage"
    landing, landing_kind = context.get("landing"), context.get("landing_kind")

    languages = []
    for code, _name in settings.LANGUAGES:
        version = by_language.get(code)
        if page is not None and version is not None:
            is_current = version.pk == page.pk
        else:
            is_current = code == active
        if is_current and page is not None:
            version = version or page
        alternate = version.get_url(request=request) if version else None
        if version is not None and is_listing:
            alternate = language_switch.listing_url(
                request, version, landing, landing_kind, carry_query=False
            )
        if is_current:
            url = version.get_url(request=request) if version else _language_home_url(code)
        elif version is not None and is_listing:
            url = language_switch.listing_url(request, version, landing, landing_kind) or (
                version.get_url(request=request)
            )
        elif version is not None:
            url = version.get_url(request=request)
        elif page is not None and page.pk:
            url = language_switch.untranslated_url(page, code)
        elif _is_search(request):
            url = language_switch.search_url(request, code)
        else:
            url = _language_home_url(code)
        languages.append(
            {
                "code": code,
                "name": get_language_info(code)["name_local"],
                "translation": version,
                "url": url,
                "alternate": absolute_url(request, alternate) if alternate else None,
                "is_current": is_current,
            }
        )
    return languages


def _is_search(request):
    match = getattr(request, "resolver_match", None)
    return match is not None and match.url_name == "search"


@register.simple_tag(takes_context=True)
def default_language_version(context):
    """The entry of `{% language_versions %}` for the site's default language when the page has
    a version there (for ``hreflang="x-default"``), else None."""
    for language in language_versions(context):
        if language["code"] == settings.LANGUAGE_CODE:
            return language if language["alternate"] else None
    return None


# --- Pagination --------------------------------------------------------------------------------


@register.simple_tag
def elided_page_range(page_obj, on_each_side=1, on_ends=1):
    """`{% elided_page_range analyses as numbers %}`: 1 … 4 5 6 … 20. The ellipsis is
    ``page_obj.paginator.ELLIPSIS``. No query (the count is already known)."""
    return list(
        page_obj.paginator.get_elided_page_range(
            page_obj.number, on_each_side=on_each_side, on_ends=on_ends
        )
    )


@register.simple_tag(takes_context=True)
def page_number_url(context, number):
    """The current URL with ``?page=number``, other query parameters kept; page 1 has no
    ``page`` parameter (one URL per listing page). No query."""
    request = context["request"]
    params = request.GET.copy()
    params.pop("page", None)
    if int(number) > 1:
        params["page"] = number
    query = params.urlencode()
    return f"{request.path}?{query}" if query else request.path


@register.filter
def model_name(page):
    """`{% if page|model_name == "programmepage" %}`: the page's model, without a query."""
    return page._meta.model_name


@register.filter
def duration(delta):
    """A ``timedelta`` in words, in the active language: "1 hour", "1 heure"."""
    from django.utils import timezone
    from django.utils.timesince import timeuntil

    now = timezone.now()
    return timeuntil(now + delta, now)
