"""A small monitoring world on top of the personas, with hand-checkable suppression.

Municipality A, indicator SGB2 (k = 3), three Sozialräume, years 2021 and 2022:

    2022: Nord 2/40 (primary: below k), Mitte 40/400, Süd 55/500, total 97/940
          → Mitte is hidden too (secondary: else Nord = total − Mitte − Süd)
    2021: Nord 10/100, Mitte 20/200, Süd 30/300 – nothing hidden

2022 is released to the state office, 2021 is not. Municipality B has one Sozialraum with a
value of its own and a local indicator.
"""

from dataclasses import dataclass
from decimal import Decimal

import pytest

from tests.factories_monitoring import (
    DataApprovalFactory,
    IndicatorFactory,
    ObservationFactory,
    SozialraumFactory,
)

SQUARE = {
    "type": "Polygon",
    "coordinates": [[[7.0, 51.0], [7.1, 51.0], [7.1, 51.1], [7.0, 51.1], [7.0, 51.0]]],
}


@dataclass
class MonitoringWorld:
    indicator: object
    second_indicator: object
    local_b: object
    nord: object
    mitte: object
    sued: object
    area_b: object


@pytest.fixture
def mworld(personas) -> MonitoringWorld:
    a, b = personas.municipality_a, personas.municipality_b
    indicator = IndicatorFactory(code="SGB2", name="SGB-II-Quote", min_cases=3)
    second = IndicatorFactory(
        code="KITA", name="Kita-Besuchsquote", theme="Bildung", life_phase="3-6"
    )
    local_b = IndicatorFactory(code="LOKAL_B", name="Lokaler Indikator B", municipality=b)
    nord = SozialraumFactory(municipality=a, code="01", name="Nord", boundary=SQUARE)
    mitte = SozialraumFactory(municipality=a, code="02", name="Mitte")
    sued = SozialraumFactory(municipality=a, code="03", name="Süd")
    area_b = SozialraumFactory(municipality=b, code="01", name="Altstadt B", boundary=SQUARE)
    for area, counts_2022, counts_2021 in [
        (nord, (2, 40), (10, 100)),
        (mitte, (40, 400), (20, 200)),
        (sued, (55, 500), (30, 300)),
    ]:
        for period, (numerator, denominator) in [(2022, counts_2022), (2021, counts_2021)]:
            ObservationFactory(
                indicator=indicator,
                sozialraum=area,
                period=period,
                numerator=Decimal(numerator),
                denominator=Decimal(denominator),
            )
    ObservationFactory(indicator=second, sozialraum=nord, period=2022, numerator=30, denominator=40)
    ObservationFactory(indicator=local_b, sozialraum=area_b, period=2022)
    DataApprovalFactory(
        municipality=a,
        period=2022,
        approved_by=personas.coordinator_a,
        released_to_state_office=True,
    )
    DataApprovalFactory(municipality=a, period=2021, approved_by=personas.coordinator_a)
    return MonitoringWorld(indicator, second, local_b, nord, mitte, sued, area_b)
