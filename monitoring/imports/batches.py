"""What every file import of the portal does with its batch – the monitoring import and the
offering import of prevention chains (prevention_chains.offering_imports): the upload check,
starting and discarding a checked file, the worker's lock, progress and failure.

A batch model has the fields of ImportBatch that these touch (status with ImportStatus's
values, file, progress, valid_rows, error_rows, only_valid_rows, summary, finished_at). The
refusals are raised as the caller's error class, so each app's pages and API answer them as
their own.
"""

from collections.abc import Iterator
from contextlib import contextmanager

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import DEFAULT_DB_ALIAS, connection, connections, transaction
from django.db.models import Model
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.translation import gettext as _

from monitoring.imports.parsing import FileFormatError, sniff_kind
from monitoring.models import ImportStatus

RUNNING = (ImportStatus.UPLOADED, ImportStatus.CHECKING, ImportStatus.IMPORTING)
DISCARDABLE = (ImportStatus.CHECKED, ImportStatus.FAILED)


def check_upload(
    file: UploadedFile, *, limit: int, error: type[ValidationError], too_large: str = ""
) -> None:
    """Refuse a file that is too large, empty, or neither CSV nor XLSX by its content (its
    name may say otherwise). `too_large` may replace the message for a file over `limit`; it
    gets %(size)s and %(limit)s."""
    if file.size > limit:
        message = too_large or _("Die Datei ist %(size)s groß; erlaubt sind höchstens %(limit)s.")
        raise error(message % {"size": filesizeformat(file.size), "limit": filesizeformat(limit)})
    if not file.size:
        raise error(_("Die Datei ist leer."))
    file.seek(0)
    head = file.read(64 * 1024)
    file.seek(0)
    try:
        sniff_kind(head)
    except FileFormatError as refusal:
        raise error(str(refusal)) from None


def mark_importing(batch: Model, *, only_valid_rows: bool, error: type[ValidationError]) -> Model:
    """Lock a checked batch and mark it for import: whole when it is clean, otherwise only with
    `only_valid_rows`. Returns the locked batch; the caller queues the import on commit."""
    batch = type(batch).objects.select_for_update().get(pk=batch.pk)
    if batch.status != ImportStatus.CHECKED:
        raise error(
            _("Diese Datei kann nicht (mehr) importiert werden: sie ist „%(status)s“.")
            % {"status": batch.get_status_display()}
        )
    if not batch.valid_rows:
        raise error(_("Die Datei hat keine gültige Zeile; es gibt nichts zu importieren."))
    if batch.error_rows and not only_valid_rows:
        raise error(
            _(
                "Die Datei hat fehlerhafte Zeilen. Korrigieren Sie die Datei und laden Sie sie "
                "neu hoch, oder bestätigen Sie, dass nur die gültigen Zeilen importiert werden."
            )
        )
    batch.status = ImportStatus.IMPORTING
    batch.only_valid_rows = bool(batch.error_rows) and only_valid_rows
    batch.progress = 0
    batch.save(update_fields=["status", "only_valid_rows", "progress"])
    return batch


def discard(batch: Model, *, error: type[ValidationError]) -> Model:
    """Drop a checked or failed file without importing it; the file itself is deleted once the
    caller's transaction commits."""
    batch = type(batch).objects.select_for_update().get(pk=batch.pk)
    if batch.status not in DISCARDABLE:
        raise error(
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


@contextmanager
def one_worker(namespace: int, batch_id: int) -> Iterator[bool]:
    """Whether this worker may run the batch: an advisory lock (namespace, batch) held while
    the block runs. The batch row itself stays unlocked, for the progress writer."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_try_advisory_lock(%s, %s)", [namespace, batch_id])
        acquired = cursor.fetchone()[0]
    try:
        yield acquired
    finally:
        if acquired:
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_unlock(%s, %s)", [namespace, batch_id])


class ProgressWriter:
    """Writes a batch's progress where the page polling it sees it at once: while the import's
    write transaction runs its changes are invisible to others, so the progress goes through a
    second, autocommitting connection. Call close() when done."""

    def __init__(self, model: type[Model], batch_id: int):
        self.model = model
        self.batch_id = batch_id
        self.last = -1
        # Inside a caller's transaction (tests, an eager task in a transaction) nobody else
        # could see the progress anyway, and a second connection would wait on its locks.
        self.separate = (
            None if connection.in_atomic_block else connections.create_connection(DEFAULT_DB_ALIAS)
        )

    def __call__(self, percent: int) -> None:
        if percent <= self.last:
            return
        self.last = percent
        if self.separate is None:
            self.model.objects.filter(pk=self.batch_id).update(progress=percent)
            return
        with self.separate.cursor() as cursor:
            cursor.execute(
                f"UPDATE {self.model._meta.db_table} SET progress = %s WHERE id = %s",  # noqa: S608
                [percent, self.batch_id],
            )

    def close(self) -> None:
        if self.separate is not None:
            self.separate.close()


def mark_failed(model: type[Model], batch_id: int, message: str) -> None:
    """Record that a batch failed, with the German message its page shows. Call it inside the
    transaction that also stores the row errors, if any."""
    batch = model.objects.select_for_update().get(pk=batch_id)
    batch.status = ImportStatus.FAILED
    batch.summary = {**batch.summary, "error": message}
    batch.finished_at = timezone.now()
    batch.progress = 100
    batch.save(update_fields=["status", "summary", "finished_at", "progress"])
