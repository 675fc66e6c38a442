"""Reading the files statistics offices deliver: CSV (any of `;`, `,`, tab; UTF-8 with or
without BOM, UTF-16 with BOM, Windows-1252; title lines above the table) and XLSX.

The reader streams: it never holds more than one row of the file in memory, so files of any
size can be read. It yields raw cells; what a cell means is decided in monitoring.imports.rows.
"""

import codecs
import csv
import io
import re
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from django.utils.translation import gettext as _

FIELDS = ("indicator", "sozialraum", "period", "numerator", "denominator")

# Normalised header names (lower case, umlauts folded, no punctuation, no "(…)" remarks).
_HEADER_NAMES = {
    "indicator": {
        "indikator",
        "indikatorkennung",
        "indikatorcode",
        "indikatornummer",
        "indikatorid",
        "kennung",
        "code",
        "indicator",
        "indicatorcode",
    },
    "sozialraum": {
        "sozialraum",
        "sozialraumkennung",
        "sozialraumcode",
        "sozialraumnummer",
        "sozialraumnr",
        "bezirk",
        "bezirkskennung",
        "bezirkscode",
        "bezirksnummer",
        "stadtbezirk",
        "gebiet",
        "gebietskennung",
        "area",
        "district",
    },
    "period": {"jahr", "zeitraum", "periode", "berichtsjahr", "schuljahr", "year", "period"},
    "numerator": {"zahler", "zaehler", "numerator"},
    "denominator": {"nenner", "denominator"},
}
FIELD_LABELS = {
    "indicator": "Indikator",
    "sozialraum": "Sozialraum",
    "period": "Jahr",
    "numerator": "Zähler",
    "denominator": "Nenner",
}
# Title lines, source notes and empty lines may stand above the table.
HEADER_SEARCH_ROWS = 30
_SAMPLE_BYTES = 256 * 1024
_DELIMITERS = (";", "\t", ",")
_FOLD = str.maketrans({"ä": "a", "ö": "o", "ü": "u", "ß": "ss"})
_REMARK = re.compile(r"\(.*?\)|\[.*?\]")
_NOT_ALNUM = re.compile(r"[^a-z0-9]")


class FileFormatError(Exception):
    """The file cannot be read as a table of monitoring data; the message says why."""


def normalise_header(text) -> str:
    text = _REMARK.sub("", str(text or "")).lower().translate(_FOLD)
    return _NOT_ALNUM.sub("", text)


def match_header(cells) -> dict[str, int]:
    """{field: column index} for the cells of a candidate header row (first match wins)."""
    found: dict[str, int] = {}
    for index, cell in enumerate(cells):
        name = normalise_header(cell)
        if not name:
            continue
        for field, names in _HEADER_NAMES.items():
            if field not in found and name in names:
                found[field] = index
                break
    return found


def missing_columns_message(best: dict[str, int]) -> str:
    if len(best) < 2:
        return _(
            "In den ersten %(rows)d Zeilen wurde keine Kopfzeile gefunden. Die Tabelle braucht "
            "die Spalten Indikator, Sozialraum, Jahr, Zähler und Nenner."
        ) % {"rows": HEADER_SEARCH_ROWS}
    missing = [FIELD_LABELS[field] for field in FIELDS if field not in best]
    return _(
        "Der Kopfzeile fehlt: %(columns)s. Die Tabelle braucht die Spalten Indikator, "
        "Sozialraum, Jahr, Zähler und Nenner."
    ) % {"columns": ", ".join(missing)}


@dataclass
class Table:
    """A readable table: its kind, where its header is, and an iterator of its data rows."""

    kind: str  # "csv" or "xlsx"
    columns: dict[str, int]
    header_line: int
    encoding: str = ""  # for people
    delimiter: str = ""
    codec: str = ""  # for Python

    def describe(self) -> str:
        if self.kind == "xlsx":
            return _("Excel-Arbeitsmappe (XLSX)")
        names = {";": _("Semikolon"), ",": _("Komma"), "\t": _("Tabulator")}
        return _("CSV, getrennt durch %(delimiter)s, Zeichenkodierung %(encoding)s") % {
            "delimiter": names[self.delimiter],
            "encoding": self.encoding,
        }


def sniff_kind(head: bytes) -> str:
    """What the file is by its content (its name may say otherwise)."""
    if head.startswith(b"PK\x03\x04"):
        return "xlsx"
    if head.startswith(b"\xd0\xcf\x11\xe0"):
        raise FileFormatError(
            _(
                "Das ist eine Datei im alten Excel-Format (.xls). Bitte speichern Sie sie in "
                "Excel als „Excel-Arbeitsmappe (*.xlsx)“ oder als CSV."
            )
        )
    if head.startswith(b"%PDF"):
        raise FileFormatError(
            _("Das ist eine PDF-Datei. Bitte laden Sie die Daten als CSV oder XLSX hoch.")
        )
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "csv"
    if b"\x00" in head:
        raise FileFormatError(
            _(
                "Die Datei ist keine Textdatei (CSV) und keine Excel-Arbeitsmappe (XLSX); "
                "vielleicht hat sie eine ungewöhnliche Zeichenkodierung. Bitte speichern Sie "
                "sie als „CSV UTF-8“ oder als XLSX."
            )
        )
    return "csv"


def detect_encoding(open_binary: Callable[[], io.BufferedIOBase]) -> str:
    """UTF-8 (with or without BOM) or UTF-16 with BOM when the whole file decodes as such,
    otherwise Windows-1252, which most German statistics software writes."""
    with open_binary() as stream:
        head = stream.read(4)
        if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
            return "utf-16"
        encoding = "utf-8-sig" if head.startswith(codecs.BOM_UTF8) else "utf-8"
        decoder = codecs.getincrementaldecoder("utf-8")()
        chunk = head
        try:
            while chunk:
                decoder.decode(chunk)
                chunk = stream.read(1024 * 1024)
            decoder.decode(b"", final=True)
        except UnicodeDecodeError:
            encoding = "cp1252"
    if encoding == "cp1252":
        cp1252 = codecs.getincrementaldecoder("cp1252")()
        with open_binary() as stream:
            try:
                while chunk := stream.read(1024 * 1024):
                    cp1252.decode(chunk)
            except UnicodeDecodeError:
                raise FileFormatError(
                    _(
                        "Die Zeichenkodierung der Datei wurde nicht erkannt (weder UTF-8 noch "
                        "Windows-1252). Bitte speichern Sie sie als „CSV UTF-8“."
                    )
                ) from None
    return encoding


# Python's codec name → how people know the encoding (shown on the import's page).
ENCODING_LABELS = {
    "utf-8": "UTF-8",
    "utf-8-sig": "UTF-8 (mit BOM)",
    "utf-16": "UTF-16",
    "cp1252": "Windows-1252",
}


class _CountingReader(io.RawIOBase):
    """A raw stream over any file object that counts the bytes read (for the progress)."""

    def __init__(self, stream):
        self._stream = stream
        self.position = 0

    def readable(self):
        return True

    def readinto(self, buffer):
        data = self._stream.read(len(buffer))
        size = len(data)
        buffer[:size] = data
        self.position += size
        return size


def _csv_table(open_binary, head: bytes) -> tuple[Table, int]:
    """The CSV table's delimiter and header; returns the header's index among the CSV rows."""
    encoding = detect_encoding(open_binary)
    sample = head.decode(encoding, errors="ignore")
    lines = sample.splitlines(keepends=True)
    if len(head) >= _SAMPLE_BYTES and lines:
        lines = lines[:-1]  # the last line of the sample may be cut off
    best: dict[str, int] = {}
    for delimiter in _DELIMITERS:
        rows = csv.reader(io.StringIO("".join(lines)), delimiter=delimiter)
        for index, row in enumerate(rows):
            if index >= HEADER_SEARCH_ROWS:
                break
            columns = match_header(row)
            if len(columns) == len(FIELDS):
                table = Table(
                    kind="csv",
                    columns=columns,
                    header_line=rows.line_num,
                    encoding=ENCODING_LABELS[encoding],
                    delimiter=delimiter,
                    codec=encoding,
                )
                return table, index
            if len(columns) > len(best):
                best = columns
    raise FileFormatError(missing_columns_message(best))


def _is_empty(cells) -> bool:
    return all(cell is None or (isinstance(cell, str) and not cell.strip()) for cell in cells)


def read_csv(
    open_binary, head: bytes, progress: Callable[[float], None] | None, size: int
) -> tuple[Table, Iterator[tuple[int, list]]]:
    table, header_index = _csv_table(open_binary, head)

    def rows():
        with open_binary() as binary:
            counter = _CountingReader(binary)
            text = io.TextIOWrapper(
                io.BufferedReader(counter, 1024 * 1024), encoding=table.codec, newline=""
            )
            reader = csv.reader(text, delimiter=table.delimiter)
            for _index, _row in zip(range(header_index + 1), reader, strict=False):
                pass
            previous_line = reader.line_num
            report_every = 20_000
            for count, row in enumerate(reader, start=1):
                line = previous_line + 1
                previous_line = reader.line_num
                if progress is not None and count % report_every == 0 and size:
                    progress(min(counter.position / size, 1.0))
                if not row or _is_empty(row):
                    continue
                yield line, row

    return table, rows()


def read_xlsx(
    open_binary, progress: Callable[[float], None] | None
) -> tuple[Table, Iterator[tuple[int, list]]]:
    from openpyxl import load_workbook

    def workbook(stream):
        try:
            return load_workbook(stream, read_only=True, data_only=True)
        except (zipfile.BadZipFile, KeyError, OSError, ValueError) as error:
            raise FileFormatError(
                _(
                    "Die Datei ist ein ZIP-Archiv, aber keine lesbare Excel-Arbeitsmappe (XLSX): "
                    "%(error)s"
                )
                % {"error": error}
            ) from None

    # Find the first sheet with a header row among its first rows.
    best: dict[str, int] = {}
    with open_binary() as stream:
        book = workbook(stream)
        found = None
        for sheet_index, sheet in enumerate(book.worksheets):
            for row_number, row in enumerate(
                sheet.iter_rows(max_row=HEADER_SEARCH_ROWS, values_only=True), start=1
            ):
                columns = match_header(row)
                if len(columns) == len(FIELDS):
                    found = (sheet_index, row_number, columns)
                    break
                if len(columns) > len(best):
                    best = columns
            if found:
                break
        book.close()
    if found is None:
        raise FileFormatError(missing_columns_message(best))
    sheet_index, header_row, columns = found
    table = Table(kind="xlsx", columns=columns, header_line=header_row)

    def rows():
        with open_binary() as stream:
            book = workbook(stream)
            sheet = book.worksheets[sheet_index]
            total = sheet.max_row or 0
            for line, row in enumerate(
                sheet.iter_rows(min_row=header_row + 1, values_only=True), start=header_row + 1
            ):
                if progress is not None and total and line % 20_000 == 0:
                    progress(min(line / total, 1.0))
                if _is_empty(row):
                    continue
                yield line, list(row)
            book.close()

    return table, rows()


def open_table(
    open_binary: Callable[[], io.BufferedIOBase],
    size: int,
    progress: Callable[[float], None] | None = None,
) -> tuple[Table, Iterator[tuple[int, list]]]:
    """The table in a file: (description, iterator of (line number, cells)).

    `open_binary` opens the file anew for each pass (encoding detection, reading); line
    numbers are those a user sees in a text editor or in the spreadsheet."""
    with open_binary() as stream:
        head = stream.read(_SAMPLE_BYTES)
    if not head.strip():
        raise FileFormatError(_("Die Datei ist leer."))
    if sniff_kind(head) == "xlsx":
        return read_xlsx(open_binary, progress)
    return read_csv(open_binary, head, progress, size)
