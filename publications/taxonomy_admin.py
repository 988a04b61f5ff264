"""Terms in use are safe: a theme, region, analysis type or series that a page uses is not
deleted (the refusal names the pages); it is merged into another term instead, an action for
those who may delete terms (moderators), which gives every page a new revision.

- ``term_usage``: the pages that use a term, in their published content, their page row (a page
  never published) or their draft.
- ``refuse_deleting_terms_in_use``: Wagtail's ``before_delete_snippet`` hook (the delete view
  and the bulk delete, before their confirmation page).
- ``merge_terms``: the service; a live page that shows the term gets a revision published through
  Wagtail's revision API (its history shows who merged what, and when), a draft a new draft
  revision, and a page with both gets both, its draft staying a draft on top.
- ``TermViewSetMixin``: the "merge" view and URL of each taxonomy viewset.
"""

from dataclasses import dataclass

from django import forms
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import path, reverse
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import FormView
from modelcluster.fields import ParentalKey
from wagtail.admin import messages
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.admin.widgets import Button
from wagtail.models import Page

from publications.file_review import describe_pages, name_list
from publications.models import AnalysisType, Region, Series, Theme

TERM_MODELS = (Theme, Region, AnalysisType, Series)


# --- How pages refer to a term ----------------------------------------------------------------


@dataclass(frozen=True)
class Relation:
    """One way pages of ``page_model`` refer to a term: a foreign key on the page (``fk``), a
    ParentalManyToManyField (``m2m``), or a child object with a foreign key to the term
    (``child``: ``child_model``, reached from the page by ``accessor``)."""

    kind: str
    page_model: type
    field_name: str
    child_model: type = None
    page_link: str = ""
    accessor: str = ""


def relations_to(model):
    found = []
    for rel in model._meta.related_objects:
        related = rel.related_model
        if rel.many_to_many and issubclass(related, Page):
            found.append(Relation("m2m", related, rel.field.name))
        elif rel.one_to_many and issubclass(related, Page):
            found.append(Relation("fk", related, rel.field.name))
        elif rel.one_to_many:
            for field in related._meta.get_fields():
                if isinstance(field, ParentalKey) and issubclass(field.related_model, Page):
                    found.append(
                        Relation(
                            "child",
                            field.related_model,
                            rel.field.name,
                            child_model=related,
                            page_link=field.attname,
                            accessor=field.remote_field.get_accessor_name(),
                        )
                    )
    return found


def _term_ids(instance, relation):
    """The ids of the terms ``instance`` (a page, maybe built from a revision) has through
    ``relation``."""
    if relation.kind == "fk":
        value = getattr(instance, f"{relation.field_name}_id")
        return {value} if value is not None else set()
    if relation.kind == "m2m":
        return {term.pk for term in getattr(instance, relation.field_name).all()}
    return {
        getattr(item, f"{relation.field_name}_id")
        for item in getattr(instance, relation.accessor).all()
    }


def _uses(instance, term, relations):
    return any(
        isinstance(instance, relation.page_model) and term.pk in _term_ids(instance, relation)
        for relation in relations
    )


# --- Where a term is used ---------------------------------------------------------------------


@dataclass(frozen=True)
class TermUsage:
    """``live``: live pages whose published content has the term; ``drafts``: pages that have
    it only in a draft (a page never published, or the unpublished changes of a live one)."""

    live: tuple
    drafts: tuple

    def __bool__(self):
        return bool(self.live or self.drafts)

    @property
    def pages(self):
        return self.live + self.drafts

    def describe(self):
        return describe_pages(self.live, self.drafts)


def term_usage(term):
    relations = relations_to(type(term))
    row_ids = set()
    for relation in relations:
        if relation.kind == "child":
            rows = relation.child_model.objects.filter(**{relation.field_name: term})
            row_ids |= set(rows.values_list(relation.page_link, flat=True))
        else:
            rows = relation.page_model.objects.filter(**{relation.field_name: term})
            row_ids |= set(rows.values_list("pk", flat=True))
    live = Page.objects.live().filter(pk__in=row_ids)
    live_ids = set(live.values_list("pk", flat=True))
    draft_ids = row_ids - live_ids
    for page_model in {relation.page_model for relation in relations}:
        for page in page_model.objects.filter(has_unpublished_changes=True).exclude(
            pk__in=draft_ids
        ):
            if _uses(page.get_latest_revision_as_object(), term, relations):
                draft_ids.add(page.pk)
    drafts = Page.objects.filter(pk__in=draft_ids - live_ids)
    return TermUsage(live=tuple(live.order_by("title")), drafts=tuple(drafts.order_by("title")))


# --- Deleting: refused while in use -----------------------------------------------------------


def user_may_merge(user, term):
    opts = type(term)._meta
    return user.has_perm(f"{opts.app_label}.delete_{opts.model_name}")


def refuse_deleting_terms_in_use(request, instances):
    """``before_delete_snippet``: a term that pages use is not deleted; the message names the
    pages and, for those who may, offers to merge it into another term."""
    in_use = [
        (term, usage)
        for term in instances
        if isinstance(term, TERM_MODELS)
        for usage in [term_usage(term)]
        if usage
    ]
    if not in_use:
        return None
    for term, usage in in_use:
        message = _(
            "“%(term)s” cannot be deleted: it is used by %(pages)s. Remove it from these pages "
            "first, or merge it into another %(kind)s."
        ) % {"term": term, "pages": usage.describe(), "kind": type(term)._meta.verbose_name}
        buttons = []
        if user_may_merge(request.user, term):
            buttons.append(messages.button(merge_url(term), _("Merge")))
        messages.error(request, message, buttons=buttons)
    if len(instances) == 1:
        term = instances[0]
        return HttpResponseRedirect(
            reverse(term.snippet_viewset.get_url_name("edit"), args=[term.pk])
        )
    return HttpResponseRedirect(reverse(in_use[0][0].snippet_viewset.get_url_name("list")))


# --- Merging ----------------------------------------------------------------------------------


class MergeRefused(Exception):
    pass


@dataclass
class MergeResult:
    republished: int = 0
    drafts: int = 0


def _replace(instance, source, target, relations):
    """Put ``target`` where ``instance`` has ``source``; True if anything changed."""
    changed = False
    for relation in relations:
        if not isinstance(instance, relation.page_model):
            continue
        if source.pk not in _term_ids(instance, relation):
            continue
        changed = True
        if relation.kind == "fk":
            setattr(instance, relation.field_name, target)
        elif relation.kind == "m2m":
            manager = getattr(instance, relation.field_name)
            terms = [term for term in manager.all() if term.pk != source.pk]
            if target.pk not in {term.pk for term in terms}:
                terms.append(target)
            manager.set(terms)
        else:
            items = list(getattr(instance, relation.accessor).all())
            has_target = target.pk in _term_ids(instance, relation)
            kept = []
            for item in items:
                if getattr(item, f"{relation.field_name}_id") == source.pk:
                    if has_target:
                        continue
                    setattr(item, relation.field_name, target)
                    has_target = True
                kept.append(item)
            setattr(instance, relation.accessor, kept)
    return changed


def _repoint_rows(source, target, relations):
    """Pages rows that still have ``source`` (pages never published: their row is not what
    readers see) get ``target``, so that ``source`` can go."""
    for relation in relations:
        if relation.kind == "fk":
            relation.page_model.objects.filter(**{relation.field_name: source}).update(
                **{relation.field_name: target}
            )
            continue
        if relation.kind == "m2m":
            through = getattr(relation.page_model, relation.field_name).through
            term_column = next(
                f.name
                for f in through._meta.get_fields()
                if getattr(f, "related_model", None) is type(source)
            )
            page_column = next(
                f.name
                for f in through._meta.get_fields()
                if f.is_relation
                and f.related_model is not None
                and issubclass(f.related_model, Page)
            )
            rows, link = through.objects, f"{page_column}_id"
        else:
            rows, term_column, link = (
                relation.child_model.objects,
                relation.field_name,
                relation.page_link,
            )
        with_target = rows.filter(**{term_column: target}).values_list(link, flat=True)
        rows.filter(**{term_column: source, f"{link}__in": with_target}).delete()
        rows.filter(**{term_column: source}).update(**{term_column: target})


def merge_terms(*, source, target, user):
    """Merge ``source`` into ``target`` (two terms of one model), then delete ``source``. All or
    nothing: raises MergeRefused (nothing changed) when ``user`` may not publish a live page that
    shows ``source``, or when a region would become part of itself."""
    if type(source) is not type(target) or source.pk == target.pk:
        raise MergeRefused(_("Choose another term of the same kind."))
    if isinstance(source, Region):
        ancestor = target
        while ancestor is not None:
            if ancestor.pk == source.pk:
                raise MergeRefused(_("A region cannot be merged into one of its parts."))
            ancestor = ancestor.parent
    relations = relations_to(type(source))
    usage = term_usage(source)
    cannot_publish = [
        page for page in usage.live if not page.permissions_for_user(user).can_publish()
    ]
    if cannot_publish:
        raise MergeRefused(
            _("You may not publish %(pages)s, which use this term.")
            % {"pages": name_list([f"“{page.title}”" for page in cannot_publish])}
        )
    result = MergeResult()
    with transaction.atomic():
        for page in usage.pages:
            page = page.specific
            draft = page.latest_revision if page.has_unpublished_changes else None
            if page.live and _replace(page, source, target, relations):
                # The published content, with the new term, published as a new revision.
                page.save_revision(user=user, log_action=True).publish(user=user)
                result.republished += 1
                if draft is not None:
                    # The editors' unpublished changes stay a draft, on top.
                    draft_page = draft.as_object()
                    _replace(draft_page, source, target, relations)
                    draft_page.save_revision(user=user, log_action=True)
                    result.drafts += 1
            else:
                draft_page = page.get_latest_revision_as_object()
                if _replace(draft_page, source, target, relations):
                    draft_page.save_revision(user=user, log_action=True)
                    result.drafts += 1
        _repoint_rows(source, target, relations)
        if isinstance(source, Region):
            Region.objects.filter(parent=source).update(parent=target)
        source.delete()
    return result


# --- The merge view, and where the admin links to it -----------------------------------------


def merge_url(term):
    return reverse(term.snippet_viewset.get_url_name("merge"), args=[term.pk])


class MergeTermForm(forms.Form):
    target = forms.ModelChoiceField(queryset=None, label=gettext_lazy("Merge into"))

    def __init__(self, *args, source, **kwargs):
        super().__init__(*args, **kwargs)
        # A term merges into another term of its language: its translations are the same term.
        self.fields["target"].queryset = (
            type(source)._default_manager.filter(locale_id=source.locale_id).exclude(pk=source.pk)
        )


class MergeTermView(WagtailAdminTemplateMixin, FormView):
    """GET: where the term is used, and a choice of the term to merge it into. POST: merge."""

    template_name = "admin/merge_term.html"
    form_class = MergeTermForm
    header_icon = "tag"
    model = None

    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        self.term = get_object_or_404(self.model, pk=kwargs["pk"])

    def dispatch(self, request, *args, **kwargs):
        if not user_may_merge(request.user, self.term):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_page_title(self):
        return _("Merge %(kind)s “%(term)s”") % {
            "kind": self.model._meta.verbose_name,
            "term": self.term,
        }

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "source": self.term}

    @cached_property
    def usage(self):
        return term_usage(self.term)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(term=self.term, usage=self.usage, action_url=merge_url(self.term))
        return context

    def form_valid(self, form):
        target = form.cleaned_data["target"]
        try:
            result = merge_terms(source=self.term, target=target, user=self.request.user)
        except MergeRefused as refusal:
            form.add_error(None, ValidationError(str(refusal)))
            return self.form_invalid(form)
        messages.success(
            self.request,
            _(
                "“%(source)s” was merged into “%(target)s”. Published pages republished: "
                "%(republished)d; drafts updated: %(drafts)d."
            )
            % {
                "source": self.term,
                "target": target,
                "republished": result.republished,
                "drafts": result.drafts,
            },
        )
        return HttpResponseRedirect(
            reverse(target.snippet_viewset.get_url_name("edit"), args=[target.pk])
        )


class TermViewSetMixin:
    """For the taxonomy's snippet viewsets: adds ``merge/<pk>/``."""

    @property
    def merge_view(self):
        return MergeTermView.as_view(model=self.model)

    def get_urlpatterns(self):
        return super().get_urlpatterns() + [
            path(f"merge/<{self.pk_path_converter}:pk>/", self.merge_view, name="merge")
        ]


def merge_listing_button(snippet, user, next_url=None):
    """``register_snippet_listing_buttons``: "Merge into another term" for those who may."""
    if isinstance(snippet, TERM_MODELS) and user_may_merge(user, snippet):
        yield Button(
            _("Merge into another term"), url=merge_url(snippet), icon_name="resubmit", priority=60
        )
