"""Every new research centre page (a new centre, or a translation of one) gets its staff group's
page permissions (roles.center_staff_group); a centre published under a new title renames its
staff group (roles.follow_center_title)."""

from django.apps import apps
from django.db.models.signals import post_save
from django.dispatch import receiver
from wagtail.signals import page_published

from research_centers import roles
from research_centers.models import ResearchCenterPage


@receiver(post_save, sender=ResearchCenterPage, dispatch_uid="research_centers_staff_group")
def give_new_center_a_staff_group(sender, instance, created, raw=False, **kwargs):
    if created and not raw:
        roles.center_staff_group(apps, instance)


@receiver(page_published, sender=ResearchCenterPage, dispatch_uid="research_centers_staff_name")
def rename_staff_group_after_the_centre(sender, instance, **kwargs):
    roles.follow_center_title(apps, instance)
