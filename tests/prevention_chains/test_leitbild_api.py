"""/api/v1/leitbilder/, /leitbild-goals/, /goal-indicators/: who sees which versions, the goal
tree with traffic lights (disclosed for the caller), writes by coordinators (only in the draft),
refusals, validation and query counts."""

from decimal import Decimal

import pytest

from prevention_chains.models import GoalIndicator, Leitbild, LeitbildGoal, LeitbildStatus
from tests.api.conftest import token_client
from tests.factories_chains import (
    GoalIndicatorFactory,
    LeitbildFactory,
    LeitbildGoalFactory,
    LifePhaseFactory,
)
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


# --- goals and goal indicators ------------------------------------------------------------------

GOALS = "/api/v1/leitbild-goals/"
MEASURES = "/api/v1/goal-indicators/"


@pytest.fixture
def draft(personas):
    return LeitbildFactory(municipality=personas.municipality_a, number=2)


def measure_body(mworld, **changes) -> dict:
    return {
        "indicator_id": mworld.indicator.pk,
        "sozialraum_id": mworld.nord.pk,
        "baseline_year": 2021,
        "baseline_value": "12.5",
        "target_year": 2027,
        "target_value": "9",
        **changes,
    }


@pytest.mark.parametrize("persona", ["coordinator_a", "state_admin"])
def test_writers_build_goals_sub_goals_and_indicators_of_the_draft(
    personas, lworld, mworld, draft, persona
):
    client = token_client(getattr(personas, persona), read_only=False)
    phase = LifePhaseFactory(slug="fruehe-hilfen")
    goal = client.post(
        GOALS,
        {"leitbild": draft.pk, "title": "Armut senken", "life_phases": [phase.slug]},
        format="json",
    )
    assert goal.status_code == 201, goal.content
    goal = goal.json()
    assert (goal["parent"], goal["position"], goal["life_phases"]) == (None, 1, [phase.slug])
    sub = client.post(
        GOALS, {"leitbild": draft.pk, "title": "Nord", "parent": goal["id"]}, format="json"
    )
    assert (sub.status_code, sub.json()["parent"]) == (201, goal["id"])

    created = client.post(MEASURES, {**measure_body(mworld), "goal": sub.json()["id"]}, "json")
    assert created.status_code == 201, created.content
    body = created.json()
    assert (body["goal"], body["leitbild"], body["sozialraum"]) == (
        sub.json()["id"],
        draft.pk,
        "01",
    )
    assert (body["baseline_value"], body["target_value"]) == ("12.500", "9.000")
    assert body["traffic_light"]["colour"] in {"green", "yellow", "red", "grey"}

    # PATCH changes what is sent and keeps the rest.
    changed = client.patch(f"{MEASURES}{body['id']}/", {"target_value": "8"}, format="json")
    assert changed.status_code == 200, changed.content
    measure = GoalIndicator.objects.get(pk=body["id"])
    assert (measure.target_value, measure.baseline_year) == (Decimal("8"), 2021)
    assert measure.sozialraum == mworld.nord
    renamed = client.patch(f"{GOALS}{goal['id']}/", {"title": "Armut halbieren"}, format="json")
    assert renamed.status_code == 200
    assert renamed.json()["life_phases"] == [phase.slug]
    replaced = client.put(f"{GOALS}{sub.json()['id']}/", {"title": "Eigenes Ziel"}, format="json")
    assert (replaced.status_code, replaced.json()["parent"]) == (200, None)

    assert client.delete(f"{MEASURES}{body['id']}/").status_code == 204
    assert client.delete(f"{GOALS}{goal['id']}/").status_code == 204
    assert list(LeitbildGoal.objects.filter(leitbild=draft).values_list("title", flat=True)) == [
        "Eigenes Ziel"
    ]


@pytest.mark.parametrize("persona", ["viewer_a", "companion_a", "reviewer", "coordinator_b"])
def test_who_may_not_write_gets_404_and_nothing_changes(personas, mworld, draft, persona):
    goal = LeitbildGoalFactory(leitbild=draft, title="Bleibt")
    measure = GoalIndicatorFactory(goal=goal, indicator=mworld.indicator)
    client = token_client(getattr(personas, persona), read_only=False)
    calls = [
        client.post(GOALS, {"leitbild": draft.pk, "title": "Neu"}, format="json"),
        client.patch(f"{GOALS}{goal.pk}/", {"title": "Geändert"}, format="json"),
        client.put(f"{GOALS}{goal.pk}/", {"title": "Geändert"}, format="json"),
        client.delete(f"{GOALS}{goal.pk}/"),
        client.post(MEASURES, {**measure_body(mworld), "goal": goal.pk}, format="json"),
        client.patch(f"{MEASURES}{measure.pk}/", {"target_value": "1"}, format="json"),
        client.put(f"{MEASURES}{measure.pk}/", measure_body(mworld), format="json"),
        client.delete(f"{MEASURES}{measure.pk}/"),
    ]
    assert [call.status_code for call in calls] == [404] * len(calls)
    assert list(LeitbildGoal.objects.values_list("title", flat=True)) == ["Bleibt"]
    measure.refresh_from_db()
    assert measure.target_value == Decimal("15.000")


def test_readers_read_others_get_nothing(personas, lworld):
    goal_url = f"{GOALS}{lworld.goal.pk}/"
    measure_url = f"{MEASURES}{lworld.total_measure.pk}/"
    for persona in ("viewer_a", "companion_a", "reviewer", "state_admin"):
        client = token_client(getattr(personas, persona))
        assert client.get(goal_url).json()["title"] == "Armut senken"
        assert client.get(measure_url).json()["goal"] == lworld.goal.pk
        listed = client.get(GOALS, {"leitbild": lworld.leitbild.pk}).json()["results"]
        # Goals first, then sub-goals.
        assert [row["id"] for row in listed] == [lworld.goal.pk, lworld.sub_goal.pk]
    for persona in ("coordinator_b", "researcher", "outsider"):
        client = token_client(getattr(personas, persona))
        assert client.get(goal_url).status_code == 404
        assert client.get(measure_url).status_code == 404
        assert client.get(GOALS).json()["results"] == []
        assert client.get(MEASURES, {"leitbild": lworld.leitbild.pk}).json()["results"] == []


def test_anonymous_and_read_only_tokens(client, personas, lworld):
    assert client.get(GOALS).status_code == 401
    assert client.get(f"{MEASURES}{lworld.total_measure.pk}/").status_code == 401
    read_only = token_client(personas.coordinator_a)
    response = read_only.patch(f"{GOALS}{lworld.goal.pk}/", {"title": "x"}, format="json")
    assert response.status_code == 403


def test_adopted_versions_refuse_every_change(personas, lworld, mworld):
    client = writer(personas)
    calls = {
        "goal create": client.post(
            GOALS, {"leitbild": lworld.leitbild.pk, "title": "Neu"}, format="json"
        ),
        "goal patch": client.patch(f"{GOALS}{lworld.goal.pk}/", {"title": "x"}, format="json"),
        "goal delete": client.delete(f"{GOALS}{lworld.sub_goal.pk}/"),
        "measure create": client.post(
            MEASURES, {**measure_body(mworld), "goal": lworld.goal.pk}, format="json"
        ),
        "measure patch": client.patch(
            f"{MEASURES}{lworld.total_measure.pk}/", {"target_value": "7"}, format="json"
        ),
        "measure delete": client.delete(f"{MEASURES}{lworld.nord_measure.pk}/"),
    }
    for name, response in calls.items():
        assert response.status_code == 409, name
        error = response.json()["error"]
        assert error["code"] == "refused", name
        assert "kann nicht mehr geändert werden" in error["message"], name
    assert LeitbildGoal.objects.filter(leitbild=lworld.leitbild).count() == 2
    assert GoalIndicator.objects.count() == 2


def test_goal_parent_must_be_a_goal_of_the_same_draft(personas, lworld, draft):
    client = writer(personas)
    goal = LeitbildGoalFactory(leitbild=draft)
    sub = LeitbildGoalFactory(leitbild=draft, parent=goal)
    other = LeitbildGoalFactory(leitbild=draft)
    for parent in (lworld.goal.pk, sub.pk, 999999):
        response = client.post(
            GOALS, {"leitbild": draft.pk, "title": "X", "parent": parent}, format="json"
        )
        assert response.status_code == 400, parent
        assert "parent" in response.json()["error"]["details"], parent
    with_subs = client.patch(f"{GOALS}{goal.pk}/", {"parent": other.pk}, format="json")
    assert with_subs.status_code == 400
    assert "eine Ebene" in str(with_subs.json()["error"]["details"]["parent"])
    missing = client.post(GOALS, {"leitbild": draft.pk}, format="json")
    assert "title" in missing.json()["error"]["details"]
    assert LeitbildGoal.objects.filter(leitbild=draft).count() == 3


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"target_year": 2021}, "target_year"),
        ({"baseline_year": 1999}, "baseline_year"),
        ({"target_value": "12.500"}, "target_value"),
        ({"baseline_value": "viel"}, "baseline_value"),
        ({"indicator_id": None}, "indicator_id"),
    ],
)
def test_goal_indicator_values_are_checked(personas, mworld, draft, changes, field):
    goal = LeitbildGoalFactory(leitbild=draft)
    body = {**measure_body(mworld, **changes), "goal": goal.pk}
    response = writer(personas).post(MEASURES, body, format="json")
    assert response.status_code == 400
    assert field in response.json()["error"]["details"]
    assert not GoalIndicator.objects.exists()


def test_goal_indicator_names_only_what_the_municipality_uses(personas, mworld, draft):
    """B's local indicator and B's Sozialraum: refused by the service, named as sent."""
    goal = LeitbildGoalFactory(leitbild=draft)
    body = measure_body(mworld, indicator_id=mworld.local_b.pk, sozialraum_id=mworld.area_b.pk)
    response = writer(personas).post(MEASURES, {**body, "goal": goal.pk}, format="json")
    assert response.status_code == 400
    assert set(response.json()["error"]["details"]) == {"indicator_id", "sozialraum_id"}
    measure = GoalIndicatorFactory(goal=goal, indicator=mworld.indicator)
    changed = writer(personas).patch(
        f"{MEASURES}{measure.pk}/", {"sozialraum_id": mworld.area_b.pk}, format="json"
    )
    assert set(changed.json()["error"]["details"]) == {"sozialraum_id"}
    measure.refresh_from_db()
    assert measure.sozialraum is None


def test_goal_indicator_list_needs_a_version_or_goal_and_shows_lights(personas, lworld):
    coordinator = token_client(personas.coordinator_a)
    assert coordinator.get(MEASURES).status_code == 400

    def lights(user, **query):
        rows = token_client(user).get(MEASURES, query).json()["results"]
        return {row["id"]: row["traffic_light"]["status"] for row in rows}

    total, nord = lworld.total_measure.pk, lworld.nord_measure.pk
    mine = lights(personas.coordinator_a, leitbild=lworld.leitbild.pk)
    assert mine == {total: "no_improvement", nord: "on_track"}
    assert lights(personas.viewer_a, goal=lworld.sub_goal.pk) == {nord: "withheld"}
    detail = coordinator.get(f"{MEASURES}{nord}/").json()
    assert detail["traffic_light"]["current_value"] == "5.000"


def test_goal_and_indicator_lists_are_constant_in_queries(
    personas, lworld, django_assert_max_num_queries
):
    client = token_client(personas.viewer_a)
    phases = [LifePhaseFactory(), LifePhaseFactory()]
    for number in range(10):
        goal = LeitbildGoalFactory(leitbild=lworld.leitbild, title=f"Ziel {number}")
        goal.life_phases.set(phases)
        LeitbildGoalFactory(leitbild=lworld.leitbild, parent=goal)
        GoalIndicatorFactory(goal=goal, indicator=IndicatorFactory())
    # Token, its last use, roles, count, goals, their life phases.
    with django_assert_max_num_queries(6):
        assert len(client.get(GOALS).json()["results"]) == 22
    with django_assert_max_num_queries(9):
        assert len(client.get(MEASURES, {"leitbild": lworld.leitbild.pk}).json()["results"]) == 12
