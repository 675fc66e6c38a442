"""Loads the programme-wide indicator catalogue from monitoring/reference_data/ (see its
SOURCES.md). Idempotent: a second run changes nothing; a broken file changes nothing either
and reports every problem with its line."""

import csv
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from pathlib import Path

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from monitoring.disclosure_cells import refresh_disclosure
from monitoring.models import Direction, Indicator, PeriodType, SpatialReference

DEFAULT_CATALOGUE = Path(__file__).resolve().parent / "reference_data" / "indicator_catalogue.csv"

COLUMNS = (
    "code",
    "name",
    "theme",
    "life_phase",
    "numerator",
    "denominator",
    "factor",
    "unit",
    "period_type",
    "spatial_reference",
    "source",
    "direction",
    "min_cases",
    "note",
)
# The CSV names the period in words, sometimes with the reference date in brackets.
PERIOD_TYPES = {
    "kalenderjahr": PeriodType.CALENDAR_YEAR,
    "schuljahr": PeriodType.SCHOOL_YEAR,
    "einschulungsjahrgang": PeriodType.SCHOOL_ENTRY,
}
SPATIAL_REFERENCES = {
    "wohnort": SpatialReference.RESIDENCE,
    "schulstandort": SpatialReference.FACILITY,
    "einrichtung": SpatialReference.FACILITY,
    "sozialraum": SpatialReference.SOZIALRAUM,
}
# Counts that are not a subset of their denominator: procedures (one child can have several)
# and offerings per 1,000 children. Every other catalogue indicator counts persons out of a
# population, so numerator > denominator is a data error there.
NOT_WITHIN_DENOMINATOR = frozenset({"KINDESWOHL_8A", "ANGEBOTSDICHTE"})


class CatalogueError(ValidationError):
    """The catalogue file is broken; `messages` lists every problem."""


@dataclass(frozen=True)
class CatalogueReport:
    created: int
    updated: int
    unchanged: int

    def summary(self) -> str:
        return _(
            "Indikatorenkatalog: %(created)d neu, %(updated)d geändert, %(unchanged)d unverändert."
        ) % {"created": self.created, "updated": self.updated, "unchanged": self.unchanged}


def _period(text: str) -> tuple[str, str]:
    head, _sep, rest = text.partition("(")
    kind = PERIOD_TYPES.get(head.strip().lower())
    if kind is None:
        raise ValueError(
            _(
                "Zeitbezug „%(value)s“ ist unbekannt (erlaubt: Kalenderjahr, Schuljahr, "
                "Einschulungsjahrgang)."
            )
            % {"value": text}
        )
    return kind, rest.rstrip(")").strip()


def _row_to_fields(row: dict[str, str]) -> dict:
    code = row["code"].strip()
    if not code:
        raise ValueError(_("Die Kennung fehlt."))
    for column in ("name", "theme", "numerator", "denominator", "source"):
        if not (row[column] or "").strip():
            raise ValueError(_("Die Spalte „%(column)s“ ist leer.") % {"column": column})
    try:
        factor = Decimal(row["factor"].strip())
    except InvalidOperation:
        raise ValueError(
            _("Der Faktor „%(value)s“ ist keine Zahl.") % {"value": row["factor"]}
        ) from None
    if factor <= 0:
        raise ValueError(_("Der Faktor muss größer als 0 sein."))
    period_type, period_note = _period(row["period_type"])
    spatial = SPATIAL_REFERENCES.get(row["spatial_reference"].strip().lower())
    if spatial is None:
        raise ValueError(
            _("Raumbezug „%(value)s“ ist unbekannt (erlaubt: Wohnort, Schulstandort, Sozialraum).")
            % {"value": row["spatial_reference"]}
        )
    direction = row["direction"].strip()
    if direction not in Direction.values:
        raise ValueError(
            _("Richtung „%(value)s“ ist unbekannt (erlaubt: %(allowed)s).")
            % {"value": direction, "allowed": ", ".join(Direction.values)}
        )
    try:
        min_cases = int(row["min_cases"].strip())
    except ValueError:
        raise ValueError(
            _("Die Mindestfallzahl „%(value)s“ ist keine ganze Zahl.") % {"value": row["min_cases"]}
        ) from None
    if min_cases < 0:
        raise ValueError(_("Die Mindestfallzahl darf nicht negativ sein."))
    within = code not in NOT_WITHIN_DENOMINATOR
    unit = row["unit"].strip()
    return {
        "code": code,
        "name": row["name"].strip(),
        "theme": row["theme"].strip(),
        "life_phase": row["life_phase"].strip(),
        "definition": _(
            "%(numerator)s geteilt durch %(denominator)s, multipliziert mit %(factor)s."
        )
        % {
            "numerator": row["numerator"].strip(),
            "denominator": row["denominator"].strip(),
            "factor": f"{factor.normalize():f}",
        },
        "numerator": row["numerator"].strip(),
        "denominator": row["denominator"].strip(),
        "factor": factor,
        "unit": unit,
        "period_type": period_type,
        "period_note": period_note,
        "spatial_reference": spatial,
        "source": row["source"].strip(),
        "direction": direction,
        "min_cases": min_cases,
        "numerator_within_denominator": within,
        # A share of a subset cannot leave 0–100 %; rates of other counts only have a floor.
        "value_min": Decimal(0),
        "value_max": (factor if within else None),
        "caveats": (row["note"] or "").strip(),
    }


def read_catalogue(path: Path) -> list[dict]:
    try:
        with path.open(encoding="utf-8-sig", newline="") as handle:
            reader = csv.DictReader(handle)
            missing = [c for c in COLUMNS if c not in (reader.fieldnames or [])]
            if missing:
                raise CatalogueError(
                    [_("Es fehlen Spalten: %(columns)s.") % {"columns": ", ".join(missing)}]
                )
            rows = list(reader)
    except FileNotFoundError:
        raise CatalogueError([_("Die Datei %(path)s fehlt.") % {"path": path}]) from None
    except (UnicodeDecodeError, csv.Error) as exc:
        raise CatalogueError(
            [_("Die Datei ist keine lesbare UTF-8-CSV-Datei (%(error)s).") % {"error": exc}]
        ) from None
    errors, records, seen = [], [], set()
    for line, row in enumerate(rows, start=2):
        if None in row or any(row.get(c) is None for c in COLUMNS):
            errors.append(
                _("Zeile %(line)d hat nicht %(count)d Spalten.")
                % {"line": line, "count": len(COLUMNS)}
            )
            continue
        try:
            fields = _row_to_fields(row)
        except ValueError as exc:
            errors.append(_("Zeile %(line)d: %(error)s") % {"line": line, "error": exc})
            continue
        if fields["code"] in seen:
            errors.append(
                _("Zeile %(line)d: die Kennung %(code)s steht schon weiter oben.")
                % {"line": line, "code": fields["code"]}
            )
            continue
        seen.add(fields["code"])
        records.append(fields)
    if errors:
        raise CatalogueError(errors)
    if not records:
        raise CatalogueError([_("Die Datei enthält keine Indikatoren.")])
    return records


@transaction.atomic
def load_catalogue(*, path: Path = DEFAULT_CATALOGUE) -> CatalogueReport:
    """Create or update the catalogue indicators by code. Indicators the file no longer lists
    stay (observations refer to them); state admins can set them inactive in the admin."""
    records = read_catalogue(path)
    existing = {
        i.code: i
        for i in Indicator.objects.catalogue()
        .select_for_update()
        .filter(code__in=[r["code"] for r in records])
    }
    created = updated = unchanged = 0
    for fields in records:
        indicator = existing.get(fields["code"])
        if indicator is None:
            Indicator.objects.create(municipality=None, **fields)
            created += 1
            continue
        changed = [name for name, value in fields.items() if getattr(indicator, name) != value]
        if changed:
            for name in changed:
                setattr(indicator, name, fields[name])
            indicator.save(update_fields=changed)
            updated += 1
        else:
            unchanged += 1
    if updated:
        refresh_disclosure()  # k of a catalogue indicator counts in every municipality
    return CatalogueReport(created, updated, unchanged)
