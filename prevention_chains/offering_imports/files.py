"""Offering files the portal writes: the export of a list and the empty template, both in the
import's column layout (offering_imports.columns), so an export can be imported again.

CSV as German Excel opens it without a dialog (';', UTF-8 with byte order mark); XLSX with a
second sheet explaining the columns. Cells that a spreadsheet would run as a formula are
quoted."""

import csv
import io
from collections.abc import Iterable

from django.http import HttpResponse, StreamingHttpResponse
from django.utils.translation import gettext as _
from openpyxl import Workbook

from accounts.api.renderers import spreadsheet_text
from prevention_chains.models import Offering
from prevention_chains.offering_imports.columns import COLUMNS, HEADERS

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _names(terms) -> str:
    return " | ".join(term.name for term in terms)


def offering_cells(offering: Offering) -> list[str]:
    """One offering as a row of the file; needs the prefetches of full_offering_prefetches()
    and the import key selected. Only the first place fits into a row."""
    location = next(iter(offering.locations.all()), None)
    key = getattr(offering, "import_key", None)
    values = {
        "key": key.key if key else "",
        "title": offering.title,
        "description": offering.description,
        "provider": offering.provider.name if offering.provider else "",
        "life_phases": _names(offering.life_phases.all()),
        "fields_of_action": _names(offering.fields_of_action.all()),
        "target_groups": _names(offering.target_groups.all()),
        "age_from": "" if offering.age_from is None else str(offering.age_from),
        "age_to": "" if offering.age_to is None else str(offering.age_to),
        "sozialraeume": ", ".join(area.code for area in offering.sozialraeume.all()),
        "location_name": location.name if location else "",
        "street": location.street if location else "",
        "postcode": location.postcode if location else "",
        "city": location.city if location else "",
        "schedule": offering.schedule,
        "is_free": _("ja") if offering.is_free else _("nein"),
        "cost_note": offering.cost_note,
        "languages": ", ".join(offering.languages),
        "accessibility": offering.accessibility,
        "contact_name": offering.contact_name,
        "contact_email": offering.contact_email,
        "contact_phone": offering.contact_phone,
        "website": offering.website,
        "status": str(offering.get_status_display()),
    }
    return [spreadsheet_text(values[column.key]) for column in COLUMNS]


def _attachment(response, filename: str):
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def csv_response(rows: Iterable[list[str]], filename: str) -> StreamingHttpResponse:
    def lines():
        buffer = io.StringIO()
        writer = csv.writer(buffer, delimiter=";")
        writer.writerow(HEADERS)
        yield "\ufeff" + buffer.getvalue()
        for row in rows:
            buffer.seek(0)
            buffer.truncate()
            writer.writerow(row)
            yield buffer.getvalue()

    response = StreamingHttpResponse(lines(), content_type="text/csv; charset=utf-8")
    return _attachment(response, filename)


def xlsx_response(rows: Iterable[list[str]], filename: str) -> HttpResponse:
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=_("Angebote"))
    sheet.append(HEADERS)
    for row in rows:
        sheet.append(row)
    explanations = workbook.create_sheet(title=_("Erläuterungen"))
    explanations.append([_("Spalte"), _("Bedeutung")])
    for column in COLUMNS:
        explanations.append([column.header, str(column.explanation)])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return _attachment(HttpResponse(buffer.getvalue(), content_type=XLSX_TYPE), filename)
