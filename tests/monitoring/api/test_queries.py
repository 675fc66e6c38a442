"""The monitoring endpoints cost a fixed number of queries, with 1 or many rows each."""

from decimal import Decimal

import pytest

from tests.api.conftest import token_client
from tests.factories_monitoring import (
    DataApprovalFactory,
    IndicatorFactory,
    ObservationFactory,
    SozialraumFactory,
)

pytestmark = pytest.mark.django_db

# Token lookup and its "last used" stamp.
AUTH = 2


def build(municipality, areas: int, indicators: int, years: int):
    for year in range(2015, 2015 + years):
        DataApprovalFactory(municipality=municipality, period=year, released_to_state_office=True)
    made_areas = [
        SozialraumFactory(municipality=municipality, code=f"{n:02d}") for n in range(areas)
    ]
    for number in range(indicators):
        indicator = IndicatorFactory(code=f"Q{areas}_{number}", municipality=municipality)
        for area in made_areas:
            for year in range(2015, 2015 + years):
                ObservationFactory(
                    indicator=indicator,
                    sozialraum=area,
                    period=year,
                    numerator=Decimal(number + year % 7),
                    denominator=Decimal(100),
                )


@pytest.mark.parametrize(
    ("url", "persona", "bound"),
    [
        # state roles, roles, count, page
        ("/api/v1/indicators/", "coordinator_a", 4),
        # + AGS validation
        ("/api/v1/indicators/?municipality={ags}", "coordinator_a", 5),
        ("/api/v1/sozialraeume/", "viewer_a", 4),
        # state roles, roles, AGS lookup, access, features
        ("/api/v1/sozialraeume/geojson/?municipality={ags}", "viewer_a", 6),
        # AGS lookup, access, roles; the page's groups: indicators, cells, areas; the
        # selector's indicators, areas, observations
        ("/api/v1/observations/?municipality={ags}&page_size=500", "viewer_a", 9),
        ("/api/v1/observations/?municipality={ags}&page_size=1&page=2", "viewer_a", 9),
        # the export needs no page: no groups
        ("/api/v1/observations/?municipality={ags}&format=csv", "viewer_a", 6),
        # + state roles and released years (twice: the table's and the selector's)
        ("/api/v1/observations/?municipality={ags}", "reviewer", 12),
    ],
)
@pytest.mark.parametrize(("areas", "indicators", "years"), [(1, 1, 1), (6, 4, 5)])
def test_query_count_does_not_grow_with_rows(
    personas, django_assert_max_num_queries, url, persona, bound, areas, indicators, years
):
    municipality = personas.municipality_a
    build(municipality, areas, indicators, years)
    client = token_client(getattr(personas, persona))
    with django_assert_max_num_queries(AUTH + bound):
        response = client.get(url.format(ags=municipality.ags))
    assert response.status_code == 200, response.content
