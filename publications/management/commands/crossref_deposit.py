from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from publications import crossref
from publications.models import AnalysisPage


class Command(BaseCommand):
    help = (
        "Write the Crossref deposit file of the public analyses that have a DOI of their own "
        "(all, or those given by page id); with --send, post it to Crossref (CROSSREF_USERNAME, "
        "CROSSREF_PASSWORD, CROSSREF_DEPOSIT_URL)."
    )

    def add_arguments(self, parser):
        parser.add_argument("page_ids", nargs="*", type=int, help="analyses' page ids")
        parser.add_argument("--output", "-o", help="write the file here instead of stdout")
        parser.add_argument("--send", action="store_true", help="post the file to Crossref")

    def handle(self, *args, page_ids=(), output=None, send=False, **options):
        if send and not crossref.sending_configured():
            raise CommandError("Set CROSSREF_USERNAME and CROSSREF_PASSWORD to send to Crossref.")
        queryset = AnalysisPage.objects.all()
        if page_ids:
            queryset = queryset.filter(pk__in=page_ids)
        analyses = crossref.depositable(queryset)
        if not analyses:
            raise CommandError("No public analysis with a DOI of its own: nothing to deposit.")
        xml = crossref.deposit_xml(analyses)
        if output:
            with open(output, "wb") as handle:
                handle.write(xml)
            self.stderr.write(f"{len(analyses)} DOI(s) written to {output}.")
        elif not send:
            self.stdout.write(xml.decode())
        if send:
            filename = f"analyses-{timezone.now():%Y%m%d%H%M%S}.xml"
            answer = crossref.send_deposit(xml, filename)
            self.stderr.write(f"{len(analyses)} DOI(s) sent to Crossref: {answer.strip()[:500]}")
