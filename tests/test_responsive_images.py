"""Images as readers' browsers get them: an expert's photo (on their page and on person cards), a
figure in an analysis body and the home page's lead cover are each a <picture> of AVIF and WebP
sources with a JPEG fallback, in the sizes of the layout (static/css/site.css), with a width and a
height (no layout shift), loaded lazily unless they open the page, with the alt text an editor
wrote (none when ticked decorative); and their renditions come from what the page's own queries
loaded, one query for all images of a kind, never one per image (publications.renditions)."""

from html.parser import HTMLParser

from django.db import connection
from django.test import TestCase
from django.test.utils import CaptureQueriesContext
from wagtail.images import get_image_model
from wagtail.images.tests.utils import get_test_image_file

from tests.factories import (
    AnalysisPageFactory,
    CenterPageFactory,
    ExpertPageFactory,
    build_site,
    set_people,
)

RENDITION_TABLE = get_image_model().get_rendition_model()._meta.db_table
FIGURE_SIZES = (
    "(min-width: 68.5em) 672px, (min-width: 60em) calc(100vw - 26.5rem), "
    "(min-width: 44.5em) 672px, calc(100vw - 2.5rem)"
)


class Pictures(HTMLParser):
    """Each <picture> of a page: {"sources": [each <source>'s attributes], "img": <img>'s}."""

    def __init__(self):
        super().__init__()
        self.pictures, self.current = [], None

    def handle_starttag(self, tag, attrs):
        if tag == "picture":
            self.current = {"sources": [], "img": None}
        elif tag == "source" and self.current is not None:
            self.current["sources"].append(dict(attrs))
        elif tag == "img" and self.current is not None:
            self.current["img"] = dict(attrs)

    def handle_endtag(self, tag):
        if tag == "picture" and self.current is not None:
            self.pictures.append(self.current)
            self.current = None


def pictures(html, css_class=None):
    """The pictures of ``html``; with ``css_class``, those whose <img> has it."""
    parser = Pictures()
    parser.feed(html)
    return [
        picture
        for picture in parser.pictures
        if css_class is None or css_class in (picture["img"].get("class") or "").split()
    ]


def srcset_widths(srcset):
    """{"avif": [160, 320]}-style: the width descriptors of a srcset, by file format."""
    widths = {}
    for candidate in srcset.split(","):
        url, width = candidate.split()
        widths.setdefault(url.rsplit(".", 1)[1], []).append(int(width.rstrip("w")))
    return widths


def make_image(cls, title, description="", size=(640, 480)):
    """An image saved as an editor uploads one: its renditions are made once the upload commits
    (publications.renditions)."""
    with cls.captureOnCommitCallbacks(execute=True):
        return get_image_model().objects.create(
            title=title, description=description, file=get_test_image_file(size=size)
        )


class PictureAssertions:
    def assert_picture(self, picture, widths, sizes, lazy):
        """AVIF, then WebP, then the JPEG <img>: each at ``widths``, with ``sizes``; the <img>
        with the smallest JPEG's width and height, lazy or not."""
        sources = picture["sources"]
        self.assertEqual([source["type"] for source in sources], ["image/avif", "image/webp"])
        for source, fmt in zip(sources, ("avif", "webp"), strict=True):
            self.assertEqual(srcset_widths(source["srcset"]), {fmt: widths})
            self.assertEqual(source["sizes"], sizes)
        img = picture["img"]
        self.assertEqual(srcset_widths(img["srcset"]), {"jpg": widths})
        self.assertEqual(img["sizes"], sizes)
        self.assertTrue(img["src"].endswith(".jpg"), img["src"])
        self.assertEqual(int(img["width"]), widths[0])
        self.assertTrue(int(img["height"]) > 0)
        self.assertEqual(img.get("loading"), "lazy" if lazy else None)

    def rendition_queries(self, url):
        """The queries on the renditions table while the page at ``url`` is served (warm)."""
        self.client.get(url)
        with CaptureQueriesContext(connection) as context:
            self.assertEqual(self.client.get(url).status_code, 200)
        return [q["sql"] for q in context.captured_queries if RENDITION_TABLE in q["sql"]]


class ExpertPhotoTests(PictureAssertions, TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.tree = build_site()
        cls.center = CenterPageFactory(parent=cls.tree.centers, title="Africa centre")
        cls.described = ExpertPageFactory(
            parent=cls.center,
            title="Amina Diallo",
            photo=make_image(cls, "Amina", "Amina Diallo at a conference"),
        )
        cls.decorative = ExpertPageFactory(
            parent=cls.center,
            title="Jonas Berg",
            photo=make_image(cls, "Jonas", "A man in a grey jacket"),
            photo_is_decorative=True,
        )
        cls.others = [
            ExpertPageFactory(
                parent=cls.center,
                title=f"Expert {i}",
                photo=make_image(cls, f"Expert {i}", f"Portrait of expert {i}"),
            )
            for i in range(4)
        ]
        set_people(cls.center, head=cls.described, team=[cls.decorative, *cls.others])
        cls.center.save_revision().publish()

    def html(self, page):
        response = self.client.get(page.url)
        self.assertEqual(response.status_code, 200)
        return response.content.decode()

    def test_the_expert_page_shows_the_photo_at_once_in_the_page_s_sizes(self):
        (picture,) = pictures(self.html(self.described), "expert__image")
        self.assert_picture(picture, [160, 320], "(min-width: 48em) 160px, 128px", lazy=False)
        self.assertEqual(picture["img"]["alt"], "Amina Diallo at a conference")

    def test_a_decorative_photo_has_an_empty_alt_on_the_expert_page(self):
        (picture,) = pictures(self.html(self.decorative), "expert__image")
        self.assertEqual(picture["img"]["alt"], "")

    def test_person_cards_show_the_photos_at_72_pixels_lazily_after_the_first_screen(self):
        cards = pictures(self.html(self.center), "person-card__photo")
        self.assertEqual(len(cards), 2 + len(self.others))
        # The team follows the page's header: the head and the next two are in the first screen.
        for number, picture in enumerate(cards):
            self.assert_picture(picture, [80, 160], "72px", lazy=number >= 3)
        alts = [picture["img"]["alt"] for picture in cards]
        self.assertEqual(alts[:3], ["Amina Diallo at a conference", "", "Portrait of expert 0"])

    def test_the_team_s_photos_are_one_query_whatever_their_number(self):
        self.assertEqual(len(self.rendition_queries(self.center.url)), 1)


class FigureTests(PictureAssertions, TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.tree = build_site()
        chart = make_image(cls, "Chart", "Unused description", size=(1600, 1000))
        ornament = make_image(cls, "Ornament", "An ornament", size=(1600, 1000))
        figure = cls.figure
        cls.page = AnalysisPageFactory(
            parent=cls.tree.analyses,
            body=[
                figure(chart, "Exports of the ten largest cities, 2010-2024"),
                {"type": "paragraph", "value": "<p>Between the figures.</p>"},
                figure(ornament, "", decorative=True),
                figure(chart, "The same chart, again"),
            ],
        )
        cls.one_figure = AnalysisPageFactory(
            parent=cls.tree.analyses, body=[figure(ornament, "Alone")]
        )
        cls.three_images = AnalysisPageFactory(
            parent=cls.tree.analyses,
            body=[
                figure(make_image(cls, f"Map {number}", size=(1600, 1000)), f"Map {number}")
                for number in range(3)
            ],
        )

    @staticmethod
    def figure(image, alt_text, decorative=False):
        value = {"image": image.pk, "alt_text": alt_text, "decorative": decorative}
        return {"type": "figure", "value": {"image": value, "caption": "A caption"}}

    def test_figures_are_pictures_as_wide_as_the_text_column(self):
        html = self.client.get(self.page.url).content.decode()
        figures = pictures(html, "figure__image")
        self.assertEqual(len(figures), 3)
        # The figure that opens the body may be in the first screen: not lazy; the others are.
        for picture, lazy in zip(figures, (False, True, True), strict=True):
            self.assert_picture(picture, [480, 800, 1200], FIGURE_SIZES, lazy=lazy)
        alts = [picture["img"]["alt"] for picture in figures]
        self.assertEqual(
            alts, ["Exports of the ten largest cities, 2010-2024", "", "The same chart, again"]
        )

    def test_the_figures_renditions_are_one_query_whatever_their_number(self):
        self.assertEqual(len(self.rendition_queries(self.one_figure.url)), 1)
        self.assertEqual(len(self.rendition_queries(self.three_images.url)), 1)
        # The same image twice, each with its own alt text: one query more.
        self.assertEqual(len(self.rendition_queries(self.page.url)), 2)


class HomeLeadCoverTests(PictureAssertions, TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.tree = build_site()
        for number in range(3):
            AnalysisPageFactory(
                parent=cls.tree.analyses,
                title=f"With a cover {number}",
                cover_image=make_image(cls, f"Cover {number}", size=(720, 960)),
            )

    def test_the_lead_cover_fills_its_column_and_is_read_with_the_cards_thumbnails(self):
        html = self.client.get(self.tree.home.url).content.decode()
        lead = html[html.index('class="lead__image"') :]
        (picture,) = pictures(lead[: lead.index("</picture>") + len("</picture>")])
        self.assert_picture(picture, [176, 256, 512], "(min-width: 48em) 256px, 112px", lazy=False)
        self.assertEqual(picture["img"]["alt"], "")  # the title beside it says it all
        # The lead's renditions, then the other cards' thumbnails: nothing made or looked up
        # while the template renders.
        self.assertEqual(len(self.rendition_queries(self.tree.home.url)), 2)
