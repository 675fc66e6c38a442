"""Exports for the state office (issue 3 §12): applications, decisions and payments as CSV or
XLSX.

Both formats come from one column list per export, so they always agree. The CSV is what German
Excel opens without an import dialog: ';' as separator, decimal comma, dd.mm.yyyy dates and a
UTF-8 byte order mark. The XLSX carries money as numbers (formatted '#,##0.00 €'), so sums work.
Rows are read with iterator() and written as they come – in a streamed response for CSV, into
openpyxl's write-only workbook for XLSX – so memory does not grow with the number of rows.
"""

import csv
import tempfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from django.contrib.postgres.aggregates import StringAgg
from django.db.models import CharField, DecimalField, OuterRef, Subquery, Sum, Value
from django.db.models.functions import Cast, Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell

from accounts.api.renderers import spreadsheet_text
from funding.models import (
    MONEY,
    Application,
    ApplicationStatus,
    ApplicationYear,
    Decision,
    DecisionKind,
    DecisionYear,
    PaymentRequest,
    PaymentStatus,
)
from municipalities.models import Regierungsbezirk

TEXT, MONEY_VALUE, DATE, BOOLEAN, NUMBER = "text", "money", "date", "boolean", "number"
XLSX_MONEY_FORMAT = "#,##0.00 €"
XLSX_DATE_FORMAT = "DD.MM.YYYY"
CHUNK = 2000


@dataclass(frozen=True)
class Column:
    key: str
    title: str
    kind: str = TEXT
    choices: dict | None = None


@dataclass(frozen=True)
class Export:
    slug: str
    title: str
    columns: tuple[Column, ...]

    def rows(self) -> Iterator[dict]:
        return EXPORT_ROWS[self.slug]().iterator(chunk_size=CHUNK)


REGIERUNGSBEZIRKE = dict(Regierungsbezirk.choices)


def _application_rows():
    requested = (
        ApplicationYear.objects.filter(application=OuterRef("pk"))
        .values("application")
        .annotate(total=Sum("requested_grant"))
        .values("total")
    )
    granted = (
        DecisionYear.objects.filter(decision__application=OuterRef("pk"), decision__is_current=True)
        .values("decision__application")
        .annotate(total=Sum("grant"))
        .values("total")
    )
    money = DecimalField(**MONEY)
    return (
        Application.objects.annotate(
            years_list=StringAgg(
                Cast("years__year", output_field=CharField()),
                delimiter=", ",
                order_by="years__year",
                default=Value(""),
            ),
            requested_total=Coalesce(Subquery(requested, output_field=money), Value(Decimal(0))),
            granted_total=Subquery(granted, output_field=money),
        )
        .values(
            "number",
            "municipality__short_name",
            "municipality__ags",
            "municipality__regierungsbezirk",
            "call__title",
            "status",
            "years_list",
            "requested_total",
            "granted_total",
            "submitted_at",
            "decided_at",
        )
        .order_by("call__first_year", "municipality__short_name", "number")
    )


def _decision_rows():
    # One row per granted year; a rejection, which grants no year, still gets its one row.
    return Decision.objects.values(
        "file_reference",
        "application__number",
        "application__municipality__short_name",
        "application__municipality__ags",
        "kind",
        "decided_at",
        "is_current",
        "years__year",
        "years__eligible_costs",
        "years__grant",
        "final_on",
    ).order_by(
        "application__municipality__short_name", "decided_at", "file_reference", "years__year"
    )


def _payment_rows():
    return PaymentRequest.objects.values(
        "pk",
        "application__number",
        "application__municipality__short_name",
        "application__municipality__ags",
        "year",
        "amount",
        "needed_on",
        "status",
        "requested_at",
        "payment__amount",
        "payment__paid_on",
        "payment__booking_reference",
    ).order_by("application__municipality__short_name", "requested_at", "pk")


EXPORT_ROWS = {
    "antraege": _application_rows,
    "bescheide": _decision_rows,
    "zahlungen": _payment_rows,
}

EXPORTS = {
    export.slug: export
    for export in (
        Export(
            "antraege",
            gettext_lazy("Anträge"),
            (
                Column("number", gettext_lazy("Antragsnummer")),
                Column("municipality__short_name", gettext_lazy("Kommune")),
                Column("municipality__ags", gettext_lazy("AGS")),
                Column(
                    "municipality__regierungsbezirk",
                    gettext_lazy("Regierungsbezirk"),
                    choices=REGIERUNGSBEZIRKE,
                ),
                Column("call__title", gettext_lazy("Förderaufruf")),
                Column("status", gettext_lazy("Status"), choices=dict(ApplicationStatus.choices)),
                Column("years_list", gettext_lazy("Förderjahre")),
                Column("requested_total", gettext_lazy("beantragte Zuwendung"), MONEY_VALUE),
                Column("granted_total", gettext_lazy("bewilligte Zuwendung"), MONEY_VALUE),
                Column("submitted_at", gettext_lazy("eingereicht am"), DATE),
                Column("decided_at", gettext_lazy("entschieden am"), DATE),
            ),
        ),
        Export(
            "bescheide",
            gettext_lazy("Bescheide"),
            (
                Column("file_reference", gettext_lazy("Aktenzeichen")),
                Column("application__number", gettext_lazy("Antragsnummer")),
                Column("application__municipality__short_name", gettext_lazy("Kommune")),
                Column("application__municipality__ags", gettext_lazy("AGS")),
                Column("kind", gettext_lazy("Art"), choices=dict(DecisionKind.choices)),
                Column("decided_at", gettext_lazy("Datum"), DATE),
                Column("is_current", gettext_lazy("aktuell"), BOOLEAN),
                Column("years__year", gettext_lazy("Förderjahr"), NUMBER),
                Column(
                    "years__eligible_costs", gettext_lazy("zuwendungsfähige Ausgaben"), MONEY_VALUE
                ),
                Column("years__grant", gettext_lazy("Zuwendung"), MONEY_VALUE),
                Column("final_on", gettext_lazy("bestandskräftig ab"), DATE),
            ),
        ),
        Export(
            "zahlungen",
            gettext_lazy("Mittelabrufe und Auszahlungen"),
            (
                Column("pk", gettext_lazy("Mittelabruf Nr."), NUMBER),
                Column("application__number", gettext_lazy("Antragsnummer")),
                Column("application__municipality__short_name", gettext_lazy("Kommune")),
                Column("application__municipality__ags", gettext_lazy("AGS")),
                Column("year", gettext_lazy("Förderjahr"), NUMBER),
                Column("amount", gettext_lazy("abgerufen"), MONEY_VALUE),
                Column("needed_on", gettext_lazy("benötigt ab"), DATE),
                Column("status", gettext_lazy("Status"), choices=dict(PaymentStatus.choices)),
                Column("requested_at", gettext_lazy("abgerufen am"), DATE),
                Column("payment__amount", gettext_lazy("ausgezahlt"), MONEY_VALUE),
                Column("payment__paid_on", gettext_lazy("ausgezahlt am"), DATE),
                Column("payment__booking_reference", gettext_lazy("Buchungszeichen")),
            ),
        ),
    )
}


def _plain(column: Column, value):
    """The value as the spreadsheet should hold it: labels for codes, local dates."""
    if value is None:
        return None
    if column.choices is not None:
        return str(column.choices.get(value, value))
    if isinstance(value, datetime):
        return timezone.localtime(value).date()
    return value


def _csv_text(column: Column, value) -> str:
    value = _plain(column, value)
    if value is None:
        return ""
    if column.kind == MONEY_VALUE:
        return f"{value:.2f}".replace(".", ",")
    if isinstance(value, date):
        return value.strftime("%d.%m.%Y")
    if column.kind == BOOLEAN:
        return _("ja") if value else _("nein")
    return spreadsheet_text(value)


class _Echo:
    """A file-like object that hands back what is written, for a streamed csv.writer."""

    def write(self, value):
        return value


def csv_chunks(export: Export) -> Iterable[str]:
    writer = csv.writer(_Echo(), delimiter=";")
    yield "\ufeff" + writer.writerow([str(column.title) for column in export.columns])
    for row in export.rows():
        yield writer.writerow([_csv_text(column, row[column.key]) for column in export.columns])


def xlsx_file(export: Export):
    """The export as a workbook in a temporary file (closed and removed by whoever reads it)."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=str(export.title)[:31])
    sheet.append([str(column.title) for column in export.columns])
    for row in export.rows():
        sheet.append([_xlsx_cell(sheet, column, row[column.key]) for column in export.columns])
    target = tempfile.TemporaryFile(suffix=".xlsx")  # noqa: SIM115 – the response closes it
    workbook.save(target)
    target.seek(0)
    return target


def _xlsx_cell(sheet, column: Column, value):
    value = _plain(column, value)
    if value is None:
        return None
    if column.kind == BOOLEAN:
        return _("ja") if value else _("nein")
    if column.kind == MONEY_VALUE:
        cell = WriteOnlyCell(sheet, value=value)
        cell.number_format = XLSX_MONEY_FORMAT
        return cell
    if isinstance(value, date):
        cell = WriteOnlyCell(sheet, value=value)
        cell.number_format = XLSX_DATE_FORMAT
        return cell
    return value
