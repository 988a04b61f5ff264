from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.contrib.staticfiles.urls import staticfiles_urlpatterns
from django.urls import include, path, re_path
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

from config.health import healthz
from publications import feeds, oai, page_passwords, sitemaps
from publications import views as publication_views
from publications.api import api_router

urlpatterns = [
    # For load balancers and container healthchecks: not under a language prefix, no login.
    path("healthz", healthz, name="healthz"),
    path("admin/", include(wagtailadmin_urls)),
    # Wagtail's document view, with the right headers (publications.views.serve_document); the
    # rest of Wagtail's document URLs (the password form of a restricted collection) as they are.
    re_path(r"^documents/(\d+)/(.*)$", publication_views.serve_document, name="wagtaildocs_serve"),
    path("documents/", include(wagtaildocs_urls)),
    path("sitemap.xml", sitemaps.sitemap_view, name="sitemap"),
    path("robots.txt", publication_views.robots_txt, name="robots_txt"),
    # OAI-PMH 2.0 for harvesters (one base URL for every language: records carry their own).
    path("oai/", oai.oai_pmh, name="oai_pmh"),
    # The public read API: analyses, themes, regions, centres, experts (publications.api).
    path("api/v2/", api_router.urls),
    path("favicon.ico", publication_views.favicon, name="favicon"),
]

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += staticfiles_urlpatterns()
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

# Every public page lives under its language: /en/..., /fr/...
urlpatterns += i18n_patterns(
    path("search/", publication_views.search_view, name="search"),
    path("search/suggest/", publication_views.suggest_view, name="search_suggest"),
    path("legal/", publication_views.legal_notice, name="legal_notice"),
    path(
        "switch/<int:page_id>/",
        publication_views.language_switch_view,
        name="language_switch",
    ),
    path("feeds/analyses.rss", feeds.AnalysesFeed(), name="analyses_feed_rss"),
    path("feeds/analyses.atom", feeds.AnalysesAtomFeed(), name="analyses_feed_atom"),
    path("feeds/<slug:kind>/<slug:slug>.rss", feeds.AnalysesFeed(), name="analyses_feed_rss_by"),
    path(
        "feeds/<slug:kind>/<slug:slug>.atom",
        feeds.AnalysesAtomFeed(),
        name="analyses_feed_atom_by",
    ),
    # Wagtail's own URL for a page's password, answered first by a view that throttles it.
    path(
        "_util/authenticate_with_password/<int:page_view_restriction_id>/<int:page_id>/",
        page_passwords.authenticate_with_password,
        name="wagtailcore_authenticate_with_password",
    ),
    path("", include(wagtail_urls)),
    prefix_default_language=True,
)
