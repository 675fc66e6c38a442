"""/api/v1/need-indices/: visibility, ranking with and without raw rights."""

import pytest

from tests.api.conftest import error_of, token_client
from tests.factories_monitoring import NeedIndexComponentFactory, NeedIndexFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def indices(personas, mworld):
    made = {}
    for period in (2022, 2021):
        index = NeedIndexFactory(
            municipality=personas.municipality_a,
            name=f"Armut {period}",
            period=period,
            created_by=personas.coordinator_a,
        )
        NeedIndexComponentFactory(need_index=index, indicator=mworld.indicator)
        made[period] = index
    return made


def ranking(client, index) -> list[tuple]:
    response = client.get(f"/api/v1/need-indices/{index.pk}/")
    assert response.status_code == 200, response.content
    return [(r["sozialraum"], r["rank"], r["missing"]) for r in response.json()["ranking"]]


def test_coordinator_ranks_with_raw_values(personas, indices):
    # SGB2 2022 (lower is better, so a higher rate is more need): Süd 11 %, Mitte 10 %, Nord 5 %.
    assert ranking(token_client(personas.coordinator_a), indices[2022]) == [
        ("03", 1, 0),
        ("02", 2, 0),
        ("01", 3, 0),
    ]


def test_reader_ranks_only_with_shown_values(personas, indices):
    # Nord and Mitte are „.“ for a viewer: they are missing, not ranked.
    assert ranking(token_client(personas.viewer_a), indices[2022]) == [
        ("03", 1, 0),
        ("01", None, 1),
        ("02", None, 1),
    ]


def test_detail_lists_components(personas, indices):
    body = token_client(personas.viewer_a).get(f"/api/v1/need-indices/{indices[2022].pk}/").json()
    assert body["components"] == [
        {
            "indicator": "SGB2",
            "indicator_id": indices[2022].components.get().indicator_id,
            "name": "SGB-II-Quote",
            "direction": "lower_is_better",
            "weight": "1.00",
        }
    ]
    assert body["municipality"] == personas.municipality_a.ags
    assert body["ranking"][0]["z_scores"] == [{"indicator": "SGB2", "z": "0.00"}]


def test_state_office_sees_released_years_only(personas, indices):
    client = token_client(personas.reviewer)
    names = {r["name"] for r in client.get("/api/v1/need-indices/").json()["results"]}
    assert names == {"Armut 2022"}
    assert ranking(client, indices[2022])
    error_of(client.get(f"/api/v1/need-indices/{indices[2021].pk}/"), 404)


@pytest.mark.parametrize("persona", ["coordinator_b", "outsider", "researcher"])
def test_others_get_404_and_empty_lists(personas, indices, persona):
    client = token_client(getattr(personas, persona))
    assert client.get("/api/v1/need-indices/").json()["results"] == []
    error_of(client.get(f"/api/v1/need-indices/{indices[2022].pk}/"), 404)


def test_members_list_and_filter(personas, indices):
    client = token_client(personas.companion_a)
    rows = client.get("/api/v1/need-indices/", {"period": 2021}).json()["results"]
    assert [r["name"] for r in rows] == ["Armut 2021"]
    error_of(client.get("/api/v1/need-indices/", {"municipality": "05999"}), 400)


def test_anonymous_gets_401(indices):
    from rest_framework.test import APIClient

    error_of(APIClient().get(f"/api/v1/need-indices/{indices[2022].pk}/"), 401)


@pytest.mark.parametrize("persona", ["viewer_a", "reviewer"])
def test_query_counts_do_not_grow(personas, mworld, django_assert_max_num_queries, persona):
    client = token_client(getattr(personas, persona))
    for count in (1, 12):
        for number in range(count):
            index = NeedIndexFactory(
                municipality=personas.municipality_a, name=f"Index {count}-{number}"
            )
            NeedIndexComponentFactory(need_index=index, indicator=mworld.indicator)
            NeedIndexComponentFactory(need_index=index, indicator=mworld.second_indicator)
        # token (2), state roles, roles, count, page
        with django_assert_max_num_queries(6):
            assert client.get("/api/v1/need-indices/").status_code == 200
        # token (2), index, roles or released years, components, then compute(): the
        # selector's rights and released years again, indicators, areas, stale marks, stored
        # cells, observations of marked groups
        with django_assert_max_num_queries(13):
            assert client.get(f"/api/v1/need-indices/{index.pk}/").status_code == 200
