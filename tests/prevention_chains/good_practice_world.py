"""A small world for the good-practice tests: three taxonomy terms, an origin offering of
municipality A with everything a copy could take (and the local details it must not), and
entries in each state."""

from dataclasses import dataclass

from prevention_chains import services_good_practice as services
from prevention_chains.models import GoodPracticeStatus
from tests.factories_chains import (
    ActorFactory,
    FieldOfActionFactory,
    GoodPracticeFactory,
    LifePhaseFactory,
    OfferingFactory,
    OfferingLocationFactory,
    TargetGroupFactory,
)
from tests.factories_monitoring import SozialraumFactory


@dataclass
class Terms:
    phase: object
    other_phase: object
    field: object
    other_field: object
    group: object


def make_terms() -> Terms:
    return Terms(
        phase=LifePhaseFactory(slug="gp-fruehe-hilfen", name="0–3 Frühe Hilfen (Test)"),
        other_phase=LifePhaseFactory(
            slug="gp-grundschule", name="6–10 Grundschule (Test)", age_from=6, age_to=10
        ),
        field=FieldOfActionFactory(slug="gp-familie", name="Familie (Test)"),
        other_field=FieldOfActionFactory(slug="gp-bildung", name="Bildung (Test)"),
        group=TargetGroupFactory(slug="gp-werdende-eltern", name="Werdende Eltern (Test)"),
    )


def origin_offering(municipality, terms: Terms, **fields):
    """A published offering with local details (provider, Sozialraum, location, contact)."""
    values = {
        "title": "Café Kinderwagen",
        "description": "Treff im Familienzentrum Nord, dienstags mit Frau Schmidt.",
        "age_from": 0,
        "age_to": 3,
        "languages": ["de", "tr"],
        "is_free": False,
        "cost_note": "1 € für Kaffee",
        "schedule": "dienstags 10–12 Uhr",
        "contact_name": "Frau Schmidt",
        "contact_email": "schmidt@example.org",
        "provider": ActorFactory(municipality=municipality),
        "life_phases": [terms.phase],
        "fields_of_action": [terms.field],
        "target_groups": [terms.group],
        "sozialraeume": [SozialraumFactory(municipality=municipality)],
        **fields,
    }
    offering = OfferingFactory(municipality=municipality, **values)
    OfferingLocationFactory(offering=offering)
    return offering


def propose(offering, actor, terms: Terms, **fields):
    values = {
        "title": offering.title,
        "summary": "Offener Treff für Eltern mit Babys.",
        "why_it_works": "Niedrigschwellig, ohne Anmeldung, mit Hebamme.",
        "requirements": "Ein Raum, eine Fachkraft, vier Stunden in der Woche.",
        "life_phases": [terms.phase],
        "fields_of_action": [terms.field],
        "target_groups": [terms.group],
        **fields,
    }
    return services.propose_good_practice(offering=offering, actor=actor, **values)


def published_entry(municipality, terms: Terms, **fields):
    offering = origin_offering(municipality, terms, title=fields.pop("title", "Café Kinderwagen"))
    entry = GoodPracticeFactory(
        offering=offering,
        published=True,
        life_phases=[terms.phase],
        fields_of_action=[terms.field],
        **fields,
    )
    entry.target_groups.set([terms.group])
    return entry


def entry_in(status: str, municipality, terms: Terms):
    entry = published_entry(municipality, terms, title=f"Eintrag {status}")
    if status != GoodPracticeStatus.PUBLISHED:
        entry.status = status
        entry.save(update_fields=["status"])
    return entry
