"""The page of possible duplicates: who may see it, what it lists, constant queries."""

import pytest
from django.urls import reverse

from tests.prevention_chains.chain_world import READERS, build, offering, queries
from tests.prevention_chains.test_duplicates_detection import CAFE_A, CAFE_B

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(personas):
    return build(personas.municipality_a)


def _url(world):
    return reverse("prevention_chains:chain_duplicates", args=[world.municipality.slug])


def _twins(world, place):
    phase = {"phases": [world.early], "fields": [world.family]}
    offering(world, f"Elterncafé im Familienzentrum {place}", description=CAFE_A, **phase)
    offering(world, f"Eltern-Café Familienzentrum {place}", description=CAFE_B, **phase)


@pytest.mark.parametrize(("persona", "status"), READERS)
def test_who_reads_duplicates(client, personas, world, persona, status):
    client.force_login(getattr(personas, persona))
    assert client.get(_url(world)).status_code == status


def test_anonymous_is_sent_to_login(client, world):
    assert client.get(_url(world)).status_code == 302


def test_lists_pairs_with_reason_and_empty_state(client, personas, world):
    client.force_login(personas.viewer_a)
    assert "Keine möglichen Doppelungen" in client.get(_url(world)).content.decode()
    _twins(world, "Nord")
    page = client.get(_url(world)).content.decode()
    assert "Elterncafé im Familienzentrum Nord" in page
    assert "gleiches Handlungsfeld „Familie“" in page


def test_queries_do_not_grow_with_pairs(client, personas, world):
    client.force_login(personas.coordinator_a)
    _twins(world, "Nord")

    few = queries(client, _url(world))
    for place in ("Süd", "West", "Ost", "Mitte"):
        _twins(world, place)
    assert queries(client, _url(world)) == few
