"""Writes of Sozialräume: create, edit, new version when boundaries change, boundary upload,
population by year and age band. Callers have checked the user's rights (permission helpers);
these services check the data."""

import csv
import datetime
import io
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from municipalities.geo import parse_geojson
from municipalities.models import (
    Municipality,
    Sozialraum,
    SozialraumLevel,
    SozialraumPopulation,
)


class SozialraumError(ValidationError):
    """A Sozialraum write was refused; the message says what to fix."""


@dataclass(frozen=True)
class PopulationRow:
    year: int
    age_from: int
    age_to: int | None
    count: int


def _check(
    *,
    municipality: Municipality,
    code: str,
    parent: Sozialraum | None,
    level: str,
    valid_from: datetime.date,
    valid_to: datetime.date | None,
    exclude_pk: int | None = None,
) -> None:
    if valid_to is not None and valid_to < valid_from:
        raise SozialraumError(_("„Gültig bis“ liegt vor „gültig ab“."))
    if parent is not None:
        if parent.municipality_id != municipality.pk:
            raise SozialraumError(_("Der übergeordnete Bezirk gehört zu einer anderen Kommune."))
        if parent.level != SozialraumLevel.STADTBEZIRK:
            raise SozialraumError(_("Übergeordnet kann nur ein Stadtbezirk sein."))
        if level == SozialraumLevel.STADTBEZIRK:
            raise SozialraumError(
                _("Ein Stadtbezirk kann keinem anderen Bezirk untergeordnet sein.")
            )
        if exclude_pk is not None and parent.pk == exclude_pk:
            raise SozialraumError(_("Ein Bezirk kann nicht sich selbst untergeordnet sein."))
    # Versions of one code follow each other; overlapping ones would count an area twice.
    overlapping = Sozialraum.objects.filter(municipality=municipality, code=code).filter(
        Q(valid_to__isnull=True) | Q(valid_to__gte=valid_from)
    )
    if valid_to is not None:
        overlapping = overlapping.filter(valid_from__lte=valid_to)
    if exclude_pk is not None:
        overlapping = overlapping.exclude(pk=exclude_pk)
    clash = overlapping.order_by("valid_from").first()
    if clash is not None:
        raise SozialraumError(
            _(
                "Für die Kennung %(code)s gibt es schon eine Version, die ab %(start)s gilt und "
                "sich mit dem gewählten Zeitraum überschneidet. Legen Sie eine neue Version an "
                "oder ändern Sie die Gültigkeit."
            )
            % {"code": code, "start": clash.valid_from.strftime("%d.%m.%Y")}
        )


@transaction.atomic
def create_sozialraum(
    *,
    actor,
    municipality: Municipality,
    code: str,
    name: str,
    level: str = SozialraumLevel.SOZIALRAUM,
    parent: Sozialraum | None = None,
    valid_from: datetime.date,
    valid_to: datetime.date | None = None,
    boundary: dict | None = None,
) -> Sozialraum:
    code = code.strip()
    _check(
        municipality=municipality,
        code=code,
        parent=parent,
        level=level,
        valid_from=valid_from,
        valid_to=valid_to,
    )
    return Sozialraum.objects.create(
        municipality=municipality,
        code=code,
        name=name.strip(),
        level=level,
        parent=parent,
        valid_from=valid_from,
        valid_to=valid_to,
        boundary=boundary,
    )


@transaction.atomic
def update_sozialraum(
    *,
    actor,
    sozialraum: Sozialraum,
    code: str,
    name: str,
    level: str,
    parent: Sozialraum | None,
    valid_from: datetime.date,
    valid_to: datetime.date | None,
) -> Sozialraum:
    sozialraum = Sozialraum.objects.select_for_update().get(pk=sozialraum.pk)
    code = code.strip()
    _check(
        municipality=sozialraum.municipality,
        code=code,
        parent=parent,
        level=level,
        valid_from=valid_from,
        valid_to=valid_to,
        exclude_pk=sozialraum.pk,
    )
    if level == SozialraumLevel.SOZIALRAUM and sozialraum.children.exists():
        raise SozialraumError(
            _("Dieser Stadtbezirk hat untergeordnete Sozialräume und bleibt deshalb Stadtbezirk.")
        )
    sozialraum.code = code
    sozialraum.name = name.strip()
    sozialraum.level = level
    sozialraum.parent = parent
    sozialraum.valid_from = valid_from
    sozialraum.valid_to = valid_to
    sozialraum.save()
    return sozialraum


@transaction.atomic
def create_new_version(
    *,
    actor,
    sozialraum: Sozialraum,
    valid_from: datetime.date,
    name: str | None = None,
    boundary: dict | None = None,
) -> Sozialraum:
    """Boundaries changed: the current version ends the day before `valid_from`, a new record
    with the same code starts then. Observations stay with the version they were made for."""
    current = Sozialraum.objects.select_for_update().get(pk=sozialraum.pk)
    if valid_from <= current.valid_from:
        raise SozialraumError(
            _("Die neue Version muss nach dem Beginn der bisherigen (%(start)s) beginnen.")
            % {"start": current.valid_from.strftime("%d.%m.%Y")}
        )
    if current.valid_to is not None and current.valid_to < valid_from:
        raise SozialraumError(
            _(
                "Diese Version endet schon am %(end)s. Legen Sie die neue Version von der "
                "neuesten Version aus an."
            )
            % {"end": current.valid_to.strftime("%d.%m.%Y")}
        )
    later = Sozialraum.objects.filter(
        municipality_id=current.municipality_id,
        code=current.code,
        valid_from__gt=current.valid_from,
    ).exists()
    if later:
        raise SozialraumError(
            _("Es gibt schon eine neuere Version dieser Kennung; gehen Sie von dieser aus.")
        )
    end = current.valid_to
    current.valid_to = valid_from - datetime.timedelta(days=1)
    current.save(update_fields=["valid_to"])
    return Sozialraum.objects.create(
        municipality_id=current.municipality_id,
        code=current.code,
        name=(name or current.name).strip(),
        level=current.level,
        parent=current.parent,
        valid_from=valid_from,
        valid_to=end,
        boundary=boundary if boundary is not None else current.boundary,
    )


@transaction.atomic
def set_boundary(*, actor, sozialraum: Sozialraum, geojson: bytes | str) -> Sozialraum:
    """Check an uploaded GeoJSON file (municipalities.geo) and store its geometry."""
    geometry = parse_geojson(geojson)
    sozialraum = Sozialraum.objects.select_for_update().get(pk=sozialraum.pk)
    sozialraum.boundary = geometry
    sozialraum.save(update_fields=["boundary"])
    return sozialraum


def _int(value: str, line: int, column: str, *, optional=False) -> int | None:
    text = value.strip().replace(".", "") if value else ""
    if not text:
        if optional:
            return None
        raise SozialraumError(
            _("Zeile %(line)d: „%(column)s“ fehlt.") % {"line": line, "column": column}
        )
    try:
        number = int(text)
    except ValueError:
        raise SozialraumError(
            _("Zeile %(line)d: „%(column)s“ ist keine ganze Zahl (%(value)s).")
            % {"line": line, "column": column, "value": value.strip()}
        ) from None
    if number < 0:
        raise SozialraumError(
            _("Zeile %(line)d: „%(column)s“ ist negativ.") % {"line": line, "column": column}
        )
    return number


def parse_population(text: str) -> list[PopulationRow]:
    """Rows pasted from a spreadsheet: year; age_from; age_to; count (`;`, tab or `,` separated,
    an optional header line, an empty age_to for an open band such as 65 and older)."""
    lines = [line for line in text.strip().splitlines() if line.strip()]
    if not lines:
        raise SozialraumError(_("Es wurden keine Zeilen eingefügt."))
    dialect_delimiter = ";" if ";" in lines[0] else ("\t" if "\t" in lines[0] else ",")
    rows: list[PopulationRow] = []
    seen: set[tuple] = set()
    reader = csv.reader(io.StringIO("\n".join(lines)), delimiter=dialect_delimiter)
    for number, cells in enumerate(reader, start=1):
        if number == 1 and cells and not cells[0].strip().isdigit():
            continue  # header line
        if len(cells) != 4:
            raise SozialraumError(
                _(
                    "Zeile %(line)d hat %(count)d Spalten; erwartet werden vier: Jahr, Alter von, "
                    "Alter bis unter, Anzahl."
                )
                % {"line": number, "count": len(cells)}
            )
        year = _int(cells[0], number, _("Jahr"))
        age_from = _int(cells[1], number, _("Alter von"))
        age_to = _int(cells[2], number, _("Alter bis unter"), optional=True)
        count = _int(cells[3], number, _("Anzahl"))
        if not 1900 <= year <= 2100:
            raise SozialraumError(
                _("Zeile %(line)d: %(year)d ist kein plausibles Jahr.")
                % {"line": number, "year": year}
            )
        if age_to is not None and age_to <= age_from:
            raise SozialraumError(
                _("Zeile %(line)d: „Alter bis unter“ muss größer sein als „Alter von“.")
                % {"line": number}
            )
        key = (year, age_from, age_to)
        if key in seen:
            raise SozialraumError(
                _("Zeile %(line)d: diese Altersgruppe steht für das Jahr schon weiter oben.")
                % {"line": number}
            )
        seen.add(key)
        rows.append(PopulationRow(year, age_from, age_to, count))
    if not rows:
        raise SozialraumError(_("Es wurden keine Datenzeilen eingefügt, nur eine Kopfzeile."))
    return rows


@transaction.atomic
def set_population(*, actor, sozialraum: Sozialraum, rows: list[PopulationRow]) -> tuple[int, int]:
    """Insert or update the given bands; returns (created, updated). Other bands stay."""
    existing = {
        (p.year, p.age_from, p.age_to): p
        for p in SozialraumPopulation.objects.select_for_update().filter(
            sozialraum=sozialraum, year__in={row.year for row in rows}
        )
    }
    new, changed = [], []
    for row in rows:
        current = existing.get((row.year, row.age_from, row.age_to))
        if current is None:
            new.append(
                SozialraumPopulation(
                    sozialraum=sozialraum,
                    year=row.year,
                    age_from=row.age_from,
                    age_to=row.age_to,
                    count=row.count,
                )
            )
        elif current.count != row.count:
            current.count = row.count
            changed.append(current)
    SozialraumPopulation.objects.bulk_create(new)
    SozialraumPopulation.objects.bulk_update(changed, ["count"])
    return len(new), len(changed)


@transaction.atomic
def delete_population_year(*, actor, sozialraum: Sozialraum, year: int) -> int:
    deleted, _counts = SozialraumPopulation.objects.filter(
        sozialraum=sozialraum, year=year
    ).delete()
    return deleted
