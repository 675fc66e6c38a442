"""List pages cost the same number of queries with few and with many rows."""

from decimal import Decimal

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from monitoring.models import QualityFlag, QualityFlagKind
from tests.factories_monitoring import (
    DataApprovalFactory,
    IndicatorFactory,
    ObservationFactory,
    SozialraumFactory,
)


def grow(personas, data, n, approved=2020):
    a = personas.municipality_a
    indicators = [IndicatorFactory() for _ in range(3)]
    for i in range(n):
        area = SozialraumFactory(municipality=a, parent=data["district"])
        area.population.create(year=2022, age_from=0, age_to=6, count=100 + i)
        for indicator in indicators:
            for period in (2020, 2021):
                o = ObservationFactory(
                    indicator=indicator, sozialraum=area, period=period, numerator=Decimal(i)
                )
                QualityFlag.objects.create(
                    observation=o, kind=QualityFlagKind.OUTLIER_PEERS, message="Befund"
                )
    DataApprovalFactory(municipality=a, period=approved, approved_by=personas.coordinator_a)


def pages(personas):
    slug = personas.municipality_a.slug
    return [
        reverse("monitoring:sozialraum_list", args=[slug]),
        reverse("monitoring:entry", args=[slug]),
        reverse("monitoring:flag_list", args=[slug]),
        reverse("monitoring:approval_list", args=[slug]),
        reverse("monitoring:local_indicators", args=[slug]),
        reverse("monitoring:indicator_list"),
    ]


def count_queries(client, url):
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def test_list_pages_have_constant_queries(client, personas, data):
    client.force_login(personas.coordinator_a)
    grow(personas, data, 1)
    few = {url: count_queries(client, url) for url in pages(personas)}
    grow(personas, data, 15, approved=2019)
    many = {url: count_queries(client, url) for url in pages(personas)}
    assert many == few
    assert max(few.values()) <= 14
