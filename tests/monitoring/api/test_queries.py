"""The monitoring endpoints cost a fixed number of queries, with 1 or many rows each."""

from decimal import Decimal

import pytest

from monitoring.disclosure_cells import refresh_disclosure
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
        # AGS lookup, access, roles, the indicators; the page of stored cells with its count
        # and stale flag
        ("/api/v1/observations/?municipality={ags}&page_size=500", "viewer_a", 5),
        ("/api/v1/observations/?municipality={ags}&page_size=1&page=2", "viewer_a", 5),
        # the export: the selector's indicators, areas, stale marks, cells
        ("/api/v1/observations/?municipality={ags}&format=csv", "viewer_a", 7),
        # + state roles and released years
        ("/api/v1/observations/?municipality={ags}", "reviewer", 7),
    ],
)
@pytest.mark.parametrize(("areas", "indicators", "years"), [(1, 1, 1), (6, 4, 5)])
def test_query_count_does_not_grow_with_rows(
    personas, django_assert_max_num_queries, url, persona, bound, areas, indicators, years
):
    municipality = personas.municipality_a
    build(municipality, areas, indicators, years)
    refresh_disclosure()
    client = token_client(getattr(personas, persona))
    with django_assert_max_num_queries(AUTH + bound):
        response = client.get(url.format(ags=municipality.ags))
    assert response.status_code == 200, response.content


@pytest.mark.parametrize("persona", ["viewer_a", "reviewer"])
@pytest.mark.parametrize(("areas", "indicators", "years"), [(1, 1, 1), (6, 4, 5)])
def test_stale_groups_cost_a_fixed_number_of_queries_too(
    personas, django_assert_max_num_queries, persona, areas, indicators, years
):
    """Before a refresh (values written past the services), the page computes the table."""
    municipality = personas.municipality_a
    build(municipality, areas, indicators, years)
    client = token_client(getattr(personas, persona))
    # as above (the page finds a stale flag), then the selector: its rights, indicators,
    # areas, stale marks, stored cells, observations
    with django_assert_max_num_queries(AUTH + 14):
        response = client.get(f"/api/v1/observations/?municipality={municipality.ags}")
    assert response.status_code == 200, response.content
