"""Permission matrix of every data page: who reads, who writes, who gets 404 or the login."""

import pytest
from django.urls import reverse

from tests.factories_monitoring import IndicatorFactory

READERS = ["coordinator_a", "viewer_a", "companion_a", "reviewer", "approver", "state_admin"]
DENIED = ["coordinator_b", "researcher", "outsider"]
# Raw values and writes: coordinators only, the same people with raw rights under disclosure
# control; the programme administration reads like the rest of the state office.
WRITERS = ["coordinator_a"]
READ_ONLY = ["viewer_a", "companion_a", "reviewer", "approver", "state_admin"]


def read_pages(personas, data):
    slug = personas.municipality_a.slug
    return [
        reverse("monitoring:sozialraum_list", args=[slug]),
        reverse("monitoring:sozialraum_detail", args=[data["north"].pk]),
        reverse("monitoring:approval_list", args=[slug]),
        reverse("monitoring:local_indicators", args=[slug]),
    ]


def write_pages(personas, data):
    slug = personas.municipality_a.slug
    area = data["north"].pk
    return [
        reverse("monitoring:sozialraum_create", args=[slug]),
        reverse("monitoring:sozialraum_edit", args=[area]),
        reverse("monitoring:sozialraum_new_version", args=[area]),
        reverse("monitoring:sozialraum_boundary", args=[area]),
        reverse("monitoring:sozialraum_population", args=[area]),
        reverse("monitoring:entry", args=[slug]),
        reverse("monitoring:flag_list", args=[slug]),
        reverse("monitoring:approval_confirm", args=[slug, 2022]),
    ]


def post_actions(personas, data):
    slug = personas.municipality_a.slug
    return [
        (reverse("monitoring:flag_resolve", args=[data["flag"].pk]), {"note": "stimmt"}),
        (reverse("monitoring:approval_release", args=[slug, 2022]), {"released": "1"}),
        (reverse("monitoring:approval_reopen", args=[slug, 2022]), {"reason": "x" * 20}),
    ]


@pytest.mark.parametrize("persona", READERS)
def test_readers_see_the_read_pages(client, personas, data, persona):
    client.force_login(getattr(personas, persona))
    for url in read_pages(personas, data):
        assert client.get(url).status_code == 200, url


@pytest.mark.parametrize("persona", DENIED)
def test_others_get_404_on_every_page(client, personas, data, persona):
    client.force_login(getattr(personas, persona))
    for url in read_pages(personas, data) + write_pages(personas, data):
        assert client.get(url).status_code == 404, url
    for url, payload in post_actions(personas, data):
        assert client.post(url, payload).status_code == 404, url


def test_anonymous_is_sent_to_the_login(client, personas, data):
    for url in read_pages(personas, data) + write_pages(personas, data):
        response = client.get(url)
        assert response.status_code == 302, url
        assert reverse("account_login") in response["Location"]


@pytest.mark.parametrize("persona", WRITERS)
def test_writers_open_the_write_pages(client, personas, data, persona):
    client.force_login(getattr(personas, persona))
    for url in write_pages(personas, data):
        assert client.get(url).status_code == 200, url
    content = client.get(read_pages(personas, data)[0]).content.decode()
    assert reverse("monitoring:sozialraum_create", args=[personas.municipality_a.slug]) in content


@pytest.mark.parametrize("persona", READ_ONLY)
def test_readers_cannot_write(client, personas, data, persona):
    client.force_login(getattr(personas, persona))
    for url in write_pages(personas, data):
        assert client.get(url).status_code == 404, url
    for url, payload in post_actions(personas, data):
        assert client.post(url, payload).status_code == 404, url
    list_page = client.get(read_pages(personas, data)[0]).content.decode()
    assert reverse("monitoring:entry", args=[personas.municipality_a.slug]) not in list_page
    approvals = client.get(read_pages(personas, data)[2]).content.decode()
    assert "2022 freigeben" not in approvals
    response = client.post(
        reverse("monitoring:local_indicators", args=[personas.municipality_a.slug]), {}
    )
    assert response.status_code == 404


def test_coordinator_b_cannot_reach_a_through_b(client, personas, data):
    """Ids of A's objects do not open through B's slug, and B's objects not through A's."""
    client.force_login(personas.coordinator_a)
    assert (
        client.get(reverse("monitoring:sozialraum_detail", args=[data["other"].pk])).status_code
        == 404
    )
    assert (
        client.get(reverse("monitoring:sozialraum_edit", args=[data["other"].pk])).status_code
        == 404
    )


def test_catalogue_is_public(client, personas, data):
    response = client.get(reverse("monitoring:indicator_list"))
    assert response.status_code == 200
    assert "Testquote" in response.content.decode()
    detail = client.get(reverse("monitoring:indicator_detail", args=[data["indicator"].pk]))
    assert detail.status_code == 200
    assert "Kinder der Altersgruppe" in detail.content.decode()


def test_local_indicator_is_visible_to_members_only(client, personas, data):
    local = IndicatorFactory(municipality=personas.municipality_a, name="Eigener Indikator")
    url = reverse("monitoring:indicator_detail", args=[local.pk])
    assert client.get(url).status_code == 404
    client.force_login(personas.coordinator_b)
    assert client.get(url).status_code == 404
    client.force_login(personas.viewer_a)
    assert client.get(url).status_code == 200
    # Not listed in the public catalogue.
    assert (
        "Eigener Indikator" not in client.get(reverse("monitoring:indicator_list")).content.decode()
    )


def test_catalogue_filters_by_theme(client, data):
    IndicatorFactory(name="Gesundheitsindikator", theme="Gesundheit", life_phase="3-6")
    content = client.get(reverse("monitoring:indicator_list"), {"thema": "Gesundheit"}).content
    assert "Gesundheitsindikator" in content.decode()
    assert "Testquote" not in content.decode()
    content = client.get(reverse("monitoring:indicator_list"), {"lebensphase": "alle"}).content
    assert "Testquote" in content.decode()
    assert "Gesundheitsindikator" not in content.decode()


def test_links_between_pages_follow_the_rights(client, personas, data):
    slug = personas.municipality_a.slug
    url = reverse("monitoring:sozialraum_list", args=[slug])
    imports = reverse("monitoring:import_list", args=[slug])
    entry = reverse("monitoring:entry", args=[slug])
    client.force_login(personas.coordinator_a)
    content = client.get(url).content.decode()
    assert imports in content
    assert entry in content
    for reader in (personas.state_admin, personas.reviewer):
        client.force_login(reader)
        content = client.get(url).content.decode()
        assert imports not in content
        assert entry not in content
