"""Leitbild pages: who reads and writes, the flows of a draft, refusals on the page, and the
overview's constant query count."""

import pytest
from django.urls import reverse

from prevention_chains.models import GoalIndicator, Leitbild, LeitbildGoal, LeitbildStatus
from tests.factories_chains import GoalIndicatorFactory, LeitbildFactory, LeitbildGoalFactory
from tests.factories_monitoring import IndicatorFactory
from tests.prevention_chains import leitbild_world

pytestmark = pytest.mark.django_db

# The world's fixtures, by name for pytest.
lworld = leitbild_world.lworld
mworld = leitbild_world.mworld

READERS = ["coordinator_a", "viewer_a", "companion_a", "reviewer", "state_admin"]
OTHERS = ["coordinator_b", "outsider", "researcher"]


def overview_url(personas):
    return reverse("prevention_chains:leitbild_overview", args=[personas.municipality_a.slug])


@pytest.mark.parametrize("persona", READERS)
def test_readers_see_overview_and_detail(client, personas, lworld, persona):
    client.force_login(getattr(personas, persona))
    page = client.get(overview_url(personas))
    assert page.status_code == 200
    html = page.content.decode()
    assert "Gemeinsam stark für Kinder" in html
    assert "Armut senken" in html
    assert "keine Verbesserung" in html  # the municipality's light, with its text
    detail = client.get(reverse("prevention_chains:leitbild_detail", args=[lworld.leitbild.pk]))
    assert detail.status_code == 200


@pytest.mark.parametrize("persona", OTHERS)
def test_others_get_404(client, personas, lworld, persona):
    client.force_login(getattr(personas, persona))
    assert client.get(overview_url(personas)).status_code == 404
    detail = reverse("prevention_chains:leitbild_detail", args=[lworld.leitbild.pk])
    assert client.get(detail).status_code == 404


def test_anonymous_is_sent_to_login(client, personas, lworld):
    response = client.get(overview_url(personas))
    assert response.status_code == 302
    assert reverse("account_login") in response["Location"]


def test_viewer_sees_grey_where_the_coordinator_sees_the_raw_light(client, personas, lworld):
    withheld = '<span class="kern-label">Wert nicht darstellbar (Datenschutz)</span>'
    on_track = '<span class="kern-label">im Plan</span>'
    client.force_login(personas.viewer_a)
    html = client.get(overview_url(personas)).content.decode()
    assert withheld in html
    assert on_track not in html
    client.force_login(personas.coordinator_a)
    html = client.get(overview_url(personas)).content.decode()
    assert withheld not in html
    assert on_track in html


def test_empty_state_offers_to_create_a_leitbild_to_writers_only(client, personas):
    client.force_login(personas.coordinator_a)
    html = client.get(overview_url(personas)).content.decode()
    assert "Noch kein Leitbild" in html
    assert reverse("prevention_chains:leitbild_create", args=[personas.municipality_a.slug]) in html
    client.force_login(personas.viewer_a)
    html = client.get(overview_url(personas)).content.decode()
    assert "Noch kein Leitbild" in html
    assert "Leitbild anlegen" not in html


@pytest.mark.parametrize("persona", ["viewer_a", "companion_a", "reviewer", "coordinator_b"])
def test_non_writers_cannot_open_write_pages(client, personas, lworld, persona):
    draft = LeitbildFactory(municipality=personas.municipality_a, number=2)
    goal = LeitbildGoalFactory(leitbild=draft)
    measure = GoalIndicatorFactory(goal=goal, indicator=lworld.total_measure.indicator)
    client.force_login(getattr(personas, persona))
    urls = [
        reverse("prevention_chains:leitbild_create", args=[personas.municipality_a.slug]),
        reverse("prevention_chains:leitbild_edit", args=[draft.pk]),
        reverse("prevention_chains:leitbild_adopt", args=[draft.pk]),
        reverse("prevention_chains:leitbild_new_version", args=[lworld.leitbild.pk]),
        reverse("prevention_chains:goal_create", args=[draft.pk]),
        reverse("prevention_chains:goal_edit", args=[goal.pk]),
        reverse("prevention_chains:goal_delete", args=[goal.pk]),
        reverse("prevention_chains:goal_indicator_create", args=[goal.pk]),
        reverse("prevention_chains:goal_indicator_edit", args=[measure.pk]),
        reverse("prevention_chains:goal_indicator_delete", args=[measure.pk]),
    ]
    for url in urls:
        assert client.get(url).status_code == 404, url
        assert client.post(url, {"title": "x"}).status_code == 404, url
    assert LeitbildGoal.objects.filter(pk=goal.pk).exists()


def test_coordinator_builds_and_adopts_a_new_version(client, personas, lworld):
    client.force_login(personas.coordinator_a)
    response = client.post(
        reverse("prevention_chains:leitbild_new_version", args=[lworld.leitbild.pk])
    )
    draft = Leitbild.objects.get(status=LeitbildStatus.DRAFT)
    assert response["Location"] == reverse("prevention_chains:leitbild_detail", args=[draft.pk])
    assert draft.number == 2
    assert GoalIndicator.objects.filter(goal__leitbild=draft).count() == 2

    edit = reverse("prevention_chains:leitbild_edit", args=[draft.pk])
    assert client.get(edit).status_code == 200
    response = client.post(edit, {"title": "Fassung zwei", "text": "Neu", "version": draft.version})
    assert response.status_code == 302

    goal_create = reverse("prevention_chains:goal_create", args=[draft.pk])
    client.post(goal_create, {"title": "Bildung stärken"})
    goal = draft.goals.get(title="Bildung stärken")
    add = reverse("prevention_chains:goal_indicator_create", args=[goal.pk])
    values = {
        "indicator": lworld.total_measure.indicator_id,
        "sozialraum": "",
        "baseline_year": "2022",
        "baseline_value": "12,5",
        "target_value": "10",
        "target_year": "2021",
    }
    refused = client.post(add, values)
    assert refused.status_code == 400
    assert "Das Zieljahr muss nach dem Ausgangsjahr liegen." in refused.content.decode()
    assert 'value="12,5"' in refused.content.decode()  # what was typed is kept
    values["target_year"] = "2027"
    assert client.post(add, values).status_code == 302
    assert goal.indicators.get().baseline_value == 12.5

    adopt = reverse("prevention_chains:leitbild_adopt", args=[draft.pk])
    assert client.post(adopt, {"council_decision_on": "2025-06-01"}).status_code == 400
    client.post(
        adopt,
        {"council_decision_on": "2025-06-01", "council_decision_ref": "Rat", "confirm": "on"},
    )
    draft.refresh_from_db()
    lworld.leitbild.refresh_from_db()
    assert draft.status == LeitbildStatus.ADOPTED
    assert lworld.leitbild.status == LeitbildStatus.SUPERSEDED
    html = client.get(overview_url(personas)).content.decode()
    assert "Beschlossenes Leitbild: Fassung zwei" in html


def test_stale_edit_shows_a_message_and_keeps_the_text(client, personas):
    draft = LeitbildFactory(municipality=personas.municipality_a, number=1, version=3)
    client.force_login(personas.coordinator_a)
    response = client.post(
        reverse("prevention_chains:leitbild_edit", args=[draft.pk]),
        {"title": "Mein Titel", "text": "Mein Text", "version": 2},
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "inzwischen von jemand anderem geändert" in html
    assert "Mein Text" in html
    draft.refresh_from_db()
    assert draft.title != "Mein Titel"


def test_adopted_version_cannot_be_edited_on_the_page(client, personas, lworld):
    client.force_login(personas.coordinator_a)
    goal_create = reverse("prevention_chains:goal_create", args=[lworld.leitbild.pk])
    response = client.post(goal_create, {"title": "Heimlich"}, follow=False)
    assert response.status_code == 400
    assert "kann nicht mehr geändert werden" in response.content.decode()
    assert not LeitbildGoal.objects.filter(title="Heimlich").exists()
    edit = reverse("prevention_chains:leitbild_edit", args=[lworld.leitbild.pk])
    assert client.get(edit).status_code == 302


def test_deleting_a_goal_asks_first(client, personas):
    draft = LeitbildFactory(municipality=personas.municipality_a, number=1)
    goal = LeitbildGoalFactory(leitbild=draft, title="Weg damit")
    client.force_login(personas.coordinator_a)
    url = reverse("prevention_chains:goal_delete", args=[goal.pk])
    page = client.get(url)
    assert page.status_code == 200
    assert "„Weg damit“ wird mit seinen Unterzielen" in page.content.decode()
    assert LeitbildGoal.objects.filter(pk=goal.pk).exists()
    client.post(url)
    assert not LeitbildGoal.objects.filter(pk=goal.pk).exists()


def test_overview_queries_do_not_grow_with_goals(
    client,
    personas,
    lworld,
    django_assert_max_num_queries,
):
    client.force_login(personas.viewer_a)
    client.get(overview_url(personas))  # warm caches (sessions, content types)

    def count() -> int:
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as queries:
            assert client.get(overview_url(personas)).status_code == 200
        return len(queries)

    few = count()
    for number in range(12):
        goal = LeitbildGoalFactory(leitbild=lworld.leitbild, title=f"Ziel {number}")
        LeitbildGoalFactory(leitbild=lworld.leitbild, parent=goal, title=f"Unterziel {number}")
        GoalIndicatorFactory(goal=goal, indicator=IndicatorFactory())
        GoalIndicatorFactory(goal=goal, indicator=lworld.total_measure.indicator)
    LeitbildFactory(municipality=personas.municipality_a, number=2)
    assert count() == few
    with django_assert_max_num_queries(20):
        client.get(overview_url(personas))
