"""Links between the parts of the prevention chain: every page is reachable by clicking, and a
link leads to what it promises (the matrix's count is the length of the list behind it)."""

import html
import re

import pytest
from django.urls import reverse

from prevention_chains.models import GoodPracticeStatus, OfferingStatus
from tests.factories_chains import ActorFactory, GoodPracticeFactory
from tests.prevention_chains.chain_world import build, cell, offering

pytestmark = pytest.mark.django_db

PROPOSE = "Als gute Praxis vorschlagen"


@pytest.fixture
def world(personas):
    return build(personas.municipality_a)


def _chain_offering(world, title="Elterncafé", **kwargs):
    return offering(world, title, phases=[world.early], fields=[world.family], **kwargs)


def _detail(client, user, chain_offering):
    client.force_login(user)
    response = client.get(reverse("prevention_chains:offering_detail", args=[chain_offering.pk]))
    assert response.status_code == 200
    return response.content.decode()


def _propose_url(chain_offering) -> str:
    return reverse(
        "prevention_chains:good_practice_propose",
        args=[chain_offering.municipality.slug, chain_offering.pk],
    )


def _entry_url(entry) -> str:
    return reverse("prevention_chains:good_practice_detail", args=[entry.pk])


# --- Offering detail → good practice ---------------------------------------------------------


@pytest.mark.parametrize("status", [OfferingStatus.PUBLISHED, OfferingStatus.PAUSED])
@pytest.mark.parametrize("persona", ["coordinator_a", "state_admin"])
def test_writers_may_propose_a_running_offering(client, personas, world, persona, status):
    chain_offering = _chain_offering(world, status=status)
    page = _detail(client, getattr(personas, persona), chain_offering)
    assert PROPOSE in page
    assert _propose_url(chain_offering) in page
    assert client.get(_propose_url(chain_offering)).status_code == 200


@pytest.mark.parametrize("persona", ["viewer_a", "companion_a", "reviewer"])
def test_readers_who_may_not_write_get_no_proposal_link(client, personas, world, persona):
    chain_offering = _chain_offering(world)
    page = _detail(client, getattr(personas, persona), chain_offering)
    assert PROPOSE not in page
    assert _propose_url(chain_offering) not in page


@pytest.mark.parametrize("status", [OfferingStatus.DRAFT, OfferingStatus.ENDED])
def test_drafts_and_ended_offerings_cannot_be_proposed(client, personas, world, status):
    page = _detail(client, personas.coordinator_a, _chain_offering(world, status=status))
    assert PROPOSE not in page


@pytest.mark.parametrize("persona", ["coordinator_a", "viewer_a", "reviewer"])
def test_an_open_entry_is_shown_with_its_status_instead_of_the_link(
    client, personas, world, persona
):
    chain_offering = _chain_offering(world)
    entry = GoodPracticeFactory(offering=chain_offering, title="Das Elterncafé als Vorbild")
    page = _detail(client, getattr(personas, persona), chain_offering)
    assert PROPOSE not in page
    assert f'href="{_entry_url(entry)}"' in page
    assert "Das Elterncafé als Vorbild" in page
    assert "vorgeschlagen" in page
    assert client.get(_entry_url(entry)).status_code == 200


def test_after_a_rejection_the_offering_can_be_proposed_again(client, personas, world):
    chain_offering = _chain_offering(world)
    rejected = GoodPracticeFactory(offering=chain_offering, status=GoodPracticeStatus.REJECTED)
    published = GoodPracticeFactory(
        offering=_chain_offering(world, "Anderes Angebot"), published=True
    )
    page = _detail(client, personas.coordinator_a, chain_offering)
    assert PROPOSE in page
    assert f'href="{_entry_url(rejected)}"' in page
    assert "abgelehnt" in page
    assert _entry_url(published) not in page  # another offering's entry


def test_an_offering_without_entries_shows_no_good_practice_section_to_readers(
    client, personas, world
):
    page = _detail(client, personas.viewer_a, _chain_offering(world))
    assert 'id="gute-praxis"' not in page


def test_an_adopted_offering_links_to_its_published_origin(client, personas, world):
    origin = GoodPracticeFactory(
        offering=offering(
            build(personas.municipality_b), "Vorbild", phases=[world.early], fields=[world.family]
        ),
        title="Vorbild aus Kommune B",
        published=True,
    )
    adopted = _chain_offering(world, status=OfferingStatus.DRAFT, adopted_from=origin)
    page = _detail(client, personas.viewer_a, adopted)
    assert f'<a class="kern-link" href="{_entry_url(origin)}">Vorbild aus Kommune B</a>' in page
    assert client.get(_entry_url(origin)).status_code == 200


def test_a_withdrawn_origin_is_named_but_not_linked_for_other_municipalities(
    client, personas, world
):
    origin = GoodPracticeFactory(
        offering=offering(
            build(personas.municipality_b), "Vorbild", phases=[world.early], fields=[world.family]
        ),
        title="Vorbild aus Kommune B",
        status=GoodPracticeStatus.WITHDRAWN,
    )
    adopted = _chain_offering(world, adopted_from=origin)
    page = _detail(client, personas.viewer_a, adopted)
    assert "Vorbild aus Kommune B" in page
    assert _entry_url(origin) not in page
    assert client.get(_entry_url(origin)).status_code == 404
    # The state office still reaches the entry.
    assert _entry_url(origin) in _detail(client, personas.reviewer, adopted)


# --- Actor detail → offering -----------------------------------------------------------------


def test_actor_detail_links_its_offerings(client, personas, world):
    provider = ActorFactory(municipality=world.municipality, name="Familienzentrum Nord")
    chain_offering = _chain_offering(world, provider=provider)
    client.force_login(personas.viewer_a)
    page = client.get(reverse("prevention_chains:actor_detail", args=[provider.pk]))
    target = reverse("prevention_chains:offering_detail", args=[chain_offering.pk])
    assert f'<a class="kern-link" href="{target}">Elterncafé</a>' in page.content.decode()
    assert client.get(target).status_code == 200


# --- Start page and chain hub ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("persona", "sees"),
    [("state_admin", True), ("reviewer", False), ("coordinator_a", False)],
)
def test_state_admins_find_the_taxonomies_on_their_start_page(client, personas, persona, sees):
    client.force_login(getattr(personas, persona))
    page = client.get(reverse("start")).content.decode()
    taxonomy_url = reverse("prevention_chains:taxonomy_overview")
    assert (f'href="{taxonomy_url}"' in page) is sees
    if sees:
        assert client.get(taxonomy_url).status_code == 200


HUB_LINKS = [
    ("leitbild_overview", True),
    ("actor_list", True),
    ("network_list", True),
    ("cooperation_list", True),
    ("network_graph", True),
    ("offering_list", True),
    ("good_practice_mine", True),
    ("good_practice_library", False),
    ("document_list", True),
    ("chain_duplicates", True),
    ("chain_supply", True),
]


@pytest.mark.parametrize("persona", ["viewer_a", "coordinator_a", "reviewer"])
def test_the_hub_links_every_part_of_the_chain(client, personas, world, persona):
    client.force_login(getattr(personas, persona))
    slug = world.municipality.slug
    page = client.get(reverse("prevention_chains:chain", args=[slug])).content.decode()
    for name, per_municipality in HUB_LINKS:
        target = reverse(f"prevention_chains:{name}", args=[slug] if per_municipality else [])
        assert f'href="{target}"' in page, name
        assert client.get(target).status_code == 200, name
    import_url = reverse("prevention_chains:offering_import_upload", args=[slug])
    assert (f'href="{import_url}"' in page) is (persona == "coordinator_a")


# --- Offering list: running offerings, as the matrix counts them -----------------------------


def _list(client, world, **params):
    url = reverse("prevention_chains:offering_list", args=[world.municipality.slug])
    response = client.get(url, params)
    assert response.status_code == 200
    return response


def test_the_running_filter_lists_published_and_paused_offerings(client, personas, world):
    for status in OfferingStatus.values:
        _chain_offering(world, f"Angebot {status}", status=status)
    client.force_login(personas.viewer_a)
    response = _list(client, world, status="laufend")
    titles = {o.title for o in response.context["page"].object_list}
    assert titles == {"Angebot published", "Angebot paused"}
    assert "laufend (veröffentlicht oder pausiert)" in response.content.decode()
    assert response.context["page"].paginator.count == 2
    assert _list(client, world).context["page"].paginator.count == 4


def _cell_link(page: str, phase, field_of_action) -> str:
    found = re.search(
        rf'href="([^"]*\?phase={phase.slug}&amp;feld={field_of_action.slug}[^"]*)"', page
    )
    assert found, (phase.slug, field_of_action.slug)
    return html.unescape(found.group(1))


@pytest.mark.parametrize("area", [None, "nord", "bezirk"])
def test_a_matrix_count_is_the_length_of_the_list_it_links_to(client, personas, world, area):
    _chain_offering(world, "Veröffentlicht, ganze Kommune")
    _chain_offering(world, "Pausiert, Nord", status=OfferingStatus.PAUSED, areas=[world.nord])
    _chain_offering(world, "Veröffentlicht, Mitte", areas=[world.bezirk])
    _chain_offering(world, "Veröffentlicht, Süd", areas=[world.sued])
    _chain_offering(world, "Veröffentlicht, West", areas=[world.west])
    _chain_offering(world, "Entwurf", status=OfferingStatus.DRAFT)
    _chain_offering(world, "Beendet", status=OfferingStatus.ENDED, areas=[world.nord])
    client.force_login(personas.viewer_a)
    params = {"sozialraum": getattr(world, area).pk} if area else {}
    hub = client.get(reverse("prevention_chains:chain", args=[world.municipality.slug]), params)
    count = cell(hub.context["matrix"], world.early, world.family).count
    expected = {None: 5, "nord": 3, "bezirk": 4}[area]
    assert count == expected
    link = _cell_link(hub.content.decode(), world.early, world.family)
    assert "status=laufend" in link
    listed = client.get(link)
    assert listed.status_code == 200
    assert listed.context["page"].paginator.count == count
