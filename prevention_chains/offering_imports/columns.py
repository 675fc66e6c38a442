"""The columns of an offering file – one list for the import, the downloadable template and the
export of the offering list, so a file exported from the portal can be imported again."""

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from monitoring.imports.parsing import normalise_header


@dataclass(frozen=True)
class Column:
    key: str
    header: str  # what the template and the export write
    aliases: frozenset[str]  # normalised header names the import accepts
    explanation: str


def _column(key, header, explanation, *aliases) -> Column:
    names = frozenset({normalise_header(header), *aliases})
    return Column(key, header, names, explanation)


COLUMNS = (
    _column(
        "key",
        "Kennung",
        _(
            "Ihre eigene, eindeutige Kennung des Angebots (optional). Ein erneuter Import mit "
            "derselben Kennung ändert das Angebot, statt es doppelt anzulegen."
        ),
        "id",
        "externekennung",
        "angebotskennung",
        "angebotsnummer",
    ),
    _column("title", "Titel", _("Name des Angebots (Pflicht)."), "angebot", "bezeichnung"),
    _column("description", "Beschreibung", _("Was das Angebot bietet."), "kurzbeschreibung"),
    _column(
        "provider",
        "Träger",
        _("Name eines Akteurs Ihrer Kommune, genau wie unter „Akteure“ erfasst."),
        "traeger",
        "anbieter",
        "akteur",
    ),
    _column(
        "life_phases",
        "Lebensphasen",
        _("Mindestens eine; Namen oder Kennungen, getrennt durch „|“ oder Komma."),
        "lebensphase",
    ),
    _column(
        "fields_of_action",
        "Handlungsfelder",
        _("Mindestens eines; Namen oder Kennungen, getrennt durch „|“ oder Komma."),
        "handlungsfeld",
    ),
    _column(
        "target_groups",
        "Zielgruppen",
        _("Namen oder Kennungen, getrennt durch „|“ oder Komma."),
        "zielgruppe",
    ),
    _column("age_from", "Alter von", _("Ganze Jahre, z. B. 0."), "abalter"),
    _column(
        "age_to",
        "Alter bis",
        _("Ganze Jahre, ausschließlich: 3 heißt „unter 3 Jahren“; größer als „Alter von“."),
        "alterbisunter",
    ),
    _column(
        "sozialraeume",
        "Sozialräume",
        _("Kennungen Ihrer heute gültigen Sozialräume, getrennt durch Komma; leer: ganze Kommune."),
        "sozialraum",
        "sozialraeume",
        "sozialraumkennungen",
    ),
    _column(
        "location_name",
        "Ort/Einrichtung",
        _("Wo das Angebot stattfindet, z. B. „Familienzentrum am Markt“."),
        "einrichtung",
        "veranstaltungsort",
        "standort",
    ),
    _column("street", "Straße", _("Straße und Hausnummer des Ortes."), "strasseundhausnummer"),
    _column("postcode", "PLZ", _("Fünf Ziffern."), "postleitzahl"),
    _column("city", "Ort", _("Ort (Stadt oder Gemeinde)."), "stadt", "gemeinde"),
    _column("schedule", "Zeiten", _("Zum Beispiel „dienstags 9–11 Uhr“."), "termine", "zeit"),
    _column(
        "is_free",
        "kostenfrei",
        _("„ja“ oder „nein“; leer: ja, außer es stehen Kosten daneben."),
        "kostenlos",
    ),
    _column("cost_note", "Kosten", _("Nötig, wenn das Angebot nicht kostenfrei ist."), "gebuhr"),
    _column(
        "languages",
        "Sprachen",
        _(
            "Kennungen (de, tr, ar …) oder deutsche Namen (Deutsch, Türkisch …), getrennt "
            "durch Komma."
        ),
        "sprache",
    ),
    _column(
        "accessibility", "Barrierefreiheit", _("Zum Beispiel „rollstuhlgerecht“."), "barrierefrei"
    ),
    _column(
        "contact_name",
        "Ansprechperson",
        _("Name der Ansprechperson."),
        "ansprechpartner",
        "ansprechpartnerin",
        "kontaktperson",
    ),
    _column("contact_email", "E-Mail", _("E-Mail-Adresse für Anfragen."), "mail", "emailadresse"),
    _column("contact_phone", "Telefon", _("Telefonnummer für Anfragen."), "tel", "telefonnummer"),
    _column("website", "Webseite", _("Adresse mit https://."), "website", "internet", "homepage"),
    _column(
        "status",
        "Status",
        _("Entwurf, veröffentlicht, pausiert oder beendet; leer: Entwurf."),
    ),
)
BY_KEY = {column.key: column for column in COLUMNS}
HEADERS = [column.header for column in COLUMNS]
REQUIRED = ("title", "life_phases", "fields_of_action")


def match_columns(cells) -> dict[str, int]:
    """{column key: index} for a candidate header row. A file may name both the place and the
    city „Ort“ (Ort, Straße, PLZ, Ort): then the first is the place, the second the city."""
    found: dict[str, int] = {}
    for index, cell in enumerate(cells):
        name = normalise_header(cell)
        if not name:
            continue
        for column in COLUMNS:
            if name not in column.aliases:
                continue
            if column.key not in found:
                found[column.key] = index
            elif column.key == "city" and "location_name" not in found:
                found["location_name"] = found["city"]
                found["city"] = index
            break
    return found


def header_label(key: str) -> str:
    return BY_KEY[key].header
