"""Template tags of discovery: feed links for a page's <head>, JSON-LD data blocks, citation
formats. None of them runs a query."""

import json

from django import template
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from publications.feeds import feed_url
from publications.search import highlight

register = template.Library()

# The characters that could end a <script> data block or open an HTML comment, as JSON escapes
# (what Django's json_script does).
_JSON_SCRIPT_ESCAPES = {ord(">"): "\\u003E", ord("<"): "\\u003C", ord("&"): "\\u0026"}


@register.simple_tag
def feed_links(kind="all", ident=None, name=None):
    """`{% feed_links "expert" page.pk page.title %}`: the RSS and Atom <link rel="alternate">
    of a feed (kind: all, theme, region, unit, expert), for the <head>."""
    title = name or _("All analyses")
    return format_html_join(
        "\n    ",
        '<link rel="alternate" type="{}" title="{} ({})" href="{}">',
        [
            ("application/rss+xml", title, "RSS", feed_url(kind, ident, "rss")),
            ("application/atom+xml", title, "Atom", feed_url(kind, ident, "atom")),
        ],
    )


@register.filter
def json_ld(data):
    """`{{ json_ld_data|json_ld }}`: a <script type="application/ld+json"> data block. Not executed,
    so the Content-Security-Policy allows it; escaped so that no value can close the element."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":")).translate(
        _JSON_SCRIPT_ESCAPES
    )
    return format_html('<script type="application/ld+json">{}</script>', mark_safe(text))


@register.simple_tag
def search_snippet(text, query):
    """`{% search_snippet card.teaser query %}`: the text shortened, the query's words marked."""
    return highlight(text, query)


@register.filter
def verbose_name(instance):
    """`{{ page|verbose_name }}`: "expert", "programme"... for a specific page or a plain Page
    with its content type loaded. No query."""
    model = instance.specific_class if hasattr(instance, "specific_class") else type(instance)
    return (model or type(instance))._meta.verbose_name
