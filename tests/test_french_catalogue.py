"""The French interface is complete: every message of the code and templates is in the French
catalogue, translated, none fuzzy; the compiled catalogue (committed) says the same as the
.po; and sizes, dates and numbers are written the French way, in one unit system."""

import datetime
import gettext
import os
import re
import shutil
import tempfile
from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.test import SimpleTestCase, override_settings
from django.utils import translation

from publications.language_names import file_size

PO = Path(settings.BASE_DIR) / "locale" / "fr" / "LC_MESSAGES" / "django.po"
MO = PO.with_suffix(".mo")
# Where the messages readers and editors see are written.
SOURCES = ("config", "publications", "research_centers", "templates")
IGNORED = shutil.ignore_patterns("__pycache__", "migrations", "*.pyc")


def entries(path):
    """(flags, msgid, msgid_plural, [msgstr...]) of each entry of a .po file, the header left
    out. A small reader of the format gettext writes (quoted strings on continuation lines)."""
    found = []
    for block in path.read_text(encoding="utf-8").split("\n\n"):
        flags, fields, current = "", {}, None
        for line in block.splitlines():
            if line.startswith("#,"):
                flags += line[2:]
            elif line.startswith("#"):
                continue
            elif line.startswith('"') and current:
                fields[current] += _unquote(line)
            else:
                match = re.match(r"^(msgid_plural|msgid|msgstr(?:\[\d\])?) (\".*\")$", line)
                if match:
                    current = match.group(1)
                    fields[current] = _unquote(match.group(2))
        if "msgid" not in fields or not fields["msgid"]:
            continue
        strings = [value for key, value in sorted(fields.items()) if key.startswith("msgstr")]
        found.append((flags, fields["msgid"], fields.get("msgid_plural"), strings))
    return found


def _unquote(text):
    return text[1:-1].encode("latin-1", "backslashreplace").decode("unicode_escape")


class FrenchCatalogueTests(SimpleTestCase):
    def test_every_message_is_translated_and_none_is_fuzzy(self):
        catalogue = entries(PO)
        self.assertGreater(len(catalogue), 250)
        fuzzy = [msgid for flags, msgid, _plural, _strings in catalogue if "fuzzy" in flags]
        self.assertEqual(fuzzy, [])
        untranslated = [msgid for _f, msgid, _p, strings in catalogue if not all(strings)]
        self.assertEqual(untranslated, [])

    def test_the_catalogue_has_every_message_of_the_code(self):
        """makemessages, run into an empty folder, finds no message the catalogue lacks."""
        if shutil.which("xgettext") is None:
            self.fail("GNU gettext (xgettext) is needed to extract the messages: apt-get gettext")
        committed = {msgid for _f, msgid, _p, _s in entries(PO)}
        base = Path(settings.BASE_DIR)
        with tempfile.TemporaryDirectory() as folder:
            # A copy of the sources, so that makemessages writes its catalogue there only.
            for name in SOURCES:
                shutil.copytree(base / name, Path(folder, name), ignore=IGNORED)
            Path(folder, "locale").mkdir()
            here = os.getcwd()
            os.chdir(folder)
            try:
                with override_settings(LOCALE_PATHS=[str(Path(folder, "locale"))]):
                    call_command("makemessages", locale=["fr"], verbosity=0)
            finally:
                os.chdir(here)
            extracted = {
                msgid
                for _f, msgid, _p, _s in entries(Path(folder, "locale/fr/LC_MESSAGES/django.po"))
            }
        self.assertGreater(len(extracted), 250)
        self.assertEqual(sorted(extracted - committed), [])

    def test_the_compiled_catalogue_matches_the_po(self):
        with MO.open("rb") as handle:
            compiled = gettext.GNUTranslations(handle)
        for _flags, msgid, plural, strings in entries(PO):
            if plural:
                self.assertEqual(compiled.ngettext(msgid, plural, 1), strings[0], msgid)
            else:
                self.assertEqual(compiled.gettext(msgid), strings[0], msgid)

    def test_sizes_in_one_unit_system_in_both_languages(self):
        for language, expected in (
            ("en", ["512 bytes", "12 kB", "1.5 MB", "2.0 GB"]),
            ("fr", ["512 octets", "12 ko", "1,5 Mo", "2,0 Go"]),
        ):
            with translation.override(language):
                self.assertEqual(
                    [file_size(n) for n in (512, 12_426, 1_500_000, 2_000_000_000)], expected
                )

    def test_dates_per_locale(self):
        from django.utils.formats import date_format

        day = datetime.date(2025, 3, 1)
        with translation.override("fr"):
            self.assertEqual(date_format(day, "DATE_FORMAT"), "1 mars 2025")
        with translation.override("en"):
            self.assertEqual(date_format(day, "DATE_FORMAT"), "March 1, 2025")
