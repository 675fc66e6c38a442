"""The import step: the file is read and checked again (years may have been approved since the
check), the valid rows are COPYed into a temporary table, and one upsert per slice of rows
writes them – all slices in one transaction, so the import applies completely or not at all.

Progress: reading happens before the transaction and reports through the task's own
connection. While the transaction runs, its writes are invisible to others, so the progress
of the slices is written through a second, autocommitting connection (never touching a row the
transaction has locked).
"""

import logging
import math

from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from monitoring.disclosure_cells import refresh_disclosure
from monitoring.imports.batches import ProgressWriter, mark_failed, one_worker
from monitoring.imports.staging import drop_stage, replace_issues, stage_file
from monitoring.models import ImportBatch, ImportStatus
from monitoring.quality import check_observations
from monitoring.services import MonitoringError, assert_periods_open
from municipalities.models import Municipality

logger = logging.getLogger(__name__)

# First key of the advisory lock that lets only one worker run a batch's import.
_LOCK_NAMESPACE = 4_040_404
_SLICE_ROWS = 100_000
_READ_SHARE = 40
_WRITE_SHARE = 55

_UPSERT = """
WITH written AS (
    INSERT INTO monitoring_observation AS o
           (indicator_id, sozialraum_id, period, numerator, denominator, status,
            import_batch_id, updated_by_id, updated_at)
    SELECT indicator_id, sozialraum_id, period, numerator, denominator, status,
           %(batch)s, %(actor)s, %(now)s
      FROM monitoring_import_stage
     WHERE line > %(after)s AND line <= %(upto)s
    ON CONFLICT (indicator_id, sozialraum_id, period) DO UPDATE
       SET numerator = EXCLUDED.numerator,
           denominator = EXCLUDED.denominator,
           status = EXCLUDED.status,
           import_batch_id = EXCLUDED.import_batch_id,
           updated_by_id = EXCLUDED.updated_by_id,
           updated_at = EXCLUDED.updated_at
     WHERE (o.numerator, o.denominator, o.status)
           IS DISTINCT FROM (EXCLUDED.numerator, EXCLUDED.denominator, EXCLUDED.status)
    RETURNING (xmax = 0) AS created, period)
SELECT count(*) FILTER (WHERE created), count(*) FILTER (WHERE NOT created),
       coalesce(array_agg(DISTINCT period), '{}')
  FROM written
"""


def _fail(batch_id: int, message: str, issues=None) -> None:
    with transaction.atomic():
        if issues is not None:
            replace_issues(batch_id, issues)
        mark_failed(ImportBatch, batch_id, message)


def _write(
    batch: ImportBatch, actor_id: int, staged, progress: ProgressWriter
) -> tuple[int, int, set]:
    municipality = Municipality.objects.select_for_update(no_key=True).get(pk=batch.municipality_id)
    with connection.cursor() as cursor:
        cursor.execute("SELECT DISTINCT period FROM monitoring_import_stage")
        # Approving a year locks the municipality's row too, so this answer holds until commit.
        assert_periods_open(municipality, [row[0] for row in cursor.fetchall()])
        # Foreign keys are checked slice by slice, so the progress covers that work as well.
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        cursor.execute("SELECT coalesce(max(line), 0) FROM monitoring_import_stage")
        last_line = cursor.fetchone()[0]
        slices = max(1, math.ceil(staged.valid_rows / _SLICE_ROWS))
        step = math.ceil(last_line / slices) or 1
        created = updated = 0
        periods: set[int] = set()
        now = timezone.now()
        for index, after in enumerate(range(0, last_line, step), start=1):
            cursor.execute(
                _UPSERT,
                {
                    "batch": batch.pk,
                    "actor": actor_id,
                    "now": now,
                    "after": after,
                    "upto": after + step,
                },
            )
            slice_created, slice_updated, slice_periods = cursor.fetchone()
            created += slice_created
            updated += slice_updated
            periods.update(slice_periods)
            progress(_READ_SHARE + _WRITE_SHARE * index // slices)
    refresh_disclosure(municipality_id=municipality.pk)
    return created, updated, periods


def import_batch(*, batch_id: int, actor_id: int, check_quality: bool = True) -> None:
    """Import a checked file (the task's body); idempotent: only one worker runs a batch, and a
    batch that is no longer waiting for its import is left alone. The plausibility checks of
    the changed years run after the commit (the benchmark times the import without them)."""
    with one_worker(_LOCK_NAMESPACE, batch_id) as mine:
        if mine:
            _import_batch(batch_id, actor_id, check_quality)


def _import_batch(batch_id: int, actor_id: int, check_quality: bool) -> None:
    progress = None
    try:
        batch = ImportBatch.objects.get(pk=batch_id)
        if batch.status != ImportStatus.IMPORTING:
            return
        progress = ProgressWriter(ImportBatch, batch_id)
        staged = stage_file(batch, lambda fraction: progress(int(fraction * _READ_SHARE)))
        if staged.file_error:
            _fail(batch_id, staged.file_error)
            return
        if staged.error_rows and not batch.only_valid_rows:
            _fail(
                batch_id,
                ngettext(
                    "Die Datei hat jetzt %(count)d fehlerhafte Zeile (z. B. weil ein Jahr "
                    "inzwischen freigegeben wurde). Es wurde nichts importiert.",
                    "Die Datei hat jetzt %(count)d fehlerhafte Zeilen (z. B. weil ein Jahr "
                    "inzwischen freigegeben wurde). Es wurde nichts importiert.",
                    staged.error_rows,
                )
                % {"count": staged.error_rows},
                staged.issues,
            )
            return
        try:
            with transaction.atomic():
                created, updated, periods = _write(batch, actor_id, staged, progress)
                replace_issues(batch_id, staged.issues)
                ImportBatch.objects.filter(pk=batch_id).update(
                    total_rows=staged.total_rows,
                    valid_rows=staged.valid_rows,
                    error_rows=staged.error_rows,
                    rows_created=created,
                    rows_updated=updated,
                    rows_unchanged=staged.valid_rows - created - updated,
                )
        except MonitoringError as error:
            _fail(batch_id, " ".join(error.messages))
            return
        findings = None
        if periods and check_quality:
            try:
                findings = check_observations(
                    municipality=batch.municipality, periods=sorted(periods)
                )
            except Exception:
                # The data are in; a failing plausibility check must not hide that.
                logger.exception("Plausibilitätsprüfung nach Import %s fehlgeschlagen", batch_id)
        batch.refresh_from_db()
        batch.status = ImportStatus.DONE
        batch.progress = 100
        batch.finished_at = timezone.now()
        batch.summary = {
            **batch.summary,
            "imported_at": batch.finished_at.isoformat(),
            "quality_findings": findings,
        }
        batch.summary.pop("error", None)
        batch.save(update_fields=["status", "progress", "finished_at", "summary"])
    except Exception:
        logger.exception("Import %s fehlgeschlagen", batch_id)
        _fail(
            batch_id,
            _("Beim Import ist ein technischer Fehler aufgetreten. Es wurde nichts importiert."),
        )
    finally:
        if progress is not None:
            progress.close()
        with connection.cursor() as cursor:
            drop_stage(cursor)
