"""The Crossref deposit in the admin: "Crossref deposit (XML)" in an analysis's menu (in the page
listing and on its edit page) downloads the deposit file of that analysis (and of its language
versions that have a DOI of their own), for whoever may publish it (publications.crossref)."""

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404
from django.urls import path
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.ui.menus.pages import PageMenuItem

from publications import crossref
from publications.models import AnalysisPage


class CrossrefDepositButton(PageMenuItem):
    label = _("Crossref deposit (XML)")
    icon_name = "download"
    url_name = "crossref_deposit"

    def is_shown(self, user):
        return issubclass(self.page.specific_class or object, AnalysisPage) and (
            self.page.permissions_for_user(user).can_publish()
        )


def deposit_download(request, page_id):
    page = get_object_or_404(AnalysisPage, pk=page_id)
    if not page.permissions_for_user(request.user).can_publish():
        raise PermissionDenied
    analyses = crossref.depositable(
        AnalysisPage.objects.filter(translation_key=page.translation_key), request
    )
    if not analyses:
        raise Http404(_("This analysis is not public, or has no DOI of its own."))
    response = HttpResponse(crossref.deposit_xml(analyses), content_type="application/xml")
    response["Content-Disposition"] = f'attachment; filename="crossref-{page.pk}.xml"'
    return response


@hooks.register("register_admin_urls")
def crossref_urls():
    return [path("crossref/<int:page_id>/deposit.xml", deposit_download, name="crossref_deposit")]


@hooks.register("register_page_listing_more_buttons")
def listing_button(page, user, next_url=None):
    yield CrossrefDepositButton(page=page, priority=45)


@hooks.register("register_page_header_buttons")
def header_button(page, user, view_name, next_url=None):
    yield CrossrefDepositButton(page=page, priority=62)
