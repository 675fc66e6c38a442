"""The check step: every row validated, the row errors stored, and a preview of what an import
would change (new, changed, unchanged values, with examples). Nothing is written to the
observations."""

import logging

from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from monitoring.imports.staging import drop_stage, replace_issues, stage_file
from monitoring.models import ImportBatch, ImportStatus

logger = logging.getLogger(__name__)

SAMPLE_SIZE = 25
# Reading is most of the work of a check; the comparison with the stored values the rest.
_READ_SHARE = 90


def _changes(cursor) -> tuple[int, int, list[dict]]:
    cursor.execute(
        """SELECT count(*) FILTER (WHERE o.id IS NULL),
                   count(*) FILTER (
                       WHERE o.id IS NOT NULL
                         AND (o.numerator, o.denominator, o.status)
                             IS DISTINCT FROM (s.numerator, s.denominator, s.status))
              FROM monitoring_import_stage s
              LEFT JOIN monitoring_observation o
                ON o.indicator_id = s.indicator_id AND o.sozialraum_id = s.sozialraum_id
               AND o.period = s.period"""
    )
    created, updated = cursor.fetchone()
    cursor.execute(
        """SELECT s.line, i.code, a.code, s.period, o.id IS NULL,
                   o.numerator::text, o.denominator::text, o.status,
                   s.numerator::text, s.denominator::text, s.status
              FROM monitoring_import_stage s
              JOIN monitoring_indicator i ON i.id = s.indicator_id
              JOIN municipalities_sozialraum a ON a.id = s.sozialraum_id
              LEFT JOIN monitoring_observation o
                ON o.indicator_id = s.indicator_id AND o.sozialraum_id = s.sozialraum_id
               AND o.period = s.period
             WHERE o.id IS NULL
                OR (o.numerator, o.denominator, o.status)
                   IS DISTINCT FROM (s.numerator, s.denominator, s.status)
             ORDER BY s.line
             LIMIT %s""",
        [SAMPLE_SIZE],
    )
    sample = [
        {
            "line": line,
            "indicator": indicator,
            "sozialraum": area,
            "period": period,
            "old": None if is_new else {"numerator": o_num, "denominator": o_den, "status": o_st},
            "new": {"numerator": s_num, "denominator": s_den, "status": s_st},
        }
        for (line, indicator, area, period, is_new, o_num, o_den, o_st, s_num, s_den, s_st) in (
            cursor.fetchall()
        )
    ]
    return created, updated, sample


def check_batch(*, batch_id: int) -> None:
    """Check an uploaded file (the task's body). Runs once per upload: a second delivery of the
    task finds the batch no longer waiting and does nothing."""
    claimed = ImportBatch.objects.filter(pk=batch_id, status=ImportStatus.UPLOADED).update(
        status=ImportStatus.CHECKING, progress=0
    )
    if not claimed:
        return
    batch = ImportBatch.objects.get(pk=batch_id)

    def progress(fraction: float) -> None:
        ImportBatch.objects.filter(pk=batch_id).update(progress=int(fraction * _READ_SHARE))

    try:
        staged = stage_file(batch, progress)
        with transaction.atomic():
            summary = {"checked_at": timezone.now().isoformat()}
            if staged.file_error:
                summary["error"] = staged.file_error
                ImportBatch.objects.filter(pk=batch_id).update(
                    status=ImportStatus.FAILED,
                    progress=100,
                    summary=summary,
                    finished_at=timezone.now(),
                )
                return
            with connection.cursor() as cursor:
                created, updated, sample = _changes(cursor)
            replace_issues(batch_id, staged.issues)
            summary.update(
                {
                    "format": staged.table.describe(),
                    "header_line": staged.table.header_line,
                    "skipped_notes": staged.skipped_notes,
                    "preview": {
                        "created": created,
                        "updated": updated,
                        "unchanged": staged.valid_rows - created - updated,
                    },
                    "changes": sample,
                }
            )
            ImportBatch.objects.filter(pk=batch_id).update(
                status=ImportStatus.CHECKED,
                progress=100,
                total_rows=staged.total_rows,
                valid_rows=staged.valid_rows,
                error_rows=staged.error_rows,
                summary=summary,
            )
    except Exception:
        logger.exception("Prüfung des Imports %s fehlgeschlagen", batch_id)
        ImportBatch.objects.filter(pk=batch_id).update(
            status=ImportStatus.FAILED,
            summary={"error": _("Bei der Prüfung ist ein technischer Fehler aufgetreten.")},
            finished_at=timezone.now(),
        )
    finally:
        with connection.cursor() as cursor:
            drop_stage(cursor)
