"""The user's actions on an offering import: upload a file, import a checked file, discard it.
The work itself runs as tasks (prevention_chains.tasks_offerings)."""

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.translation import gettext as _

from monitoring.imports.parsing import FileFormatError, sniff_kind
from municipalities.models import Municipality
from prevention_chains.errors import ChainError
from prevention_chains.models import ImportStatus, OfferingImport
from prevention_chains.tasks_offerings import check_offering_import, run_offering_import

# A file of a few thousand offerings is well below a megabyte.
MAX_UPLOAD_BYTES = 5 * 1024 * 1024
DISCARDABLE = (ImportStatus.CHECKED, ImportStatus.FAILED)


@transaction.atomic
def upload_file(*, actor, municipality: Municipality, file: UploadedFile) -> OfferingImport:
    """Store an uploaded file and have it checked. The content decides whether it is CSV or
    XLSX, not the name."""
    if file.size > MAX_UPLOAD_BYTES:
        raise ChainError(
            _("Die Datei ist %(size)s groß; erlaubt sind höchstens %(limit)s.")
            % {"size": filesizeformat(file.size), "limit": filesizeformat(MAX_UPLOAD_BYTES)}
        )
    if not file.size:
        raise ChainError(_("Die Datei ist leer."))
    file.seek(0)
    head = file.read(64 * 1024)
    file.seek(0)
    try:
        sniff_kind(head)
    except FileFormatError as error:
        raise ChainError(str(error)) from None
    batch = OfferingImport.objects.create(
        municipality=municipality, uploaded_by=actor, file=file, original_name=file.name[:255]
    )
    transaction.on_commit(lambda: check_offering_import.delay(batch.pk))
    return batch


@transaction.atomic
def start_import(*, actor, batch: OfferingImport, only_valid_rows: bool) -> OfferingImport:
    """Import a checked file: whole when it is clean, otherwise only with `only_valid_rows`."""
    batch = OfferingImport.objects.select_for_update().get(pk=batch.pk)
    if batch.status != ImportStatus.CHECKED:
        raise ChainError(
            _("Diese Datei kann nicht (mehr) importiert werden: sie ist „%(status)s“.")
            % {"status": batch.get_status_display()}
        )
    if not batch.valid_rows:
        raise ChainError(_("Die Datei hat keine gültige Zeile; es gibt nichts zu importieren."))
    if batch.error_rows and not only_valid_rows:
        raise ChainError(
            _(
                "Die Datei hat fehlerhafte Zeilen. Korrigieren Sie die Datei und laden Sie sie "
                "neu hoch, oder bestätigen Sie, dass nur die gültigen Zeilen importiert werden."
            )
        )
    batch.status = ImportStatus.IMPORTING
    batch.only_valid_rows = bool(batch.error_rows) and only_valid_rows
    batch.progress = 0
    batch.save(update_fields=["status", "only_valid_rows", "progress"])
    transaction.on_commit(lambda: run_offering_import.delay(batch.pk, actor.pk))
    return batch


@transaction.atomic
def discard(*, actor, batch: OfferingImport) -> OfferingImport:
    """Drop a checked or failed file without importing it; the file itself is deleted."""
    batch = OfferingImport.objects.select_for_update().get(pk=batch.pk)
    if batch.status not in DISCARDABLE:
        raise ChainError(
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
