"""One origin for every absolute URL the site writes: the Wagtail Site record's root URL
(``https://example.org``), which is set from configuration (``settings.SITE_BASE_URL``) by
``manage.py configure_site`` at each deploy (``make run`` does it for the port it serves).

Pages get theirs from Wagtail (``page.get_full_url``, ``{% fullpageurl %}``), which reads the Site
record; everything else that is not a page (robots.txt's sitemap, the feeds, the PDFs, images)
asks ``absolute_url`` here, which reads the same record. The host a request came in on is never
used, so a page reached through ``127.0.0.1``, a load balancer's name or a stray ``Host`` header
still names the site's one public address.

Wagtail's Site has a host name and a port, no scheme: port 443 is ``https``, any other port is
``http`` (``Site.root_url``). ``parse_base_url`` refuses a base URL that the record could not give
back unchanged.
"""

from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from wagtail.models import Site

DEFAULT_PORTS = {"http": 80, "https": 443}


def parse_base_url(base_url):
    """(host name, port) of a base URL such as ``https://example.org`` or
    ``http://127.0.0.1:8000``; ImproperlyConfigured if the Wagtail Site record cannot hold it."""
    parts = urlsplit((base_url or "").strip())
    if parts.scheme not in DEFAULT_PORTS or not parts.hostname:
        raise ImproperlyConfigured(
            f"SITE_BASE_URL must be an http:// or https:// URL with a host name, not {base_url!r}."
        )
    if parts.path not in ("", "/") or parts.query or parts.fragment or parts.username:
        raise ImproperlyConfigured(
            f"SITE_BASE_URL is a scheme, a host and an optional port only, not {base_url!r}."
        )
    try:
        port = parts.port or DEFAULT_PORTS[parts.scheme]
    except ValueError as exc:
        raise ImproperlyConfigured(f"SITE_BASE_URL has an invalid port: {base_url!r}.") from exc
    # Wagtail writes https:// for port 443 and http:// for every other port.
    if (parts.scheme == "https") != (port == 443):
        raise ImproperlyConfigured(
            f"SITE_BASE_URL {base_url!r}: the site's URLs are https:// on port 443 only, and "
            "http:// on any other port (Wagtail's Site record has no scheme of its own)."
        )
    return parts.hostname, port


def configure_default_site(base_url=None, root_page=None, site_name=None):
    """Point the default Wagtail Site at ``base_url`` (settings.SITE_BASE_URL by default), and at
    ``root_page`` when given; create it if there is none (then ``root_page`` is required).
    Returns (site, changed)."""
    hostname, port = parse_base_url(base_url or settings.SITE_BASE_URL)
    site = Site.objects.filter(is_default_site=True).first()
    if site is None:
        if root_page is None:
            raise ImproperlyConfigured("There is no default site yet: give its home page.")
        site = Site(is_default_site=True, root_page=root_page)
    wanted = {"hostname": hostname, "port": port}
    if root_page is not None:
        wanted["root_page_id"] = root_page.pk
    if site_name is not None:
        wanted["site_name"] = site_name
    changed = site.pk is None or any(getattr(site, name) != value for name, value in wanted.items())
    if changed:
        for name, value in wanted.items():
            setattr(site, name, value)
        site.save()  # Wagtail drops its cached site root paths on save
    return site, changed


def site_root_url(request=None):
    """The root URL of the Wagtail site serving ``request`` (the default site without one), such
    as ``https://example.org``. No query when Wagtail has already found the request's site (it
    does for every page it serves); else one, kept on the request."""
    site = Site.find_for_request(request) if request is not None else None
    if site is None:
        site = Site.objects.filter(is_default_site=True).first()
    return site.root_url if site is not None else settings.SITE_BASE_URL.rstrip("/")


def absolute_url(request, url, root_url=None):
    """``url`` made absolute on the site's root URL (``root_url`` when the caller has it already,
    as a page's metadata does); an absolute URL (a PDF in a storage bucket) is kept as it is."""
    if not url:
        return ""
    if url.startswith(("http://", "https://")):
        return url
    return f"{root_url or site_root_url(request)}{url}"
