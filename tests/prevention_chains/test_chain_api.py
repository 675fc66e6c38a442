"""The chain endpoints: matrix, duplicates, need vs supply – chain readers only, constant
queries, the same numbers as the pages."""

import pytest
from rest_framework.test import APIClient

from tests.factories import make_api_token
from tests.prevention_chains.chain_world import READERS, build, offering, people, queries
from tests.prevention_chains.test_duplicates_detection import CAFE_A, CAFE_B
from tests.prevention_chains.test_supply_ranking import _need_index

pytestmark = pytest.mark.django_db

ENDPOINTS = ["chain-matrices", "chain-duplicates", "chain-supply"]


@pytest.fixture
def world(personas):
    world = build(personas.municipality_a)
    phase = {"phases": [world.early], "fields": [world.family]}
    offering(world, "Elterncafé im Familienzentrum Nord", description=CAFE_A, **phase)
    offering(world, "Eltern-Café Familienzentrum Nord", description=CAFE_B, **phase)
    offering(world, "West", areas=[world.west], target_groups=[world.parents_group], **phase)
    return world


def _client(user):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {make_api_token(user)}")
    return client


def _url(endpoint, world, query=""):
    return f"/api/v1/{endpoint}/{world.municipality.ags}/{query}"


@pytest.mark.parametrize("endpoint", ENDPOINTS)
@pytest.mark.parametrize(("persona", "status"), [*READERS, ("researcher", 404)])
def test_chain_readers_only(personas, world, endpoint, persona, status):
    response = _client(getattr(personas, persona)).get(_url(endpoint, world))
    assert response.status_code == status, response.content[:200]


@pytest.mark.parametrize("endpoint", ENDPOINTS)
def test_anonymous_and_unknown(personas, world, endpoint):
    assert APIClient().get(_url(endpoint, world)).status_code == 401
    response = _client(personas.reviewer).get(f"/api/v1/{endpoint}/05999999/")
    assert response.status_code == 404


def _cell(data, phase, field):
    return next(
        c for c in data["cells"] if c["phase"] == phase.slug and c["field_of_action"] == field.slug
    )


def test_matrix_with_filters(personas, world):
    client = _client(personas.viewer_a)
    data = client.get(_url("chain-matrices", world)).json()
    assert _cell(data, world.early, world.family)["count"] == 3
    health = _cell(data, world.early, world.health)
    assert (health["status"], health["reason"]) == ("gap", "keine Angebote")
    nord = client.get(_url("chain-matrices", world, f"?sozialraum={world.nord.pk}")).json()
    assert _cell(nord, world.early, world.family)["count"] == 2
    group = f"?target_group={world.parents_group.slug}"
    assert (
        _cell(client.get(_url("chain-matrices", world, group)).json(), world.early, world.family)[
            "count"
        ]
        == 1
    )


def test_matrix_refuses_a_foreign_sozialraum(personas, world):
    other = build(personas.municipality_b)
    response = _client(personas.viewer_a).get(
        _url("chain-matrices", world, f"?sozialraum={other.west.pk}")
    )
    assert response.status_code == 400
    assert "sozialraum" in response.json()["error"]["details"]


def test_duplicates(personas, world):
    data = _client(personas.viewer_a).get(_url("chain-duplicates", world)).json()
    assert data["threshold"] == "0.50"
    [pair] = data["pairs"]
    assert {pair["first"]["title"], pair["second"]["title"]} == {
        "Elterncafé im Familienzentrum Nord",
        "Eltern-Café Familienzentrum Nord",
    }
    assert pair["whole_municipality"] is True
    assert pair["fields_of_action"] == [world.family.slug]


def test_supply(personas, world):
    people(world.nord, 2023, [(0, 18, 1000)])
    index = _need_index(world)
    client = _client(personas.coordinator_a)
    data = client.get(_url("chain-supply", world)).json()
    assert data["need_index"] == index.pk
    rows = {r["sozialraum_name"]: r for r in data["rows"]}
    assert rows["Nord"]["offerings"] == 2
    assert rows["Nord"]["per_1000_children"] == "2.00"
    assert rows["Süd"]["need_rank"] == 1
    other = _client(personas.coordinator_b).get(_url("chain-supply", world))
    assert other.status_code == 404
    response = client.get(_url("chain-supply", world, "?need_index=999999"))
    assert response.status_code == 400


def test_supply_hides_unreleased_indices_from_the_state_office(personas, world):
    index = _need_index(world)
    response = _client(personas.reviewer).get(
        _url("chain-supply", world, f"?need_index={index.pk}")
    )
    assert response.status_code == 400
    assert _client(personas.reviewer).get(_url("chain-supply", world)).json()["need_index"] is None


@pytest.mark.parametrize("endpoint", ENDPOINTS)
def test_queries_do_not_grow(personas, world, endpoint):
    _need_index(world)
    client = _client(personas.viewer_a)

    queries(
        client, _url(endpoint, world)
    )  # the first use writes the token's last_used_at (once a minute)
    few = queries(client, _url(endpoint, world))
    for n in range(10):
        offering(
            world,
            f"Elterncafé Nummer {n}",
            description=CAFE_A,
            phases=[world.early, world.kita],
            fields=[world.family, world.health],
            areas=[world.nord, world.sued][: n % 3],
        )
    assert queries(client, _url(endpoint, world)) == few
