"""The user's actions on an offering import: upload a file, import a checked file, discard it.
The work itself runs as tasks (prevention_chains.tasks_offerings); the rules every file import
shares are in monitoring.imports.batches."""

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction

from monitoring.imports import batches
from municipalities.models import Municipality
from prevention_chains.errors import ChainError
from prevention_chains.models import OfferingImport
from prevention_chains.tasks_offerings import check_offering_import, run_offering_import

# A file of a few thousand offerings is well below a megabyte.
MAX_UPLOAD_BYTES = 5 * 1024 * 1024


@transaction.atomic
def upload_file(*, actor, municipality: Municipality, file: UploadedFile) -> OfferingImport:
    """Store an uploaded file and have it checked. The content decides whether it is CSV or
    XLSX, not the name."""
    batches.check_upload(file, limit=MAX_UPLOAD_BYTES, error=ChainError)
    batch = OfferingImport.objects.create(
        municipality=municipality, uploaded_by=actor, file=file, original_name=file.name[:255]
    )
    transaction.on_commit(lambda: check_offering_import.delay(batch.pk))
    return batch


@transaction.atomic
def start_import(*, actor, batch: OfferingImport, only_valid_rows: bool) -> OfferingImport:
    """Import a checked file: whole when it is clean, otherwise only with `only_valid_rows`."""
    batch = batches.mark_importing(batch, only_valid_rows=only_valid_rows, error=ChainError)
    transaction.on_commit(lambda: run_offering_import.delay(batch.pk, actor.pk))
    return batch


@transaction.atomic
def discard(*, actor, batch: OfferingImport) -> OfferingImport:
    """Drop a checked or failed file without importing it; the file itself is deleted."""
    return batches.discard(batch, error=ChainError)
