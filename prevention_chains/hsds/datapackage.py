"""The published offerings as an HSDS 3.0 tabular data package: a ZIP with datapackage.json (a
Frictionless tabular data package) and one CSV per HSDS table, streamed while it is written so
that all of NRW (≈ 130,000 offerings) never sits in memory.

The columns of each table are the scalar fields of its HSDS schema, in the schema's order;
fields the portal has no data for stay empty. tests/prevention_chains/test_hsds_api.py
checks them against the vendored HSDS schema files.
"""

import csv
import io
import json
import zipfile
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass

from django.db.models import Exists, OuterRef
from django.utils import timezone

from municipalities.models import Municipality
from prevention_chains.finder import published_offerings
from prevention_chains.hsds import serializers
from prevention_chains.models import Actor, Offering, OfferingLocation

# Rows written between two hand-overs of the compressed bytes to the response.
CHUNK_ROWS = 2000


@dataclass(frozen=True)
class Table:
    name: str  # the HSDS schema's name
    path: str  # the HSDS schema's file name
    fields: tuple[tuple[str, str], ...]  # (column, Frictionless type)
    rows: Callable[[], Iterable[dict]]

    @property
    def resource(self) -> dict:
        return {
            "name": self.name,
            "path": self.path,
            "profile": "tabular-data-resource",
            "format": "csv",
            "mediatype": "text/csv",
            "encoding": "utf-8",
            "schema": {
                "fields": [{"name": name, "type": kind} for name, kind in self.fields],
                "primaryKey": ["id"],
            },
        }


def _strings(*names: str) -> tuple[tuple[str, str], ...]:
    return tuple((name, "string") for name in names)


def _offerings(*fields: str) -> Iterator[Offering]:
    return published_offerings().only("pk", *fields).order_by("pk").iterator(chunk_size=2000)


def _places() -> Iterator[OfferingLocation]:
    return (
        OfferingLocation.objects.filter(
            Exists(published_offerings().filter(pk=OuterRef("offering_id")))
        )
        .order_by("pk")
        .iterator(chunk_size=2000)
    )


def _service_rows():
    for offering in _offerings(*serializers.SERVICE_FIELDS):
        yield serializers.service(offering)


def _organization_rows():
    published = published_offerings()
    providers = (
        Actor.objects.filter(Exists(published.filter(provider_id=OuterRef("pk"))))
        .select_related("municipality")
        .defer("municipality__boundary")  # large GeoJSON the export never shows
        .order_by("pk")
    )
    for actor in providers.iterator(chunk_size=2000):
        yield serializers.organization_for_actor(actor)
    without_provider = (
        Municipality.objects.filter(
            Exists(published.filter(municipality_id=OuterRef("pk"), provider__isnull=True))
        )
        .defer("boundary")
        .order_by("pk")
    )
    for municipality in without_provider:
        yield serializers.organization_for_municipality(municipality)


def _location_rows():
    for place in _places():
        yield serializers.location(place)


def _address_rows():
    for place in _places():
        if row := serializers.address(place):
            yield row


def _service_at_location_rows():
    for place in _places():
        yield serializers.service_at_location(place)


def _per_offering(build: Callable[[Offering], dict | None], *fields: str):
    def rows():
        for offering in _offerings(*fields):
            if row := build(offering):
                yield row

    return rows


def _language_rows():
    for offering in _offerings("languages"):
        yield from serializers.languages(offering)


def _taxonomy_rows():
    for entry in serializers.TAXONOMIES:
        yield serializers.taxonomy(entry)


def _taxonomy_term_rows():
    for entry in serializers.TAXONOMIES:
        for term in entry.model.objects.order_by("position", "name"):
            yield serializers.taxonomy_term(entry, term)


def _attribute_rows():
    published = published_offerings()
    for entry in serializers.TAXONOMIES:
        through = getattr(Offering, entry.relation).through.objects
        column = f"{entry.model._meta.model_name}_id"
        links = (
            through.filter(Exists(published.filter(pk=OuterRef("offering_id"))))
            .order_by("offering_id", column)
            .values_list("offering_id", column)
        )
        for offering_id, term_id in links.iterator(chunk_size=5000):
            yield serializers.attribute(entry, offering_id, term_id)


TABLES = (
    Table(
        "organization",
        "organizations.csv",
        (
            *_strings("id", "name", "alternate_name", "description", "email", "website"),
            *_strings("tax_status", "tax_id"),
            ("year_incorporated", "number"),
            *_strings("legal_status", "logo", "uri", "parent_organization_id"),
        ),
        _organization_rows,
    ),
    Table(
        "service",
        "services.csv",
        (
            *_strings("id", "organization_id", "program_id", "name", "alternate_name"),
            *_strings("description", "url", "email", "status", "interpretation_services"),
            *_strings("application_process", "fees_description", "wait_time", "fees"),
            *_strings("accreditations", "eligibility_description"),
            ("minimum_age", "number"),
            ("maximum_age", "number"),
            ("assured_date", "date"),
            *_strings("assurer_email", "licenses", "alert"),
        ),
        _service_rows,
    ),
    Table(
        "attribute",
        "attributes.csv",
        _strings("id", "link_id", "taxonomy_term_id", "link_type", "link_entity", "value", "label"),
        _attribute_rows,
    ),
    Table(
        "service_at_location",
        "service_at_location.csv",
        _strings("id", "service_id", "location_id", "description"),
        _service_at_location_rows,
    ),
    Table(
        "location",
        "locations.csv",
        (
            *_strings("id", "location_type", "url", "organization_id", "name"),
            *_strings("alternate_name", "description", "transportation"),
            ("latitude", "number"),
            ("longitude", "number"),
            *_strings("external_identifier", "external_identifier_type"),
        ),
        _location_rows,
    ),
    Table(
        "phone",
        "phones.csv",
        (
            *_strings("id", "location_id", "service_id", "organization_id", "contact_id"),
            *_strings("service_at_location_id", "number"),
            ("extension", "number"),
            *_strings("type", "description"),
        ),
        _per_offering(serializers.phone, "contact_phone"),
    ),
    Table(
        "contact",
        "contacts.csv",
        _strings(
            "id",
            "organization_id",
            "service_id",
            "service_at_location_id",
            "location_id",
            "name",
            "title",
            "department",
            "email",
        ),
        _per_offering(serializers.contact, "contact_name", "contact_email"),
    ),
    Table(
        "address",
        "addresses.csv",
        _strings(
            "id",
            "location_id",
            "attention",
            "address_1",
            "address_2",
            "city",
            "region",
            "state_province",
            "postal_code",
            "country",
            "address_type",
        ),
        _address_rows,
    ),
    Table(
        "schedule",
        "schedules.csv",
        (
            *_strings("id", "service_id", "location_id", "service_at_location_id"),
            ("valid_from", "date"),
            ("valid_to", "date"),
            ("dtstart", "date"),
            ("timezone", "number"),
            ("until", "date"),
            ("count", "number"),
            *_strings("wkst", "freq"),
            ("interval", "number"),
            *_strings("byday", "byweekno", "bymonthday", "byyearday", "description"),
            ("opens_at", "time"),
            ("closes_at", "time"),
            *_strings("schedule_link", "attending_type", "notes"),
        ),
        _per_offering(serializers.schedule, "schedule"),
    ),
    Table(
        "language",
        "languages.csv",
        _strings("id", "service_id", "location_id", "phone_id", "name", "code", "note"),
        _language_rows,
    ),
    Table(
        "taxonomy_term",
        "taxonomy_terms.csv",
        _strings(
            "id",
            "code",
            "name",
            "description",
            "parent_id",
            "taxonomy",
            "language",
            "taxonomy_id",
            "term_uri",
        ),
        _taxonomy_term_rows,
    ),
    Table(
        "cost_option",
        "cost_options.csv",
        (
            *_strings("id", "service_id"),
            ("valid_from", "date"),
            ("valid_to", "date"),
            *_strings("option", "currency"),
            ("amount", "number"),
            ("amount_description", "string"),
        ),
        _per_offering(serializers.cost_option, "is_free", "cost_note"),
    ),
    Table(
        "taxonomy",
        "taxonomies.csv",
        _strings("id", "name", "description", "uri", "version"),
        _taxonomy_rows,
    ),
)


def descriptor() -> dict:
    return {
        "profile": "tabular-data-package",
        "name": "kekiz-angebote-hsds",
        "title": "Angebote der kommunalen Präventionsketten in NRW (Open Referral HSDS 3.0)",
        "description": (
            "Veröffentlichte Angebote für Kinder, Jugendliche und Familien aus dem KeKiz-Portal, "
            "im Tabellenformat der Human Services Data Specification (HSDS) 3.0."
        ),
        "created": timezone.now().isoformat(timespec="seconds"),
        "resources": [table.resource for table in TABLES],
    }


class _Sink:
    """A write-only file for zipfile: collects the compressed bytes until they are handed on.
    Without tell() zipfile writes data descriptors instead of seeking back."""

    def __init__(self):
        self._chunks: list[bytes] = []

    def write(self, data) -> int:
        self._chunks.append(bytes(data))
        return len(data)

    def flush(self) -> None:
        pass

    def take(self) -> bytes:
        data = b"".join(self._chunks)
        self._chunks.clear()
        return data


def stream_zip() -> Iterator[bytes]:
    sink = _Sink()
    with zipfile.ZipFile(sink, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("datapackage.json", json.dumps(descriptor(), ensure_ascii=False, indent=2))
        yield sink.take()
        for table in TABLES:
            raw = archive.open(table.path, "w", force_zip64=True)
            with io.TextIOWrapper(raw, encoding="utf-8", newline="") as text:
                writer = csv.DictWriter(text, fieldnames=[name for name, _ in table.fields])
                writer.writeheader()
                for number, row in enumerate(table.rows(), 1):
                    writer.writerow(row)
                    if number % CHUNK_ROWS == 0:
                        text.flush()
                        yield sink.take()
            yield sink.take()
    yield sink.take()
