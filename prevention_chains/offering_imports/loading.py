"""The two tasks' bodies: checking an uploaded file (preview and row errors, nothing written to
the offerings) and importing a checked one – read and checked again, then every valid row
written in one transaction, so an import applies completely or not at all.

Progress: reading and checking report through the task's own connection, writing through
monitoring.imports.batches.ProgressWriter (a second connection); the batch row is therefore
never locked – an advisory lock lets only one worker run a batch.
"""

import logging

from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from accounts.models import User
from monitoring.imports.batches import ProgressWriter, mark_failed, one_worker
from monitoring.models import ImportStatus
from municipalities.models import Municipality
from prevention_chains.models import (
    Offering,
    OfferingImport,
    OfferingImportIssue,
    OfferingImportKey,
)
from prevention_chains.offering_imports.checking import CheckedFile, check_file
from prevention_chains.services_offerings import write_offering

logger = logging.getLogger(__name__)

SAMPLE_ROWS = 10
_LOCK_NAMESPACE = 5_050_505  # first key of the advisory lock of offering imports
_READ_SHARE = 50


def _store_issues(batch_id: int, checked: CheckedFile) -> None:
    OfferingImportIssue.objects.filter(batch_id=batch_id).delete()
    OfferingImportIssue.objects.bulk_create(
        OfferingImportIssue(batch_id=batch_id, line=line, column=column[:100], message=reason[:500])
        for line, column, reason in checked.issues
    )


def _counts(checked: CheckedFile) -> dict:
    return {
        "total_rows": checked.total_rows,
        "valid_rows": len(checked.rows),
        "error_rows": checked.error_rows,
    }


def _fail(batch_id: int, message: str, checked: CheckedFile | None = None) -> None:
    with transaction.atomic():
        if checked is not None:
            _store_issues(batch_id, checked)
        mark_failed(OfferingImport, batch_id, message)


def check_batch(*, batch_id: int) -> None:
    """Check an uploaded file. Runs once per upload: a second delivery of the task finds the
    batch no longer waiting and does nothing."""
    claimed = OfferingImport.objects.filter(pk=batch_id, status=ImportStatus.UPLOADED).update(
        status=ImportStatus.CHECKING, progress=0
    )
    if not claimed:
        return
    batch = OfferingImport.objects.select_related("municipality").get(pk=batch_id)
    try:
        checked = check_file(
            batch,
            lambda fraction: OfferingImport.objects.filter(pk=batch_id).update(
                progress=int(fraction * 99)
            ),
        )
        if checked.file_error:
            _fail(batch_id, checked.file_error)
            return
        with transaction.atomic():
            _store_issues(batch_id, checked)
            OfferingImport.objects.filter(pk=batch_id).update(
                status=ImportStatus.CHECKED,
                progress=100,
                summary={
                    "checked_at": timezone.now().isoformat(),
                    "format": checked.table.describe(),
                    "header_line": checked.table.header_line,
                    "skipped_notes": checked.skipped_notes,
                    "preview": {
                        "created": len(checked.rows) - checked.updates,
                        "updated": checked.updates,
                        "without_key": sum(1 for row in checked.rows if not row.key),
                    },
                    "sample": [
                        {
                            "line": row.line,
                            "key": row.key,
                            "title": row.data.title,
                            "provider": row.data.provider.name if row.data.provider else "",
                            "updates": row.offering is not None,
                        }
                        for row in checked.rows[:SAMPLE_ROWS]
                    ],
                },
                **_counts(checked),
            )
    except Exception:
        logger.exception("Prüfung des Angebotsimports %s fehlgeschlagen", batch_id)
        _fail(batch_id, _("Bei der Prüfung ist ein technischer Fehler aufgetreten."))


def _write(batch: OfferingImport, actor: User, checked: CheckedFile, progress) -> tuple[int, int]:
    # Two imports of one municipality run one after the other (their Kennungen could clash).
    Municipality.objects.select_for_update(no_key=True).get(pk=batch.municipality_id)
    today = timezone.localdate()
    created = updated = 0
    for done, row in enumerate(checked.rows, start=1):
        if row.offering is not None:
            offering = Offering.objects.select_for_update().get(pk=row.offering.pk)
            offering.version = F("version") + 1
            updated += 1
        else:
            offering = Offering(municipality_id=batch.municipality_id, created_by=actor)
            created += 1
        # The file says how the offering is today: that is a confirmation.
        offering.last_confirmed_on = today
        offering.confirmed_by = actor
        offering.stale_reminder_sent_on = None
        write_offering(offering, row.data)
        if row.key and row.offering is None:
            OfferingImportKey.objects.create(
                municipality_id=batch.municipality_id, key=row.key, offering=offering
            )
        progress(_READ_SHARE + (100 - _READ_SHARE - 1) * done // len(checked.rows))
    return created, updated


def import_batch(*, batch_id: int, actor_id: int) -> None:
    """Import a checked file; idempotent: only one worker runs a batch, and a batch no longer
    waiting for its import is left alone."""
    with one_worker(_LOCK_NAMESPACE, batch_id) as mine:
        if mine:
            _import_batch(batch_id, actor_id)


def _import_batch(batch_id: int, actor_id: int) -> None:
    progress = None
    try:
        batch = OfferingImport.objects.select_related("municipality").get(pk=batch_id)
        if batch.status != ImportStatus.IMPORTING:
            return
        progress = ProgressWriter(OfferingImport, batch_id)
        checked = check_file(batch, lambda fraction: progress(int(fraction * _READ_SHARE)))
        if checked.file_error:
            _fail(batch_id, checked.file_error)
            return
        if checked.error_rows and not batch.only_valid_rows:
            message = ngettext(
                "Die Datei hat jetzt %(count)d fehlerhafte Zeile (z. B. weil ein Akteur "
                "inzwischen umbenannt wurde). Es wurde nichts importiert.",
                "Die Datei hat jetzt %(count)d fehlerhafte Zeilen (z. B. weil ein Akteur "
                "inzwischen umbenannt wurde). Es wurde nichts importiert.",
                checked.error_rows,
            ) % {"count": checked.error_rows}
            _fail(batch_id, message, checked)
            return
        actor = User.objects.get(pk=actor_id)
        with transaction.atomic():
            created, updated = _write(batch, actor, checked, progress)
            _store_issues(batch_id, checked)
            finished = timezone.now()
            OfferingImport.objects.filter(pk=batch_id).update(
                status=ImportStatus.DONE,
                progress=100,
                rows_created=created,
                rows_updated=updated,
                finished_at=finished,
                summary={**batch.summary, "imported_at": finished.isoformat()},
                **_counts(checked),
            )
    except Exception:
        logger.exception("Angebotsimport %s fehlgeschlagen", batch_id)
        _fail(
            batch_id,
            _("Beim Import ist ein technischer Fehler aufgetreten. Es wurde nichts importiert."),
        )
    finally:
        if progress is not None:
            progress.close()
