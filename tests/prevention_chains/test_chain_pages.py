"""The chain hub: who may see it, what the matrix shows, constant queries."""

import pytest
from django.urls import reverse

from prevention_chains.models import OfferingStatus
from tests.prevention_chains.chain_world import READERS, build, cell, offering, people, queries

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(personas):
    return build(personas.municipality_a)


def _url(municipality):
    return reverse("prevention_chains:chain", args=[municipality.slug])


@pytest.mark.parametrize(("persona", "status"), READERS)
def test_who_reads_the_hub(client, personas, world, persona, status):
    client.force_login(getattr(personas, persona))
    assert client.get(_url(personas.municipality_a)).status_code == status


def test_anonymous_is_sent_to_login(client, personas):
    response = client.get(_url(personas.municipality_a))
    assert response.status_code == 302
    assert "login" in response["Location"]


def test_unknown_municipality_is_404(client, personas):
    client.force_login(personas.reviewer)
    assert client.get(reverse("prevention_chains:chain", args=["gibt-es-nicht"])).status_code == 404


def test_hub_shows_counts_gaps_and_duplicates(client, personas, world):
    early_family = {"phases": [world.early], "fields": [world.family]}
    offering(world, "Elterncafé im Familienzentrum Nord", **early_family)
    offering(world, "Eltern-Café Familienzentrum Nord", **early_family)
    offering(
        world, "Entwurf", phases=[world.early], fields=[world.health], status=OfferingStatus.DRAFT
    )
    client.force_login(personas.viewer_a)
    response = client.get(_url(personas.municipality_a))
    matrix = response.context["matrix"]
    assert cell(matrix, world.early, world.family).count == 2
    page = response.content.decode()
    assert "chain-cell--gap" in page
    assert cell(matrix, world.early, world.health).is_gap  # the draft does not count
    assert response.context["pair_count"] == 1
    assert "Elterncafé im Familienzentrum Nord" in page
    assert "gleiche Lebensphase" in page


def test_filters_keep_the_choice_and_ignore_invalid_values(client, personas, world):
    offering(world, "West", phases=[world.early], fields=[world.family], areas=[world.west])
    offering(world, "Nord", phases=[world.early], fields=[world.family], areas=[world.nord])
    client.force_login(personas.coordinator_a)
    response = client.get(_url(personas.municipality_a), {"sozialraum": world.west.pk})
    assert response.context["matrix"].sozialraum == world.west
    assert cell(response.context["matrix"], world.early, world.family).count == 1
    assert f'value="{world.west.pk}" selected' in response.content.decode()
    invalid = {"sozialraum": "999999", "zielgruppe": "x"}
    response = client.get(_url(personas.municipality_a), invalid)
    assert response.status_code == 200
    assert response.context["matrix"].sozialraum is None


def test_another_municipalitys_area_is_not_a_filter(client, personas, world):
    other = build(personas.municipality_b)
    client.force_login(personas.coordinator_a)
    response = client.get(_url(personas.municipality_a), {"sozialraum": other.west.pk})
    assert response.context["matrix"].sozialraum is None


def test_thin_cell_reason_is_shown(client, personas, world):
    people(world.nord, 2023, [(0, 3, 1000)])
    people(world.sued, 2023, [(0, 3, 1000)])
    people(world.west, 2023, [(0, 3, 340)])
    offering(world, "Einzeln", phases=[world.early], fields=[world.health])
    client.force_login(personas.coordinator_a)
    page = client.get(_url(personas.municipality_a)).content.decode()
    assert "dünn besetzt" in page
    assert "1 Angebot für 2.340 Kinder von 0–3 Jahren" in page


def test_hub_queries_do_not_grow_with_offerings(client, personas, world):
    client.force_login(personas.coordinator_a)
    group = world.parents_group
    url = f"{_url(personas.municipality_a)}?sozialraum={world.nord.pk}&zielgruppe={group.slug}"
    offering(world, "Eins", phases=[world.early], fields=[world.family], target_groups=[group])
    few = queries(client, url)
    for n in range(15):
        offering(
            world,
            f"Angebot {n}",
            phases=[world.early, world.kita],
            fields=[world.family, world.health],
            areas=[world.nord, world.west][: n % 3],
            target_groups=[world.parents_group],
        )
    assert queries(client, url) == few
    assert few <= 14, few
