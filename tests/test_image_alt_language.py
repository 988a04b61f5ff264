"""Alt text in the reader's language, or marked with its own: an analysis may give its cover an
alt text in its language; otherwise the image's description is used, with the ``lang`` of the
language image descriptions are written in when the page is in another."""

from html.parser import HTMLParser

from django.test import TestCase
from wagtail.images.models import Image
from wagtail.images.tests.utils import get_test_image_file

from tests.factories import (
    AnalysisPageFactory,
    CenterPageFactory,
    ExpertPageFactory,
    build_site,
    translate,
)


class _ImageTags(HTMLParser):
    def __init__(self):
        super().__init__()
        self.images = []

    def handle_starttag(self, tag, attrs):
        if tag == "img":
            self.images.append(dict(attrs))


def cover_image(html):
    """The attributes of the analysis cover's <img>, whatever their order."""
    parser = _ImageTags()
    parser.feed(html)
    (cover,) = [img for img in parser.images if "analysis__cover-image" in img.get("class", "")]
    return cover


class ImageAltLanguageTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.tree = build_site()
        translate(cls.tree.home, "fr", title="Accueil")
        translate(cls.tree.analyses, "fr", title="Analyses")
        translate(cls.tree.centers, "fr", title="Centres")
        cls.image = Image.objects.create(
            title="Map", file=get_test_image_file(), description="A map of city networks"
        )
        cls.english = AnalysisPageFactory(parent=cls.tree.analyses, cover_image=cls.image)
        cls.french = translate(cls.english, "fr", title="Les réseaux de villes")
        other = AnalysisPageFactory(parent=cls.tree.analyses, cover_image=cls.image)
        cls.french_own_alt = translate(
            other, "fr", title="Les cartes", cover_alt_text="Une carte des réseaux de villes"
        )
        centre = CenterPageFactory(parent=cls.tree.centers)
        cls.french_centre = translate(centre, "fr", title="Centre")
        photo = Image.objects.create(
            title="Portrait", file=get_test_image_file(), description="Portrait of Jane Doe"
        )
        expert = ExpertPageFactory(parent=centre, title="Jane Doe", photo=photo)
        cls.french_expert = translate(expert, "fr")

    def test_cover_on_english_page(self):
        html = self.client.get(self.english.url).content.decode()
        cover = cover_image(html)
        self.assertEqual(cover["alt"], "A map of city networks")
        self.assertNotIn("lang", cover)
        self.assertIn('<meta property="og:image:alt" content="A map of city networks">', html)

    def test_english_description_on_french_page_says_it_is_english(self):
        html = self.client.get(self.french.url).content.decode()
        cover = cover_image(html)
        self.assertEqual(cover["alt"], "A map of city networks")
        self.assertEqual(cover["lang"], "en")

    def test_french_alt_text_of_the_page(self):
        html = self.client.get(self.french_own_alt.url).content.decode()
        cover = cover_image(html)
        self.assertEqual(cover["alt"], "Une carte des réseaux de villes")
        self.assertNotIn("lang", cover)
        self.assertIn('content="Une carte des réseaux de villes"', html)

    def test_expert_photo_on_french_page(self):
        html = self.client.get(self.french_expert.url).content.decode()
        self.assertRegex(html, r'<img alt="Portrait of Jane Doe" [^>]*lang="en"')
