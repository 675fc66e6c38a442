"""The user's actions on an import: upload a file, start the import of a checked file, discard
a file. The work itself runs as tasks (monitoring.imports.tasks)."""

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.translation import gettext as _

from monitoring.imports.parsing import FileFormatError, sniff_kind
from monitoring.imports.tasks import check_import, run_import
from monitoring.models import ImportBatch, ImportStatus
from monitoring.services import MonitoringError
from municipalities.models import Municipality

DISCARDABLE = (ImportStatus.CHECKED, ImportStatus.FAILED)


def max_upload_bytes() -> int:
    return settings.MONITORING_IMPORT_MAX_BYTES


@transaction.atomic
def upload_file(*, actor, municipality: Municipality, file: UploadedFile) -> ImportBatch:
    """Store an uploaded file and have it checked. The content decides whether it is CSV or
    XLSX, not the name."""
    limit = max_upload_bytes()
    if file.size > limit:
        raise MonitoringError(
            _(
                "Die Datei ist %(size)s groß; erlaubt sind höchstens %(limit)s. Teilen Sie die "
                "Datei bitte auf, z. B. nach Jahren."
            )
            % {"size": filesizeformat(file.size), "limit": filesizeformat(limit)}
        )
    if not file.size:
        raise MonitoringError(_("Die Datei ist leer."))
    file.seek(0)
    head = file.read(64 * 1024)
    file.seek(0)
    try:
        sniff_kind(head)
    except FileFormatError as error:
        raise MonitoringError(str(error)) from None
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
    batch = ImportBatch.objects.select_for_update().get(pk=batch.pk)
    if batch.status != ImportStatus.CHECKED:
        raise MonitoringError(
            _("Diese Datei kann nicht (mehr) importiert werden: sie ist „%(status)s“.")
            % {"status": batch.get_status_display()}
        )
    if not batch.valid_rows:
        raise MonitoringError(
            _("Die Datei hat keine gültige Zeile; es gibt nichts zu importieren.")
        )
    if batch.error_rows and not only_valid_rows:
        raise MonitoringError(
            _(
                "Die Datei hat fehlerhafte Zeilen. Korrigieren Sie die Datei und laden Sie sie "
                "neu hoch, oder bestätigen Sie, dass nur die gültigen Zeilen importiert werden."
            )
        )
    batch.status = ImportStatus.IMPORTING
    batch.only_valid_rows = bool(batch.error_rows) and only_valid_rows
    batch.progress = 0
    batch.save(update_fields=["status", "only_valid_rows", "progress"])
    transaction.on_commit(lambda: run_import.delay(batch.pk, actor.pk))
    return batch


@transaction.atomic
def discard(*, actor, batch: ImportBatch) -> ImportBatch:
    """Drop a checked file without importing it; the file itself is deleted."""
    batch = ImportBatch.objects.select_for_update().get(pk=batch.pk)
    if batch.status not in DISCARDABLE:
        raise MonitoringError(
            _("Diese Datei kann nicht verworfen werden: sie ist „%(status)s“.")
            % {"status": batch.get_status_display()}
        )
    name = batch.file.name
    batch.status = ImportStatus.CANCELLED
    batch.finished_at = timezone.now()
    batch.save(update_fields=["status", "finished_at"])
    storage = batch.file.storage
    transaction.on_commit(lambda: storage.delete(name))
    return batch
