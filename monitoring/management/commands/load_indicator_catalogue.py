from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from monitoring.catalogue import DEFAULT_CATALOGUE, CatalogueError, load_catalogue


class Command(BaseCommand):
    help = (
        "Lädt den landesweiten Indikatorenkatalog des sozialräumlichen Monitorings. "
        "Mehrfaches Ausführen ändert nichts."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--file",
            type=Path,
            default=DEFAULT_CATALOGUE,
            help="CSV-Datei (Standard: monitoring/reference_data/indicator_catalogue.csv).",
        )

    def handle(self, *args, file: Path, **options):
        try:
            report = load_catalogue(path=file)
        except CatalogueError as error:
            raise CommandError(
                "Der Indikatorenkatalog wurde nicht geladen, nichts wurde geändert:\n- "
                + "\n- ".join(error.messages)
            ) from error
        if options["verbosity"] >= 1:
            self.stdout.write(report.summary())
