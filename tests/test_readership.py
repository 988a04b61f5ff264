"""Readership figures (publications.readership, config.middleware.ReadershipMiddleware, the
download view, and *Reports > Readership*: publications.readership_admin): what a reader's view
or download adds, what never counts, that nothing about the reader is kept, that a failed flush
loses nothing, and who sees which figures. Through the Django test client and the real page
tree; counts are written by calling ``readership.flush()`` (no timer, no sleeping)."""

import csv
import datetime
import io
import logging
import re

import pytest
from django.contrib.auth.models import Group, Permission
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from wagtail.models import Collection, CollectionViewRestriction, PageViewRestriction
from wagtail.users.models import UserProfile

from publications import readership
from publications.models import DailyReadership
from tests.factories import (
    AnalysisPageFactory,
    CenterPageFactory,
    DocumentFactory,
    ProgrammePageFactory,
    UserFactory,
    build_site,
    translate,
)

pytestmark = pytest.mark.django_db

FIREFOX = "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0"
SAFARI = (
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 "
    "(KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1"
)
BOTS = [
    "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)",
    "Mozilla/5.0 AppleWebKit/537.36 (KHTML, like Gecko; compatible; GPTBot/1.2; "
    "+https://openai.com/gptbot)",
    "curl/8.5.0",
    "python-requests/2.32.3",
    "",  # no User-Agent at all: a script
]
INDEX = "/admin/reports/readership/"


@pytest.fixture(autouse=True)
def _no_counts_left():
    """Each test starts and ends with nothing counted in this process's memory."""
    readership.forget()
    yield
    readership.forget()


@pytest.fixture
def tree():
    return build_site()


@pytest.fixture
def analysis(tree):
    return AnalysisPageFactory(parent=tree.analyses, title="Cities abroad", pdf=DocumentFactory())


def read(client, url, user_agent=FIREFOX, **extra):
    return client.get(url, HTTP_USER_AGENT=user_agent, **extra)


def figures(page, day=None):
    row = DailyReadership.objects.filter(page=page, date=day or timezone.localdate()).first()
    return (row.views, row.downloads) if row else (0, 0)


def pdf_url(page):
    return page.pdf.url


# --- What counts -------------------------------------------------------------------------------


def test_a_view_and_a_download_are_counted_once_flushed(client, analysis):
    assert read(client, analysis.url).status_code == 200
    assert read(client, pdf_url(analysis)).status_code == 200
    assert read(client, analysis.url, user_agent=SAFARI).status_code == 200
    assert figures(analysis) == (0, 0)  # nothing written on the request path
    assert readership.flush() == 1
    assert figures(analysis) == (2, 1)
    assert readership.pending() == {}


def test_counts_add_up_over_flushes(client, analysis):
    read(client, analysis.url)
    read(client, pdf_url(analysis))
    readership.flush()
    read(client, analysis.url)
    read(client, analysis.url)
    read(client, pdf_url(analysis))
    readership.flush()
    assert figures(analysis) == (3, 2)
    assert DailyReadership.objects.filter(page=analysis).count() == 1
    assert readership.flush() == 0  # nothing new: nothing written


@override_settings(PAGE_CACHE_ENABLED=True)
def test_a_page_served_from_the_page_cache_is_counted(client, analysis):
    first = read(client, analysis.url)
    second = read(client, analysis.url)
    assert first["X-Page-Cache"] == "miss"
    assert second["X-Page-Cache"] == "hit"
    for response in (first, second):
        assert readership.HEADER not in response  # the mark never leaves the server
    readership.flush()
    assert figures(analysis) == (2, 0)


@override_settings(PAGE_CACHE_ENABLED=True)
def test_counting_adds_no_query_to_a_cached_page(client, analysis):
    read(client, analysis.url)
    with override_settings(READERSHIP_ENABLED=False), CaptureQueriesContext(connection) as without:
        assert read(client, analysis.url)["X-Page-Cache"] == "hit"
    with CaptureQueriesContext(connection) as with_counting:
        assert read(client, analysis.url)["X-Page-Cache"] == "hit"
    assert len(with_counting.captured_queries) == len(without.captured_queries)
    assert sum(readership.pending().values()) == 2


def test_counting_a_download_adds_no_query(client, analysis):
    url = pdf_url(analysis)
    read(client, url)
    with override_settings(READERSHIP_ENABLED=False), CaptureQueriesContext(connection) as without:
        read(client, url)
    with CaptureQueriesContext(connection) as with_counting:
        read(client, url)
    assert len(with_counting.captured_queries) == len(without.captured_queries)
    assert sum(readership.pending().values()) == 2


def test_a_translation_counts_against_its_own_page(client, tree, analysis):
    translate(tree.home, "fr", title="Accueil")
    french_index = translate(tree.analyses, "fr")
    assert french_index.url.startswith("/fr/")
    french = translate(analysis, "fr", title="Les villes à l'étranger", pdf=DocumentFactory())
    read(client, french.url)
    read(client, pdf_url(french))
    read(client, analysis.url)
    readership.flush()
    assert figures(french) == (1, 1)
    assert figures(analysis) == (1, 0)


def test_a_pdf_shared_by_two_language_versions_counts_for_the_readers_language(
    client, tree, analysis
):
    translate(tree.home, "fr", title="Accueil")
    translate(tree.analyses, "fr")
    french = translate(analysis, "fr", title="Les villes à l'étranger")
    assert french.pdf_id == analysis.pdf_id  # the translation kept its source's PDF
    read(client, pdf_url(analysis), HTTP_ACCEPT_LANGUAGE="fr-FR,fr;q=0.9")
    read(client, pdf_url(analysis), HTTP_ACCEPT_LANGUAGE="en-GB,en;q=0.9")
    read(client, pdf_url(analysis), HTTP_ACCEPT_LANGUAGE="de-DE")
    readership.flush()
    assert figures(french) == (0, 1)
    assert figures(analysis) == (0, 2)


def test_a_download_that_starts_at_the_first_byte_counts(client, analysis):
    response = read(client, pdf_url(analysis), HTTP_RANGE="bytes=0-")
    assert response.status_code == 200
    readership.flush()
    assert figures(analysis) == (0, 1)


# --- What never counts ---------------------------------------------------------------------------


@pytest.mark.parametrize("user_agent", BOTS)
def test_bots_are_not_counted(client, analysis, user_agent):
    assert read(client, analysis.url, user_agent=user_agent).status_code == 200
    assert read(client, pdf_url(analysis), user_agent=user_agent).status_code == 200
    assert readership.pending() == {}


def test_head_requests_and_range_continuations_are_not_counted(client, analysis):
    assert client.head(analysis.url, HTTP_USER_AGENT=FIREFOX).status_code == 200
    assert client.head(pdf_url(analysis), HTTP_USER_AGENT=FIREFOX).status_code == 200
    for continuation in ("bytes=1024-", "bytes=500-999", "bytes=-500", "items=0-1"):
        read(client, pdf_url(analysis), HTTP_RANGE=continuation)
    assert readership.pending() == {}


def test_editors_and_their_previews_are_not_counted(client, analysis):
    client.force_login(UserFactory(is_superuser=True))
    assert read(client, f"/admin/pages/{analysis.pk}/view_draft/").status_code == 200
    assert read(client, analysis.url).status_code == 200  # the live page, signed in
    assert read(client, pdf_url(analysis)).status_code == 200
    assert readership.pending() == {}


def test_drafts_private_pages_and_their_pdfs_are_not_counted(client, tree):
    draft = AnalysisPageFactory(parent=tree.analyses, pdf=DocumentFactory(), live=False)
    by_password = AnalysisPageFactory(parent=tree.analyses, pdf=DocumentFactory())
    PageViewRestriction.objects.create(
        page=by_password, restriction_type=PageViewRestriction.PASSWORD, password="s3cret"
    )
    by_login = AnalysisPageFactory(parent=tree.analyses, pdf=DocumentFactory())
    PageViewRestriction.objects.create(page=by_login, restriction_type=PageViewRestriction.LOGIN)
    assert read(client, draft.url or f"/en/analyses/{draft.slug}/").status_code == 404
    assert read(client, pdf_url(draft)).status_code == 404
    assert read(client, by_password.url).status_code == 200  # the password form
    assert read(client, by_login.url).status_code == 302
    for private in (by_password, by_login):
        assert read(client, pdf_url(private)).status_code == 404
    assert read(client, "/en/analyses/no-such-analysis/").status_code == 404
    assert readership.pending() == {}


def test_a_pdf_in_a_restricted_collection_is_not_counted(client, tree):
    embargoed = Collection.get_first_root_node().add_child(name="Embargoed")
    CollectionViewRestriction.objects.create(
        collection=embargoed, restriction_type=CollectionViewRestriction.LOGIN
    )
    analysis = AnalysisPageFactory(parent=tree.analyses, pdf=DocumentFactory(collection=embargoed))
    assert read(client, pdf_url(analysis)).status_code in (302, 403)
    assert readership.pending() == {}


# --- Nothing about the reader -------------------------------------------------------------------


def test_nothing_about_the_reader_is_kept(client, analysis):
    for url in (analysis.url, pdf_url(analysis)):
        response = read(client, url, REMOTE_ADDR="203.0.113.7", HTTP_X_FORWARDED_FOR="198.51.100.9")
        assert response.status_code == 200
        assert not response.cookies, url  # no cookie set
        assert "Set-Cookie" not in response
    assert client.cookies == {}
    kept = readership.pending()
    assert all("203.0.113.7" not in map(str, key) for key in kept)
    readership.flush()
    assert {field.name for field in DailyReadership._meta.get_fields()} == {
        "id",
        "page",
        "date",
        "views",
        "downloads",
    }


# --- Flushing: failures, process exit ------------------------------------------------------------


def test_a_failed_flush_keeps_the_counts_and_says_so(client, analysis, caplog):
    read(client, analysis.url)
    read(client, pdf_url(analysis))
    table = DailyReadership._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(f"ALTER TABLE {table} RENAME TO {table}_away")
    try:
        with caplog.at_level(logging.ERROR, logger="publications.readership"):
            assert readership.flush() is None
        assert "Could not write the readership figures; 2 counts are kept" in caplog.text
        assert sum(readership.pending().values()) == 2
        read(client, analysis.url)  # counting goes on meanwhile
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f"ALTER TABLE {table}_away RENAME TO {table}")
    assert readership.flush() == 1
    assert figures(analysis) == (2, 1)


@override_settings(READERSHIP_FLUSH_SECONDS=3600)
def test_what_is_left_is_flushed_at_exit(client, analysis):
    read(client, analysis.url)
    timer = readership._tally.timer
    assert timer is not None and timer.is_alive()  # the next flush is scheduled, in an hour
    readership.flush_at_exit()
    timer.join(timeout=5)
    assert not timer.is_alive()
    assert figures(analysis) == (1, 0)


def test_the_counts_of_a_deleted_analysis_are_dropped(client, tree, analysis):
    other = AnalysisPageFactory(parent=tree.analyses)
    read(client, analysis.url)
    read(client, other.url)
    other.delete()
    assert readership.flush() == 1
    assert figures(analysis) == (1, 0)


# --- The report: who sees what -------------------------------------------------------------------


@pytest.fixture
def centres(tree):
    africa = CenterPageFactory(parent=tree.centers, title="Africa Center")
    security = CenterPageFactory(parent=tree.centers, title="Security Center")
    sahel = ProgrammePageFactory(parent=africa, title="Sahel Programme")
    return {"africa": africa, "security": security, "sahel": sahel}


@pytest.fixture
def counted(tree, centres):
    """Three analyses with figures: one of the Africa centre, one of its programme, one of the
    Security centre."""
    pages = {
        "africa": AnalysisPageFactory(
            parent=tree.analyses, title="Grain corridors", units=[centres["africa"]]
        ),
        "sahel": AnalysisPageFactory(
            parent=tree.analyses, title="Sahel water", units=[centres["sahel"]]
        ),
        "security": AnalysisPageFactory(
            parent=tree.analyses, title="Naval doctrine", units=[centres["security"]]
        ),
    }
    today = timezone.localdate()
    for number, page in enumerate(pages.values(), start=1):
        DailyReadership.objects.create(page=page, date=today, views=10 * number, downloads=number)
        DailyReadership.objects.create(
            page=page, date=today - datetime.timedelta(days=2), views=number, downloads=0
        )
    return pages


def sign_in(client, groups=(), **fields):
    user = UserFactory(groups=list(groups), **fields)
    client.force_login(user)
    return user


@pytest.mark.parametrize(
    "role", [{"is_superuser": True}, {"groups": ["Editors"]}, {"groups": ["Moderators"]}]
)
def test_editors_moderators_and_administrators_see_every_analysis(client, counted, role):
    sign_in(client, **role)
    response = client.get(INDEX)
    assert response.status_code == 200
    html = response.content.decode()
    for page in counted.values():
        assert page.title in html
    assert (
        client.get(reverse("readership:analysis", args=[counted["security"].pk])).status_code == 200
    )


def test_research_staff_see_their_centre_only(client, centres, counted):
    sign_in(client, ["Research staff: Africa Center"])
    html = client.get(INDEX).content.decode()
    assert "Grain corridors" in html and "Sahel water" in html  # the centre and its programme
    assert "Naval doctrine" not in html
    own = client.get(reverse("readership:analysis", args=[counted["sahel"].pk]))
    assert own.status_code == 200
    other = client.get(reverse("readership:analysis", args=[counted["security"].pk]))
    assert other.status_code == 302 and other.url == reverse("wagtailadmin_home")
    africa_key = centres["africa"].translation_key
    assert client.get(reverse("readership:centre", args=[africa_key])).status_code == 200
    security_key = centres["security"].translation_key
    assert client.get(reverse("readership:centre", args=[security_key])).status_code == 302
    # Asking for another centre through the filter changes nothing.
    html = client.get(INDEX, {"centre": str(security_key)}).content.decode()
    assert "Naval doctrine" not in html


def test_others_are_refused_and_see_no_menu_item(client, counted):
    assert client.get(INDEX).status_code == 302  # not signed in: the login page
    Group.objects.create(name="Admin access only").permissions.add(
        Permission.objects.get(codename="access_admin")
    )
    sign_in(client, ["Admin access only"])
    refused = client.get(INDEX)
    assert refused.status_code == 302 and refused.url == reverse("wagtailadmin_home")
    assert INDEX not in client.get(reverse("wagtailadmin_home")).content.decode()
    sign_in(client, ["Editors"])
    assert INDEX in client.get(reverse("wagtailadmin_home")).content.decode()


def test_the_list_is_filtered_by_centre_and_sorted(client, centres, counted):
    sign_in(client, ["Editors"])
    html = client.get(INDEX, {"centre": str(centres["africa"].translation_key)}).content.decode()
    assert "Grain corridors" in html and "Sahel water" in html
    assert "Naval doctrine" not in html
    assert "Daily figures: Africa Center" in html
    by_views = client.get(INDEX, {"ordering": "-views"}).content.decode()
    assert by_views.index("Naval doctrine") < by_views.index("Grain corridors")
    by_title = client.get(INDEX, {"ordering": "title"}).content.decode()
    assert by_title.index("Grain corridors") < by_title.index("Naval doctrine")


def test_the_csv_export_has_each_analysis_and_its_totals(client, counted):
    sign_in(client, ["Editors"])
    response = client.get(INDEX, {"export": "csv", "ordering": "title"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    today = timezone.localdate()
    start = today - datetime.timedelta(days=29)
    assert (
        f"readership-{start.isoformat()}-{today.isoformat()}.csv"
        in (response["Content-Disposition"])
    )
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert rows[0] == ["Analysis", "Language", "Views", "Downloads", "URL"]
    assert [row[:4] for row in rows[1:]] == [
        ["Grain corridors", "en", "11", "1"],
        ["Naval doctrine", "en", "33", "3"],
        ["Sahel water", "en", "22", "2"],
    ]
    assert rows[1][4] == "http://localhost" + counted["africa"].url


def test_the_period_chooses_what_is_added_up(client, counted):
    sign_in(client, ["Editors"])
    today = timezone.localdate()
    response = client.get(
        INDEX, {"export": "csv", "ordering": "title", "period_from": today.isoformat()}
    )
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert [row[:4] for row in rows[1:]] == [
        ["Grain corridors", "en", "10", "1"],
        ["Naval doctrine", "en", "30", "3"],
        ["Sahel water", "en", "20", "2"],
    ]


def test_an_analysis_page_has_a_chart_with_a_point_a_day_and_a_daily_csv(client, counted):
    sign_in(client, ["Editors"])
    page = counted["sahel"]
    today = timezone.localdate()
    period = {
        "period_from": (today - datetime.timedelta(days=6)).isoformat(),
        "period_to": today.isoformat(),
    }
    response = client.get(reverse("readership:analysis", args=[page.pk]), period)
    assert response.status_code == 200
    html = response.content.decode()
    svg = re.search(r"<svg[^>]*data-readership-chart.*?</svg>", html, re.DOTALL).group()
    lines = {
        series: points.split()
        for points, series in re.findall(r'<polyline points="([^"]+)"[^>]*data-series="(\w+)"', svg)
    }
    assert sorted(lines) == ["downloads", "views"]
    assert all(len(points) == 7 for points in lines.values())
    heights = [float(point.split(",")[1]) for point in lines["views"]]
    assert heights[-1] < heights[-3] < heights[0]  # 20 views today, 2 two days ago, 0 before
    assert "style=" not in svg and "<script" not in svg
    export = client.get(reverse("readership:analysis", args=[page.pk]), {**period, "export": "csv"})
    rows = list(csv.reader(io.StringIO(b"".join(export.streaming_content).decode())))
    assert rows[0] == ["Day", "Views", "Downloads"]
    assert len(rows) == 8
    assert rows[-1] == [today.isoformat(), "20", "2"]
    assert rows[-3] == [(today - datetime.timedelta(days=2)).isoformat(), "2", "0"]


def test_a_centre_page_adds_up_its_analyses(client, centres, counted):
    sign_in(client, ["Research staff: Africa Center"])
    url = reverse("readership:centre", args=[centres["africa"].translation_key])
    rows = list(
        csv.reader(
            io.StringIO(b"".join(client.get(url, {"export": "csv"}).streaming_content).decode())
        )
    )
    assert len(rows) == 31  # the heading and the last 30 days
    assert rows[-1][1:] == ["30", "3"]  # Grain corridors (10, 1) and Sahel water (20, 2)
    html = client.get(url).content.decode()
    assert "Africa Center" in html and "<svg viewBox" in html


@pytest.mark.parametrize(
    "query, message",
    [
        ({"period_from": "not-a-date"}, "Enter a valid date."),
        ({"period_from": "2026-05-10", "period_to": "2026-05-01"}, "The period ends before"),
        ({"period_from": "2020-01-01", "period_to": "2026-01-01"}, "at most 731 days"),
        ({"centre": "not-a-centre"}, "Select a valid choice."),
    ],
)
def test_bad_filters_get_a_message_and_the_default_period(client, counted, query, message):
    sign_in(client, ["Editors"])
    response = client.get(INDEX, query)
    assert response.status_code == 200
    html = response.content.decode()
    assert message in html
    assert "Grain corridors" in html
    daily = client.get(reverse("readership:analysis", args=[counted["africa"].pk]), query)
    assert daily.status_code == 200


def test_an_unknown_analysis_or_centre_is_a_404(client, tree):
    sign_in(client, ["Editors"])
    unknown = "00000000-0000-0000-0000-000000000000"
    for url in (
        reverse("readership:analysis", args=[999999]),
        reverse("readership:centre", args=[unknown]),
    ):
        # (The site's locale middleware sends an admin 404 on to the same path under /en/,
        # which is a 404 too.)
        assert client.get(url, follow=True).status_code == 404


def test_the_report_speaks_french(client, counted):
    user = sign_in(client, ["Editors"])
    profile = UserProfile.get_for_user(user)
    profile.preferred_language = "fr"
    profile.save()
    html = client.get(INDEX).content.decode()
    assert "Lectorat" in html
    assert "Téléchargements" in html
    daily = client.get(reverse("readership:analysis", args=[counted["africa"].pk]))
    assert "Vues et téléchargements du PDF par jour" in daily.content.decode()


def test_an_administrator_can_give_the_figures_to_another_group(client):
    """The permission is in the group editor ("Custom permissions" of "Daily readership"), ticked
    for Editors and Moderators by the data migration."""
    permission = Permission.objects.get(codename="view_dailyreadership")
    assert set(permission.group_set.values_list("name", flat=True)) == {"Editors", "Moderators"}
    sign_in(client, is_superuser=True)
    editors = Group.objects.get(name="Editors")
    html = client.get(reverse("wagtailusers_groups:edit", args=[editors.pk])).content.decode()
    checkbox = re.search(rf'<input[^>]*name="permissions" value="{permission.pk}"[^>]*>', html)
    assert checkbox and "checked" in checkbox.group()
    reader = Group.objects.create(name="Communication")
    html = client.get(reverse("wagtailusers_groups:edit", args=[reader.pk])).content.decode()
    checkbox = re.search(rf'<input[^>]*name="permissions" value="{permission.pk}"[^>]*>', html)
    assert checkbox and "checked" not in checkbox.group()
