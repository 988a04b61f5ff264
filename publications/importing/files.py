"""The PDFs and cover images an import names, by their path on this machine: found, checked the
way the admin checks an upload, and stored as Wagtail documents and images.

- A path is relative to the media folder given (``--media-root``), else to the folder of the
  import file; it may not lead out of that folder, and it is a local file, not a URL.
- Documents and images are made by Wagtail's own forms for them (``get_document_form``,
  ``get_image_form``: the project's form bases, ``publications.document_forms`` and
  ``publications.image_forms``), so an imported file passes the checks an upload passes: a
  PDF readable and unprotected, within ``WAGTAILDOCS_MAX_UPLOAD_SIZE``; an image in an
  accepted format, size and number of pixels (read from its header). The structure of the
  PDFs is read beforehand, many at a time, in bounded child processes (``check_uploads``): one
  start of Python per batch instead of one per file.
- A file already stored in the collection (the same bytes: Wagtail's file hash) is used again,
  not stored twice: importing the same file again changes nothing. A cover's alt text is its
  image's description.
- Files stored for a row that is then refused, or by a dry run, are deleted from the storage
  again (``FileStore.discard``): the database rolls back, the storage does not.
"""

import functools
import os
from concurrent.futures import ThreadPoolExecutor
from contextlib import ExitStack
from pathlib import Path

from django.core.files import File
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext as _
from wagtail.documents import get_document_model
from wagtail.documents.forms import get_document_form
from wagtail.images import get_image_model
from wagtail.images.forms import get_image_form
from wagtail.utils.file import hash_filelike

from publications.document_forms import check_uploads
from publications.pdf import InvalidPdf

# PDFs whose structure one child process reads.
CHECK_BATCH = 100
_UNCHECKED = object()


class FileProblem(ValueError):
    """What is wrong with a file the row names, for the report."""


class _OnDisk(File):
    """A file on this machine, read where it is by the PDF checks (``local_path``)."""

    def temporary_file_path(self):
        return self.name


class _Upload(UploadedFile):
    """A file given to Wagtail's forms as an upload is; ``problem`` is the outcome of the PDF
    check made beforehand, with the others of its batch."""

    problem = _UNCHECKED


class FileStore:
    def __init__(self, root, collection, user=None):
        self.root = Path(root).resolve()
        self.collection = collection
        self.user = user
        self.stored = []  # (storage, name) of every file written, for discard()
        self._hashes = {}
        self._pdf_problems = {}
        # Hashes of PDFs found not stored in the collection when they were checked, and not
        # stored since by this import: no need to look for them again.
        self._pdfs_not_stored = set()

    # --- Paths -----------------------------------------------------------------------------

    def resolve(self, text):
        """The file a row names, checked to be a readable file in the folder. Raises
        FileProblem."""
        text = str(text).strip()
        if "://" in text:
            raise FileProblem(
                _("“%(path)s” is an address: give the path of a file on this machine.")
                % {"path": text}
            )
        path = (self.root / text).resolve()
        if not path.is_relative_to(self.root):
            raise FileProblem(
                _("“%(path)s” is outside the folder %(folder)s.")
                % {"path": text, "folder": self.root}
            )
        if not path.is_file():
            raise FileProblem(
                _("There is no file “%(path)s” in %(folder)s.")
                % {"path": text, "folder": self.root}
            )
        if not os.access(path, os.R_OK):
            raise FileProblem(_("The file “%(path)s” cannot be read.") % {"path": text})
        return path

    def file_hash(self, path):
        if path not in self._hashes:
            with open(path, "rb") as handle:
                self._hashes[path] = hash_filelike(handle)
        return self._hashes[path]

    # --- PDFs --------------------------------------------------------------------------------

    def existing_document(self, path):
        if self.file_hash(path) in self._pdfs_not_stored:
            return None
        return (
            get_document_model()
            .objects.filter(collection=self.collection, file_hash=self.file_hash(path))
            .order_by("pk")
            .first()
        )

    def check_pdfs(self, paths, progress=None, workers=1):
        """Read the structure of the PDFs at ``paths`` that are not stored yet, in batches
        (``check_uploads``), ``workers`` batches at a time; each one's outcome is kept for
        ``document``."""
        stored = set(
            get_document_model()
            .objects.filter(
                collection=self.collection,
                file_hash__in={self.file_hash(path) for path in paths},
            )
            .values_list("file_hash", flat=True)
        )
        paths = list(dict.fromkeys(paths))
        pending = [
            path
            for path in paths
            if self.file_hash(path) not in stored and path not in self._pdf_problems
        ]
        self._pdfs_not_stored.update(self.file_hash(path) for path in pending)
        if progress is not None:
            progress(len(paths) - len(pending))
        batches = [
            pending[start : start + CHECK_BATCH] for start in range(0, len(pending), CHECK_BATCH)
        ]
        with ThreadPoolExecutor(max_workers=workers) as pool:  # each batch is a child process
            for batch, problems in zip(batches, pool.map(_check_batch, batches), strict=True):
                self._pdf_problems.update(zip(batch, problems, strict=True))
                if progress is not None:
                    progress(len(batch))

    def document(self, path, title):
        """The document holding the PDF at ``path``: the one already stored with its bytes, or
        a new one made by the document form. Raises FileProblem."""
        existing = self.existing_document(path)
        if existing is not None:
            return existing
        form_class = _document_form_class()
        with open(path, "rb") as handle:
            upload = _Upload(
                handle, name=path.name, content_type="application/pdf", size=path.stat().st_size
            )
            upload.problem = self._pdf_problems.get(path, _UNCHECKED)
            form = form_class(
                data={"title": title[:255], "collection": str(self.collection.pk)},
                files={"file": upload},
            )
            if not form.is_valid():
                raise FileProblem(_describe(form, path))
            document = form.save(commit=False)
            document.uploaded_by_user = self.user
            document.save()
        self._pdfs_not_stored.discard(document.file_hash)
        self._note_stored(document.file)
        return document

    # --- Images ------------------------------------------------------------------------------

    def image(self, path, title, alt_text):
        """The image holding the file at ``path``, with ``alt_text`` as its description (empty:
        as it is, since other pages may show the image): the one already stored with its bytes,
        or a new one made by the image form; and whether an existing image's description was
        changed. Raises FileProblem."""
        Image = get_image_model()
        existing = (
            Image.objects.filter(collection=self.collection, file_hash=self.file_hash(path))
            .order_by("pk")
            .first()
        )
        if existing is not None:
            if alt_text and existing.description != alt_text:
                existing.description = alt_text
                existing.save(update_fields=["description"])
                return existing, True
            return existing, False
        with open(path, "rb") as handle:
            upload = _Upload(handle, name=path.name, size=path.stat().st_size)
            form = get_image_form(Image)(
                data={
                    "title": title[:255],
                    "description": alt_text or "",
                    "collection": str(self.collection.pk),
                },
                files={"file": upload},
            )
            if not form.is_valid():
                raise FileProblem(_describe(form, path))
            image = form.save(commit=False)
            image.uploaded_by_user = self.user
            image.save()
        self._note_stored(image.file)
        return image, False

    # --- Files written -----------------------------------------------------------------------

    def _note_stored(self, field_file):
        self.stored.append((field_file.storage, field_file.name))

    def mark(self):
        """Where the list of stored files is now: ``discard(mark)`` deletes those after it."""
        return len(self.stored)

    def discard(self, mark=0):
        """Delete from the storage the files stored since ``mark`` (their rows rolled back)."""
        for storage, name in self.stored[mark:]:
            storage.delete(name)
        del self.stored[mark:]


def _check_batch(paths):
    with ExitStack() as stack:
        return check_uploads([stack.enter_context(_OnDisk(open(path, "rb"))) for path in paths])


@functools.cache
def _document_form_class():
    """The document form of the admin, whose PDF check takes the outcome already read with the
    file's batch."""
    base = get_document_form(get_document_model())

    class ImportedDocumentForm(base):
        def check_file(self, uploaded):
            problem = getattr(uploaded, "problem", _UNCHECKED)
            if problem is _UNCHECKED:
                return super().check_file(uploaded)
            if problem is not None:
                raise InvalidPdf(problem)
            return None

    return ImportedDocumentForm


def _describe(form, path):
    messages = [str(message) for errors in form.errors.values() for message in errors]
    return _("“%(name)s”: %(messages)s") % {"name": path.name, "messages": " ".join(messages)}
