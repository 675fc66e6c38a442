"""The Leitbild and prevention-chain demo of seed_demo: what a newcomer finds, the weaknesses
placed on purpose for the analyses, and that seeding twice changes nothing."""

from collections import defaultdict
from datetime import timedelta
from io import StringIO
from itertools import combinations

import pytest
from django.apps import apps
from django.core.management import call_command
from django.db import connection
from django.db.models import Count
from django.test import override_settings
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from accounts.models import User
from monitoring.models import Observation
from municipalities.models import MunicipalityKind, Regierungsbezirk
from prevention_chains.demo import ACTORS, LINKS, OFFERINGS, seed_prevention_demo
from prevention_chains.models import (
    ACTIVE_OFFERING_STATUSES,
    Actor,
    Adoption,
    CooperationLink,
    GoalIndicator,
    GoodPractice,
    GoodPracticeStatus,
    Leitbild,
    LeitbildStatus,
    Network,
    Offering,
    OfferingStatus,
)
from tests.factories import (
    MunicipalityFactory,
    ParticipationFactory,
    ProgrammeFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

# A rectangle around Kreis Lippe, enough for the monitoring demo to cut its Sozialräume.
LIPPE_BOUNDARY = {
    "type": "Polygon",
    "coordinates": [[[8.6, 51.8], [9.3, 51.8], [9.3, 52.1], [8.6, 52.1], [8.6, 51.8]]],
}
COORDINATOR = "koordination@kekiz.example"
STATE_ADMIN = "verwaltung@kekiz.example"


def _participant(ags, name, **fields):
    municipality = MunicipalityFactory(
        ags=ags,
        name=name,
        short_name=name,
        slug=name.lower().replace(" ", "-"),
        regierungsbezirk=Regierungsbezirk.DETMOLD,
        **fields,
    )
    ParticipationFactory(municipality=municipality, programme=ProgrammeFactory())
    return municipality


@pytest.fixture
def reference_data(db):
    """Kreis Lippe (with a boundary, so the monitoring demo runs), Kreis Herford and Bielefeld
    as load_reference_data has them."""
    return {
        "lippe": _participant(
            "05766", "Kreis Lippe", kind=MunicipalityKind.KREIS, boundary=LIPPE_BOUNDARY
        ),
        "herford": _participant("05758", "Kreis Herford", kind=MunicipalityKind.KREIS),
        "bielefeld": _participant("05711", "Bielefeld"),
    }


def seed() -> None:
    with override_settings(DEBUG=True):
        call_command("seed_demo", stdout=StringIO())


def _row_counts():
    return {
        model._meta.label: model.objects.count()
        for model in apps.get_app_config("prevention_chains").get_models()
    }


@pytest.fixture
def seeded(reference_data):
    seed()
    return reference_data


def test_seeding_twice_changes_nothing(seeded):
    counts = _row_counts()
    offerings = set(Offering.objects.values_list("pk", "title", "status", "last_confirmed_on"))
    seed()
    assert _row_counts() == counts
    assert set(Offering.objects.values_list("pk", "title", "status", "last_confirmed_on")) == (
        offerings
    )


def test_function_alone_is_idempotent_and_needs_no_monitoring(personas):
    """Without Sozialräume and observations (no boundary) the demo still comes out whole:
    offerings serve the whole Kommune, baselines fall back to typical values."""
    programme = ProgrammeFactory()

    def run():
        seed_prevention_demo(
            coordinator=personas.coordinator_a,
            state_admin=personas.state_admin,
            municipality=personas.municipality_a,
            partner=personas.municipality_b,
            programme=programme,
        )

    run()
    counts = _row_counts()
    run()
    assert _row_counts() == counts
    assert Offering.objects.filter(municipality=personas.municipality_a).count() == len(OFFERINGS)
    assert GoalIndicator.objects.filter(sozialraum__isnull=False).count() == 0
    assert not Adoption.objects.exists()  # no third participant to adopt the Café Kinderwagen


def test_leitbild_adopted_with_goals_and_a_draft(seeded):
    lippe = seeded["lippe"]
    adopted = Leitbild.objects.get(municipality=lippe, status=LeitbildStatus.ADOPTED)
    assert adopted.council_decision_on
    assert adopted.council_decision_ref
    assert adopted.goals.filter(parent__isnull=True).count() == 4
    assert adopted.goals.filter(parent__isnull=False).count() >= 4
    assert Leitbild.objects.get(municipality=lippe, status=LeitbildStatus.DRAFT).number == 2
    indicators = GoalIndicator.objects.filter(goal__leitbild=adopted).select_related("indicator")
    assert {i.indicator.code for i in indicators} >= {"BETREUUNG_U3", "SGB2_U15", "SEU_SPRACHE"}


def _latest(goal_indicator) -> tuple:
    """Latest observed year and value of a goal indicator (summed counts), as the light reads."""
    observations = Observation.objects.filter(indicator=goal_indicator.indicator)
    if goal_indicator.sozialraum:
        observations = observations.filter(sozialraum=goal_indicator.sozialraum)
    else:
        observations = observations.filter(sozialraum__children__isnull=True)
    period = max(observations.values_list("period", flat=True), default=None)
    if period is None:
        return None, None
    rows = observations.filter(period=period)
    value = sum(r.numerator for r in rows) / sum(r.denominator for r in rows) * 100
    return period, value


def test_goal_indicators_give_a_mix_of_progress(seeded):
    """Baselines are the observed values; the observations then reach one target, fall short
    of another, move away from two, and one indicator has no observations at all."""
    reached = behind = wrong_way = no_data = 0
    for goal_indicator in GoalIndicator.objects.filter(goal__leitbild__status="adopted"):
        period, value = _latest(goal_indicator)
        if period is None:
            no_data += 1
            continue
        baseline, target = goal_indicator.baseline_value, goal_indicator.target_value
        wanted = target - baseline
        progress = (value - baseline) / wanted
        elapsed = (period - goal_indicator.baseline_year) / (
            goal_indicator.target_year - goal_indicator.baseline_year
        )
        if progress >= 1:
            reached += 1
        elif progress <= 0:
            wrong_way += 1
        elif progress < elapsed:
            behind += 1
    assert reached >= 1
    assert behind >= 1
    assert wrong_way >= 1
    assert no_data == 1


def test_network_has_links_of_every_kind_and_one_isolated_actor(seeded):
    lippe = seeded["lippe"]
    assert Actor.objects.filter(municipality=lippe).count() == len(ACTORS)
    links = CooperationLink.objects.filter(municipality=lippe)
    assert links.count() == len(LINKS)
    assert set(links.values_list("kind", flat=True)) == {
        "kooperationsvereinbarung",
        "regelmaessiger_austausch",
        "fallberatung",
    }
    linked = set(links.values_list("actor_a", flat=True)) | set(
        links.values_list("actor_b", flat=True)
    )
    isolated = Actor.objects.filter(municipality=lippe).exclude(pk__in=linked)
    assert [actor.name for actor in isolated] == ["Elterninitiative Spielraum Oerlinghausen e. V."]
    assert not isolated.get().networks.exists()
    networks = Network.objects.filter(municipality=lippe).annotate(size=Count("members"))
    assert {n.name: n.size > 3 for n in networks} == {
        "Netzwerk Frühe Hilfen": True,
        "Steuerungsgruppe Präventionskette": True,
    }


def _phases_of_actors(municipality) -> dict[int, set[str]]:
    """Declared phases plus those of the actor's current offerings, as the network view has."""
    phases = defaultdict(set)
    declared = Actor.life_phases.through.objects.filter(actor__municipality=municipality)
    for actor_id, slug in declared.values_list("actor_id", "lifephase__slug"):
        phases[actor_id].add(slug)
    offered = Offering.life_phases.through.objects.filter(
        offering__municipality=municipality, offering__status__in=ACTIVE_OFFERING_STATUSES
    )
    for actor_id, slug in offered.values_list("offering__provider_id", "lifephase__slug"):
        phases[actor_id].add(slug)
    return phases


def _links_across(municipality, before: str, transition: str, after: str) -> int:
    phases = _phases_of_actors(municipality)
    side_before = {actor for actor, slugs in phases.items() if slugs & {before, transition}}
    side_after = {actor for actor, slugs in phases.items() if slugs & {after, transition}}
    return sum(
        (a in side_before and b in side_after) or (b in side_before and a in side_after)
        for a, b in CooperationLink.objects.filter(municipality=municipality).values_list(
            "actor_a", "actor_b"
        )
    )


def test_only_the_transition_kita_grundschule_lacks_a_cooperation(seeded):
    lippe = seeded["lippe"]
    assert _links_across(lippe, "kita", "uebergang-kita-grundschule", "grundschule") == 0
    assert (
        _links_across(lippe, "grundschule", "uebergang-weiterfuehrende-schule", "sekundarstufe-1")
        > 0
    )


def test_offerings_have_twins_stale_ones_drafts_and_an_empty_cell(seeded):
    lippe = seeded["lippe"]
    offerings = Offering.objects.filter(municipality=lippe)
    assert offerings.count() == len(OFFERINGS) >= 40
    assert offerings.filter(status=OfferingStatus.PUBLISHED).count() > 30
    assert offerings.filter(status=OfferingStatus.DRAFT).count() >= 3
    assert offerings.filter(is_free=False).exists()
    assert offerings.filter(is_free=True).exists()
    assert offerings.filter(languages__contains=["ar"]).exists()
    assert offerings.filter(sozialraeume__code="S2").exists()
    assert not offerings.filter(locations__isnull=True).exists()

    stale = offerings.filter(
        status=OfferingStatus.PUBLISHED,
        last_confirmed_on__lte=timezone.localdate() - timedelta(days=700),
    )
    assert stale.count() == 2

    assert not offerings.filter(
        life_phases__slug="uebergang-schule-beruf", fields_of_action__slug="kultur"
    ).exists()
    assert offerings.filter(life_phases__slug="uebergang-schule-beruf").exists()
    assert offerings.filter(fields_of_action__slug="kultur").exists()


def _lexemes(offerings) -> dict[int, tuple[set[str], set[str]]]:
    """German word stems of each offering's title and of its whole text."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT id, tsvector_to_array(to_tsvector('german', replace(title, '-', ''))), "
            "tsvector_to_array(search_vector) FROM prevention_chains_offering WHERE id = ANY(%s)",
            [[o.pk for o in offerings]],
        )
        return {pk: (set(title), set(text)) for pk, title, text in cursor.fetchall()}


def _jaccard(first: set, second: set) -> float:
    return len(first & second) / len(first | second) if first | second else 0.0


def test_exactly_one_pair_of_current_offerings_reads_alike(seeded):
    """Offerings sharing a phase, a field and an area (or serving the whole Kreis) whose word
    stems overlap by half or more (title and whole text weighed equally): only the two
    Babymassage courses."""
    current = list(
        Offering.objects.filter(
            municipality=seeded["lippe"], status__in=ACTIVE_OFFERING_STATUSES
        ).prefetch_related("life_phases", "fields_of_action", "sozialraeume")
    )
    words = _lexemes(current)

    def cells(offering):
        return {(p, f) for p in offering.life_phases.all() for f in offering.fields_of_action.all()}

    alike = []
    for first, second in combinations(current, 2):
        areas_a, areas_b = set(first.sozialraeume.all()), set(second.sozialraeume.all())
        same_area = not areas_a or not areas_b or areas_a & areas_b
        (title_a, text_a), (title_b, text_b) = words[first.pk], words[second.pk]
        similarity = (_jaccard(title_a, title_b) + _jaccard(text_a, text_b)) / 2
        if cells(first) & cells(second) and same_area and similarity >= 0.5:
            alike.append({first.title, second.title})
    assert alike == [
        {"Babymassage für Eltern mit Säuglingen", "Babymassage für Eltern und Säuglinge"}
    ]


def test_good_practice_published_adopted_and_one_proposed(seeded):
    cafe = GoodPractice.objects.get(title="Café Kinderwagen")
    assert cafe.status == GoodPracticeStatus.PUBLISHED
    assert cafe.municipality == seeded["herford"]
    assert cafe.offering.status == OfferingStatus.PUBLISHED
    adoption = Adoption.objects.get(good_practice=cafe)
    assert adoption.municipality == seeded["bielefeld"]
    assert adoption.offering.adopted_from == cafe
    assert adoption.offering.status == OfferingStatus.DRAFT
    proposed = GoodPractice.objects.get(status=GoodPracticeStatus.PROPOSED)
    assert proposed.municipality == seeded["lippe"]
    assert proposed.life_phases.exists()
    assert proposed.fields_of_action.exists()


def _url(name, *args):
    try:
        return reverse(name, args=args)
    except NoReverseMatch:
        return None  # that part of the feature is not wired yet; the page must still render


@pytest.mark.parametrize(
    ("email", "expected"),
    [
        (
            COORDINATOR,
            [
                ("prevention_chains:chain", "kreis-lippe"),
                ("prevention_chains:good_practice_library",),
                ("prevention_chains:finder",),
            ],
        ),
        (
            STATE_ADMIN,
            [("prevention_chains:good_practice_review",), ("prevention_chains:finder",)],
        ),
    ],
)
def test_start_page_links_into_the_chain(client, seeded, email, expected):
    client.force_login(User.objects.get(email=email))
    response = client.get(reverse("start"))
    assert response.status_code == 200
    for name, *args in expected:
        url = _url(name, *args)
        if url:
            assert f'href="{url}"' in response.content.decode()


@pytest.mark.parametrize(
    ("email", "shown"),
    [(COORDINATOR, True), ("kommune@kekiz.example", True), ("evaluation@kekiz.example", False)],
)
def test_municipality_page_links_chain_readers_to_the_chain(client, seeded, email, shown):
    client.force_login(User.objects.get(email=email))
    response = client.get(reverse("municipality_detail", args=["kreis-lippe"]))
    assert response.status_code == 200
    url = _url("prevention_chains:chain", "kreis-lippe")
    if url:
        assert (f'href="{url}"' in response.content.decode()) is shown


def test_start_page_without_role_points_to_the_finder(client, db):
    client.force_login(UserFactory())
    response = client.get(reverse("start"))
    assert response.status_code == 200
    url = _url("prevention_chains:finder")
    if url:
        assert f'href="{url}"' in response.content.decode()
