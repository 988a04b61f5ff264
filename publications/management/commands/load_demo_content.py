"""Load the demo content: home pages, sections, taxonomy, research centres and experts, the five
analyses of the seed page (one translated into French) and about forty generated ones, each with a
real PDF; then the demo admin user. Safe to run again: a second run finds everything and stops."""

import logging
import time

from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils.text import slugify

from publications.demo import builder, content
from publications.models import AnalysisIndexPage
from research_centers.models import ResearchCentersIndexPage


class Command(BaseCommand):
    help = "Create the demo content (idempotent): pages, taxonomy, experts, analyses and PDFs."

    def handle(self, *args, **options):
        login = f"{content.ADMIN['username']} / {content.ADMIN['password']}"
        if builder.is_loaded():
            self.stdout.write(f"The demo content is already there. Admin login: {login}")
            return
        started = time.monotonic()
        log = self.stdout.write
        # Wagtail logs every page created, edited and published, and every background task, at
        # INFO: thousands of lines here. Warnings and errors still show.
        logging.disable(logging.INFO)
        try:
            self.load(log)
        finally:
            logging.disable(logging.NOTSET)
        elapsed = time.monotonic() - started
        self.stdout.write(self.style.SUCCESS(f"Demo content loaded in {elapsed:.0f} s."))
        self.stdout.write(f"Admin: /admin/  login: {login}")
        for data in content.DEMO_USERS:
            self.stdout.write(f"  {data['username']} / {data['password']}")

    def load(self, log):
        with transaction.atomic():
            english, french = builder.ensure_locales()
            home, home_fr = builder.ensure_home(english, french)
            log(f"Home pages: /{english.language_code}/ and /{french.language_code}/")
            sections = builder.ensure_sections(home, french)
            analyses, centers = sections[AnalysisIndexPage], sections[ResearchCentersIndexPage]
            taxonomy = builder.ensure_taxonomy(french)
            log(f"Taxonomy: {len(taxonomy['themes'])} themes, {len(taxonomy['regions'])} regions")
            log("Research centres, programmes and experts:")
            units, experts = builder.ensure_research(centers, french, log)
            builder.ensure_research_details(units, experts, taxonomy, french, log)
            log("Seed analyses:")
            seed = builder.ensure_seed_analyses(analyses, taxonomy, units, experts, log)
            main = seed[content.SUBNATIONAL_SLUG]
            main_fr, _ = builder.ensure_subnational_translation(main, french, experts)
            log(f"  French translation: {main_fr.title}")
            brief = seed[slugify(content.CITY_RISK_TITLE)]
            brief_fr, _ = builder.ensure_translation_keeping_the_pdf(brief, french)
            log(f"  French translation, with the English PDF: {brief_fr.title}")
            log("Generated analyses:")
            builder.ensure_generated_analyses(analyses, taxonomy, units, experts, log)
            builder.ensure_featured(home, list(seed.values())[:3])
            builder.ensure_featured(home_fr, [main_fr])
            if builder.ensure_admin():
                log("Admin user created.")
            for username in builder.ensure_demo_users():
                log(f"Demo user created: {username}")
        log("Rebuilding the search index and the reference index...")
        call_command("update_index", verbosity=0)
        call_command("rebuild_references_index", verbosity=0)
