from django.core.management.base import BaseCommand

from publications.harvest import sync_records


class Command(BaseCommand):
    help = (
        "Bring the OAI-PMH records up to date with what is public now (it happens by itself "
        "after every change; run it once after a deploy that adds them)."
    )

    def handle(self, *args, **options):
        counts = sync_records()
        self.stdout.write(
            "Harvest records: {created} new, {changed} changed, {deleted} deleted.".format(**counts)
        )
