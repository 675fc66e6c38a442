"""Renderers beyond JSON: CSV for long lists, GeoJSON for boundaries."""

import csv
import io

from rest_framework.renderers import BaseRenderer, JSONRenderer

# A spreadsheet runs a cell that starts with one of these as a formula (CSV injection).
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_text(value) -> str:
    """A value as the text of a CSV or XLSX cell: None is empty, and text a spreadsheet would
    run as a formula is quoted, so it stays text."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_START) else text


class CSVRenderer(BaseRenderer):
    """A list of flat rows as RFC 4180 CSV (comma, UTF-8, header line).

    The view names its columns in `csv_columns`, so an empty result still has a header and the
    column order is part of the contract, not an accident of dict order.
    """

    media_type = "text/csv"
    format = "csv"
    charset = "utf-8"
    errors_as_json = True

    def render(self, data, accepted_media_type=None, renderer_context=None):
        view = (renderer_context or {}).get("view")
        rows = data if isinstance(data, list) else []
        columns = getattr(view, "csv_columns", None) or (list(rows[0]) if rows else [])
        buffer = io.StringIO()
        writer = csv.DictWriter(buffer, fieldnames=columns, extrasaction="ignore")
        writer.writeheader()
        for row in rows:
            writer.writerow({key: _cell(value) for key, value in row.items()})
        return buffer.getvalue().encode(self.charset)


def _cell(value):
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return spreadsheet_text(value)
    return value


class GeoJSONRenderer(JSONRenderer):
    """GeoJSON (RFC 7946) with its own media type, so GIS tools recognise the download."""

    media_type = "application/geo+json"
    format = "geojson"
    errors_as_json = True
