"""``manage.py import_analyses``: a catalogue in CSV or JSON becomes analyses in the real page
tree (published through revisions, or drafts), with their authors, terms, PDF and cover; a second
run updates them instead of duplicating; a dry run changes nothing and says what would happen;
bad rows are refused with their reasons while the others are imported; bad files stop with a
clear error. Runs on SQLite and PostgreSQL (CI runs the suite on both)."""

import csv
import io
import json
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files import File
from django.core.management import CommandError, call_command
from django.db import connection, transaction
from django_tasks.signals import task_enqueued
from PIL import Image as PILImage
from wagtail.images import get_image_model
from wagtail.models import Page

from publications.document_forms import check_uploads
from publications.models import (
    AnalysisIndexPage,
    AnalysisPage,
    AnalysisType,
    ContentChange,
    PublicationDocument,
    Region,
    Series,
    Theme,
)
from publications.pdf import ENCRYPTED, NOT_PDF, TOO_HARD
from research_centers.models import ExpertLink, ProgrammePage, ResearchCenterPage
from tests.factories import (
    AnalysisTypeFactory,
    CenterPageFactory,
    ExpertPageFactory,
    ProgrammePageFactory,
    RegionFactory,
    SeriesFactory,
    ThemeFactory,
    translate,
)
from tests.pdf_samples import HTML_RENAMED, encrypted_pdf, valid_pdf

Image = get_image_model()

COLUMNS = [
    "external_id", "title", "subtitle", "publication_date", "type", "series", "series_number",
    "language", "translation_of", "summary", "body", "key_points", "authors", "themes",
    "regions", "centres", "isbn", "issn", "doi", "pdf", "cover", "cover_alt",
    "cover_decorative", "slug", "search_description", "page_count",
]  # fmt: skip


@pytest.fixture
def world(site_tree):
    """The site an editor imports into: its taxonomy, a centre with a programme, experts (one
    with an e-mail, one with an ORCID among their links)."""
    centre = CenterPageFactory(parent=site_tree.centers, title="Africa Center", slug="africa")
    jane = ExpertPageFactory(
        parent=centre, title="Jane Doe", slug="jane-doe", email="jane.doe@example.org"
    )
    omar = ExpertPageFactory(parent=centre, title="Omar Haddad", slug="omar-haddad")
    omar.links = [ExpertLink(label="ORCID", url="https://orcid.org/0000-0002-1825-0097")]
    omar.save_revision().publish()
    africa = RegionFactory(name="Africa", slug="africa")
    return {
        "tree": site_tree,
        "policy_brief": AnalysisTypeFactory(name="Policy brief", slug="policy-brief"),
        "study": AnalysisTypeFactory(name="Study", slug="study"),
        "energy": ThemeFactory(name="Energy transition", slug="energy-transition"),
        "diplomacy": ThemeFactory(name="Diplomacy", slug="diplomacy"),
        "africa": africa,
        "kenya": RegionFactory(name="Kenya", slug="kenya", parent=africa),
        "series": SeriesFactory(name="Policy Notes", slug="policy-notes", issn="2111-4447"),
        "centre": centre,
        "programme": ProgrammePageFactory(parent=centre, title="Energy Programme", slug="energy"),
        "jane": jane,
        "omar": omar,
        "li": ExpertPageFactory(parent=centre, title="Li Wei", slug="li-wei"),
    }


@pytest.fixture
def folder(tmp_path):
    """The folder of the import file, with its PDFs (each its own bytes) and covers."""
    (tmp_path / "pdf").mkdir()
    (tmp_path / "covers").mkdir()
    for name, pages in (("a", 2), ("b", 3), ("c", 4), ("d", 5)):
        (tmp_path / "pdf" / f"{name}.pdf").write_bytes(valid_pdf(pages))
    (tmp_path / "pdf" / "fake.pdf").write_bytes(HTML_RENAMED)
    (tmp_path / "pdf" / "locked.pdf").write_bytes(encrypted_pdf())
    (tmp_path / "notes.txt").write_bytes(valid_pdf(1))
    (tmp_path.parent / "secret.pdf").write_bytes(valid_pdf(1))
    for name, colour in (("a", "red"), ("b", "blue")):
        PILImage.new("RGB", (90, 120), colour).save(tmp_path / "covers" / f"{name}.png")
    return tmp_path


def full_row(world, **changes):
    """A row with every column, in the forms a catalogue has them."""
    row = {
        "external_id": "CAT-001",
        "title": "Grid diplomacy in East Africa",
        "subtitle": "How interconnectors change alliances",
        "publication_date": "2023-04-05",
        "type": "POLICY BRIEF",  # the name, whatever the case
        "series": "policy-notes",  # or the slug
        "series_number": "12",
        "language": "en",
        "translation_of": "",
        "summary": "Interconnectors are changing alliances.\n\nA second paragraph & more.",
        "body": "<h2>Context</h2><p>Power <b>trade</b> grows.<script>alert(1)</script></p>",
        "key_points": "Trade grows; Alliances shift",
        "authors": (
            f"Jane Doe; Omar <https://orcid.org/0000-0002-1825-0097>; <expert:{world['li'].pk}>; "
            "Ana Lima (FGV)"
        ),
        "themes": "Energy transition; DIPLOMACY; energy-transition",
        "regions": "kenya",
        "centres": "Africa Center; Africa Center > Energy Programme",
        "isbn": "ISBN 978-2-36567-111-8",
        "issn": "",
        "doi": "https://doi.org/10.1234/grid-2023",
        "pdf": "pdf/a.pdf",
        "cover": "covers/a.png",
        "cover_alt": "A map of East Africa's power lines",
        "cover_decorative": "no",
        "slug": "",
        "search_description": "Grid diplomacy, in short.",
        "page_count": "2",
    }
    row.update(changes)
    return row


def write_csv(folder, rows, name="catalogue.csv", delimiter=","):
    path = folder / name
    with open(path, "w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]), delimiter=delimiter)
        writer.writeheader()
        writer.writerows(rows)
    return path


def write_json(folder, records, name="catalogue.json"):
    path = folder / name
    path.write_text(json.dumps({"analyses": records}), encoding="utf-8")
    return path


@pytest.fixture
def run_import(django_capture_on_commit_callbacks):
    """Run the command as an editor would, with what it leaves to the background (search index,
    PDF reading) run at its commits; returns its report."""

    def run(path, *options):
        out = io.StringIO()
        with django_capture_on_commit_callbacks(execute=True):
            call_command("import_analyses", str(path), *options, "--no-progress", stdout=out)
        return out.getvalue()

    return run


def counts(created=0, updated=0, unchanged=0, refused=0):
    total = created + updated + unchanged + refused
    return (
        f"{total} row{'s' if total != 1 else ''}: {created} created, {updated} updated, "
        f"{unchanged} unchanged, {refused} refused."
    )


def media_files():
    """The documents' and the images' original files in the storage (not the renditions)."""
    root = Path(settings.MEDIA_ROOT)
    return {
        path
        for folder in ("documents", "original_images")
        for path in (root / folder).rglob("*")
        if path.is_file()
    }


def report_line(report, external_id):
    return next(line for line in report.splitlines() if f"({external_id})" in line)


# --- CSV and JSON create the analyses ---------------------------------------------------------


@pytest.mark.django_db
def test_a_csv_row_becomes_a_published_analysis_with_everything_it_names(world, folder, run_import):
    report = run_import(write_csv(folder, [full_row(world)]))

    assert counts(created=1) in report
    assert "Columns not imported: page_count (read from the PDF itself)." in report
    page = AnalysisPage.objects.get(external_id="CAT-001")
    assert page.get_parent().specific == world["tree"].analyses
    assert page.live and not page.has_unpublished_changes
    assert page.live_revision_id == page.latest_revision_id is not None
    assert (page.title, page.subtitle, page.slug) == (
        "Grid diplomacy in East Africa",
        "How interconnectors change alliances",
        "grid-diplomacy-in-east-africa",
    )
    assert str(page.publication_date) == "2023-04-05"
    assert page.analysis_type == world["policy_brief"]
    assert (page.series, page.series_number) == (world["series"], "12")
    assert page.summary == (
        "<p>Interconnectors are changing alliances.</p><p>A second paragraph &amp; more.</p>"
    )
    assert [block.block_type for block in page.body] == ["key_points", "heading", "paragraph"]
    assert list(page.body[0].value["points"]) == ["Trade grows", "Alliances shift"]
    assert page.body[1].value == "Context"
    assert page.body[2].value.source == "<p>Power <b>trade</b> grows.alert(1)</p>"
    assert (page.isbn, page.issn, page.doi) == ("9782365671118", "", "10.1234/grid-2023")
    assert page.search_description == "Grid diplomacy, in short."
    # Terms by name or slug, whatever the case; the same theme named twice is one theme.
    assert set(page.themes.all()) == {world["energy"], world["diplomacy"]}
    assert list(page.regions.all()) == [world["kenya"]]
    assert [link.unit.specific for link in page.research_units.all()] == [
        world["centre"],
        world["programme"],
    ]
    # Experts by name, ORCID and id; an outside co-author by name, with an affiliation.
    assert [(a.expert_id, a.name, a.affiliation) for a in page.authors.all()] == [
        (world["jane"].pk, "", ""),
        (world["omar"].pk, "", ""),
        (world["li"].pk, "", ""),
        (None, "Ana Lima", "FGV"),
    ]
    # The PDF, a Wagtail document read in the background like an upload (its page count).
    assert page.pdf.title == page.title
    assert page.pdf.page_count == 2
    assert page.pdf.file.read()[:5] == b"%PDF-"
    assert (page.cover_image.description, page.cover_is_decorative) == (
        "A map of East Africa's power lines",
        False,
    )
    # What the editor cannot hold is left out, and said.
    assert "<script>" in report_line(report, "CAT-001")
    # Indexed for search once the import committed.
    assert page in AnalysisPage.objects.live().search("interconnectors")


@pytest.mark.django_db
def test_a_json_record_becomes_an_analysis_with_author_objects_lists_and_markdown(
    world, folder, run_import
):
    record = {
        "id": "CAT-J1",
        "Title": "Ports and power",
        "date": "2022-11-30",
        "analysis_type": "study",
        "summary": {"format": "db_markdown", "content": "Ports **matter**.\n\n- one\n- two"},
        "authors": [
            {"name": "Somebody", "email": "JANE.DOE@example.org"},
            {"expert_id": world["omar"].pk},
            {"name": "Ana Lima", "affiliation": "FGV"},
            "Li Wei",
        ],
        "themes": ["Diplomacy"],
        "regions": "Africa; Kenya",
        "pdf": "pdf/b.pdf",
        "cover": "covers/b.png",
        "cover_decorative": True,
    }
    report = run_import(write_json(folder, [record]))

    assert counts(created=1) in report
    page = AnalysisPage.objects.get(external_id="CAT-J1")
    assert page.live and page.analysis_type == world["study"]
    assert page.summary == "<p>Ports <b>matter</b>.</p><ul><li>one</li><li>two</li></ul>"
    assert [(a.expert_id, a.name) for a in page.authors.all()] == [
        (world["jane"].pk, ""),
        (world["omar"].pk, ""),
        (None, "Ana Lima"),
        (world["li"].pk, ""),
    ]
    assert set(page.regions.all()) == {world["africa"], world["kenya"]}
    assert page.pdf.page_count == 3
    # A decorative cover needs no alt text.
    assert page.cover_is_decorative and page.cover_image.description == ""


@pytest.mark.django_db
def test_a_semicolon_separated_csv_from_a_spreadsheet_is_read(world, folder, run_import):
    path = write_csv(folder, [full_row(world, pdf="", cover="")], delimiter=";")
    assert counts(created=1) in run_import(path)


@pytest.mark.django_db
def test_a_translation_joins_its_original_in_another_language(world, folder, run_import):
    translate(world["tree"].home, "fr")
    translate(world["tree"].analyses, "fr", slug="analyses")
    rows = [
        full_row(world, pdf="", cover=""),
        full_row(
            world,
            external_id="CAT-001-FR",
            title="La diplomatie des réseaux en Afrique de l'Est",
            language="fr",
            translation_of="CAT-001",
            isbn="",
            pdf="",
            cover="",
        ),
    ]
    assert counts(created=2) in run_import(write_csv(folder, rows))

    english = AnalysisPage.objects.get(external_id="CAT-001")
    french = AnalysisPage.objects.get(external_id="CAT-001-FR")
    assert french.locale.language_code == "fr"
    assert french.translation_key == english.translation_key
    assert french.get_parent().locale.language_code == "fr"
    # A copy of an imported analysis ("Translate", "Copy") is another page: it does not take
    # the external id.
    copy = english.copy(to=world["tree"].analyses, update_attrs={"slug": "copy"})
    assert copy.external_id == ""
    french.delete()
    assert translate(english, "fr").external_id == ""


# --- A second run ---------------------------------------------------------------------------


@pytest.mark.django_db
def test_running_the_import_again_updates_and_never_duplicates(world, folder, run_import):
    rows = [
        full_row(world),
        full_row(world, external_id="CAT-002", title="Second", pdf="pdf/b.pdf"),
    ]
    path = write_csv(folder, rows)
    run_import(path)
    first = AnalysisPage.objects.get(external_id="CAT-001")
    revisions = first.revisions.count()
    documents, images = PublicationDocument.objects.count(), Image.objects.count()

    assert counts(unchanged=2) in run_import(path)
    assert first.revisions.count() == revisions

    rows[0].update(title="Grid diplomacy, revised", themes="Diplomacy", pdf="pdf/c.pdf")
    report = run_import(write_csv(folder, rows))

    assert counts(updated=1, unchanged=1) in report
    assert AnalysisPage.objects.filter(external_id__startswith="CAT-").count() == 2
    first = AnalysisPage.objects.get(pk=first.pk)
    assert first.live and not first.has_unpublished_changes
    assert first.title == "Grid diplomacy, revised"
    assert first.slug == "grid-diplomacy-in-east-africa"  # its address stays
    assert list(first.themes.all()) == [world["diplomacy"]]
    assert first.pdf.page_count == 4
    assert first.revisions.count() == revisions + 1
    # The new PDF is a new document; the old one stays (the earlier revision uses it).
    assert PublicationDocument.objects.count() == documents + 1
    assert Image.objects.count() == images


@pytest.mark.django_db
def test_a_row_is_one_change_of_the_content_log(world, folder, run_import):
    """An analysis added, its revision saved and published: the readers' caches and the facet
    index are told once, not once per save."""
    before = ContentChange.objects.count()

    run_import(write_csv(folder, [full_row(world)]))

    page = AnalysisPage.objects.get(external_id="CAT-001")
    changes = ContentChange.objects.order_by("pk")[before:]
    assert [change.translation_key for change in changes if change.kind == "analysis"] == [
        page.translation_key
    ]


@pytest.mark.django_db
def test_columns_a_file_does_not_have_are_left_as_they_are(world, folder, run_import):
    run_import(write_csv(folder, [full_row(world)]))
    path = write_csv(folder, [{"external_id": "CAT-001", "title": "Only the title changes"}])

    assert counts(updated=1) in run_import(path)
    page = AnalysisPage.objects.get(external_id="CAT-001")
    assert page.title == "Only the title changes"
    assert set(page.themes.all()) == {world["energy"], world["diplomacy"]}
    assert page.authors.count() == 4 and page.pdf is not None


@pytest.mark.django_db
def test_drafts_stay_drafts_and_an_editors_draft_is_not_overwritten(world, folder, run_import):
    path = write_csv(folder, [full_row(world, pdf="", cover="")])
    assert counts(created=1) in run_import(path, "--draft")
    page = AnalysisPage.objects.get(external_id="CAT-001")
    assert not page.live and page.has_unpublished_changes
    assert page.get_latest_revision_as_object().themes.count() == 2

    report = run_import(path)

    assert counts(refused=1) in report
    assert "not published yet" in report_line(report, "CAT-001")
    assert counts(unchanged=1) in run_import(path, "--draft")


# --- A dry run -------------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_dry_run_changes_nothing_and_reports_what_the_import_does(world, folder, run_import):
    rows = [
        full_row(world),
        full_row(world, external_id="CAT-002", title="New words", themes="Maritime security"),
        full_row(world, external_id="CAT-003", publication_date="31/12/2023", pdf="pdf/b.pdf"),
    ]
    path = write_csv(folder, rows)
    before = (
        Page.objects.count(),
        Theme.objects.count(),
        PublicationDocument.objects.count(),
        Image.objects.count(),
        ContentChange.objects.count(),
        media_files(),
    )

    rehearsal = run_import(path, "--dry-run", "--create-terms")

    assert (
        Page.objects.count(),
        Theme.objects.count(),
        PublicationDocument.objects.count(),
        Image.objects.count(),
        ContentChange.objects.count(),
        media_files(),
    ) == before
    assert rehearsal.startswith("Dry run: nothing was saved.")
    real = run_import(path, "--create-terms")
    assert counts(created=2, refused=1) in rehearsal
    assert counts(created=2, refused=1) in real
    assert rehearsal.splitlines()[1:] == real.splitlines()
    assert Theme.objects.filter(name="Maritime security").exists()


# --- Terms -----------------------------------------------------------------------------------


UNKNOWN = {
    "type": "Working paper",
    "series": "Occasional Papers",
    "themes": "Maritime security",
    "regions": "Sahel",
    "centres": "Centre for Security > Maritime Programme",
}


@pytest.mark.django_db
def test_unknown_terms_refuse_the_row_and_are_reported(world, folder, run_import):
    report = run_import(write_csv(folder, [full_row(world, pdf="", cover="", **UNKNOWN)]))

    assert counts(refused=1) in report
    assert "Unknown terms (run with --create-terms to create them):" in report
    line = report.splitlines()[-1]
    for described in (
        "type “Working paper”",
        "series “Occasional Papers”",
        "theme “Maritime security”",
        "region “Sahel”",
        "centre or programme “Centre for Security > Maritime Programme”",
    ):
        assert described in line
    assert not Theme.objects.filter(name="Maritime security").exists()


@pytest.mark.django_db
def test_with_create_terms_unknown_terms_are_created(world, folder, run_import):
    report = run_import(
        write_csv(folder, [full_row(world, pdf="", cover="", **UNKNOWN)]), "--create-terms"
    )

    assert counts(created=1) in report
    assert "Terms created:" in report
    page = AnalysisPage.objects.get(external_id="CAT-001")
    assert page.analysis_type == AnalysisType.objects.get(name="Working paper")
    assert page.series == Series.objects.get(slug="occasional-papers")
    assert list(page.themes.all()) == [Theme.objects.get(slug="maritime-security")]
    assert list(page.regions.all()) == [Region.objects.get(name="Sahel")]
    centre = ResearchCenterPage.objects.get(title="Centre for Security")
    programme = ProgrammePage.objects.get(title="Maritime Programme")
    assert centre.live and programme.live and programme.get_parent().pk == centre.pk
    assert [link.unit_id for link in page.research_units.all()] == [programme.pk]
    assert Theme.objects.get(slug="maritime-security").latest_revision is not None


# --- Bad rows --------------------------------------------------------------------------------


@pytest.mark.django_db
def test_bad_rows_are_refused_with_their_reasons_and_the_others_imported(world, folder, run_import):
    ExpertPageFactory(parent=world["centre"], title="Sam Lee", slug="sam-lee-1")
    ExpertPageFactory(parent=world["centre"], title="Sam Lee", slug="sam-lee-2")
    bad = {
        "BAD-DATE": ({"publication_date": "2023-02-30"}, "is not a publication date"),
        "BAD-ISBN": ({"isbn": "978-2-36567-111-9"}, "is not a valid ISBN"),
        "NO-PDF": ({"pdf": "pdf/nowhere.pdf"}, "There is no file “pdf/nowhere.pdf”"),
        "HTML-PDF": ({"pdf": "pdf/fake.pdf"}, "This file is not a PDF"),
        "LOCKED-PDF": ({"pdf": "pdf/locked.pdf"}, "encrypted or password-protected"),
        "TXT": ({"pdf": "notes.txt"}, "File extension “txt” is not allowed"),
        "OUTSIDE": ({"pdf": "../secret.pdf"}, "is outside the folder"),
        "URL": ({"pdf": "https://example.org/a.pdf"}, "is an address"),
        "NO-ALT": ({"cover": "covers/b.png", "cover_alt": ""}, "has no alt text"),
        "TWO-SAMS": ({"authors": "Sam Lee"}, "Several experts are named “Sam Lee”"),
        "NO-EXPERT": ({"authors": "<expert:999999>"}, "No expert has the id 999999"),
        "NO-TITLE": ({"title": ""}, "A new analysis needs a title."),
        "": ({}, "It has no external id"),
    }
    rows = [full_row(world, external_id="GOOD", pdf="pdf/d.pdf")]
    for number, (external_id, (changes, _reason)) in enumerate(bad.items()):
        changes = {"pdf": "", "cover": "", "title": f"Bad row {number}", **changes}
        rows.append(full_row(world, external_id=external_id, **changes))
    rows.append(full_row(world, external_id="GOOD", title="Again", pdf="", cover=""))
    files_before = media_files()

    report = run_import(write_csv(folder, rows))

    assert counts(created=1, refused=len(bad) + 1) in report
    for external_id, (_changes, reason) in bad.items():
        line = report_line(report, external_id) if external_id else report
        assert reason in line, line
    assert "each row is one analysis" in report_line(report, "GOOD")
    assert "Traceback" not in report
    assert list(AnalysisPage.objects.values_list("external_id", flat=True)) == ["GOOD"]
    # The good row's PDF and cover are the only files stored: a refused row leaves none.
    assert PublicationDocument.objects.count() == 1 and Image.objects.count() == 1
    assert len(media_files() - files_before) == 2


@pytest.mark.django_db
def test_a_batch_of_pdfs_refuses_only_the_file_that_failed_its_check(tmp_path):
    """The PDFs of an import are checked many at a time, in one bounded child process; when it
    fails, each is checked on its own, so only the file at fault is refused."""
    good, gone = tmp_path / "good.pdf", tmp_path / "gone.pdf"
    good.write_bytes(valid_pdf(2))
    gone.write_bytes(valid_pdf(3))
    locked = tmp_path / "locked.pdf"
    locked.write_bytes(encrypted_pdf())

    class OnDisk(File):
        def temporary_file_path(self):
            return self.path

    files = []
    for path in (good, gone, locked, tmp_path / "html.pdf"):
        if path.name == "html.pdf":
            path.write_bytes(HTML_RENAMED)
        handle = OnDisk(open(path, "rb"))
        handle.path = str(path)
        files.append(handle)
    # Its bytes were read, then the file was removed before its structure was: the batch's
    # child process fails on it.
    files[1].path = str(tmp_path / "removed.pdf")
    try:
        assert check_uploads(files) == [None, TOO_HARD, ENCRYPTED, NOT_PDF]
    finally:
        for handle in files:
            handle.close()


# --- Bad files -------------------------------------------------------------------------------


BAD_FILES = {
    "catalogue.xlsx": (b"PK\x03\x04 not a csv", "is not a CSV or JSON file"),
    "latin1.csv": ("external_id,title\nA,Café\n".encode("latin-1"), "is not UTF-8 text"),
    "binary.csv": (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "is not a text file"),
    "no-id.csv": (b"title,summary\nA,B\n", "has no column “external_id”"),
    "broken.json": (b'[{"external_id": "A", "title": }]', "is not valid JSON (line 1"),
    "object.json": (b'{"external_id": "A"}', "must hold a list of analyses"),
    "quote.csv": (b'external_id,title\nA,"unclosed\n', "is not valid CSV"),
    "empty.csv": (b"", "is empty"),
}


@pytest.mark.django_db
@pytest.mark.parametrize("name", BAD_FILES)
def test_a_file_that_cannot_be_imported_stops_with_a_clear_error(world, tmp_path, name):
    content, message = BAD_FILES[name]
    path = tmp_path / name
    path.write_bytes(content)

    with pytest.raises(CommandError) as error:
        call_command("import_analyses", str(path), "--no-progress", stdout=io.StringIO())

    assert message in str(error.value)
    assert not AnalysisPage.objects.exists()


@pytest.mark.django_db
def test_a_missing_file_or_option_value_stops_with_a_clear_error(world, folder):
    path = write_csv(folder, [full_row(world)])
    for arguments, message in (
        ([str(folder / "nowhere.csv")], "cannot be read"),
        ([str(path), "--media-root", str(folder / "nowhere")], "does not exist"),
        ([str(path), "--collection", "Nowhere"], "There is no collection “Nowhere”"),
        ([str(path), "--user", "nobody"], "There is no user “nobody”"),
    ):
        with pytest.raises(CommandError) as error:
            call_command("import_analyses", *arguments, "--no-progress", stdout=io.StringIO())
        assert message in str(error.value)


# --- What publishing thousands of pages costs the background --------------------------------


@pytest.mark.django_db
def test_a_batch_of_rows_leaves_one_task_for_its_pdfs_and_indexes(
    world, folder, django_capture_on_commit_callbacks
):
    """Published one by one, each page would enqueue its own search-index task, reference-index
    tasks and harvest sync, and each new PDF its own reading: a batch enqueues one task that
    reads its PDFs together and then indexes the batch in bulk, and one harvest sync."""
    rows = [
        full_row(world, external_id=f"CAT-{n}", title=f"Analysis {n}", pdf=f"pdf/{name}.pdf")
        for n, name in enumerate("abc")
    ]
    for row in rows:
        row["cover"] = ""
    enqueued = []

    def count(sender, task_result, **kwargs):
        enqueued.append(task_result.task.module_path)

    task_enqueued.connect(count)
    try:
        with django_capture_on_commit_callbacks(execute=True):
            call_command("import_analyses", str(write_csv(folder, rows)), "--no-progress")
    finally:
        task_enqueued.disconnect(count)

    assert enqueued.count("publications.importing.jobs.index_imported") == 1
    assert "publications.document_jobs.read_document" not in enqueued
    # One sync for the batch's commit, one for the reading of its PDFs.
    assert enqueued.count("publications.harvest_jobs.sync") == 2
    # What is left one by one is the documents' own, as for an upload (their search entry when
    # stored and once read, their references): none of the pages'.
    assert enqueued.count("modelsearch.tasks.insert_or_update_object_task") == 6
    assert enqueued.count("wagtail.tasks.update_reference_index_task") == 3
    pages = AnalysisPage.objects.filter(external_id__startswith="CAT-").select_related("pdf")
    assert sorted(page.pdf.page_count for page in pages) == [2, 3, 4]
    assert {page.pdf.text_status for page in pages} == {PublicationDocument.TextStatus.READ}
    assert set(AnalysisPage.objects.live().search("Analysis")) >= set(pages)


@pytest.mark.django_db
def test_pdfs_read_together_fail_alone(tmp_path, settings):
    """The PDFs of an import are read a batch at a time in one bounded child process; a file
    that makes it fail (here: over the memory limit) is read again alone, and fails alone."""
    from publications.document_jobs import read_documents
    from tests.factories import DocumentFactory
    from tests.pdf_samples import memory_hungry_pdf

    settings.BACKGROUND_JOB_MEMORY_MB = 64
    good = DocumentFactory(pages=6)
    hungry = DocumentFactory()
    hungry.file.save("hungry.pdf", io.BytesIO(memory_hungry_pdf()), save=False)
    hungry._set_document_file_metadata()
    hungry.save()
    good._set_document_file_metadata()
    good.save()

    pairs = [(good.pk, good.file.name), (hungry.pk, hungry.file.name), (0, "gone.pdf")]
    assert read_documents(pairs) == ["read", "memory", "gone"]
    good.refresh_from_db()
    hungry.refresh_from_db()
    assert (good.page_count, good.text_status) == (6, PublicationDocument.TextStatus.READ)
    assert hungry.text_status == PublicationDocument.TextStatus.FAILED


# --- The documented samples ------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("sample", ["import-sample.csv", "import-sample.json"])
def test_the_documented_samples_show_every_column_and_import_as_documented(site_tree, sample):
    """docs/import-sample.* name the demo site's terms and experts: built here, the samples
    import without a refusal, and a second run changes nothing."""
    from publications.importing.sources import COLUMNS, read_source

    path = Path(settings.BASE_DIR) / "docs" / sample
    assert read_source(path).columns == list(COLUMNS)
    translate(site_tree.home, "fr")
    translate(site_tree.analyses, "fr", slug="analyses")
    for name in ("Diplomacy", "Economy and trade", "Energy and climate"):
        ThemeFactory(name=name, slug=name.lower().replace(" ", "-"))
    ThemeFactory(name="Cities and local governments", slug="cities-and-local-governments")
    for name in ("World", "East Africa", "Kenya", "Sahel"):
        RegionFactory(name=name, slug=name.lower().replace(" ", "-"))
    for name, slug in (("Policy brief", "policy-brief"), ("Study", "study"), ("Report", "report")):
        AnalysisTypeFactory(name=name, slug=slug)
    SeriesFactory(name="Notes of the Institute", slug="notes", issn="2270-9649")
    SeriesFactory(name="Études", slug="etudes", issn="2428-7318")
    africa = CenterPageFactory(parent=site_tree.centers, title="Africa Center")
    ProgrammePageFactory(parent=africa, title="Africa and Europe program")
    CenterPageFactory(parent=site_tree.centers, title="Energy and Climate Center")
    CenterPageFactory(parent=site_tree.centers, title="Center for Geopolitics of Cities")
    for name in ("Wanjiru Kamau", "Samuel Adeyemi", "Nadia Benali", "Hannah Lindqvist"):
        slug = name.lower().replace(" ", "-")
        ExpertPageFactory(parent=africa, title=name, slug=slug, email=f"{slug}@example.org")

    out = io.StringIO()
    call_command("import_analyses", str(path), "--no-progress", stdout=out)

    assert counts(created=4) in out.getvalue()
    french = AnalysisPage.objects.get(external_id="IFX-2019-014-FR")
    english = AnalysisPage.objects.get(external_id="IFX-2019-014")
    assert french.translation_key == english.translation_key
    assert english.pdf.title == english.title and english.cover_image.description
    assert french.cover_image == english.cover_image  # the same file, stored once
    out = io.StringIO()
    call_command("import_analyses", str(path), "--no-progress", stdout=out)
    assert counts(unchanged=4) in out.getvalue()


# --- Several processes (PostgreSQL) ---------------------------------------------------------


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_several_processes_import_what_one_would(world, folder):
    """With --jobs, the rows are shared among forked processes (committed data: a transactional
    test): the tree stays whole, a translation finds its original, a file named twice is stored
    once, a row refused after its page was added leaves no page."""
    if connection.vendor != "postgresql":
        pytest.skip("Several processes need PostgreSQL: CI runs the suite on PostgreSQL too")
    translate(world["tree"].home, "fr")
    translate(world["tree"].analyses, "fr", slug="analyses")
    rows = [
        full_row(world, external_id=f"CAT-{n:02d}", title="Shared title", pdf="", cover="")
        for n in range(10)
    ]
    rows[3].update(pdf="pdf/a.pdf", cover="covers/a.png")
    rows[7].update(pdf="pdf/a.pdf")  # the same file: one document
    rows.append(
        full_row(
            world,
            external_id="CAT-03-FR",
            title="Titre partagé",
            language="fr",
            translation_of="CAT-03",
            isbn="",
            pdf="",
            cover="",
        )
    )
    # Refused once its page is added: its cover has no alt text.
    rows.append(
        full_row(world, external_id="CAT-NOALT", pdf="", cover="covers/b.png", cover_alt="")
    )
    rows.append(full_row(world, external_id="CAT-NEW", themes="Sahel security", pdf="", cover=""))
    path = write_csv(folder, rows)

    out = io.StringIO()
    call_command(
        "import_analyses", str(path), "--jobs", "3", "--create-terms", "--no-progress", stdout=out
    )

    assert counts(created=12, refused=1) in out.getvalue(), out.getvalue()
    assert "has no alt text" in report_line(out.getvalue(), "CAT-NOALT")
    assert "theme “Sahel security”" in report_line(out.getvalue(), "CAT-NEW")
    index = AnalysisIndexPage.objects.get(pk=world["tree"].analyses.pk)
    english = index.get_children()
    assert english.count() == 11 and english.live().count() == 11
    assert index.numchild == 11
    assert len({page.slug for page in english}) == 11  # "shared-title", "shared-title-1"…
    assert not AnalysisPage.objects.filter(external_id="CAT-NOALT").exists()
    french = AnalysisPage.objects.get(external_id="CAT-03-FR")
    assert french.translation_key == AnalysisPage.objects.get(external_id="CAT-03").translation_key
    assert PublicationDocument.objects.count() == 1
    assert Theme.objects.filter(name="Sahel security").count() == 1
    assert all(not problems for problems in Page.find_problems())  # treebeard's tree check

    out = io.StringIO()
    call_command("import_analyses", str(path), "--jobs", "3", "--no-progress", stdout=out)
    assert counts(unchanged=12, refused=1) in out.getvalue()


@pytest.mark.django_db
def test_several_processes_need_postgresql(world, folder):
    if connection.vendor == "postgresql":
        pytest.skip("SQLite only: CI runs the suite on SQLite too")
    with pytest.raises(CommandError) as error:
        call_command("import_analyses", str(write_csv(folder, [full_row(world)])), "--jobs", "2")
    assert "need PostgreSQL" in str(error.value)


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_pruning_the_change_log_skips_rows_another_transaction_holds():
    """Processes recording changes side by side in long transactions (an import with --jobs)
    each prune the change log: a row another transaction holds is left for a later pruning
    instead of waited for (two of them waiting for each other's rows was a deadlock)."""
    import threading

    from publications import freshness

    if connection.vendor != "postgresql":
        pytest.skip("Row locks are PostgreSQL's: CI runs the suite on PostgreSQL too")
    ids = [ContentChange.objects.create(kind=ContentChange.PAGES).pk for _ in range(6)]
    held, release = threading.Event(), threading.Event()

    def hold_two():
        from django.db import connections

        with transaction.atomic():
            list(ContentChange.objects.filter(pk__in=ids[:2]).select_for_update())
            held.set()
            release.wait(30)
        connections.close_all()

    other = threading.Thread(target=hold_two)
    other.start()
    try:
        assert held.wait(30)
        with transaction.atomic():
            with connection.cursor() as cursor:  # waiting would fail the test, not hang it
                cursor.execute("SET LOCAL lock_timeout = '5s'")
            freshness._prune(ids[-1])
    finally:
        release.set()
        other.join()
    assert list(ContentChange.objects.filter(pk__in=ids).values_list("pk", flat=True)) == ids[:2]


@pytest.mark.django_db
def test_a_harvest_sync_asked_for_before_another_leaves_the_work_to_it():
    """Each commit asks for a harvest sync, which reads every public analysis: an import's
    hundred commits would make a hundred full passes. A sync asked for before another has
    nothing to do that the later one, asked for after its commit, will not do."""
    from publications import harvest_jobs

    first = harvest_jobs._request_number()
    second = harvest_jobs._request_number()
    assert harvest_jobs.sync.call(first) == "left to a later sync"
    assert harvest_jobs.sync.call(second) != "left to a later sync"
    assert harvest_jobs.sync.call(None) != "left to a later sync"  # asked for before counting


@pytest.mark.django_db
def test_a_pdf_gone_from_the_storage_does_not_keep_its_batch_out_of_search(
    world, folder, django_capture_on_commit_callbacks
):
    rows = [
        full_row(world, external_id=f"CAT-{n}", title=f"Seabed cables {n}", pdf=f"pdf/{name}.pdf")
        for n, name in enumerate("ab")
    ]
    for row in rows:
        row["cover"] = ""
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        call_command("import_analyses", str(write_csv(folder, rows)), "--no-progress")
    lost = AnalysisPage.objects.get(external_id="CAT-0").pdf
    lost.file.storage.delete(lost.file.name)  # before the worker reads it
    for callback in callbacks:
        callback()

    lost.refresh_from_db()
    assert lost.text_status == PublicationDocument.TextStatus.FAILED
    kept = AnalysisPage.objects.get(external_id="CAT-1").pdf
    assert kept.text_status == PublicationDocument.TextStatus.READ
    found = set(AnalysisPage.objects.live().search("seabed"))
    assert found == set(AnalysisPage.objects.filter(external_id__in=["CAT-0", "CAT-1"]))
