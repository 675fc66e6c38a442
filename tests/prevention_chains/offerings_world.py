"""An offerings world on top of the personas: terms (one phase inactive), actors and
Sozialräume of municipality A (one of them no longer valid), an actor and a Sozialraum of B,
and helpers to build an OfferingInput. Each offering test module makes `build` its `world`
fixture."""

from dataclasses import dataclass
from datetime import date

from prevention_chains.services_offerings import OfferingInput
from tests.factories_chains import (
    ActorFactory,
    FieldOfActionFactory,
    LifePhaseFactory,
    OfferingFactory,
    TargetGroupFactory,
)
from tests.factories_monitoring import SozialraumFactory


@dataclass
class OfferingsWorld:
    municipality: object
    other: object
    phases: dict
    fields: dict
    groups: dict
    actors: dict
    areas: dict
    foreign_actor: object
    foreign_area: object

    def input(self, **changes) -> OfferingInput:
        values = {
            "title": "Café Kinderwagen",
            "life_phases": [self.phases["fruehe-hilfen"]],
            "fields_of_action": [self.fields["familie"]],
        }
        values.update(changes)
        return OfferingInput(**values)

    def offering(self, **kwargs):
        kwargs.setdefault("municipality", self.municipality)
        kwargs.setdefault("life_phases", [self.phases["fruehe-hilfen"]])
        kwargs.setdefault("fields_of_action", [self.fields["familie"]])
        return OfferingFactory(**kwargs)


def build(personas) -> OfferingsWorld:
    a, b = personas.municipality_a, personas.municipality_b
    phases = {
        "fruehe-hilfen": LifePhaseFactory(slug="fruehe-hilfen", name="0–3 Frühe Hilfen"),
        "kita": LifePhaseFactory(slug="kita", name="3–6 Kita", age_from=3, age_to=6),
        "alt": LifePhaseFactory(slug="alt", name="Alte Phase", is_active=False),
    }
    fields = {
        "familie": FieldOfActionFactory(slug="familie", name="Familie"),
        "gesundheit": FieldOfActionFactory(slug="gesundheit", name="Gesundheit"),
    }
    groups = {
        "alleinerziehende": TargetGroupFactory(slug="alleinerziehende", name="Alleinerziehende")
    }
    actors = {
        name: ActorFactory(municipality=a, name=name)
        for name in ("Familienzentrum Nord", "Jugendamt")
    }
    areas = {
        "01": SozialraumFactory(municipality=a, code="01", name="Nord"),
        "02": SozialraumFactory(municipality=a, code="02", name="Süd"),
        "09": SozialraumFactory(municipality=a, code="09", name="Alt", valid_to=date(2015, 12, 31)),
    }
    return OfferingsWorld(
        municipality=a,
        other=b,
        phases=phases,
        fields=fields,
        groups=groups,
        actors=actors,
        areas=areas,
        foreign_actor=ActorFactory(municipality=b, name="Fremder Träger"),
        foreign_area=SozialraumFactory(municipality=b, code="01", name="Fremd"),
    )
