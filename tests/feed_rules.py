"""The rules of RSS 2.0 (the RSS Advisory Board's specification) and Atom 1.0 (RFC 4287), checked
on a feed's bytes with lxml, a strict XML parser (Django writes feeds with the standard library's
SAX writer; feedparser, which the reader tests use, forgives what these rules do not).

``read_rss`` and ``read_atom`` raise AssertionError listing every rule a feed breaks, and return
what a test compares: the feed's language and id, and each item's title, link, id, dates,
authors and enclosures.
"""

import datetime
import re
from email.utils import parsedate_to_datetime
from urllib.parse import urlsplit

from lxml import etree

ATOM = "http://www.w3.org/2005/Atom"
DC = "http://purl.org/dc/elements/1.1/"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
# RFC 822 (section 5), as RSS 2.0 asks, with a four-digit year: "Wed, 05 Nov 2025 00:00:00 +0000".
RFC822 = re.compile(
    r"^(Mon|Tue|Wed|Thu|Fri|Sat|Sun), \d{2} (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) "
    r"\d{4} \d{2}:\d{2}:\d{2} ([+-]\d{4}|GMT|UT|[ECMP][SD]T)$"
)
# RFC 3339 date-time (section 5.6), as Atom asks: "2025-11-05T00:00:00+00:00".
RFC3339 = re.compile(
    r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$", re.IGNORECASE
)
# A language tag (BCP 47 / RFC 1766 as RSS says): "en", "fr", "pt-BR".
LANGUAGE_TAG = re.compile(r"^[A-Za-z]{2,3}(-[A-Za-z0-9]{1,8})*$")
PARSER = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False)


class Rules:
    def __init__(self, name):
        self.name, self.broken = name, []

    def check(self, condition, message):
        if not condition:
            self.broken.append(message)
        return condition

    def done(self):
        if self.broken:
            raise AssertionError(f"{self.name} breaks:\n- " + "\n- ".join(self.broken))


def _absolute(url):
    parts = urlsplit(url or "")
    return parts.scheme in ("http", "https") and bool(parts.netloc)


def _rfc822(rules, text, where):
    if not rules.check(bool(RFC822.match(text or "")), f"{where}: {text!r} is not an RFC 822 date"):
        return None
    date = parsedate_to_datetime(text)
    rules.check(
        date.strftime("%a") == text[:3], f"{where}: {text!r} names the wrong day of the week"
    )
    return date


def _rfc3339(rules, text, where):
    if not rules.check(
        bool(RFC3339.match(text or "")), f"{where}: {text!r} is not an RFC 3339 date-time"
    ):
        return None
    return datetime.datetime.fromisoformat(text.upper().replace("Z", "+00:00"))


def _parse(rules, content):
    try:
        return etree.fromstring(content, PARSER)
    except etree.XMLSyntaxError as exc:
        rules.check(False, f"not well-formed XML: {exc}")
        rules.done()


def _one(rules, parent, tag, where, namespaces=None):
    found = parent.findall(tag, namespaces)
    rules.check(len(found) == 1, f"{where}: {len(found)} <{tag}> where one is required")
    return found[0] if found else None


def read_rss(content, name="RSS feed"):
    rules = Rules(name)
    root = _parse(rules, content)
    rules.check(root.tag == "rss", f"the root is <{root.tag}>, not <rss>")
    rules.check(root.get("version") == "2.0", f"version={root.get('version')!r}, not 2.0")
    channels = root.findall("channel")
    rules.check(len(channels) == 1, f"{len(channels)} <channel>")
    channel = channels[0]
    for tag in ("title", "link", "description"):
        element = _one(rules, channel, tag, "channel")
        if element is not None and tag != "description":
            rules.check(bool((element.text or "").strip()), f"channel: empty <{tag}>")
    channel_link = channel.findtext("link")
    rules.check(_absolute(channel_link), f"channel <link> {channel_link!r} is not an absolute URL")
    language = channel.findtext("language")
    rules.check(
        bool(LANGUAGE_TAG.match(language or "")), f"channel <language> {language!r} is no language"
    )
    for tag in ("pubDate", "lastBuildDate"):
        if channel.find(tag) is not None:
            _rfc822(rules, channel.findtext(tag), f"channel <{tag}>")
    selves = [
        link.get("href") for link in channel.findall(f"{{{ATOM}}}link") if link.get("rel") == "self"
    ]
    rules.check(len(selves) == 1 and _absolute(selves[0]), f"atom:link rel=self: {selves!r}")

    items, guids = [], set()
    for number, item in enumerate(channel.findall("item"), 1):
        where = f"item {number}"
        title, description = item.findtext("title"), item.findtext("description")
        rules.check(bool(title or description), f"{where}: neither title nor description")
        link = item.findtext("link")
        rules.check(_absolute(link), f"{where}: <link> {link!r} is not an absolute URL")
        guid_element = item.find("guid")
        guid = guid_element.text if guid_element is not None else None
        if rules.check(bool(guid), f"{where}: no <guid>"):
            rules.check(guid not in guids, f"{where}: <guid> {guid} repeats another item's")
            guids.add(guid)
            if guid_element.get("isPermaLink", "true") == "true":
                rules.check(_absolute(guid), f"{where}: permalink <guid> {guid!r} is not a URL")
        published = None
        if rules.check(item.find("pubDate") is not None, f"{where}: no <pubDate>"):
            published = _rfc822(rules, item.findtext("pubDate"), f"{where} <pubDate>")
        enclosures = item.findall("enclosure")
        rules.check(len(enclosures) <= 1, f"{where}: {len(enclosures)} enclosures")
        found = []
        for enclosure in enclosures:
            url, length, mime = (enclosure.get(name) for name in ("url", "length", "type"))
            rules.check(_absolute(url), f"{where}: enclosure url {url!r}")
            rules.check((length or "").isdigit(), f"{where}: enclosure length {length!r}")
            rules.check(bool(mime), f"{where}: enclosure without a type")
            found.append({"url": url, "length": int(length or 0), "type": mime})
        categories = [category.text for category in item.findall("category")]
        rules.check(all(categories), f"{where}: an empty <category>")
        authors = [creator.text for creator in item.findall(f"{{{DC}}}creator")]
        rules.check(all(authors), f"{where}: an empty <dc:creator>")
        rules.check(
            all(author and "," not in author for author in authors),
            f"{where}: several authors in one <dc:creator>: {authors}",
        )
        items.append(
            {
                "title": title,
                "link": link,
                "id": guid,
                "published": published,
                "authors": [{"name": author} for author in authors],
                "enclosures": found,
                "categories": categories,
            }
        )
    rules.done()
    return {
        "language": language,
        "link": channel_link,
        "self": selves[0] if selves else None,
        "id": None,
        "items": items,
    }


def read_atom(content, name="Atom feed"):
    rules = Rules(name)
    root = _parse(rules, content)
    ns = {"a": ATOM}
    rules.check(root.tag == f"{{{ATOM}}}feed", f"the root is <{root.tag}>, not Atom's <feed>")
    language = root.get(XML_LANG)
    rules.check(bool(LANGUAGE_TAG.match(language or "")), f"xml:lang {language!r} is no language")
    feed_id = _one(rules, root, "a:id", "feed", ns)
    feed_id = feed_id.text if feed_id is not None else None
    rules.check(_absolute(feed_id), f"feed <id> {feed_id!r} is not an absolute IRI")
    _one(rules, root, "a:title", "feed", ns)
    updated = _one(rules, root, "a:updated", "feed", ns)
    if updated is not None:
        _rfc3339(rules, updated.text, "feed <updated>")
    links = root.findall("a:link", ns)
    alternates = [link for link in links if link.get("rel", "alternate") == "alternate"]
    keys = [(link.get("type"), link.get("hreflang")) for link in alternates]
    rules.check(len(keys) == len(set(keys)), "feed: two rel=alternate links of one type and lang")
    rules.check(all(_absolute(link.get("href")) for link in links), "feed: a relative <link>")
    selves = [link.get("href") for link in links if link.get("rel") == "self"]
    rules.check(len(selves) == 1, f"feed: rel=self links {selves!r}")
    feed_authors = root.findall("a:author", ns)

    entries, ids = [], set()
    for number, entry in enumerate(root.findall("a:entry", ns), 1):
        where = f"entry {number}"
        entry_id = _one(rules, entry, "a:id", where, ns)
        entry_id = entry_id.text if entry_id is not None else None
        if rules.check(_absolute(entry_id), f"{where}: <id> {entry_id!r} is not an IRI"):
            rules.check(entry_id not in ids, f"{where}: <id> {entry_id} repeats another entry's")
            ids.add(entry_id)
        title = _one(rules, entry, "a:title", where, ns)
        entry_updated = _one(rules, entry, "a:updated", where, ns)
        entry_updated = entry_updated is not None and _rfc3339(
            rules, entry_updated.text, f"{where} <updated>"
        )
        published = entry.findall("a:published", ns)
        rules.check(len(published) <= 1, f"{where}: {len(published)} <published>")
        published = published and _rfc3339(rules, published[0].text, f"{where} <published>")
        authors = []
        for author in entry.findall("a:author", ns):
            names = author.findall("a:name", ns)
            rules.check(
                len(names) == 1 and bool(names[0].text), f"{where}: an author needs one name"
            )
            uri = author.findtext("a:uri", namespaces=ns)
            if uri is not None:
                rules.check(_absolute(uri), f"{where}: author <uri> {uri!r}")
            authors.append({"name": names[0].text if names else None, "uri": uri})
        rules.check(
            bool(authors or feed_authors), f"{where}: no author, and the feed names none either"
        )
        entry_links = entry.findall("a:link", ns)
        alternate = [link for link in entry_links if link.get("rel", "alternate") == "alternate"]
        rules.check(len(alternate) == 1, f"{where}: {len(alternate)} rel=alternate links")
        rules.check(
            all(_absolute(link.get("href")) for link in entry_links), f"{where}: relative link"
        )
        enclosures = []
        for link in entry_links:
            if link.get("rel") != "enclosure":
                continue
            length = link.get("length")
            rules.check((length or "").isdigit(), f"{where}: enclosure length {length!r}")
            enclosures.append(
                {"url": link.get("href"), "length": int(length or 0), "type": link.get("type")}
            )
        if entry.find("a:content", ns) is None:
            rules.check(
                entry.find("a:summary", ns) is not None or bool(alternate),
                f"{where}: no content, no summary and no alternate link",
            )
        entries.append(
            {
                "title": title.text if title is not None else None,
                "link": alternate[0].get("href") if alternate else None,
                "id": entry_id,
                "published": published or None,
                "updated": entry_updated or None,
                "authors": authors,
                "enclosures": enclosures,
                "categories": [c.get("term") for c in entry.findall("a:category", ns)],
            }
        )
    rules.done()
    alternate = alternates[0].get("href") if alternates else None
    return {
        "language": language,
        "link": alternate,
        "self": selves[0] if selves else None,
        "id": feed_id,
        "items": entries,
    }


def read_feed(content, name):
    """read_atom for a ``.atom`` URL, else read_rss."""
    return read_atom(content, name) if name.endswith(".atom") else read_rss(content, name)
