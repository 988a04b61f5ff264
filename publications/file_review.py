"""Files go through review: a PDF or an image that a page uses, now or in any of its revisions,
is never replaced in place nor deleted from the admin (but by an administrator, for a takedown).

A new file reaches readers the way every other change does: an editor uploads it as a new
document (or image), chooses it in the page, and the page's new revision goes through review; a
moderator publishes it. The old file stays, so rolling the page back restores it.

Two of Wagtail's public extension points carry the rule:

- the permission policies of documents and images (``register_permission_policy``): "delete" is
  refused for a file in use, to every role, wherever Wagtail asks (the delete view and button,
  the bulk delete, the API);
- the forms of documents and images (``WAGTAILDOCS_DOCUMENT_FORM_BASE``,
  ``WAGTAILIMAGES_IMAGE_FORM_BASE``): the edit form lists where the file is used, and refuses a
  new file for it. Wagtail's forms delete the old file from storage when the file changes: a file
  in use never gets there.

"In use" means: the current content of a page (Wagtail's ReferenceIndex: the PDF, the cover, an
expert's photo, links and images in rich text and body blocks), or any revision of a page that
still exists (its draft, its history).
"""

from dataclasses import dataclass

from django import forms
from django.contrib.contenttypes.models import ContentType
from django.db.models import Q, TextField
from django.db.models.functions import Cast
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from modelcluster.models import get_all_child_relations
from wagtail.documents import get_document_model, get_document_model_string
from wagtail.images import get_image_model, get_image_model_string
from wagtail.models import Page, ReferenceIndex, Revision, get_page_models
from wagtail.permission_policies.collections import CollectionOwnershipPermissionPolicy
from wagtail.permissions import register_permission_policy

from publications.document_forms import PublicationDocumentForm
from publications.image_forms import PublicationImageForm

# How many pages a message names before it says "and N more".
NAMED_PAGES = 10


# --- Where a file is used ---------------------------------------------------------------------


@dataclass(frozen=True)
class FileUsage:
    """The pages that use a file: ``live``, the live pages whose published content shows it;
    ``history``, the other pages that refer to it in a draft or an earlier revision."""

    live: tuple
    history: tuple

    def __bool__(self):
        return bool(self.live or self.history)

    def describe(self):
        return describe_pages(self.live, self.history)


def describe_pages(live, earlier):
    """Pages named for an editor: “Title” (published), “Title” (draft or earlier version)."""
    named = [_("“%(title)s” (published)") % {"title": page.title} for page in live]
    named += [
        _("“%(title)s” (draft or earlier version)") % {"title": page.title} for page in earlier
    ]
    return name_list(named)


def name_list(named):
    """“A”, “B” and 3 more: the first NAMED_PAGES names, then how many are left."""
    if len(named) > NAMED_PAGES:
        rest = len(named) - NAMED_PAGES
        named = named[:NAMED_PAGES] + [_("%(count)d more") % {"count": rest}]
    return ", ".join(named)


def file_usage(file):
    """Where ``file`` (a document or an image) is used by pages: see FileUsage."""
    if file.pk is None:
        return FileUsage(live=(), history=())
    current = _page_ids_whose_content_uses(file)
    in_revisions = _page_ids_whose_revisions_use(file)
    live = tuple(Page.objects.live().filter(pk__in=current).order_by("title"))
    live_ids = {page.pk for page in live}
    history = tuple(
        Page.objects.filter(pk__in=(current | in_revisions) - live_ids).order_by("title")
    )
    return FileUsage(live=live, history=history)


def file_is_used(file):
    return bool(file_usage(file))


def _page_ids_whose_content_uses(file):
    """The pages whose current content (the page row: the published content of a live page)
    refers to ``file``: Wagtail's reference index, plus the page models' own foreign keys to the
    file's model, read directly, so that a reference index update still queued does not hide
    the PDF or the cover of an analysis."""
    page_type = ContentType.objects.get_for_model(Page)
    ids = {
        int(object_id)
        for object_id in ReferenceIndex.get_references_to(file)
        .filter(base_content_type=page_type)
        .values_list("object_id", flat=True)
        if str(object_id).isdigit()
    }
    model = type(file)
    for page_model in get_page_models():
        for field in page_model._meta.get_fields():
            if (
                getattr(field, "many_to_one", False)
                and field.concrete
                and field.model is page_model
                and issubclass(model, field.related_model)
            ):
                ids |= set(
                    page_model.objects.filter(**{field.name: file.pk}).values_list("pk", flat=True)
                )
    return ids


def _page_ids_whose_revisions_use(file):
    """The pages any of whose revisions refers to ``file``. The revisions made since the file
    was uploaded whose content has its id where a reference would put it (``"pdf": 12,``,
    ``id="12"`` in rich text) are read, and their references extracted exactly."""
    number = file.pk
    patterns = (f'": {number},', f'": {number}}}', f'": {number}]', f'id=\\"{number}\\"')
    matches = Q()
    for pattern in patterns:
        matches |= Q(content_text__contains=pattern)
    candidates = (
        Revision.page_revisions.filter(created_at__gte=file.created_at)
        .annotate(content_text=Cast("content", output_field=TextField()))
        .filter(matches)
        .order_by("object_id", "-created_at")
        .values_list("object_id", "content_type_id", "content")
    )
    found = set()
    for object_id, content_type_id, content in candidates.iterator():
        if object_id in found:
            continue
        page_model = ContentType.objects.get_for_id(content_type_id).model_class()
        if page_model is None:
            continue
        page = page_model.from_serializable_data(content, check_fks=False, strict_fks=False)
        if (type(file), file.pk) in _references(page, type(file)):
            found.add(object_id)
    ids = {int(object_id) for object_id in found if str(object_id).isdigit()}
    return set(Page.objects.filter(pk__in=ids).values_list("pk", flat=True))


def _references(instance, file_model):
    """(file model, pk) of every reference to ``file_model`` in ``instance`` (a page built from
    a revision) and its child objects: foreign keys, and what rich text and StreamFields declare
    through their public ``extract_references``."""
    found = set()
    for field in instance._meta.get_fields():
        if (
            getattr(field, "many_to_one", False)
            and field.concrete
            and issubclass(file_model, field.related_model)
        ):
            value = field.value_from_object(instance)
            if value is not None:
                found.add((file_model, int(value)))
        elif hasattr(field, "extract_references"):
            value = field.value_from_object(instance)
            if value is None:
                continue
            for to_model, to_id, _path, _content_path in field.extract_references(value):
                if issubclass(file_model, to_model) and str(to_id).isdigit():
                    found.add((file_model, int(to_id)))
    for relation in get_all_child_relations(instance):
        for child in getattr(instance, relation.get_accessor_name()).all():
            found |= _references(child, file_model)
    return found


# --- Permission policies: no deleting a file in use ------------------------------------------


class FilesInUsePermissionPolicy(CollectionOwnershipPermissionPolicy):
    """Wagtail's policy for documents and images (collections, owners), except that a file in
    use cannot be deleted by editors or moderators: the pages using it must first point to
    another file, in a revision a moderator publishes; the revisions that used it keep it.

    Administrators (superusers) still may, after Wagtail's delete page has shown them where it
    is used: the way to take a file down at once (a legal request, a leak), knowing that the
    pages and revisions that used it lose it."""

    def user_has_any_permission_for_instance(self, user, actions, instance):
        actions = set(actions)
        if "delete" in actions and not (user.is_active and user.is_superuser):
            # Asked with other actions, the answer is theirs if they allow it: the file's usage
            # is looked up only when "delete" is what decides.
            others = actions - {"delete"}
            if others and super().user_has_any_permission_for_instance(user, others, instance):
                return True
            if file_is_used(instance):
                return False
        return super().user_has_any_permission_for_instance(user, actions, instance)


def register_permission_policies():
    """Called when the app starts (publications.apps), before anything asks for a policy."""
    register_permission_policy(
        get_document_model(),
        FilesInUsePermissionPolicy(
            get_document_model_string(),
            auth_model="wagtaildocs.Document",
            owner_field_name="uploaded_by_user",
        ),
        exact_class=True,
    )
    register_permission_policy(
        get_image_model(),
        FilesInUsePermissionPolicy(
            get_image_model_string(),
            auth_model="wagtailimages.Image",
            owner_field_name="uploaded_by_user",
        ),
        exact_class=True,
    )


# --- Forms: the file of a file in use is not replaced ----------------------------------------

IN_USE_HELP = {
    "document": gettext_lazy(
        "Used by %(pages)s. While pages use it, this PDF is neither replaced nor deleted: upload "
        "the new file as a new document and choose it in the page; readers get it when the page "
        "is published."
    ),
    "image": gettext_lazy(
        "Used by %(pages)s. While pages use it, this image is neither replaced nor deleted: "
        "upload the new file as a new image and choose it in the page; readers get it when the "
        "page is published."
    ),
}
REPLACE_REFUSED = {
    "document": gettext_lazy(
        "This PDF is used by %(pages)s, so its file cannot be replaced: upload the new file as a "
        "new document and choose it in the page."
    ),
    "image": gettext_lazy(
        "This image is used by %(pages)s, so its file cannot be replaced: upload the new file as "
        "a new image and choose it in the page."
    ),
}


class FileInUseFormMixin:
    """Lists where the file is used, under its file field, and refuses a new file for a file
    in use."""

    file_kind = None

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.usage = file_usage(self.instance) if self.instance.pk else FileUsage((), ())
        if self.usage and "file" in self.fields:
            self.fields["file"].help_text = IN_USE_HELP[self.file_kind] % {
                "pages": self.usage.describe()
            }

    def clean(self):
        cleaned_data = super().clean()
        if self.usage and "file" in self.fields and "file" in self.changed_data:
            self.add_error(
                "file",
                forms.ValidationError(
                    REPLACE_REFUSED[self.file_kind] % {"pages": self.usage.describe()},
                    code="file_in_use",
                ),
            )
        return cleaned_data


class ReviewedDocumentForm(FileInUseFormMixin, PublicationDocumentForm):
    """The base of every document form (settings.WAGTAILDOCS_DOCUMENT_FORM_BASE)."""

    file_kind = "document"


class ReviewedImageForm(FileInUseFormMixin, PublicationImageForm):
    """The base of every image form (settings.WAGTAILIMAGES_IMAGE_FORM_BASE)."""

    file_kind = "image"
