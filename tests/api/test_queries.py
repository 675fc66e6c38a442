"""Every list costs a fixed number of queries, whether it has 3 rows or 60 (DESIGN.md §7).

Each endpoint is measured twice against the same bound: a few rows, then many. The bound is
tight (the count the endpoint needs today), so a new per-row query fails here at once.
"""

from datetime import date

import pytest

from municipalities.models import MunicipalityKind
from tests.api.conftest import token_client
from tests.factories import (
    GemeindeFactory,
    MunicipalityFactory,
    ParticipationFactory,
    PopulationFigureFactory,
    ProgrammeFactory,
    ProgrammePhaseFactory,
    UserFactory,
)

# Token lookup (1) and a "last used" stamp (1, at most once a minute; always on a fresh token).
AUTH = 2

# url -> queries beyond authentication.
BOUNDS = {
    # count, page, phases
    "/api/v1/programmes/": 3,
    # count, page (with programme and municipality joined)
    "/api/v1/participations/": 2,
    # programme filter validation, count, page
    "/api/v1/participations/?programme=kekiz&cohort=2012": 3,
    # count, page (with parent joined), latest figure, latest under-18 figure, participations
    "/api/v1/municipalities/": 5,
    "/api/v1/municipalities/?page_size=500": 5,
    # + programme filter validation
    "/api/v1/municipalities/?participating=true&programme=kekiz&cohort=2012": 6,
    # no count: the export is unpaginated
    "/api/v1/municipalities/?format=csv": 4,
    # programme, then compute_coverage's three queries
    "/api/v1/programmes/kekiz/coverage/?date=2020-12-31": 4,
    # AGS lookup, access_municipality, series, participations, gemeinden
    "/api/v1/municipalities/05058/": 5,
}


def build(rows: int):
    programme = ProgrammeFactory()
    for number in range(2):
        ProgrammePhaseFactory(programme=programme, name=f"Phase {rows}-{number}")
    for number in range(rows):
        ProgrammeFactory(slug=f"programm-{rows}-{number}")
    # 050xx: a range the factory's AGS sequence never reaches, so no clash with its rows.
    kreis = MunicipalityFactory(ags="05058", kind=MunicipalityKind.KREIS)
    for number in range(rows):
        gemeinde = GemeindeFactory(parent=kreis)
        stadt = MunicipalityFactory()
        for unit in (gemeinde, stadt):
            for year in (2017, 2020):
                PopulationFigureFactory(municipality=unit, reference_date=date(year, 12, 31))
            ParticipationFactory(programme=programme, municipality=unit, cohort=2012 + number % 2)


@pytest.mark.django_db
@pytest.mark.parametrize("url", list(BOUNDS))
@pytest.mark.parametrize("rows", [3, 60])
def test_list_queries_do_not_grow_with_rows(django_assert_max_num_queries, url, rows):
    build(rows)
    client = token_client(UserFactory())
    with django_assert_max_num_queries(AUTH + BOUNDS[url]):
        response = client.get(url)
    assert response.status_code == 200, response.content


@pytest.mark.django_db
@pytest.mark.parametrize("rows", [3, 60])
def test_session_clients_pay_the_same(api, django_assert_max_num_queries, rows):
    build(rows)
    api.force_login(UserFactory())
    # Session, user, and the user's state roles (read by the two-factor middleware) instead
    # of token and stamp.
    with django_assert_max_num_queries(3 + BOUNDS["/api/v1/municipalities/"]):
        assert api.get("/api/v1/municipalities/").status_code == 200
