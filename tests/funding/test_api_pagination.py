"""The long funding lists count in their page's query (funding.api.pagination): the same
answer as the portal's pagination – count, next, previous, results, 404 past the end – in one
query after the token's (which brings the programme roles along)."""

import pytest

from tests.api.conftest import token_client
from tests.factories import MunicipalityFactory
from tests.factories_funding import ApplicationFactory, CallFactory
from tests.funding.review_world import submitted_application

pytestmark = pytest.mark.django_db

QUEUE = "/api/v1/funding/review-queue/"
LIST = "/api/v1/funding/applications/"
AUTH = 2  # token lookup with the programme roles, and its "last used" stamp


@pytest.fixture
def queue(personas):
    call = CallFactory()
    return [
        submitted_application(MunicipalityFactory(), personas.coordinator_a, call=call)
        for _n in range(3)
    ]


def test_queue_pages_count_next_and_previous(personas, queue):
    client = token_client(personas.reviewer)
    first = client.get(QUEUE, {"page_size": 2}).json()
    assert first["count"] == 3
    assert first["previous"] is None
    assert first["next"].endswith("?page=2&page_size=2")
    second = client.get(first["next"]).json()
    assert second["count"] == 3
    assert second["next"] is None
    assert second["previous"].endswith("?page_size=2")
    numbers = [row["number"] for row in first["results"] + second["results"]]
    assert numbers == [application.number for application in queue]
    last = client.get(QUEUE, {"page_size": 2, "page": "last"}).json()
    assert last["results"] == second["results"]


@pytest.mark.parametrize("page", ["3", "0", "x", str(2**62)])
def test_queue_page_out_of_range_is_404(personas, queue, page):
    response = token_client(personas.reviewer).get(QUEUE, {"page_size": 2, "page": page})
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found"


def test_empty_queue_has_a_first_page(personas):
    body = token_client(personas.reviewer).get(QUEUE).json()
    assert (body["count"], body["next"], body["previous"], body["results"]) == (0, None, None, [])


def test_queue_is_one_query_after_the_token(personas, queue, django_assert_num_queries):
    client = token_client(personas.reviewer)
    client.get(QUEUE)  # the token's "last used" stamp, written at most once a minute
    with django_assert_num_queries(AUTH - 1 + 1):
        response = client.get(QUEUE, {"page_size": 2})
    assert response.json()["count"] == 3


def test_application_list_is_counted_in_its_page_query(personas, django_assert_max_num_queries):
    for _n in range(3):
        ApplicationFactory(municipality=personas.municipality_a)
    client = token_client(personas.coordinator_a)
    client.get(LIST)
    with django_assert_max_num_queries(AUTH - 1 + 2):  # the municipalities of the coordinator
        first = client.get(LIST, {"page_size": 2}).json()
    assert (first["count"], len(first["results"])) == (3, 2)
    second = client.get(first["next"]).json()
    assert (second["count"], len(second["results"]), second["next"]) == (3, 1, None)
    assert client.get(LIST, {"page_size": 2, "page": 3}).status_code == 404
