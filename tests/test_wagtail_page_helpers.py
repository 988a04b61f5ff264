"""Wagtail's own page test helpers pass on one page of every page type, in both languages: the
page routes, renders, can be edited (the edit form read back from its HTML and posted) and
previewed."""

from django.test import override_settings
from django.urls import reverse
from django.utils import translation
from wagtail.test.utils import WagtailPageTestCase
from wagtail.test.utils.form_data import (
    nested_form_data,
    querydict_from_html,
    rich_text,
    streamfield,
)

from publications.models import AnalysisPage
from tests.factories import (
    AnalysisPageFactory,
    CenterPageFactory,
    DocumentFactory,
    ExpertPageFactory,
    ProgrammePageFactory,
    RegionFactory,
    ThemeFactory,
    UserFactory,
    build_site,
    set_people,
    translate,
)


class EveryPageTypeTests(WagtailPageTestCase):
    @classmethod
    def setUpTestData(cls):
        cls.tree = build_site()
        centre = CenterPageFactory(parent=cls.tree.centers)
        programme = ProgrammePageFactory(parent=centre)
        expert = ExpertPageFactory(parent=centre)
        set_people(centre, head=expert, team=[expert])
        analysis = AnalysisPageFactory(
            parent=cls.tree.analyses,
            authors=[expert, "Outside Author"],
            units=[programme],
            themes=[ThemeFactory()],
            regions=[RegionFactory()],
            pdf=DocumentFactory(),
            body=[("paragraph", "<p>Key point.</p>")],
        )
        english = [
            cls.tree.home,
            cls.tree.analyses,
            analysis,
            cls.tree.centers,
            centre,
            programme,
            expert,
        ]
        cls.pages = english + [translate(page, "fr") for page in english]
        cls.editor = UserFactory(username="helper-editor", is_superuser=True, is_staff=True)

    def each_page(self):
        for page in self.pages:
            page = page.specific_class.objects.get(pk=page.pk)
            with self.subTest(page=type(page).__name__, language=page.locale.language_code):
                yield page

    @override_settings(ROOT_URLCONF="tests.urls_without_language_prefix")
    def test_every_page_is_routable(self):
        for page in self.each_page():
            with translation.override(page.locale.language_code):
                self.assertPageIsRoutable(page)

    def test_every_page_is_renderable(self):
        for page in self.each_page():
            self.assertPageIsRenderable(page)

    def form_data(self, page):
        """The page's edit form as the admin renders it, plus the analysis body: a StreamField,
        which the admin draws with JavaScript (no inputs in the HTML to read back)."""
        if not isinstance(page, AnalysisPage):
            return None
        self.client.force_login(self.editor)
        html = self.client.get(reverse("wagtailadmin_pages:edit", args=[page.pk])).content
        self.client.logout()
        data = querydict_from_html(html.decode(), form_id="page-edit-form")
        body = nested_form_data(
            {"body": streamfield([("paragraph", rich_text("<p>Key point.</p>"))])}
        )
        for name, value in body.items():
            data[name] = value
        data["action-publish"] = ""
        return data

    def test_every_page_is_editable(self):
        for page in self.each_page():
            self.assertPageIsEditable(page, post_data=self.form_data(page))

    def test_every_page_is_previewable(self):
        for page in self.each_page():
            self.assertPageIsPreviewable(page, post_data=self.form_data(page))
