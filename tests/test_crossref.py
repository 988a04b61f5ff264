"""Crossref deposits (publications.crossref): the deposit file of the public analyses that have a
DOI of their own, checked against Crossref's documented rules (tests/crossref_rules.py: no
dependency ships Crossref's schema); the command, the admin download, and sending, which only
happens when configured (here a stand-in for the HTTP post: no network)."""

import datetime
import tempfile
from io import StringIO
from pathlib import Path
from unittest import mock

from django.core.exceptions import ImproperlyConfigured
from django.core.management import CommandError, call_command
from django.db import connection
from django.test import TestCase, override_settings
from django.test.utils import CaptureQueriesContext
from wagtail.models import PageViewRestriction

from publications import crossref
from tests.crossref_rules import NS, check_deposit
from tests.factories import (
    AnalysisPageFactory,
    CenterPageFactory,
    DocumentFactory,
    ExpertPageFactory,
    SeriesFactory,
    UserFactory,
    build_site,
    translate,
)

CR = f"{{{NS}}}"


class CrossrefDepositTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.tree = build_site()
        centre = CenterPageFactory(parent=cls.tree.centers)
        cls.expert = ExpertPageFactory(parent=centre, title="Amina Okafor")
        cls.report = AnalysisPageFactory(
            parent=cls.tree.analyses,
            title="Subnational diplomacy",
            subtitle="Cities abroad",
            publication_date=datetime.date(2024, 3, 7),
            authors=[cls.expert, "Jean de La Fontaine", "UNESCO"],
            isbn="9780306406157",
            doi="10.1234/abc-567",
            pdf=DocumentFactory(pages=2),
        )
        cls.in_series = AnalysisPageFactory(
            parent=cls.tree.analyses,
            title="Grids",
            doi="10.1234/grids",
            series=SeriesFactory(name="Energy Notes", issn="2111-4447"),
        )
        cls.no_doi = AnalysisPageFactory(parent=cls.tree.analyses, title="No DOI")
        cls.draft = AnalysisPageFactory(parent=cls.tree.analyses, doi="10.1234/draft", live=False)
        cls.private = AnalysisPageFactory(parent=cls.tree.analyses, doi="10.1234/private")
        PageViewRestriction.objects.create(
            page=cls.private, restriction_type=PageViewRestriction.LOGIN
        )
        translate(cls.tree.home, "fr")
        translate(cls.tree.analyses, "fr")
        # Still holds its source's DOI (made before Translate stopped copying it): not its own.
        cls.french = translate(cls.report, "fr", title="Diplomatie", doi=cls.report.doi)
        cls.french_own = translate(cls.in_series, "fr", title="Réseaux", doi="10.1234/reseaux")
        cls.root = cls.tree.home.get_site().root_url

    def deposit(self):
        xml = crossref.deposit_xml(crossref.depositable())
        return check_deposit(xml)

    def report_of(self, root, doi):
        for report in root.iter(f"{CR}report-paper"):
            if report.findtext(f".//{CR}doi") == doi:
                return report
        raise AssertionError(f"no deposit for {doi}")

    def test_what_is_deposited(self):
        root = self.deposit()
        self.assertEqual(
            sorted(doi.text for doi in root.iter(f"{CR}doi")),
            ["10.1234/abc-567", "10.1234/grids", "10.1234/reseaux"],
        )

    def test_a_report_paper(self):
        metadata = self.report_of(self.deposit(), "10.1234/abc-567")[0]
        self.assertEqual(metadata.tag, f"{CR}report-paper_metadata")
        self.assertEqual(metadata.get("language"), "en")
        people = [
            (p.findtext(f"{CR}given_name"), p.findtext(f"{CR}surname"))
            for p in metadata.iter(f"{CR}person_name")
        ]
        self.assertEqual(people, [("Amina", "Okafor"), ("Jean de La", "Fontaine")])
        self.assertEqual([o.text for o in metadata.iter(f"{CR}organization")], ["UNESCO"])
        self.assertEqual(metadata.findtext(f"{CR}titles/{CR}title"), "Subnational diplomacy")
        self.assertEqual(metadata.findtext(f"{CR}titles/{CR}subtitle"), "Cities abroad")
        date = metadata.find(f"{CR}publication_date")
        self.assertEqual([e.text for e in date], ["03", "07", "2024"])
        self.assertEqual(metadata.findtext(f"{CR}isbn"), "978-0-306-40615-7")
        self.assertEqual(
            metadata.findtext(f"{CR}publisher/{CR}publisher_name"),
            "Institute for International Studies",
        )
        self.assertEqual(
            metadata.findtext(f"{CR}doi_data/{CR}resource"), f"{self.root}{self.report.url}"
        )

    def test_a_report_in_a_series_and_a_translation_with_its_own_doi(self):
        root = self.deposit()
        metadata = self.report_of(root, "10.1234/grids")[0]
        self.assertEqual(metadata.tag, f"{CR}report-paper_series_metadata")
        self.assertEqual(metadata.findtext(f"{CR}series_metadata/{CR}issn"), "2111-4447")
        french = self.report_of(root, "10.1234/reseaux")[0]
        self.assertEqual(french.get("language"), "fr")
        self.assertEqual(
            french.findtext(f"{CR}doi_data/{CR}resource"), f"{self.root}{self.french_own.url}"
        )

    def test_the_rules_catch_a_broken_deposit(self):
        xml = (
            crossref.deposit_xml(crossref.depositable())
            .replace(b"<publication_date", b"<publication_date_broken", 1)
            .replace(b"</publication_date>", b"</publication_date_broken>", 1)
        )
        with self.assertRaises(AssertionError):
            check_deposit(xml)

    def test_fixed_queries(self):
        def count():
            with CaptureQueriesContext(connection) as queries:
                crossref.depositable()
            # Not the content generation: inside a test's transaction it is read again after
            # each change (publications.freshness), which is not the deposit's doing.
            return len([q for q in queries if "publications_contentchange" not in q["sql"]])

        count()
        few = count()
        for number in range(4):
            AnalysisPageFactory(
                parent=self.tree.analyses, doi=f"10.1234/more-{number}", authors=[self.expert]
            )
        count()
        self.assertEqual(count(), few)

    def test_the_command_writes_the_file(self):
        out = StringIO()
        call_command("crossref_deposit", str(self.in_series.pk), stdout=out, stderr=StringIO())
        root = check_deposit(out.getvalue().encode())
        self.assertEqual([d.text for d in root.iter(f"{CR}doi")], ["10.1234/grids"])
        with tempfile.TemporaryDirectory() as folder:
            path = Path(folder) / "deposit.xml"
            call_command("crossref_deposit", "-o", str(path), stderr=StringIO())
            check_deposit(path.read_bytes())
        with self.assertRaises(CommandError):
            call_command("crossref_deposit", str(self.no_doi.pk), stdout=StringIO())

    def test_sending_needs_configuration(self):
        with self.assertRaises(CommandError):
            call_command("crossref_deposit", "--send", stdout=StringIO())
        with self.assertRaises(ImproperlyConfigured):
            crossref.send_deposit(b"<x/>", "x.xml", post=mock.Mock())

    @override_settings(CROSSREF_USERNAME="inst", CROSSREF_PASSWORD="secret")
    def test_sending_when_configured(self):
        post = mock.Mock()
        post.return_value.text = "Your batch submission was successfully received."
        with mock.patch("requests.post", post):
            call_command("crossref_deposit", "--send", stdout=StringIO(), stderr=StringIO())
        (call,) = post.call_args_list
        self.assertEqual(call.args, ("https://test.crossref.org/servlet/deposit",))
        self.assertEqual(
            call.kwargs["data"],
            {"operation": "doMDUpload", "login_id": "inst", "login_passwd": "secret"},
        )
        filename, content, content_type = call.kwargs["files"]["fname"]
        check_deposit(content)
        self.assertEqual(content_type, "application/xml")

    def test_the_admin_download(self):
        url = f"/admin/crossref/{self.report.pk}/deposit.xml"
        editor = UserFactory(groups=["Moderators"])
        self.client.force_login(editor)
        response = self.client.get(url)
        self.assertEqual(response.status_code, 200)
        root = check_deposit(response.content)
        self.assertEqual([d.text for d in root.iter(f"{CR}doi")], ["10.1234/abc-567"])
        listing = self.client.get(f"/admin/pages/{self.tree.analyses.pk}/")
        self.assertContains(listing, url)
        self.assertEqual(
            self.client.get(f"/admin/crossref/{self.no_doi.pk}/deposit.xml").status_code, 404
        )
