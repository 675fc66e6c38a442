"""What a row of an import file means, and whether it may be imported.

A row becomes one line of tab-separated COPY input (line, indicator, Sozialraum, period,
numerator, denominator, status) or a list of issues (column, German reason). Lookups of codes
are cached per distinct cell text, so a file of a million rows costs a few dictionary lookups
per row.
"""

import contextlib
import datetime
import math
import re
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django.utils import timezone
from django.utils.translation import gettext as _

from monitoring.models import Indicator, ObservationStatus
from monitoring.services import locked_periods
from municipalities.models import Sozialraum

REPORTED = ObservationStatus.REPORTED.value
SECRET = ObservationStatus.SECRET.value
MISSING = ObservationStatus.MISSING.value

# How statistics offices mark cells (Zeichenerklärung of the statistical offices).
SECRET_MARKS = frozenset({".", "x", "X"})
MISSING_MARKS = frozenset({"", "…", "...", "/"})
ZERO_MARKS = frozenset({"-", "–", "—"})

FIRST_YEAR = 1950
_MAX_COUNT = Decimal("99999999999.999")  # numeric(14, 3)
_THOUSANDTH = Decimal("0.001")
_GERMAN = re.compile(r"-?(?:\d{1,3}(?:\.\d{3})+|\d+)(?:,\d+)?")
_GROUPED = re.compile(r"-?[1-9]\d{0,2}(?:\.\d{3})+")
_POINT = re.compile(r"-?\d+\.\d+")
_SPACES = str.maketrans("", "", " \u00a0\u202f\u2009'")
_PERIOD = re.compile(r"(?:[A-Za-z]+\s*)?(\d{4})(?:\s*/\s*(\d{2}|\d{4}))?")


class CellError(ValueError):
    pass


def _not_a_number(cell) -> CellError:
    return CellError(
        _(
            "„%(cell)s“ ist keine Zahl. Erlaubt sind Zahlen wie 1234 oder 1.234,5, „-“ für null, "
            "„.“ oder „x“ für geheim gehaltene und ein leeres Feld für fehlende Werte."
        )
        % {"cell": cell}
    )


def parse_count(cell) -> tuple[str, Decimal | int | None]:
    """(status, value) of a numerator or denominator cell."""
    if isinstance(cell, str):
        text = cell.strip()
        if text.isascii() and text.isdigit():
            return REPORTED, int(text) if len(text) < 12 else _checked(Decimal(text), cell)
        if text in SECRET_MARKS:
            return SECRET, None
        if text in MISSING_MARKS:
            return MISSING, None
        if text in ZERO_MARKS:
            return REPORTED, 0
        compact = text.translate(_SPACES)
        if "," in compact:
            if not _GERMAN.fullmatch(compact):
                raise _not_a_number(text)
            compact = compact.replace(".", "").replace(",", ".")
        elif _GROUPED.fullmatch(compact):
            compact = compact.replace(".", "")
        elif not (_POINT.fullmatch(compact) or (compact[1:].isdigit() and compact[:1] == "-")):
            raise _not_a_number(text)
        return REPORTED, _checked(Decimal(compact), text)
    if cell is None:
        return MISSING, None
    if isinstance(cell, bool) or not isinstance(cell, int | float):
        raise _not_a_number(cell)
    if isinstance(cell, float):
        if not math.isfinite(cell):
            raise _not_a_number(cell)
        return REPORTED, _checked(Decimal(repr(cell)), cell)
    return REPORTED, _checked(Decimal(cell), cell)


def _checked(value: Decimal, shown) -> Decimal:
    if value < 0:
        raise CellError(
            _("Negative Zahl (%(cell)s): Zähler und Nenner sind Fallzahlen und nie negativ.")
            % {"cell": shown}
        )
    try:
        value = value.quantize(_THOUSANDTH, rounding=ROUND_HALF_UP)
    except InvalidOperation:
        value = _MAX_COUNT + 1
    if value > _MAX_COUNT:
        raise CellError(_("Die Zahl %(cell)s ist zu groß.") % {"cell": shown})
    return value


def parse_period(cell, last_year: int) -> int:
    """The year a period starts in: 2023, 2023.0 (Excel), „2023/24“, „Schuljahr 2023/24“."""
    year = None
    if isinstance(cell, int) and not isinstance(cell, bool):
        year = cell
    elif isinstance(cell, float) and cell.is_integer():
        year = int(cell)
    elif isinstance(cell, str):
        match = _PERIOD.fullmatch(cell.strip())
        if match:
            year = int(match.group(1))
            following = match.group(2)
            if following is not None and int(following) % 100 != (year + 1) % 100:
                year = None
    if year is None:
        if cell is None or (isinstance(cell, str) and not cell.strip()):
            raise CellError(_("Das Jahr fehlt."))
        shown = cell.strftime("%d.%m.%Y") if isinstance(cell, datetime.date) else cell
        raise CellError(
            _("„%(cell)s“ ist kein Jahr. Erwartet wird eine Jahreszahl wie 2023 oder 2023/24.")
            % {"cell": shown}
        )
    if not FIRST_YEAR <= year <= last_year:
        raise CellError(
            _("%(year)d ist kein plausibles Jahr (erwartet %(first)d bis %(last)d).")
            % {"year": year, "first": FIRST_YEAR, "last": last_year}
        )
    return year


def _fmt(value) -> str:
    if isinstance(value, int):
        return str(value)
    return format(value.normalize(), "f")


class RowChecker:
    """Validates the rows of one municipality's file against its indicators, Sozialräume and
    approved years (read once, before the first row)."""

    def __init__(self, municipality_id: int, columns: dict[str, int]):
        self.columns = columns
        self.last_year = timezone.localdate().year
        self.locked = locked_periods(municipality_id)
        by_code: dict[str, list] = {}
        for pk, code, within in Indicator.objects.usable_by(municipality_id).values_list(
            "pk", "code", "numerator_within_denominator"
        ):
            by_code.setdefault(code.strip().casefold(), []).append((pk, within))
        self._indicators = by_code
        areas: dict[str, list] = {}
        for pk, code, valid_from, valid_to in Sozialraum.objects.filter(
            municipality_id=municipality_id
        ).values_list("pk", "code", "valid_from", "valid_to"):
            areas.setdefault(code.strip().casefold(), []).append((pk, valid_from, valid_to))
        self._areas = areas
        self._indicator_cache: dict = {}
        self._area_cache: dict = {}
        get = columns.__getitem__
        self._positions = tuple(
            get(field)
            for field in ("indicator", "sozialraum", "period", "numerator", "denominator")
        )

    def indicator(self, cell) -> tuple[int, bool]:
        try:
            return self._indicator_cache[cell]
        except (KeyError, TypeError):
            pass
        code = "" if cell is None else str(cell).strip()
        if isinstance(cell, float) and cell.is_integer():
            code = str(int(cell))
        if not code:
            raise CellError(_("Der Indikator fehlt."))
        found = self._indicators.get(code.casefold())
        if not found:
            raise CellError(
                _(
                    "Unbekannter Indikator „%(code)s“. Erlaubt sind die Kennungen des "
                    "Indikatorenkatalogs und der lokalen Indikatoren Ihrer Kommune."
                )
                % {"code": code}
            )
        if len(found) > 1:
            raise CellError(
                _(
                    "Die Kennung „%(code)s“ gibt es im Katalog und als lokalen Indikator Ihrer "
                    "Kommune; bitte benennen Sie den lokalen Indikator um."
                )
                % {"code": code}
            )
        self._indicator_cache[cell] = found[0]
        return found[0]

    def sozialraum(self, cell, year: int) -> int:
        key = (cell, year)
        try:
            result = self._area_cache[key]
        except (KeyError, TypeError):
            result = self._find_area(cell, year)
            with contextlib.suppress(TypeError):  # an unhashable cell is not cached
                self._area_cache[key] = result
        if isinstance(result, str):
            raise CellError(result)
        return result

    def _find_area(self, cell, year: int) -> int | str:
        code = "" if cell is None else str(cell).strip()
        if isinstance(cell, float) and cell.is_integer():
            code = str(int(cell))
        if not code:
            return _("Der Sozialraum fehlt.")
        versions = self._areas.get(code.casefold())
        if not versions and code.isdigit():
            padded = [c for c in self._areas if c.isdigit() and c.lstrip("0") == code.lstrip("0")]
            if len(padded) == 1:
                return _(
                    "Unbekannter Sozialraum „%(code)s“. Meinten Sie „%(padded)s“? Tabellen-"
                    "programme entfernen führende Nullen; formatieren Sie die Spalte als Text."
                ) % {"code": code, "padded": padded[0]}
        if not versions:
            return _(
                "Unbekannter Sozialraum „%(code)s“: Ihre Kommune hat keinen Sozialraum mit "
                "dieser Kennung."
            ) % {"code": code}
        # The boundaries valid at the end of the period's first year (Stichtag 31.12.).
        day = datetime.date(year, 12, 31)
        for pk, valid_from, valid_to in versions:
            if valid_from <= day and (valid_to is None or valid_to >= day):
                return pk
        spans = "; ".join(
            _("gültig ab %(start)s") % {"start": valid_from.strftime("%d.%m.%Y")}
            if valid_to is None
            else _("gültig %(start)s bis %(end)s")
            % {"start": valid_from.strftime("%d.%m.%Y"), "end": valid_to.strftime("%d.%m.%Y")}
            for _pk, valid_from, valid_to in versions
        )
        return _("Den Sozialraum „%(code)s“ gab es am 31.12.%(year)d nicht (%(spans)s).") % {
            "code": code,
            "year": year,
            "spans": spans,
        }

    def check(self, line: int, row: list) -> tuple[str | None, list[tuple[str, str]]]:
        """(COPY line or None, issues as (column label, reason))."""
        width = len(row)
        i_ind, i_area, i_period, i_num, i_den = self._positions
        cell_ind = row[i_ind] if i_ind < width else None
        cell_area = row[i_area] if i_area < width else None
        cell_period = row[i_period] if i_period < width else None
        cell_num = row[i_num] if i_num < width else None
        cell_den = row[i_den] if i_den < width else None
        issues = []
        indicator = year = area = None
        try:
            indicator = self.indicator(cell_ind)
        except CellError as error:
            issues.append((_("Indikator"), str(error)))
        try:
            year = parse_period(cell_period, self.last_year)
        except CellError as error:
            issues.append((_("Jahr"), str(error)))
        if year is not None:
            try:
                area = self.sozialraum(cell_area, year)
            except CellError as error:
                issues.append((_("Sozialraum"), str(error)))
            if year in self.locked:
                issues.append(
                    (
                        _("Jahr"),
                        _(
                            "Das Jahr %(year)d ist freigegeben und damit gesperrt. Heben Sie die "
                            "Freigabe auf, um Werte dieses Jahres zu ändern."
                        )
                        % {"year": year},
                    )
                )
        counts = []
        for is_numerator, cell in ((True, cell_num), (False, cell_den)):
            try:
                counts.append(parse_count(cell))
            except CellError as error:
                # Labels are translated only for errors: a million rows, a million lookups.
                issues.append((_("Zähler") if is_numerator else _("Nenner"), str(error)))
        if issues:
            return None, issues
        (num_status, numerator), (den_status, denominator) = counts
        if num_status == REPORTED and den_status == REPORTED:
            status = REPORTED
            if indicator[1] and numerator > denominator:
                return None, [
                    (
                        _("Zähler"),
                        _(
                            "Der Zähler (%(n)s) ist größer als der Nenner (%(d)s); bei diesem "
                            "Indikator ist der Zähler eine Teilmenge des Nenners. Bitte beide "
                            "Zahlen prüfen."
                        )
                        % {"n": _fmt(numerator), "d": _fmt(denominator)},
                    )
                ]
            if not denominator and numerator:
                return None, [
                    (
                        _("Nenner"),
                        _("Der Nenner ist 0, der Zähler nicht: so lässt sich kein Wert berechnen."),
                    )
                ]
            return (
                f"{line}\t{indicator[0]}\t{area}\t{year}\t{numerator}\t{denominator}\t{status}\n",
                [],
            )
        # A mark in either count makes the cell secret or missing; the model keeps no counts then.
        status = SECRET if SECRET in (num_status, den_status) else MISSING
        return f"{line}\t{indicator[0]}\t{area}\t{year}\t\\N\t\\N\t{status}\n", []

    def is_note(self, row: list) -> bool:
        """A source note or footnote below or within the table: text only where the indicator
        stands, nothing in the other columns."""
        width = len(row)
        for position in self._positions[1:]:
            if position < width:
                cell = row[position]
                if cell is not None and not (isinstance(cell, str) and not cell.strip()):
                    return False
        return True
