"""The table in an offering file, read the way monitoring.imports.parsing reads statistics
files (CSV with `;`, `,` or tab, UTF-8 with or without BOM, UTF-16, Windows-1252, title lines
above the table; XLSX) – its sniffing and encoding detection are reused, only the header is
that of an offering file. Offering files are small (a municipality has hundreds of
offerings, not millions of values), so the rows are read into a list.
"""

import csv
import io
import zipfile
from datetime import date, datetime

from django.utils.translation import gettext as _

from monitoring.imports.parsing import (
    ENCODING_LABELS,
    HEADER_SEARCH_ROWS,
    FileFormatError,
    Table,
    detect_encoding,
    sniff_kind,
)
from prevention_chains.offering_imports.columns import REQUIRED, header_label, match_columns

DELIMITERS = (";", "\t", ",")
Rows = list[tuple[int, list[str]]]


def _text(cell) -> str:
    """A cell as the text a user typed: 3.0 from a spreadsheet is 3, a date is dd.mm.yyyy."""
    if cell is None:
        return ""
    if isinstance(cell, bool):
        return "ja" if cell else "nein"
    if isinstance(cell, float) and cell.is_integer():
        return str(int(cell))
    if isinstance(cell, datetime | date):
        return cell.strftime("%d.%m.%Y")
    return str(cell).strip()


def _header_error(best: dict[str, int]) -> FileFormatError:
    required = ", ".join(header_label(key) for key in REQUIRED)
    if not best:
        return FileFormatError(
            _(
                "In den ersten %(rows)d Zeilen wurde keine Kopfzeile gefunden. Die Tabelle braucht "
                "mindestens die Spalten %(columns)s; die Vorlage zeigt alle Spalten."
            )
            % {"rows": HEADER_SEARCH_ROWS, "columns": required}
        )
    missing = ", ".join(header_label(key) for key in REQUIRED if key not in best)
    return FileFormatError(
        _("Der Kopfzeile fehlt: %(missing)s. Die Tabelle braucht mindestens %(columns)s.")
        % {"missing": missing, "columns": required}
    )


def _find_header(rows) -> tuple[int, dict[str, int], dict[str, int]]:
    """(index of the header among rows, its columns, the best partial match seen)."""
    best: dict[str, int] = {}
    for index, row in enumerate(rows):
        if index >= HEADER_SEARCH_ROWS:
            break
        columns = match_columns(row)
        if all(key in columns for key in REQUIRED):
            return index, columns, columns
        if len(columns) > len(best):
            best = columns
    return -1, {}, best


def _clean_rows(numbered) -> Rows:
    return [(line, [_text(cell) for cell in row]) for line, row in numbered if any(map(_text, row))]


def _read_csv(open_binary, content: bytes) -> tuple[Table, Rows]:
    encoding = detect_encoding(open_binary)
    text = content.decode(encoding)
    best: dict[str, int] = {}
    for delimiter in DELIMITERS:
        reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
        numbered = []
        previous = 0
        for row in reader:
            numbered.append((previous + 1, row))
            previous = reader.line_num
        index, columns, partial = _find_header([row for _line, row in numbered])
        if index >= 0:
            table = Table(
                kind="csv",
                columns=columns,
                header_line=numbered[index][0],
                encoding=ENCODING_LABELS[encoding],
                delimiter=delimiter,
                codec=encoding,
            )
            return table, _clean_rows(numbered[index + 1 :])
        if len(partial) > len(best):
            best = partial
    raise _header_error(best)


def _read_xlsx(content: bytes) -> tuple[Table, Rows]:
    from openpyxl import load_workbook

    try:
        book = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError) as error:
        raise FileFormatError(
            _("Die Datei ist keine lesbare Excel-Arbeitsmappe (XLSX): %(error)s") % {"error": error}
        ) from None
    best: dict[str, int] = {}
    try:
        for sheet in book.worksheets:
            rows = [list(row) for row in sheet.iter_rows(values_only=True)]
            index, columns, partial = _find_header([[_text(c) for c in row] for row in rows])
            if index >= 0:
                table = Table(kind="xlsx", columns=columns, header_line=index + 1)
                numbered = [(line, row) for line, row in enumerate(rows, start=1)]
                return table, _clean_rows(numbered[index + 1 :])
            if len(partial) > len(best):
                best = partial
    finally:
        book.close()
    raise _header_error(best)


def read_offering_table(open_binary) -> tuple[Table, Rows]:
    """The table in an offering file and its data rows as (line number, cell texts); line
    numbers are those a user sees in a text editor or the spreadsheet."""
    with open_binary() as stream:
        content = stream.read()
    if not content.strip():
        raise FileFormatError(_("Die Datei ist leer."))
    if sniff_kind(content[:65536]) == "xlsx":
        return _read_xlsx(content)
    try:
        return _read_csv(open_binary, content)
    except (UnicodeDecodeError, csv.Error) as error:
        raise FileFormatError(
            _("Die Datei konnte nicht gelesen werden: %(error)s") % {"error": error}
        ) from None
