"""A small monitoring world for municipality A: two Stadtbezirke with two Sozialräume each
(with square boundaries), two indicators, the years 2022 (released to the state office) and
2023 (not released). One cell has fewer than k = 3 cases."""

from dataclasses import dataclass
from decimal import Decimal

import pytest

from monitoring.models import Direction
from municipalities.models import SozialraumLevel
from tests.factories_monitoring import (
    DataApprovalFactory,
    IndicatorFactory,
    ObservationFactory,
    SozialraumFactory,
)


def square(x: float, y: float) -> dict:
    ring = [[x, y], [x + 0.01, y], [x + 0.01, y + 0.01], [x, y + 0.01], [x, y]]
    return {"type": "Polygon", "coordinates": [[[7 + a, 51 + b] for a, b in ring]]}


@dataclass
class World:
    municipality: object
    districts: list
    areas: list  # the four Sozialräume, codes 1.1, 1.2, 2.1, 2.2
    poverty: object  # lower is better
    care: object  # higher is better


# numerators of poverty per area and year (denominator 100 everywhere)
POVERTY = {2022: [2, 10, 20, 30], 2023: [12, 14, 16, 18]}
CARE = {2022: [50, 60, 70, 80], 2023: [55, 65, 75, 85]}


@pytest.fixture
def world(personas) -> World:
    municipality = personas.municipality_a
    districts = [
        SozialraumFactory(
            municipality=municipality,
            code=str(d),
            name=f"Bezirk {d}",
            level=SozialraumLevel.STADTBEZIRK,
        )
        for d in (1, 2)
    ]
    areas = [
        SozialraumFactory(
            municipality=municipality,
            parent=districts[d - 1],
            code=f"{d}.{a}",
            name=f"Viertel {d}.{a}",
            boundary=square(d * 0.02, a * 0.02),
        )
        for d in (1, 2)
        for a in (1, 2)
    ]
    poverty = IndicatorFactory(name="Armutsquote", direction=Direction.LOWER_IS_BETTER)
    care = IndicatorFactory(name="Betreuungsquote", direction=Direction.HIGHER_IS_BETTER)
    for indicator, numerators in ((poverty, POVERTY), (care, CARE)):
        for year, values in numerators.items():
            for area, numerator in zip(areas, values, strict=True):
                ObservationFactory(
                    indicator=indicator,
                    sozialraum=area,
                    period=year,
                    numerator=Decimal(numerator),
                    denominator=Decimal(100),
                )
    DataApprovalFactory(municipality=municipality, period=2022, released_to_state_office=True)
    DataApprovalFactory(municipality=municipality, period=2023, released_to_state_office=False)
    return World(municipality, districts, areas, poverty, care)
