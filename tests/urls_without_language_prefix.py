"""The site's URLs with Wagtail's pages outside the language prefix, for Wagtail's
``assertPageIsRoutable`` only: that helper routes a page's URL through the page tree as it is,
"/en/" included, where the site's URL configuration (config.urls) has Django strip the language
prefix first. The page tree and Wagtail's routing are the same."""

from django.urls import include, path
from wagtail import urls as wagtail_urls

urlpatterns = [path("", include(wagtail_urls))]
