"""Need vs supply: offerings per 1,000 children next to the need index, ranked by need."""

from decimal import Decimal

import pytest
from django.urls import reverse

from monitoring.models import Direction
from prevention_chains import chain, supply
from tests.factories_monitoring import (
    DataApprovalFactory,
    IndicatorFactory,
    NeedIndexComponentFactory,
    NeedIndexFactory,
    ObservationFactory,
)
from tests.prevention_chains.chain_world import READERS, build, offering, people, queries

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(personas):
    world = build(personas.municipality_a)
    people(world.nord, 2023, [(0, 18, 1000)])
    people(world.sued, 2023, [(0, 6, 400), (6, 18, 600)])
    people(world.west, 2023, [(0, 18, 500), (18, None, 4000)])
    phase = {"phases": [world.early], "fields": [world.family]}
    offering(world, "Für alle", **phase)
    for n in range(3):
        offering(world, f"Nord {n}", areas=[world.nord], **phase)
    offering(world, "Mitte", areas=[world.bezirk], **phase)
    offering(world, "West", areas=[world.west], **phase)
    return world


def _need_index(world, period=2022):
    """Poverty (lower is better): Süd 30 %, West 20 %, Nord 10 % → need Süd, West, Nord."""
    poverty = IndicatorFactory(direction=Direction.LOWER_IS_BETTER)
    for area, numerator in ((world.nord, 10), (world.sued, 30), (world.west, 20)):
        ObservationFactory(
            indicator=poverty,
            sozialraum=area,
            period=period,
            numerator=Decimal(numerator),
            denominator=Decimal(100),
        )
    index = NeedIndexFactory(municipality=world.municipality, period=period, name="Armut")
    NeedIndexComponentFactory(need_index=index, indicator=poverty)
    return index


def test_supply_per_leaf_and_ranking_by_need(world, personas):
    index = _need_index(world)
    result = supply.build_supply(
        world.municipality,
        areas=chain.current_areas(world.municipality),
        user=personas.coordinator_a,
        need_index=index,
    )
    rows = {r.sozialraum: r for r in result.rows}
    # Nord: all + 3 Nord + Mitte; Süd: all + Mitte; West: all + West
    assert [rows[a].offerings for a in (world.nord, world.sued, world.west)] == [5, 2, 2]
    assert [rows[a].rate for a in (world.nord, world.sued, world.west)] == [
        Decimal("5.00"),
        Decimal("2.00"),
        Decimal("4.00"),
    ]
    assert rows[world.west].children == Decimal(500)  # the open band 18+ does not count
    assert [r.sozialraum for r in result.rows] == [world.sued, world.west, world.nord]
    assert [r.need_rank for r in result.rows] == [1, 2, 3]
    assert result.median_rate == Decimal("4.00")
    # Süd: need rank 1 (upper half), 2.00 below the median 4.00; West is not below it.
    assert [r.sozialraum for r in result.flagged] == [world.sued]
    assert rows[world.sued].reason == "hoher Bedarf (Rang 1), wenig Angebote (2,00 je 1.000 Kinder)"


def test_without_need_index_only_supply(world, personas):
    result = supply.build_supply(
        world.municipality,
        areas=chain.current_areas(world.municipality),
        user=personas.coordinator_a,
        need_index=None,
    )
    assert [r.sozialraum for r in result.rows] == [world.nord, world.sued, world.west]
    assert result.flagged == []


def test_visible_need_indices_newest_first_and_released_for_the_state_office(world, personas):
    old = _need_index(world, period=2021)
    new = NeedIndexFactory(municipality=world.municipality, period=2023)
    assert supply.visible_need_indices(personas.viewer_a, world.municipality) == [new, old]
    assert supply.visible_need_indices(personas.reviewer, world.municipality) == []
    DataApprovalFactory(municipality=world.municipality, period=2021, released_to_state_office=True)
    assert supply.visible_need_indices(personas.reviewer, world.municipality) == [old]


def _url(world):
    return reverse("prevention_chains:chain_supply", args=[world.municipality.slug])


@pytest.mark.parametrize(("persona", "status"), READERS)
def test_who_reads_need_vs_supply(client, personas, world, persona, status):
    client.force_login(getattr(personas, persona))
    assert client.get(_url(world)).status_code == status


def test_anonymous_is_sent_to_login(client, world):
    assert client.get(_url(world)).status_code == 302


def test_page_flags_and_lets_the_user_choose_an_index(client, personas, world):
    index = _need_index(world)
    other = NeedIndexFactory(municipality=world.municipality, period=2020, name="Leer")
    client.force_login(personas.coordinator_a)
    page = client.get(_url(world)).content.decode()
    assert "hoher Bedarf (Rang 1), wenig Angebote" in page
    response = client.get(_url(world), {"index": other.pk})
    assert response.context["supply"].need_index == other
    assert client.get(_url(world), {"index": "x"}).context["supply"].need_index == index


def test_empty_state_links_to_the_monitoring(client, personas, world):
    client.force_login(personas.coordinator_a)
    page = client.get(_url(world)).content.decode()
    assert "noch keinen Bedarfsindex" in page
    assert reverse("monitoring:need_index_list", args=[world.municipality.slug]) in page


def test_queries_do_not_grow_with_offerings(client, personas, world):
    _need_index(world)
    client.force_login(personas.viewer_a)

    few = queries(client, _url(world))
    for n in range(20):
        offering(world, f"Mehr {n}", phases=[world.kita], fields=[world.health], areas=[world.sued])
    assert queries(client, _url(world)) == few
