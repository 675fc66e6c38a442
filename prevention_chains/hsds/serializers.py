"""Offerings as Open Referral HSDS 3.0 objects (docs/prevention-finder.md has the mapping).

Each function returns one HSDS object as a dict, with the HSDS field names; empty optional
values are left out (the API) and become empty cells (the data package). The API nests them,
the data package writes the same dicts as table rows, so both say the same.
"""

from dataclasses import dataclass

from django.db.models import Model

from prevention_chains.finder import language_name
from prevention_chains.hsds.ids import Kind, hsds_id, language_id, organization_id, service_id
from prevention_chains.models import FieldOfAction, LifePhase, Offering, TargetGroup

STATE = "Nordrhein-Westfalen"
COUNTRY = "DE"
CURRENCY = "EUR"


@dataclass(frozen=True)
class Taxonomy:
    """One of the programme's taxonomies, exported as an HSDS taxonomy with its terms."""

    kind: str  # also the attribute's link_type
    number: int  # the key of the taxonomy's HSDS id
    term_kind: Kind
    attribute_kind: Kind
    model: type[Model]
    relation: str  # the Offering's many-to-many field
    name: str
    description: str

    @property
    def id(self) -> str:
        return hsds_id(Kind.TAXONOMY, self.number)


TAXONOMIES = (
    Taxonomy(
        "life_phase",
        1,
        Kind.TERM_LIFE_PHASE,
        Kind.ATTRIBUTE_LIFE_PHASE,
        LifePhase,
        "life_phases",
        "KeKiz-Lebensphasen",
        "Phasen im Leben eines Kindes von der Schwangerschaft bis zum Übergang in den Beruf "
        "(Landesprogramm „Kein Kind zurücklassen!“ NRW).",
    ),
    Taxonomy(
        "field_of_action",
        2,
        Kind.TERM_FIELD_OF_ACTION,
        Kind.ATTRIBUTE_FIELD_OF_ACTION,
        FieldOfAction,
        "fields_of_action",
        "KeKiz-Handlungsfelder",
        "Handlungsfelder der kommunalen Präventionskette.",
    ),
    Taxonomy(
        "target_group",
        3,
        Kind.TERM_TARGET_GROUP,
        Kind.ATTRIBUTE_TARGET_GROUP,
        TargetGroup,
        "target_groups",
        "KeKiz-Zielgruppen",
        "Zielgruppen der Angebote der kommunalen Präventionskette.",
    ),
)


# The offering's fields `service` reads: what /services and services.csv load.
SERVICE_FIELDS = (
    "title",
    "description",
    "website",
    "contact_email",
    "is_free",
    "cost_note",
    "age_from",
    "age_to",
    "last_confirmed_on",
    "provider_id",
    "municipality_id",
)


def _present(values: dict) -> dict:
    return {key: value for key, value in values.items() if value not in (None, "")}


def service(offering: Offering) -> dict:
    """The service's own (one-to-one) fields: what /services lists."""
    return _present(
        {
            "id": service_id(offering.pk),
            "organization_id": organization_id(
                provider_id=offering.provider_id, municipality_id=offering.municipality_id
            ),
            "name": offering.title,
            "description": offering.description,
            "url": offering.website,
            "email": offering.contact_email,
            "status": "active",  # only published offerings are exported
            "fees_description": offering.cost_note or ("kostenfrei" if offering.is_free else ""),
            "minimum_age": offering.age_from,
            # HSDS ages are inclusive, the portal's upper bound is not.
            "maximum_age": offering.age_to - 1 if offering.age_to is not None else None,
            "assured_date": (
                offering.last_confirmed_on.isoformat() if offering.last_confirmed_on else None
            ),
        }
    )


def organization_for_actor(actor) -> dict:
    return _present(
        {
            "id": organization_id(provider_id=actor.pk, municipality_id=actor.municipality_id),
            "name": actor.name,
            # HSDS requires a description; a provider without one is described by its place.
            "description": actor.description or f"{actor.name}, {actor.municipality.short_name}",
            "email": actor.email,
            "website": actor.website,
        }
    )


def organization_for_municipality(municipality) -> dict:
    return {
        "id": organization_id(provider_id=None, municipality_id=municipality.pk),
        "name": municipality.name,
        "description": f"{municipality.name} (Kommune, Nordrhein-Westfalen)",
    }


def organization(offering: Offering) -> dict:
    if offering.provider_id is not None:
        return organization_for_actor(offering.provider)
    return organization_for_municipality(offering.municipality)


def location(place) -> dict:
    return _present(
        {
            "id": hsds_id(Kind.LOCATION, place.pk),
            "location_type": "physical",
            "name": place.name,
            "latitude": float(place.latitude) if place.latitude is not None else None,
            "longitude": float(place.longitude) if place.longitude is not None else None,
        }
    )


def address(place) -> dict | None:
    """The postal address of a location; None when the location names no address at all."""
    if not (place.street or place.postcode or place.city):
        return None
    return {
        "id": hsds_id(Kind.ADDRESS, place.pk),
        "location_id": hsds_id(Kind.LOCATION, place.pk),
        "address_1": place.street,
        "city": place.city,
        "state_province": STATE,
        "postal_code": place.postcode,
        "country": COUNTRY,
        "address_type": "physical",
    }


def service_at_location(place) -> dict:
    return {
        "id": hsds_id(Kind.SERVICE_AT_LOCATION, place.pk),
        "service_id": service_id(place.offering_id),
        "location_id": hsds_id(Kind.LOCATION, place.pk),
    }


def phone(offering: Offering) -> dict | None:
    if not offering.contact_phone:
        return None
    return {
        "id": hsds_id(Kind.PHONE, offering.pk),
        "service_id": service_id(offering.pk),
        "number": offering.contact_phone,
        "type": "voice",
    }


def contact(offering: Offering) -> dict | None:
    if not (offering.contact_name or offering.contact_email):
        return None
    return _present(
        {
            "id": hsds_id(Kind.CONTACT, offering.pk),
            "service_id": service_id(offering.pk),
            "name": offering.contact_name,
            "email": offering.contact_email,
        }
    )


def languages(offering: Offering) -> list[dict]:
    return [
        {
            "id": language_id(offering.pk, code),
            "service_id": service_id(offering.pk),
            "name": language_name(code),
            "code": code,
        }
        for code in offering.languages
    ]


def schedule(offering: Offering) -> dict | None:
    """The portal keeps times as free text („dienstags 9–11 Uhr“): HSDS's description."""
    if not offering.schedule:
        return None
    return {
        "id": hsds_id(Kind.SCHEDULE, offering.pk),
        "service_id": service_id(offering.pk),
        "description": offering.schedule,
    }


def cost_option(offering: Offering) -> dict:
    """Free offerings cost 0 €; for the others the portal knows only the text."""
    values = {
        "id": hsds_id(Kind.COST_OPTION, offering.pk),
        "service_id": service_id(offering.pk),
        "currency": CURRENCY,
        "amount_description": offering.cost_note
        or ("kostenfrei" if offering.is_free else "kostenpflichtig"),
    }
    if offering.is_free:
        values["amount"] = 0
    return values


def taxonomy(entry: Taxonomy) -> dict:
    return {"id": entry.id, "name": entry.name, "description": entry.description}


def taxonomy_term(entry: Taxonomy, term) -> dict:
    return {
        "id": hsds_id(entry.term_kind, term.pk),
        "code": term.slug,
        "name": term.name,
        "description": term.description or term.name,  # HSDS requires one
        "taxonomy": entry.name,
        "taxonomy_id": entry.id,
    }


def attribute(entry: Taxonomy, offering_id: int, term_id: int) -> dict:
    return {
        "id": hsds_id(entry.attribute_kind, offering_id, term_id),
        "link_id": service_id(offering_id),
        "taxonomy_term_id": hsds_id(entry.term_kind, term_id),
        "link_type": entry.kind,
        "link_entity": "service",
    }


def full_service(offering: Offering) -> dict:
    """The fully nested service of /services/{id}. Expects the offering with its provider,
    municipality, taxonomies and locations loaded (see views.full_service_queryset)."""
    data = service(offering)
    data["organization"] = organization(offering)
    places = []
    for place in offering.locations.all():
        nested_location = location(place)
        place_address = address(place)
        nested_location["addresses"] = [place_address] if place_address else []
        places.append({**service_at_location(place), "location": nested_location})
    data["service_at_locations"] = places
    data["phones"] = [item for item in [phone(offering)] if item]
    data["contacts"] = [item for item in [contact(offering)] if item]
    data["languages"] = languages(offering)
    data["schedules"] = [item for item in [schedule(offering)] if item]
    data["cost_options"] = [cost_option(offering)]
    data["attributes"] = [
        {
            **attribute(entry, offering.pk, term.pk),
            "taxonomy_term": taxonomy_term(entry, term),
        }
        for entry in TAXONOMIES
        for term in getattr(offering, entry.relation).all()
    ]
    return data
