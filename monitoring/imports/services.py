"""The user's actions on an import: upload a file, start the import of a checked file, discard
a file. The work itself runs as tasks (monitoring.imports.tasks); the rules every file import
shares are in monitoring.imports.batches."""

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils.translation import gettext as _

from monitoring.imports import batches
from monitoring.imports.tasks import check_import, run_import
from monitoring.models import ImportBatch
from monitoring.services import MonitoringError
from municipalities.models import Municipality

DISCARDABLE = batches.DISCARDABLE


def max_upload_bytes() -> int:
    return settings.MONITORING_IMPORT_MAX_BYTES


@transaction.atomic
def upload_file(*, actor, municipality: Municipality, file: UploadedFile) -> ImportBatch:
    """Store an uploaded file and have it checked. The content decides whether it is CSV or
    XLSX, not the name."""
    batches.check_upload(
        file,
        limit=max_upload_bytes(),
        error=MonitoringError,
        too_large=_(
            "Die Datei ist %(size)s groß; erlaubt sind höchstens %(limit)s. Teilen Sie die "
            "Datei bitte auf, z. B. nach Jahren."
        ),
    )
    batch = ImportBatch.objects.create(
        municipality=municipality,
        uploaded_by=actor,
        file=file,
        original_name=file.name[:255],
    )
    transaction.on_commit(lambda: check_import.delay(batch.pk))
    return batch


@transaction.atomic
def start_import(*, actor, batch: ImportBatch, only_valid_rows: bool) -> ImportBatch:
    """Import a checked file: whole when it is clean, otherwise only with `only_valid_rows`."""
    batch = batches.mark_importing(batch, only_valid_rows=only_valid_rows, error=MonitoringError)
    transaction.on_commit(lambda: run_import.delay(batch.pk, actor.pk))
    return batch


@transaction.atomic
def discard(*, actor, batch: ImportBatch) -> ImportBatch:
    """Drop a checked file without importing it; the file itself is deleted."""
    return batches.discard(batch, error=MonitoringError)
