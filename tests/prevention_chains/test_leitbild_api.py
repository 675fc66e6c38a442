"""/api/v1/leitbilder/: who sees which versions, the goal tree with traffic lights (disclosed
for the caller), writes by coordinators, refusals and query counts."""

import pytest

from prevention_chains.models import Leitbild, LeitbildStatus
from tests.api.conftest import token_client
from tests.factories_chains import GoalIndicatorFactory, LeitbildFactory, LeitbildGoalFactory
from tests.factories_monitoring import IndicatorFactory
from tests.prevention_chains import leitbild_world

pytestmark = pytest.mark.django_db

# The world's fixtures, by name for pytest.
lworld = leitbild_world.lworld
mworld = leitbild_world.mworld

URL = "/api/v1/leitbilder/"


def detail_url(leitbild) -> str:
    return f"{URL}{leitbild.pk}/"


@pytest.fixture
def other_leitbild(personas):
    return LeitbildFactory(municipality=personas.municipality_b, number=1)


@pytest.mark.parametrize(
    ("persona", "visible"),
    [
        ("coordinator_a", {"A"}),
        ("viewer_a", {"A"}),
        ("companion_a", {"A"}),
        ("coordinator_b", {"B"}),
        ("reviewer", {"A", "B"}),
        ("state_admin", {"A", "B"}),
        ("researcher", set()),
        ("outsider", set()),
    ],
)
def test_list_shows_readable_municipalities_only(
    personas, lworld, other_leitbild, persona, visible
):
    body = token_client(getattr(personas, persona)).get(URL).json()
    names = {
        personas.municipality_a.ags: "A",
        personas.municipality_b.ags: "B",
    }
    assert {names[row["municipality"]] for row in body["results"]} == visible


def test_list_filters_by_ags_and_slug(personas, lworld, other_leitbild):
    client = token_client(personas.reviewer)
    by_ags = client.get(URL, {"municipality": personas.municipality_b.ags}).json()
    assert [r["id"] for r in by_ags["results"]] == [other_leitbild.pk]
    by_slug = client.get(URL, {"municipality_slug": personas.municipality_a.slug}).json()
    assert [r["id"] for r in by_slug["results"]] == [lworld.leitbild.pk]
    assert client.get(URL, {"municipality": "0"}).status_code == 400


def test_anonymous_gets_401(client, lworld):
    assert client.get(URL).status_code == 401


def test_detail_has_goals_sub_goals_and_lights_for_the_caller(personas, lworld):
    def nord_light(user):
        body = token_client(user).get(detail_url(lworld.leitbild)).json()
        (goal,) = body["goals"]
        assert goal["title"] == "Armut senken"
        assert goal["indicators"][0]["traffic_light"]["status"] == "no_improvement"
        (sub,) = goal["sub_goals"]
        (measure,) = sub["indicators"]
        assert measure["sozialraum"] == "01"
        assert measure["baseline_value"] == "10.000"
        return measure["traffic_light"]

    raw = nord_light(personas.coordinator_a)
    assert (raw["status"], raw["colour"], raw["label"]) == ("on_track", "green", "im Plan")
    assert raw["current_value"] == "5.000"
    hidden = nord_light(personas.viewer_a)
    assert (hidden["status"], hidden["colour"]) == ("withheld", "grey")
    assert hidden["current_value"] is None


@pytest.mark.parametrize("persona", ["coordinator_b", "researcher", "outsider"])
def test_detail_outside_the_rights_is_404(personas, lworld, persona):
    assert (
        token_client(getattr(personas, persona)).get(detail_url(lworld.leitbild)).status_code == 404
    )


def test_list_and_detail_queries_are_constant(personas, lworld, django_assert_max_num_queries):
    client = token_client(personas.viewer_a)
    for number in range(2, 12):
        LeitbildFactory(
            municipality=personas.municipality_a,
            number=number,
            status="superseded",
            council_decision_on="2020-01-01",
        )
    for number in range(10):
        goal = LeitbildGoalFactory(leitbild=lworld.leitbild, title=f"Ziel {number}")
        LeitbildGoalFactory(leitbild=lworld.leitbild, parent=goal)
        GoalIndicatorFactory(goal=goal, indicator=IndicatorFactory())
    with django_assert_max_num_queries(5):
        assert len(client.get(URL).json()["results"]) == 11
    with django_assert_max_num_queries(12):
        assert len(client.get(detail_url(lworld.leitbild)).json()["goals"]) == 11


def writer(personas):
    return token_client(personas.coordinator_a, read_only=False)


def test_writes(personas, lworld):
    client = writer(personas)
    second = client.post(f"{detail_url(lworld.leitbild)}new-version/")
    assert second.status_code == 201, second.content
    draft = Leitbild.objects.get(pk=second.json()["id"])
    assert (draft.number, draft.status) == (2, LeitbildStatus.DRAFT)
    again = client.post(
        URL, {"municipality": personas.municipality_a.ags, "title": "Dritte"}, format="json"
    )
    assert again.status_code == 409
    assert "schon einen Entwurf" in again.json()["error"]["message"]

    changed = client.patch(
        detail_url(draft), {"title": "Zwei", "text": "Neu", "version": draft.version}, format="json"
    )
    assert changed.status_code == 200
    stale = client.patch(
        detail_url(draft), {"title": "Alt", "text": "", "version": draft.version}, format="json"
    )
    assert (stale.status_code, stale.json()["error"]["code"]) == (409, "stale")

    future = client.post(
        f"{detail_url(draft)}adopt/", {"council_decision_on": "2999-01-01"}, format="json"
    )
    assert future.status_code == 400
    assert "council_decision_on" in future.json()["error"]["details"]
    adopted = client.post(
        f"{detail_url(draft)}adopt/", {"council_decision_on": "2025-05-05"}, format="json"
    )
    assert adopted.status_code == 200
    assert adopted.json()["status"] == "adopted"
    lworld.leitbild.refresh_from_db()
    assert lworld.leitbild.status == LeitbildStatus.SUPERSEDED
    read_only = client.patch(
        detail_url(draft), {"title": "x", "text": "", "version": 99}, format="json"
    )
    assert read_only.status_code == 409
    assert "kann nicht mehr geändert werden" in read_only.json()["error"]["message"]


def test_first_draft_by_api(personas):
    created = writer(personas).post(
        URL, {"municipality": personas.municipality_a.ags, "title": "Erstes"}, format="json"
    )
    assert created.status_code == 201
    assert created.json()["number"] == 1


@pytest.mark.parametrize("persona", ["viewer_a", "coordinator_b", "reviewer", "researcher"])
def test_non_writers_cannot_write(personas, lworld, persona):
    client = token_client(getattr(personas, persona), read_only=False)
    created = client.post(
        URL, {"municipality": personas.municipality_a.ags, "title": "X"}, format="json"
    )
    assert created.status_code == 404
    assert client.post(f"{detail_url(lworld.leitbild)}new-version/").status_code == 404
    assert Leitbild.objects.count() == 1


def test_read_only_token_cannot_write(personas, lworld):
    client = token_client(personas.coordinator_a)
    assert client.post(f"{detail_url(lworld.leitbild)}new-version/").status_code == 403
