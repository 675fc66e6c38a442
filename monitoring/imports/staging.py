"""The shared first half of checking and importing: stream the file, validate every row and
COPY the valid ones into a temporary table of this database session.

Checking and importing both run it, so an import sees the file as it is valid *now* (a year
may have been approved or a Sozialraum added since the check).
"""

import csv
import io
from collections.abc import Callable
from dataclasses import dataclass, field

from django.db import connection
from django.utils.translation import gettext as _

from monitoring.imports.parsing import FileFormatError, Table, open_table
from monitoring.imports.rows import RowChecker
from monitoring.models import ImportBatch

_CHUNK_ROWS = 50_000


@dataclass
class Staged:
    table: Table | None = None
    total_rows: int = 0
    valid_rows: int = 0
    skipped_notes: int = 0
    # (line, column, reason); the lines of rejected rows
    issues: list[tuple[int, str, str]] = field(default_factory=list)
    error_lines: set[int] = field(default_factory=set)
    file_error: str = ""

    @property
    def error_rows(self) -> int:
        return len(self.error_lines)

    def reject(self, line: int, column: str, reason: str) -> None:
        self.issues.append((line, column, reason))
        self.error_lines.add(line)


def drop_stage(cursor) -> None:
    cursor.execute("DROP TABLE IF EXISTS pg_temp.monitoring_import_stage")


def stage_file(batch: ImportBatch, progress: Callable[[float], None] | None = None) -> Staged:
    """Read the batch's file into the session's temporary table monitoring_import_stage (valid
    rows only, duplicates removed); return the counts and the issues. The caller drops it."""
    staged = Staged()

    def open_binary():
        batch.file.open("rb")
        return batch.file

    try:
        table, rows = open_table(open_binary, batch.file.size, progress)
    except FileFormatError as error:
        staged.file_error = str(error)
        return staged
    staged.table = table
    checker = RowChecker(batch.municipality_id, table.columns)
    with connection.cursor() as cursor:
        drop_stage(cursor)
        cursor.execute(
            """CREATE TEMPORARY TABLE monitoring_import_stage (
                    line integer NOT NULL,
                    indicator_id integer NOT NULL,
                    sozialraum_id integer NOT NULL,
                    period smallint NOT NULL,
                    numerator numeric(14, 3),
                    denominator numeric(14, 3),
                    status varchar(16) NOT NULL)"""
        )
        chunk: list[str] = []
        check, is_note, reject = checker.check, checker.is_note, staged.reject
        try:
            for line, row in rows:
                copy_line, issues = check(line, row)
                if copy_line is not None:
                    chunk.append(copy_line)
                    if len(chunk) >= _CHUNK_ROWS:
                        cursor.copy_expert(
                            "COPY monitoring_import_stage FROM STDIN", io.StringIO("".join(chunk))
                        )
                        staged.valid_rows += len(chunk)
                        chunk = []
                elif is_note(row):
                    staged.skipped_notes += 1
                    continue
                else:
                    for column, reason in issues:
                        reject(line, column, reason)
                staged.total_rows += 1
        except (FileFormatError, UnicodeDecodeError, ValueError, csv.Error) as error:
            # A broken file that passed the first look (cut-off XLSX, stray bytes late in a
            # file); nothing of it is used.
            staged.file_error = _(
                "Die Datei konnte nicht vollständig gelesen werden: %(error)s"
            ) % {"error": error}
            return staged
        if chunk:
            cursor.copy_expert(
                "COPY monitoring_import_stage FROM STDIN", io.StringIO("".join(chunk))
            )
            staged.valid_rows += len(chunk)
        _reject_duplicates(cursor, staged)
    return staged


def _reject_duplicates(cursor, staged: Staged) -> None:
    """A key (indicator, Sozialraum, period) twice in one file: which value is right is
    unknown, so every line of it is rejected."""
    cursor.execute(
        """WITH twice AS (
                SELECT indicator_id, sozialraum_id, period FROM monitoring_import_stage
                 GROUP BY indicator_id, sozialraum_id, period HAVING count(*) > 1)
            SELECT s.line,
                   array_agg(s.line) OVER (PARTITION BY s.indicator_id, s.sozialraum_id, s.period)
              FROM monitoring_import_stage s JOIN twice USING (indicator_id, sozialraum_id, period)
             ORDER BY s.line"""
    )
    duplicates = cursor.fetchall()
    if not duplicates:
        return
    for line, lines in duplicates:
        others = ", ".join(str(other) for other in lines if other != line)
        staged.reject(
            line,
            "",
            _(
                "Doppelt: Indikator, Sozialraum und Jahr dieser Zeile stehen auch in Zeile "
                "%(lines)s. Bitte lassen Sie nur eine Zeile stehen."
            )
            % {"lines": others},
        )
    cursor.execute(
        "DELETE FROM monitoring_import_stage WHERE line = ANY(%s)",
        [[line for line, _lines in duplicates]],
    )
    staged.valid_rows -= len(duplicates)


def _copy_text(value: str) -> str:
    return (
        value.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r")
    )


def replace_issues(batch_id: int, issues: list[tuple[int, str, str]]) -> None:
    """The batch's row errors become these (COPY: a broken file may have a million)."""
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM monitoring_importissue WHERE batch_id = %s", [batch_id])
        for start in range(0, len(issues), _CHUNK_ROWS):
            data = "".join(
                f"{batch_id}\t{line}\t{_copy_text(column[:100])}\t{_copy_text(reason[:500])}\n"
                for line, column, reason in issues[start : start + _CHUNK_ROWS]
            )
            cursor.copy_expert(
                'COPY monitoring_importissue (batch_id, line, "column", message) FROM STDIN',
                io.StringIO(data),
            )
