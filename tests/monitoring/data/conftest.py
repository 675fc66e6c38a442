from datetime import date
from decimal import Decimal

import pytest

from monitoring.models import QualityFlag, QualityFlagKind
from municipalities.models import SozialraumLevel
from tests.factories_monitoring import IndicatorFactory, ObservationFactory, SozialraumFactory


@pytest.fixture
def data(personas):
    """Municipality A with a Stadtbezirk, two Sozialräume in it, an indicator, values of two
    years and one finding; municipality B with one Sozialraum of its own."""
    a = personas.municipality_a
    district = SozialraumFactory(
        municipality=a, code="1", name="Bezirk Mitte", level=SozialraumLevel.STADTBEZIRK
    )
    north = SozialraumFactory(municipality=a, code="1.1", name="Nordstadt", parent=district)
    south = SozialraumFactory(municipality=a, code="1.2", name="Südstadt", parent=district)
    indicator = IndicatorFactory(code="QUOTE", name="Testquote")
    observation = ObservationFactory(indicator=indicator, sozialraum=north, period=2022)
    ObservationFactory(indicator=indicator, sozialraum=south, period=2022)
    flag = QualityFlag.objects.create(
        observation=observation, kind=QualityFlagKind.OUT_OF_RANGE, message="Testbefund"
    )
    other = SozialraumFactory(
        municipality=personas.municipality_b, code="9", name="Anderswo", valid_from=date(2010, 1, 1)
    )
    return {
        "district": district,
        "north": north,
        "south": south,
        "indicator": indicator,
        "observation": observation,
        "flag": flag,
        "other": other,
        "value": Decimal(50),
    }
