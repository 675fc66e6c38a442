"""What each row of an offering file means, and whether it may be imported.

A row becomes an OfferingInput (names of actors and terms, Sozialraum codes, languages
resolved) and then passes the same rules as the form and the API
(services_offerings.check_offering); what breaks a rule becomes an issue with line, column
and a German reason. The check step and the import both run `check_file`, so an import sees
the file as it is valid *now* (an actor may have been renamed since the check).
"""

import re
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field

from django.utils import timezone
from django.utils.translation import gettext as _

from monitoring.imports.parsing import FileFormatError, Table
from municipalities.models import Sozialraum
from prevention_chains.errors import ChainError
from prevention_chains.models import (
    Actor,
    FieldOfAction,
    LifePhase,
    Offering,
    OfferingImport,
    OfferingImportKey,
    OfferingStatus,
    TargetGroup,
)
from prevention_chains.offering_imports.columns import header_label
from prevention_chains.offering_imports.reading import read_offering_table
from prevention_chains.services_offerings import (
    LANGUAGES,
    LocationInput,
    OfferingInput,
    check_offering,
)

_YES = {"ja", "j", "yes", "y", "true", "wahr", "1", "x"}
_NO = {"nein", "n", "no", "false", "falsch", "0"}
_SCHEME = re.compile(r"^[a-z][a-z0-9+.-]*://", re.IGNORECASE)


@dataclass
class CheckedRow:
    line: int
    key: str
    data: OfferingInput
    offering: Offering | None  # the offering a known Kennung updates


@dataclass
class CheckedFile:
    table: Table | None = None
    rows: list[CheckedRow] = field(default_factory=list)
    total_rows: int = 0
    issues: list[tuple[int, str, str]] = field(default_factory=list)  # line, column, reason
    error_lines: set[int] = field(default_factory=set)
    file_error: str = ""
    skipped_notes: int = 0

    @property
    def error_rows(self) -> int:
        return len(self.error_lines)

    @property
    def updates(self) -> int:
        return sum(1 for row in self.rows if row.offering is not None)

    def reject(self, line: int, column_key: str, reason: str) -> None:
        self.issues.append((line, header_label(column_key) if column_key else "", reason))
        self.error_lines.add(line)


def is_note(cells: dict[str, str]) -> bool:
    """A source line or footnote below the table („Quelle: Jugendamt“): a single filled cell
    outside the title column holding words, not a key."""
    filled = [value for value in cells.values() if value]
    return len(filled) == 1 and not cells.get("title") and " " in filled[0]


def _split(cell: str) -> list[str]:
    """„a | b“ or „a, b“: with a „|“ in the cell only „|“ separates (names may hold commas)."""
    separator = "|" if "|" in cell else ","
    return [part.strip() for part in cell.split(separator) if part.strip()]


def _terms_by_name(model) -> dict[str, object]:
    terms = {}
    for term in model.objects.all():
        terms[term.slug.lower()] = term
        terms[term.name.lower()] = term
    return terms


class RowChecker:
    """Resolves a row's cells; lookups are read once per file."""

    def __init__(self, municipality):
        self.municipality = municipality
        self.today = timezone.localdate()
        self.actors = {
            actor.name.casefold(): actor
            for actor in Actor.objects.filter(municipality=municipality)
        }
        self.terms = {
            "life_phases": (_terms_by_name(LifePhase), _("Lebensphase")),
            "fields_of_action": (_terms_by_name(FieldOfAction), _("Handlungsfeld")),
            "target_groups": (_terms_by_name(TargetGroup), _("Zielgruppe")),
        }
        self.areas: dict[str, list[Sozialraum]] = defaultdict(list)
        for area in Sozialraum.objects.filter(municipality=municipality):
            self.areas[area.code.casefold()].append(area)
        self.languages = {code: code for code in LANGUAGES}
        self.languages.update({str(name).casefold(): code for code, name in LANGUAGES.items()})
        self.statuses = {value: value for value in OfferingStatus.values}
        self.statuses.update(
            {str(label).casefold(): value for value, label in OfferingStatus.choices}
        )
        keys = OfferingImportKey.objects.filter(municipality=municipality).select_related(
            "offering"
        )
        self.offerings_by_key = {key.key: key.offering for key in keys}

    def _term_list(self, relation: str, cell: str, problems: list) -> list:
        terms, kind = self.terms[relation]
        found = []
        for part in _split(cell):
            term = terms.get(part.lower())
            if term is None:
                problems.append(
                    (
                        relation,
                        _(
                            "Unbekannte %(kind)s „%(name)s“. Erlaubt sind die Namen oder Kennungen "
                            "der Liste unter „Vorlage und Spalten“."
                        )
                        % {"kind": kind, "name": part},
                    )
                )
            else:
                found.append(term)
        return list(dict.fromkeys(found))

    def _age(self, key: str, cell: str, problems: list) -> int | None:
        if not cell:
            return None
        if cell.isdigit() and int(cell) <= 100:
            return int(cell)
        problems.append(
            (key, _("„%(cell)s“ ist kein Alter in ganzen Jahren (0 bis 100).") % {"cell": cell})
        )
        return None

    def _areas(self, cell: str, problems: list) -> list[Sozialraum]:
        found = []
        for code in _split(cell):
            versions = self.areas.get(code.casefold(), [])
            valid = [
                area
                for area in versions
                if area.valid_from <= self.today
                and (area.valid_to is None or area.valid_to >= self.today)
            ]
            if valid:
                found.append(valid[0])
            elif versions:
                problems.append(
                    (
                        "sozialraeume",
                        _("Der Sozialraum „%(code)s“ ist heute nicht gültig.") % {"code": code},
                    )
                )
            else:
                problems.append(
                    (
                        "sozialraeume",
                        _(
                            "Einen Sozialraum mit der Kennung „%(code)s“ gibt es in Ihrer Kommune "
                            "nicht."
                        )
                        % {"code": code},
                    )
                )
        return found

    def _is_free(self, cell: str, cost_note: str, problems: list) -> bool:
        value = cell.casefold()
        if not value:
            return not cost_note
        if value in _YES:
            return True
        if value not in _NO:
            problems.append(
                ("is_free", _("Bitte „ja“ oder „nein“ statt „%(cell)s“.") % {"cell": cell})
            )
        return False

    def _languages(self, cell: str, problems: list) -> list[str]:
        codes = []
        for part in _split(cell):
            code = self.languages.get(part.casefold())
            if code is None:
                problems.append(
                    (
                        "languages",
                        _("Unbekannte Sprache „%(name)s“. Erlaubt sind %(allowed)s.")
                        % {"name": part, "allowed": ", ".join(LANGUAGES)},
                    )
                )
            else:
                codes.append(code)
        return codes

    def _provider(self, cell: str, problems: list) -> Actor | None:
        if not cell:
            return None
        actor = self.actors.get(cell.casefold())
        if actor is None:
            problems.append(
                (
                    "provider",
                    _(
                        "Den Träger „%(name)s“ gibt es in Ihrer Kommune nicht. Legen Sie ihn unter "
                        "„Akteure“ an oder prüfen Sie die Schreibweise."
                    )
                    % {"name": cell},
                )
            )
        return actor

    def _status(self, cell: str, problems: list) -> str:
        if not cell:
            return OfferingStatus.DRAFT
        status = self.statuses.get(cell.casefold())
        if status is None:
            problems.append(
                (
                    "status",
                    _(
                        "Unbekannter Status „%(cell)s“. Erlaubt sind Entwurf, veröffentlicht, "
                        "pausiert und beendet."
                    )
                    % {"cell": cell},
                )
            )
            return OfferingStatus.DRAFT
        return status

    def check(self, cells: dict[str, str]) -> tuple[OfferingInput, list[tuple[str, str]]]:
        """The row's input and its problems as (column key, reason)."""
        problems: list[tuple[str, str]] = []
        get = cells.get
        website = get("website", "")
        if website and not _SCHEME.match(website):
            website = "https://" + website
        place = get("location_name", "") or get("city", "") or get("street", "")
        has_place = any(get(key, "") for key in ("location_name", "street", "postcode", "city"))
        locations = (
            [LocationInput(place, get("street", ""), get("postcode", ""), get("city", ""))]
            if has_place
            else []
        )
        data = OfferingInput(
            title=get("title", ""),
            description=get("description", ""),
            provider=self._provider(get("provider", ""), problems),
            life_phases=self._term_list("life_phases", get("life_phases", ""), problems),
            fields_of_action=self._term_list(
                "fields_of_action", get("fields_of_action", ""), problems
            ),
            target_groups=self._term_list("target_groups", get("target_groups", ""), problems),
            age_from=self._age("age_from", get("age_from", ""), problems),
            age_to=self._age("age_to", get("age_to", ""), problems),
            sozialraeume=self._areas(get("sozialraeume", ""), problems),
            schedule=get("schedule", ""),
            is_free=self._is_free(get("is_free", ""), get("cost_note", ""), problems),
            cost_note=get("cost_note", ""),
            languages=self._languages(get("languages", ""), problems),
            accessibility=get("accessibility", ""),
            contact_name=get("contact_name", ""),
            contact_email=get("contact_email", ""),
            contact_phone=get("contact_phone", ""),
            website=website,
            status=self._status(get("status", ""), problems),
            locations=locations,
        )
        return data, problems


# The service names model fields; the user sees the file's columns.
_FIELD_COLUMNS = {"locations": "location_name"}


def _rule_problems(checker: RowChecker, data: OfferingInput, current) -> list[tuple[str, str]]:
    try:
        check_offering(municipality=checker.municipality, data=data, current=current)
    except ChainError as error:
        return [
            (_FIELD_COLUMNS.get(name, name), message)
            for name, messages in error.message_dict.items()
            for message in messages
        ]
    return []


def check_file(
    batch: OfferingImport, progress: Callable[[float], None] | None = None
) -> CheckedFile:
    """Read and check the batch's file; nothing is written."""
    checked = CheckedFile()

    def open_binary():
        batch.file.open("rb")
        return batch.file

    try:
        table, rows = read_offering_table(open_binary)
    except FileFormatError as error:
        checked.file_error = str(error)
        return checked
    checked.table = table
    checker = RowChecker(batch.municipality)
    lines_by_key: dict[str, list[int]] = defaultdict(list)
    for done, (line, row) in enumerate(rows, start=1):
        cells = {
            key: row[index] if index < len(row) else "" for key, index in table.columns.items()
        }
        if is_note(cells):
            checked.skipped_notes += 1
            continue
        key = cells.get("key", "")
        data, problems = checker.check(cells)
        current = checker.offerings_by_key.get(key) if key else None
        if not problems:
            problems = _rule_problems(checker, data, current)
        checked.total_rows += 1
        if len(key) > 100:
            problems.append(("key", _("Die Kennung ist länger als 100 Zeichen.")))
        for column_key, reason in problems:
            checked.reject(line, column_key, reason)
        if key:
            lines_by_key[key].append(line)
        if not problems:
            checked.rows.append(CheckedRow(line, key, data, current))
        if progress is not None and done % 50 == 0:
            progress(done / len(rows))
    _reject_twice_named_keys(checked, lines_by_key)
    return checked


def _reject_twice_named_keys(checked: CheckedFile, lines_by_key: dict[str, list[int]]) -> None:
    """A Kennung on several lines: which one is right is unknown, so none is imported."""
    twice = {key: lines for key, lines in lines_by_key.items() if len(lines) > 1}
    if not twice:
        return
    for key, lines in twice.items():
        for line in lines:
            others = ", ".join(str(other) for other in lines if other != line)
            checked.reject(
                line,
                "key",
                _(
                    "Die Kennung „%(key)s“ steht auch in Zeile %(lines)s. Jede Kennung darf nur "
                    "einmal vorkommen."
                )
                % {"key": key, "lines": others},
            )
    checked.rows = [row for row in checked.rows if row.key not in twice]
    checked.issues.sort(key=lambda issue: issue[0])
