"""Reading and checking the reference data files (see reference_data/README.md and SOURCES.md).

Everything is read and checked before anything is written, and every problem is collected, so a
broken file yields one complete list of what to fix instead of a half-loaded database.
"""

import csv
import json
import re
from collections import Counter, defaultdict
from dataclasses import dataclass, replace
from datetime import date
from decimal import Decimal, InvalidOperation
from pathlib import Path

from django.core.exceptions import ValidationError

from municipalities.models import GoNrwStatus, MunicipalityKind, Regierungsbezirk

from .naming import short_name, unique_slugs

DEFAULT_DATA_DIR = Path(__file__).resolve().parent.parent / "reference_data"

KREISE_FILE = "nrw_kreise.csv"
GEMEINDEN_FILE = "nrw_gemeinden.csv"
AGE_GROUPS_FILE = "nrw_kreise_age_groups_2015_2020.csv"
PARTICIPANTS_FILE = "kekiz_participants.csv"
# The source notes are English research notes; users read these German ones instead.
PARTICIPANT_NOTES_FILE = "kekiz_participants_hinweise_de.csv"
BOUNDARIES_FILE = "nrw_kreise_vg5000_2021.geojson"

# What the files must hold (SOURCES.md); a different count means a wrong or truncated file.
EXPECTED_KREIS_KINDS = {
    MunicipalityKind.KREISFREIE_STADT: 22,
    MunicipalityKind.KREIS: 30,
    MunicipalityKind.STAEDTEREGION: 1,
}
EXPECTED_GEMEINDEN = 396
EXPECTED_PARTICIPANTS = {2012: 18, 2017: 22}
AGE_GROUP_DATES = [date(year, 12, 31) for year in range(2015, 2021)]
UNDER_18_GROUPS = (
    "unter 3 Jahre",
    "3 bis unter 6 Jahre",
    "6 bis unter 10 Jahre",
    "10 bis unter 15 Jahre",
    "15 bis unter 18 Jahre",
)
AGE_GROUPS_PER_UNIT = 17
GEMEINDE_DATE_2017 = date(2017, 12, 31)
GEMEINDE_DATE_2023 = date(2023, 12, 31)
# Cohort → first day of participation: the Modellvorhaben started in March 2012 (S1, S9), the
# 22 of the Landesinitiative were announced on 11.01.2017 for the year 2017 (S5).
JOINED_ON = {2012: date(2012, 3, 1), 2017: date(2017, 1, 1)}

SOURCE_12411 = "Destatis, GENESIS-Tabelle 12411-0018 (Fortschreibung, Basis Zensus 2011)"
SOURCE_GV_2017 = "Destatis, Gemeindeverzeichnis GV-ISys, Stand 31.12.2017"
SOURCE_GV_2023 = "Destatis, Gemeindeverzeichnis GV-ISys, Stand 31.12.2023 (Basis Zensus 2011)"
SOURCE_GV_2023_SUM = (
    "Destatis, Gemeindeverzeichnis GV-ISys, Stand 31.12.2023 (Summe der Gemeinden, "
    "Basis Zensus 2011)"
)

_KREIS_AGS = re.compile(r"^05[0-9]{3}$")
_GEMEINDE_AGS = re.compile(r"^05[0-9]{6}$")
_POSTCODE = re.compile(r"^[0-9]{5}$")


class ReferenceDataError(ValidationError):
    """The reference data files are wrong; `messages` lists every problem in plain German."""


@dataclass(frozen=True)
class MunicipalityRecord:
    ags: str
    gemeinde_ags: str
    ars: str
    name: str
    short_name: str
    slug: str
    kind: str
    go_nrw_status: str
    regierungsbezirk: str
    parent_ags: str | None
    area_km2: Decimal | None
    postcode: str
    longitude: Decimal | None
    latitude: Decimal | None
    boundary: dict | None


@dataclass(frozen=True)
class FigureRecord:
    ags: str
    reference_date: date
    total: int
    under_18: int | None
    source: str


@dataclass(frozen=True)
class ParticipantRecord:
    ags: str  # the AGS of the Municipality record (5-digit for a kreisfreie Stadt)
    name: str
    cohort: int
    joined_on: date
    sources: str
    note: str


@dataclass(frozen=True)
class ReferenceData:
    kreis_level: list[MunicipalityRecord]
    gemeinden: list[MunicipalityRecord]  # the kreisangehörige Gemeinden only
    figures: list[FigureRecord]
    participants: list[ParticipantRecord]


class _Problems:
    def __init__(self) -> None:
        self.messages: list[str] = []

    def add(self, where: str, message: str) -> None:
        self.messages.append(f"{where}: {message}")

    def raise_if_any(self) -> None:
        if self.messages:
            raise ReferenceDataError(self.messages)


def _read_csv(
    path: Path, required: set[str], problems: _Problems
) -> list[tuple[str, dict[str, str]]]:
    """Rows with their location ("datei.csv, Zeile 7") for messages; [] if the file is unusable."""
    if not path.is_file():
        problems.add(path.name, "Die Datei fehlt.")
        return []
    with path.open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        missing = required - set(reader.fieldnames or [])
        if missing:
            problems.add(path.name, f"Es fehlen die Spalten {', '.join(sorted(missing))}.")
            return []
        # line 1 is the header; no field in these files spans lines.
        return [(f"{path.name}, Zeile {number}", row) for number, row in enumerate(reader, 2)]


def _int(row: dict, column: str, where: str, problems: _Problems, *, blank_ok=False) -> int | None:
    value = (row.get(column) or "").strip()
    if not value and blank_ok:
        return None
    try:
        number = int(value)
    except ValueError:
        problems.add(where, f"„{value}“ in Spalte {column} ist keine ganze Zahl.")
        return None
    if number < 0:
        problems.add(where, f"Spalte {column} darf nicht negativ sein ({number}).")
        return None
    return number


def _decimal(row: dict, column: str, places: int, where: str, problems: _Problems):
    value = (row.get(column) or "").strip()
    if not value:
        return None
    try:
        return Decimal(value).quantize(Decimal(1).scaleb(-places))
    except InvalidOperation:
        problems.add(where, f"„{value}“ in Spalte {column} ist keine Zahl.")
        return None


def _iso_date(row: dict, column: str, expected: date, where: str, problems: _Problems) -> None:
    if row.get(column) != expected.isoformat():
        problems.add(
            where,
            f"Spalte {column} muss {expected:%d.%m.%Y} ({expected.isoformat()}) sein, "
            f"nicht „{row.get(column)}“.",
        )


def _check_count(what: str, actual: int, expected: int, where: str, problems: _Problems) -> None:
    if actual != expected:
        problems.add(where, f"Erwartet werden {expected} {what}, die Datei enthält {actual}.")


def read_reference_data(data_dir: Path = DEFAULT_DATA_DIR) -> ReferenceData:
    """Read and cross-check all files; raise ReferenceDataError listing every problem."""
    data_dir = Path(data_dir)
    problems = _Problems()
    kreise = _read_kreise(data_dir / KREISE_FILE, problems)
    gemeinden = _read_gemeinden(data_dir / GEMEINDEN_FILE, kreise, problems)
    age_figures = _read_age_groups(data_dir / AGE_GROUPS_FILE, kreise, problems)
    boundaries = _read_boundaries(data_dir / BOUNDARIES_FILE, kreise, problems)
    # Cross-file checks need every file readable, otherwise they only repeat the first problem.
    problems.raise_if_any()
    _check_consistency(kreise, gemeinden, age_figures, problems)
    participants = _read_participants(data_dir / PARTICIPANTS_FILE, kreise, gemeinden, problems)
    participants = _with_german_notes(data_dir / PARTICIPANT_NOTES_FILE, participants, problems)
    problems.raise_if_any()
    return _build(kreise, gemeinden, age_figures, boundaries, participants)


def _read_kreise(path: Path, problems: _Problems) -> dict[str, dict]:
    columns = {
        "ags",
        "name",
        "type",
        "rb_code",
        "n_gemeinden",
        "population",
        "population_date",
        "population_u18",
        "population_u18_date",
        "population_2017",
        "population_u18_2017",
        "population_2016",
        "population_u18_2016",
        "population_2015",
        "population_u18_2015",
        "population_2023_sum_of_gemeinden",
    }
    kreise: dict[str, dict] = {}
    rows = _read_csv(path, columns, problems)
    for where, row in rows:
        ags = row["ags"]
        if not _KREIS_AGS.match(ags):
            problems.add(where, f"„{ags}“ ist kein fünfstelliger NRW-Kreisschlüssel (05xxx).")
            continue
        if ags in kreise:
            problems.add(where, f"Der Kreisschlüssel {ags} kommt doppelt vor.")
            continue
        if row["type"] not in EXPECTED_KREIS_KINDS:
            problems.add(where, f"Unbekannte Art „{row['type']}“.")
            continue
        if row["rb_code"] != ags[:3] or row["rb_code"] not in Regierungsbezirk.values:
            problems.add(where, f"Regierungsbezirk „{row['rb_code']}“ passt nicht zu {ags}.")
        _iso_date(row, "population_date", date(2020, 12, 31), where, problems)
        _iso_date(row, "population_u18_date", date(2020, 12, 31), where, problems)
        figures = {}
        for year, total_col, u18_col in [
            (2015, "population_2015", "population_u18_2015"),
            (2016, "population_2016", "population_u18_2016"),
            (2017, "population_2017", "population_u18_2017"),
            (2020, "population", "population_u18"),
        ]:
            figures[date(year, 12, 31)] = (
                _int(row, total_col, where, problems),
                _int(row, u18_col, where, problems),
            )
        kreise[ags] = {
            "where": where,
            "name": row["name"].strip(),
            "kind": row["type"],
            "regierungsbezirk": ags[:3],
            "n_gemeinden": _int(row, "n_gemeinden", where, problems),
            "figures": figures,
            "total_2023": _int(row, "population_2023_sum_of_gemeinden", where, problems),
        }
    if rows:
        kinds = Counter(k["kind"] for k in kreise.values())
        for kind, expected in EXPECTED_KREIS_KINDS.items():
            _check_count(f"Einheiten der Art {kind}", kinds[kind], expected, path.name, problems)
    return kreise


def _read_gemeinden(path: Path, kreise: dict[str, dict], problems: _Problems) -> dict[str, dict]:
    columns = {
        "ags",
        "ars",
        "name",
        "type",
        "status_go_nrw_2025",
        "kreis_ags",
        "area_km2",
        "population",
        "population_date",
        "population_2017",
        "population_2017_date",
        "plz_verwaltungssitz",
        "lon",
        "lat",
    }
    kinds = {
        MunicipalityKind.KREISFREIE_STADT,
        MunicipalityKind.KREISANGEHOERIGE_STADT,
        MunicipalityKind.KREISANGEHOERIGE_GEMEINDE,
    }
    gemeinden: dict[str, dict] = {}
    rows = _read_csv(path, columns, problems)
    for where, row in rows:
        ags, ars, kreis_ags = row["ags"], row["ars"], row["kreis_ags"]
        if not _GEMEINDE_AGS.match(ags):
            problems.add(where, f"„{ags}“ ist kein achtstelliger NRW-Gemeindeschlüssel.")
            continue
        if ags in gemeinden:
            problems.add(where, f"Der Gemeindeschlüssel {ags} kommt doppelt vor.")
            continue
        if row["type"] not in kinds:
            problems.add(where, f"Unbekannte Art „{row['type']}“.")
            continue
        if kreis_ags != ags[:5] or (kreise and kreis_ags not in kreise):
            problems.add(where, f"Der Kreis {kreis_ags} fehlt in {KREISE_FILE} oder passt nicht.")
        elif kreise:
            kreis_kind = kreise[kreis_ags]["kind"]
            is_kreisfrei = row["type"] == MunicipalityKind.KREISFREIE_STADT
            if is_kreisfrei != (kreis_kind == MunicipalityKind.KREISFREIE_STADT):
                problems.add(
                    where, f"Art „{row['type']}“ passt nicht zu {kreis_ags} ({kreis_kind})."
                )
        if len(ars) != 12 or ars[:5] != ags[:5] or ars[-3:] != ags[5:]:
            problems.add(where, f"Der ARS „{ars}“ passt nicht zum AGS {ags}.")
        status = row["status_go_nrw_2025"]
        if status and status not in GoNrwStatus.values:
            problems.add(where, f"Unbekannter Status nach § 4 GO NRW „{status}“.")
        postcode = row["plz_verwaltungssitz"]
        if postcode and not _POSTCODE.match(postcode):
            problems.add(where, f"„{postcode}“ ist keine Postleitzahl.")
        _iso_date(row, "population_date", GEMEINDE_DATE_2023, where, problems)
        _iso_date(row, "population_2017_date", GEMEINDE_DATE_2017, where, problems)
        gemeinden[ags] = {
            "where": where,
            "ars": ars,
            "name": row["name"].strip(),
            "kind": row["type"],
            "go_nrw_status": status,
            "kreis_ags": kreis_ags,
            "area_km2": _decimal(row, "area_km2", 2, where, problems),
            "postcode": postcode,
            "longitude": _decimal(row, "lon", 6, where, problems),
            "latitude": _decimal(row, "lat", 6, where, problems),
            "total_2017": _int(row, "population_2017", where, problems),
            "total_2023": _int(row, "population", where, problems),
        }
    if rows:
        _check_count("Gemeinden", len(gemeinden), EXPECTED_GEMEINDEN, path.name, problems)
    return gemeinden


def _read_age_groups(path: Path, kreise: dict[str, dict], problems: _Problems):
    """(ags, Stichtag) → (total, under 18), summed over the 17 age groups of table 12411-0018."""
    columns = {"date", "ags", "age_group", "male", "female", "total_computed"}
    groups: dict[tuple[str, date], dict[str, int]] = defaultdict(dict)
    rows = _read_csv(path, columns, problems)
    for where, row in rows:
        try:
            day, month, year = (int(part) for part in row["date"].split("."))
            stichtag = date(year, month, day)
        except ValueError:
            problems.add(where, f"„{row['date']}“ ist kein Datum der Form TT.MM.JJJJ.")
            continue
        if stichtag not in AGE_GROUP_DATES or row["ags"] not in kreise:
            problems.add(where, f"Unerwartete Kombination {row['ags']} / {row['date']}.")
            continue
        male = _int(row, "male", where, problems)
        female = _int(row, "female", where, problems)
        total = _int(row, "total_computed", where, problems)
        if None in (male, female, total):
            continue
        if male + female != total:
            problems.add(where, f"männlich + weiblich ({male} + {female}) ≠ insgesamt {total}.")
        group = groups[(row["ags"], stichtag)]
        if row["age_group"] in group:
            problems.add(where, f"Die Altersgruppe „{row['age_group']}“ kommt doppelt vor.")
        group[row["age_group"]] = total
    if not rows:
        return {}
    result = {}
    for ags in kreise:
        for stichtag in AGE_GROUP_DATES:
            group = groups.get((ags, stichtag), {})
            missing_u18 = [g for g in UNDER_18_GROUPS if g not in group]
            if len(group) != AGE_GROUPS_PER_UNIT or missing_u18:
                problems.add(
                    path.name,
                    f"Für {ags} am {stichtag:%d.%m.%Y} fehlen Altersgruppen "
                    f"({len(group)} von {AGE_GROUPS_PER_UNIT} vorhanden).",
                )
                continue
            result[(ags, stichtag)] = (
                sum(group.values()),
                sum(group[g] for g in UNDER_18_GROUPS),
            )
    return result


def _read_boundaries(path: Path, kreise: dict[str, dict], problems: _Problems) -> dict[str, dict]:
    if not path.is_file():
        problems.add(path.name, "Die Datei fehlt.")
        return {}
    try:
        collection = json.loads(path.read_text(encoding="utf-8"))
        features = collection["features"]
    except (ValueError, KeyError, TypeError):
        problems.add(path.name, "Die Datei ist keine GeoJSON-FeatureCollection.")
        return {}
    boundaries: dict[str, dict] = {}
    for number, feature in enumerate(features, 1):
        where = f"{path.name}, Feature {number}"
        ags = (feature.get("properties") or {}).get("ags")
        geometry = feature.get("geometry") or {}
        if ags not in kreise:
            problems.add(where, f"Der Kreisschlüssel „{ags}“ fehlt in {KREISE_FILE}.")
        elif ags in boundaries:
            problems.add(where, f"Für {ags} gibt es mehr als eine Grenze.")
        elif geometry.get("type") not in ("Polygon", "MultiPolygon"):
            problems.add(where, f"Die Geometrie von {ags} ist kein (Multi-)Polygon.")
        else:
            boundaries[ags] = geometry
    for ags in sorted(set(kreise) - set(boundaries)):
        problems.add(path.name, f"Für {ags} ({kreise[ags]['name']}) fehlt die Grenze.")
    return boundaries


def _check_consistency(kreise, gemeinden, age_figures, problems: _Problems) -> None:
    """The files describe the same units; where they overlap, their numbers must agree."""
    by_kreis: dict[str, list[dict]] = defaultdict(list)
    for gemeinde in gemeinden.values():
        by_kreis[gemeinde["kreis_ags"]].append(gemeinde)
    for ags, kreis in kreise.items():
        members = by_kreis.get(ags, [])
        where = f"{KREISE_FILE}, {ags} ({kreis['name']})"
        if kreis["n_gemeinden"] != len(members):
            problems.add(
                where,
                f"n_gemeinden ist {kreis['n_gemeinden']}, in {GEMEINDEN_FILE} sind es "
                f"{len(members)}.",
            )
        if kreis["kind"] == MunicipalityKind.KREISFREIE_STADT and len(members) != 1:
            problems.add(where, "Eine kreisfreie Stadt muss genau eine Gemeinde sein.")
        total_2023 = sum(g["total_2023"] or 0 for g in members)
        if kreis["total_2023"] != total_2023:
            problems.add(
                where,
                f"population_2023_sum_of_gemeinden ist {kreis['total_2023']}, die Summe der "
                f"Gemeinden {total_2023}.",
            )
        for stichtag, (total, under_18) in kreis["figures"].items():
            if age_figures.get((ags, stichtag)) != (total, under_18):
                problems.add(
                    where,
                    f"Die Zahlen zum {stichtag:%d.%m.%Y} ({total}, unter 18: {under_18}) weichen "
                    f"von {AGE_GROUPS_FILE} ab ({age_figures.get((ags, stichtag))}).",
                )
        if kreis["kind"] == MunicipalityKind.KREISFREIE_STADT and len(members) == 1:
            # The city is stored once; its Gemeinde figures must not contradict the Kreis ones.
            total_2017 = age_figures.get((ags, GEMEINDE_DATE_2017), (None,))[0]
            if members[0]["total_2017"] != total_2017:
                problems.add(
                    where,
                    f"Bevölkerung am 31.12.2017: {GEMEINDEN_FILE} nennt "
                    f"{members[0]['total_2017']}, {AGE_GROUPS_FILE} {total_2017}.",
                )


def _with_german_notes(path: Path, participants, problems: _Problems):
    notes = {
        row["ags"]: row["hinweis"].strip()
        for _, row in _read_csv(path, {"ags", "hinweis"}, problems)
    }
    by_ags = {p.ags for p in participants}
    for ags in notes.keys() - by_ags:
        problems.add(path.name, f"Hinweis zu AGS „{ags}“, der kein Teilnehmer ist.")
    return [replace(p, note=notes.get(p.ags, "")) for p in participants]


def _read_participants(path: Path, kreise, gemeinden, problems: _Problems):
    columns = {"name", "ags", "cohort", "sources", "note"}
    kreisfrei_by_gemeinde_ags = {
        g_ags: g["kreis_ags"]
        for g_ags, g in gemeinden.items()
        if g["kind"] == MunicipalityKind.KREISFREIE_STADT
    }
    participants: list[ParticipantRecord] = []
    cohorts: Counter[int] = Counter()
    seen: set[str] = set()
    rows = _read_csv(path, columns, problems)
    for where, row in rows:
        cohort = _int(row, "cohort", where, problems)
        if cohort is not None and cohort not in JOINED_ON:
            problems.add(where, f"Unbekannter Jahrgang {cohort} (erwartet: 2012 oder 2017).")
            cohort = None
        # Counted from every row, so one bad AGS does not also show up as a wrong count.
        cohorts[cohort] += 1
        # A kreisfreie Stadt is one record under its 5-digit key, whichever key the file uses.
        ags = kreisfrei_by_gemeinde_ags.get(row["ags"], row["ags"])
        if ags not in kreise and ags not in gemeinden:
            problems.add(
                where,
                f"Den AGS „{row['ags']}“ ({row['name']}) gibt es weder in {KREISE_FILE} noch in "
                f"{GEMEINDEN_FILE}. Bitte den Gemeindeschlüssel prüfen.",
            )
            continue
        if ags in seen:
            problems.add(where, f"{row['name']} ({ags}) steht doppelt in der Liste.")
            continue
        seen.add(ags)
        if cohort is None:
            continue
        participants.append(
            ParticipantRecord(
                ags=ags,
                name=row["name"].strip(),
                cohort=cohort,
                joined_on=JOINED_ON[cohort],
                sources=row["sources"].strip(),
                note=row["note"].strip(),
            )
        )
    if rows:
        for cohort, expected in EXPECTED_PARTICIPANTS.items():
            what = f"Teilnehmende des Jahrgangs {cohort}"
            _check_count(what, cohorts[cohort], expected, path.name, problems)
    return participants


def _build(kreise, gemeinden, age_figures, boundaries, participants) -> ReferenceData:
    kreisfrei_gemeinde = {
        g["kreis_ags"]: (g_ags, g)
        for g_ags, g in gemeinden.items()
        if g["kind"] == MunicipalityKind.KREISFREIE_STADT
    }
    areas: dict[str, Decimal] = defaultdict(Decimal)
    for gemeinde in gemeinden.values():
        areas[gemeinde["kreis_ags"]] += gemeinde["area_km2"] or 0

    short_names = {ags: short_name(k["name"], k["kind"]) for ags, k in kreise.items()}
    short_names.update(
        {
            ags: short_name(g["name"], g["kind"])
            for ags, g in gemeinden.items()
            if g["kind"] != MunicipalityKind.KREISFREIE_STADT
        }
    )
    slugs = unique_slugs(short_names)

    kreis_level = []
    for ags, kreis in sorted(kreise.items()):
        gemeinde_ags, city = kreisfrei_gemeinde.get(ags, ("", None))
        kreis_level.append(
            MunicipalityRecord(
                ags=ags,
                gemeinde_ags=gemeinde_ags,
                # A kreisfreie Stadt is also a Gemeinde and carries its 12-digit ARS; a Kreis
                # has the 5-digit one, which in NRW (no Gemeindeverbände) equals its AGS.
                ars=city["ars"] if city else ags,
                name=kreis["name"],
                short_name=short_names[ags],
                slug=slugs[ags],
                kind=kreis["kind"],
                go_nrw_status="",
                regierungsbezirk=kreis["regierungsbezirk"],
                parent_ags=None,
                # GV-ISys gives no area for Kreise; it is the sum of their Gemeinden.
                area_km2=city["area_km2"] if city else areas[ags],
                postcode=city["postcode"] if city else "",
                longitude=city["longitude"] if city else None,
                latitude=city["latitude"] if city else None,
                boundary=boundaries[ags],
            )
        )
    gemeinde_records = [
        MunicipalityRecord(
            ags=ags,
            gemeinde_ags=ags,
            ars=g["ars"],
            name=g["name"],
            short_name=short_names[ags],
            slug=slugs[ags],
            kind=g["kind"],
            go_nrw_status=g["go_nrw_status"],
            regierungsbezirk=ags[:3],
            parent_ags=g["kreis_ags"],
            area_km2=g["area_km2"],
            postcode=g["postcode"],
            longitude=g["longitude"],
            latitude=g["latitude"],
            boundary=None,
        )
        for ags, g in sorted(gemeinden.items())
        if g["kind"] != MunicipalityKind.KREISFREIE_STADT
    ]

    figures = [
        FigureRecord(ags, stichtag, total, under_18, SOURCE_12411)
        for (ags, stichtag), (total, under_18) in sorted(age_figures.items())
    ]
    figures += [
        FigureRecord(ags, GEMEINDE_DATE_2023, k["total_2023"], None, SOURCE_GV_2023_SUM)
        for ags, k in sorted(kreise.items())
    ]
    for record in gemeinde_records:
        g = gemeinden[record.ags]
        figures.append(
            FigureRecord(record.ags, GEMEINDE_DATE_2017, g["total_2017"], None, SOURCE_GV_2017)
        )
        figures.append(
            FigureRecord(record.ags, GEMEINDE_DATE_2023, g["total_2023"], None, SOURCE_GV_2023)
        )
    return ReferenceData(
        kreis_level=kreis_level,
        gemeinden=gemeinde_records,
        figures=figures,
        participants=participants,
    )
