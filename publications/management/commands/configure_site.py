"""Point the Wagtail Site record at the configured public origin (settings.SITE_BASE_URL), so that
every absolute URL the site writes is on it. Run at each deploy, after ``migrate``; safe to run
again (it changes nothing when the record already matches)."""

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.core.management.base import BaseCommand, CommandError

from publications.site_origin import configure_default_site


class Command(BaseCommand):
    help = "Set the default Wagtail site's host name and port from SITE_BASE_URL."

    def add_arguments(self, parser):
        parser.add_argument(
            "--base-url",
            default=None,
            help="The public origin, e.g. https://example.org (default: settings.SITE_BASE_URL).",
        )

    def handle(self, *args, base_url=None, **options):
        base_url = base_url or settings.SITE_BASE_URL
        try:
            site, changed = configure_default_site(base_url)
        except ImproperlyConfigured as exc:
            raise CommandError(str(exc)) from exc
        state = "set to" if changed else "already"
        self.stdout.write(f"Site {site.site_name or site.pk}: {state} {site.root_url}")
