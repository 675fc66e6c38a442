from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from municipalities.reference_data_loader import (
    DEFAULT_DATA_DIR,
    ReferenceDataError,
    load_reference_data,
)


class Command(BaseCommand):
    help = (
        "Lädt die NRW-Referenzdaten (Kreise, Gemeinden, Bevölkerung, Grenzen, Programm "
        "„Kein Kind zurücklassen!“ mit Teilnahmen). Mehrfaches Ausführen ändert nichts."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--data-dir",
            type=Path,
            default=DEFAULT_DATA_DIR,
            help="Ordner mit den Dateien (Standard: municipalities/reference_data/).",
        )

    def handle(self, *args, data_dir: Path, **options):
        try:
            report = load_reference_data(data_dir=data_dir)
        except ReferenceDataError as error:
            raise CommandError(
                "Die Referenzdaten wurden nicht geladen, nichts wurde geändert:\n- "
                + "\n- ".join(error.messages)
            ) from error
        if options["verbosity"] >= 1:
            self.stdout.write(report.summary())
