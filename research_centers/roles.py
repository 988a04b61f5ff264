"""The editorial roles, as Wagtail permissions: groups, page permissions, collection permissions
and the "Editorial review" workflow. No custom checks: Wagtail's admin enforces all of it.

- **Editors** (add, change, lock, unlock on the root page: every page of every language) create
  and edit analyses and submit them for review. Without "publish" they cannot publish, unpublish,
  or delete a live page.
- **Moderators** have what editors have, plus publish and bulk delete: they approve, publish,
  unpublish, schedule, move and delete.
- **Research staff** of a centre ("Research staff: <centre>", one group per centre, created with
  the centre's first page, given every later translation of it, and renamed with the centre)
  add, change, lock and unlock that centre's subtree only: the centre, its programmes, its
  experts.
- Images and documents (the PDFs): editors and moderators upload, change and choose them in
  every collection. Research staff do so in their centre's collection only (one per centre,
  created with the staff group, named and renamed after the centre): they never see the files
  of analyses being prepared, and a draft's PDF is not served to them (publications'
  ``before_serve_document`` hook).
- Taxonomy snippets (themes, regions, analysis types, series): editors add and change them,
  moderators also delete them; both compare and roll back their revisions.
- Every page is under the "Editorial review" workflow (one task: approval by a Moderator),
  assigned on the root page.
- Readership figures (*Reports > Readership*): editors and moderators see every analysis's
  (``publications.view_dailyreadership``, which an administrator can give another group in the
  group's "Other permissions"); research staff see their centre's analyses only, by being in the
  centre's staff group (``publications.readership_report``).

Every function takes the app registry, so that the data migration (historical models) and the
running site (``django.apps.apps``) share the code.
"""

from django.conf import settings

EDITORS = "Editors"
MODERATORS = "Moderators"
RESEARCH_STAFF_PREFIX = "Research staff: "
WORKFLOW_NAME = "Editorial review"
TASK_NAME = "Moderator approval"

EDITOR_PAGE_PERMISSIONS = ["add", "change", "lock", "unlock"]
MODERATOR_PAGE_PERMISSIONS = ["add", "bulk_delete", "change", "lock", "publish", "unlock"]
RESEARCH_STAFF_PAGE_PERMISSIONS = ["add", "change", "lock", "unlock"]

# (app label and model of the permission, codenames) on the root collection.
EDITORIAL_COLLECTION_PERMISSIONS = [
    (("wagtailimages", "image"), ["add", "change", "choose"]),
    (("wagtaildocs", "document"), ["add", "change", "choose"]),
]
# On the centre's own collection.
RESEARCH_STAFF_COLLECTION_PERMISSIONS = [
    (("wagtailimages", "image"), ["add", "change", "choose"]),
    (("wagtaildocs", "document"), ["add", "change", "choose"]),
]
# What research staff had on the root collection before centres had collections (migration).
FORMER_RESEARCH_STAFF_ROOT_PERMISSIONS = [
    (("wagtailimages", "image"), ["add", "choose"]),
    (("wagtaildocs", "document"), ["choose"]),
]

TAXONOMY_MODELS = ["theme", "region", "analysistype", "series"]
# Seeing the readership figures of every analysis (publications.readership_report).
READERSHIP_PERMISSION = ("publications", "dailyreadership", "view_dailyreadership")
EDITOR_TAXONOMY_PERMISSIONS = ["add", "change"]
MODERATOR_TAXONOMY_PERMISSIONS = ["add", "change", "delete"]


def _permission(apps, app_label, model, codename, name=None):
    ContentType = apps.get_model("contenttypes", "ContentType")
    Permission = apps.get_model("auth", "Permission")
    content_type, _ = ContentType.objects.get_or_create(app_label=app_label, model=model)
    permission, _ = Permission.objects.get_or_create(
        content_type=content_type,
        codename=codename,
        defaults={"name": name or f"Can {codename.replace('_', ' ')}"},
    )
    return permission


def _admin_access(apps):
    return _permission(apps, "wagtailadmin", "admin", "access_admin", "Can access Wagtail admin")


def _grant_pages(apps, group, page, permission_types):
    GroupPagePermission = apps.get_model("wagtailcore", "GroupPagePermission")
    for permission_type in permission_types:
        GroupPagePermission.objects.get_or_create(
            group=group,
            page_id=page.pk,
            permission=_permission(apps, "wagtailcore", "page", f"{permission_type}_page"),
        )


def _grant_collections(apps, group, grants, collection=None):
    """Grant ``grants`` on ``collection`` (the root collection by default)."""
    Collection = apps.get_model("wagtailcore", "Collection")
    GroupCollectionPermission = apps.get_model("wagtailcore", "GroupCollectionPermission")
    collection = collection or Collection.objects.filter(depth=1).first()
    if collection is None:
        return
    for (app_label, model), codenames in grants:
        for codename in codenames:
            GroupCollectionPermission.objects.get_or_create(
                group=group,
                collection=collection,
                permission=_permission(apps, app_label, model, f"{codename}_{model}"),
            )


def _revoke_root_collection(apps, group, grants):
    Collection = apps.get_model("wagtailcore", "Collection")
    GroupCollectionPermission = apps.get_model("wagtailcore", "GroupCollectionPermission")
    root = Collection.objects.filter(depth=1).first()
    for (app_label, model), codenames in grants:
        for codename in codenames:
            GroupCollectionPermission.objects.filter(
                group=group,
                collection=root,
                permission=_permission(apps, app_label, model, f"{codename}_{model}"),
            ).delete()


# Collections are a tree (treebeard's materialised path, 4 base-36 characters a level). The
# historical models of a migration have no tree methods, so a centre's collection, a child of the
# root, is added by hand, the way treebeard does.
_PATH_ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"
_STEP = 4


def _add_root_child_collection(apps, name):
    Collection = apps.get_model("wagtailcore", "Collection")
    root = Collection.objects.filter(depth=1).first()
    if root is None:
        return None
    last = Collection.objects.filter(depth=2, path__startswith=root.path).order_by("-path").first()
    number = int(last.path[-_STEP:], 36) + 1 if last else 1
    step = ""
    while number:
        number, digit = divmod(number, 36)
        step = _PATH_ALPHABET[digit] + step
    collection = Collection.objects.create(
        name=name[:255], path=root.path + step.rjust(_STEP, "0"), depth=2, numchild=0
    )
    Collection.objects.filter(pk=root.pk).update(numchild=root.numchild + 1)
    return collection


def center_collection(apps, link, title):
    """The centre's collection for its staff's images and documents, created if missing."""
    if link.collection_id is None:
        link.collection = _add_root_child_collection(apps, title)
        link.save(update_fields=["collection"])
        _grant_collections(apps, link.group, RESEARCH_STAFF_COLLECTION_PERMISSIONS, link.collection)
    return link.collection


def _root_page(apps):
    return apps.get_model("wagtailcore", "Page").objects.filter(depth=1).first()


def ensure_editorial_roles(apps):
    """Editors and Moderators with their permissions, and the "Editorial review" workflow on
    the root page. Idempotent."""
    Group = apps.get_model("auth", "Group")
    root = _root_page(apps)
    groups = {}
    for name, page_permissions, taxonomy_permissions in (
        (EDITORS, EDITOR_PAGE_PERMISSIONS, EDITOR_TAXONOMY_PERMISSIONS),
        (MODERATORS, MODERATOR_PAGE_PERMISSIONS, MODERATOR_TAXONOMY_PERMISSIONS),
    ):
        group, _ = Group.objects.get_or_create(name=name)
        group.permissions.add(_admin_access(apps))
        for model in TAXONOMY_MODELS:
            for codename in taxonomy_permissions:
                group.permissions.add(
                    _permission(apps, "publications", model, f"{codename}_{model}")
                )
        if root is not None:
            _grant_pages(apps, group, root, page_permissions)
        _grant_collections(apps, group, EDITORIAL_COLLECTION_PERMISSIONS)
        groups[name] = group
    ensure_review_workflow(apps, groups[MODERATORS], root)
    return groups


def grant_translating(apps):
    """Editors and Moderators may *Translate* a page or a term (simple_translation's
    permission): the translation is a draft, which goes through review like any page."""
    Group = apps.get_model("auth", "Group")
    permission = _permission(
        apps,
        "simple_translation",
        "simpletranslation",
        "submit_translation",
        "Can submit translations",
    )
    for group in Group.objects.filter(name__in=[EDITORS, MODERATORS]):
        group.permissions.add(permission)


def grant_readership_figures(apps):
    """Editors and Moderators see the readership figures of every analysis (a data migration of
    publications, once the figures exist). Idempotent."""
    Group = apps.get_model("auth", "Group")
    app_label, model, codename = READERSHIP_PERMISSION
    permission = _permission(apps, app_label, model, codename, "Can view daily readership")
    for name in (EDITORS, MODERATORS):
        group, _ = Group.objects.get_or_create(name=name)
        group.permissions.add(permission)


def ensure_review_workflow(apps, moderators, root):
    ContentType = apps.get_model("contenttypes", "ContentType")
    GroupApprovalTask = apps.get_model("wagtailcore", "GroupApprovalTask")
    Workflow = apps.get_model("wagtailcore", "Workflow")
    WorkflowTask = apps.get_model("wagtailcore", "WorkflowTask")
    WorkflowPage = apps.get_model("wagtailcore", "WorkflowPage")
    task = GroupApprovalTask.objects.filter(name=TASK_NAME).first()
    if task is None:
        content_type, _ = ContentType.objects.get_or_create(
            app_label="wagtailcore", model="groupapprovaltask"
        )
        task = GroupApprovalTask.objects.create(
            name=TASK_NAME, content_type=content_type, active=True
        )
    task.groups.add(moderators)
    workflow, _ = Workflow.objects.get_or_create(name=WORKFLOW_NAME, defaults={"active": True})
    WorkflowTask.objects.get_or_create(workflow=workflow, task=task, defaults={"sort_order": 0})
    if root is not None:
        WorkflowPage.objects.update_or_create(page_id=root.pk, defaults={"workflow": workflow})
    return workflow


def review_with_the_checklist(apps):
    """The review task of the "Editorial review" workflow becomes a group approval with the
    pre-publication checklist (``publications.models.review``), in place: the same task, with
    its groups, its place in the workflow and the reviews in progress. Idempotent."""
    _change_review_task_type(
        apps, ("wagtailcore", "GroupApprovalTask"), ("publications", "ChecklistApprovalTask")
    )


def review_without_the_checklist(apps):
    """The reverse: Wagtail's plain group approval again."""
    _change_review_task_type(
        apps, ("publications", "ChecklistApprovalTask"), ("wagtailcore", "GroupApprovalTask")
    )


def _change_review_task_type(apps, source, target):
    ContentType = apps.get_model("contenttypes", "ContentType")
    Task = apps.get_model("wagtailcore", "Task")
    Source = apps.get_model(*source)
    Target = apps.get_model(*target)
    old = Source.objects.filter(name=TASK_NAME).first()
    if old is None:
        return
    content_type, _ = ContentType.objects.get_or_create(
        app_label=target[0], model=target[1].lower()
    )
    task_id, groups = old.pk, list(old.groups.all())
    # The row of the new type under the same task (raw: the task's own row is left as it is).
    Target(task_ptr_id=task_id).save_base(raw=True)
    Target.objects.get(pk=task_id).groups.set(groups)
    old.delete(keep_parents=True)  # the old type's row only, not the task nor its reviews
    Task.objects.filter(pk=task_id).update(content_type=content_type)


def center_staff_group(apps, center):
    """The staff group of a centre (any of its language versions), created if missing, with
    page permissions on this version of the centre. Returns the group."""
    Group = apps.get_model("auth", "Group")
    CenterStaffGroup = apps.get_model("research_centers", "CenterStaffGroup")
    link = (
        CenterStaffGroup.objects.select_related("group")
        .filter(translation_key=center.translation_key)
        .first()
    )
    if link is None:
        base = f"{RESEARCH_STAFF_PREFIX}{center.title}"[:140]
        name, number = base, 1
        while Group.objects.filter(name=name).exists():
            number += 1
            name = f"{base} ({number})"
        group = Group.objects.create(name=name)
        link = CenterStaffGroup.objects.create(translation_key=center.translation_key, group=group)
        group.permissions.add(_admin_access(apps))
    else:
        group = link.group
    center_collection(apps, link, center.title)
    _grant_pages(apps, group, center, RESEARCH_STAFF_PAGE_PERMISSIONS)
    return group


def give_centres_their_collections(apps):
    """Research staff from the root collection to their centre's (a data migration)."""
    CenterStaffGroup = apps.get_model("research_centers", "CenterStaffGroup")
    ResearchCenterPage = apps.get_model("research_centers", "ResearchCenterPage")
    for link in CenterStaffGroup.objects.select_related("group"):
        center = (
            ResearchCenterPage.objects.filter(translation_key=link.translation_key)
            .order_by("locale_id")
            .first()
        )
        title = center.title if center else link.group.name.removeprefix(RESEARCH_STAFF_PREFIX)
        center_collection(apps, link, title)
        _revoke_root_collection(apps, link.group, FORMER_RESEARCH_STAFF_ROOT_PERMISSIONS)


def follow_center_title(apps, center):
    """Rename a centre's staff group after the centre, when the centre's page in the site's
    default language is published under a new title: "Research staff: <title>". A group that an
    administrator renamed (its name no longer starts with "Research staff: ") keeps its name.
    Returns the group, or None when there is none."""
    CenterStaffGroup = apps.get_model("research_centers", "CenterStaffGroup")
    Group = apps.get_model("auth", "Group")
    if center.locale.language_code != settings.LANGUAGE_CODE:
        return None
    link = (
        CenterStaffGroup.objects.select_related("group")
        .filter(translation_key=center.translation_key)
        .first()
    )
    if link is None:
        return None
    group = link.group
    base = f"{RESEARCH_STAFF_PREFIX}{center.title}"[:140]
    if not group.name.startswith(RESEARCH_STAFF_PREFIX) or group.name == base:
        return group
    collection = link.collection
    if collection is not None and group.name.startswith(
        f"{RESEARCH_STAFF_PREFIX}{collection.name}"
    ):  # still named after the centre: follows it
        collection.name = center.title[:255]
        collection.save(update_fields=["name"])
    name, number = base, 1
    while Group.objects.filter(name=name).exclude(pk=group.pk).exists():
        number += 1
        name = f"{base} ({number})"
    group.name = name
    group.save(update_fields=["name"])
    return group
