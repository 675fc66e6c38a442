"""The network figures on constructed networks, without the database: isolated actors, actors
linking life phases, transitions without a cooperation, counts, density, degrees, layout."""

from decimal import Decimal

from prevention_chains.network_metrics import (
    Link,
    NetworkData,
    Node,
    Phase,
    circle_layout,
    compute_metrics,
    density,
    isolated_actors,
    phase_bridges,
    transition_checks,
)

FRUEHE_HILFEN = Phase(1, "0–3 Frühe Hilfen", 1)
KITA = Phase(2, "3–6 Kita", 2)
UEBERGANG = Phase(3, "Übergang Kita–Grundschule", 3, is_transition=True)
GRUNDSCHULE = Phase(4, "6–10 Grundschule", 4)
PHASES = (FRUEHE_HILFEN, KITA, UEBERGANG, GRUNDSCHULE)

KITA_SONNENSCHEIN = Node(10, "Kita Sonnenschein", "Kita", "kita", frozenset({KITA.id}))
GRUNDSCHULE_NORD = Node(11, "Grundschule Nord", "Schule", "schule", frozenset({GRUNDSCHULE.id}))
JUGENDAMT = Node(
    12, "Jugendamt", "Jugendamt", "jugendamt", frozenset({FRUEHE_HILFEN.id, KITA.id}), 1
)
SPORTVEREIN = Node(13, "TuS 1900", "Sportverein", "sportverein", frozenset(), network_count=1)
HEBAMME = Node(14, "Hebammenpraxis", "Hebamme", "hebamme", frozenset({FRUEHE_HILFEN.id}))


def network(*links: Link, nodes=(KITA_SONNENSCHEIN, GRUNDSCHULE_NORD, JUGENDAMT, SPORTVEREIN)):
    return NetworkData(tuple(nodes), PHASES, links)


def kita_grundschule(link_id=1, kind="kooperationsvereinbarung"):
    return Link(link_id, KITA_SONNENSCHEIN.id, GRUNDSCHULE_NORD.id, kind)


def test_the_actor_without_links_is_isolated_and_we_say_whether_it_is_in_a_network():
    data = network(kita_grundschule(), Link(2, KITA_SONNENSCHEIN.id, JUGENDAMT.id))
    isolated = isolated_actors(data)
    assert [item.node for item in isolated] == [SPORTVEREIN]
    assert isolated[0].in_network is True
    alone = isolated_actors(network(nodes=(HEBAMME,)))
    assert alone[0].in_network is False


def test_a_kita_grundschule_link_closes_the_transition_gap_and_removing_it_reopens_it():
    [open_gap] = transition_checks(network())
    assert open_gap.is_missing
    assert open_gap.before == KITA
    assert open_gap.after == GRUNDSCHULE
    assert open_gap.summary() == (
        "Übergang Kita–Grundschule: keine Kooperation zwischen Akteuren der Phase 3–6 Kita "
        "und 6–10 Grundschule"
    )
    [closed] = transition_checks(network(kita_grundschule()))
    assert not closed.is_missing
    assert closed.closing_links == (kita_grundschule(),)
    [reopened] = transition_checks(network(Link(2, KITA_SONNENSCHEIN.id, JUGENDAMT.id)))
    assert reopened.is_missing


def test_a_link_within_one_side_does_not_close_the_transition():
    # Jugendamt and Kita are both on the Kita side: nobody of the Grundschule is reached.
    [check] = transition_checks(network(Link(1, KITA_SONNENSCHEIN.id, JUGENDAMT.id)))
    assert check.is_missing
    assert check.actors_before == 2
    assert check.actors_after == 1


def test_actors_of_the_transition_phase_count_for_both_sides():
    bridge = Node(20, "Familienzentrum", "Familienzentrum", "fz", frozenset({UEBERGANG.id}))
    data = network(
        Link(1, GRUNDSCHULE_NORD.id, bridge.id),
        nodes=(KITA_SONNENSCHEIN, GRUNDSCHULE_NORD, bridge),
    )
    [check] = transition_checks(data)
    assert not check.is_missing


def test_transitions_at_the_edge_or_inactive_are_not_checked():
    late = Phase(9, "Übergang Schule–Beruf", 9, is_transition=True)
    retired = Phase(8, "Übergang alt", 3, is_transition=True, is_active=False)
    data = NetworkData((KITA_SONNENSCHEIN,), (*PHASES, late, retired), ())
    assert [check.transition for check in transition_checks(data)] == [UEBERGANG]


def test_actors_linking_phases_by_their_own_phases_or_through_partners():
    data = network(kita_grundschule(), Link(2, JUGENDAMT.id, SPORTVEREIN.id))
    bridges = {bridge.node.name: bridge for bridge in phase_bridges(data)}
    assert set(bridges) == {"Kita Sonnenschein", "Grundschule Nord", "Jugendamt", "TuS 1900"}
    assert bridges["Kita Sonnenschein"].reached == (GRUNDSCHULE,)
    assert bridges["Kita Sonnenschein"].connected == (KITA, GRUNDSCHULE)
    # Its own two phases make the Jugendamt a bridge, though its partner has no phase.
    assert bridges["Jugendamt"].own == (FRUEHE_HILFEN, KITA)
    assert bridges["Jugendamt"].reached == ()
    assert bridges["TuS 1900"].reached == (FRUEHE_HILFEN, KITA)


def test_partners_of_the_same_phase_do_not_make_a_bridge():
    other_kita = Node(21, "Kita Regenbogen", "Kita", "kita", frozenset({KITA.id}))
    data = network(
        Link(1, KITA_SONNENSCHEIN.id, other_kita.id), nodes=(KITA_SONNENSCHEIN, other_kita)
    )
    assert phase_bridges(data) == []


def test_counts_density_and_degrees():
    data = network(
        kita_grundschule(1, "kooperationsvereinbarung"),
        kita_grundschule(2, "fallberatung"),  # a second kind between the same two
        Link(3, KITA_SONNENSCHEIN.id, JUGENDAMT.id, "regelmaessiger_austausch"),
    )
    metrics = compute_metrics(data)
    assert metrics.actor_count == 4
    assert metrics.link_count == 3
    assert metrics.links_by_kind == {
        "kooperationsvereinbarung": 1,
        "regelmaessiger_austausch": 1,
        "fallberatung": 1,
    }
    # Two pairs cooperate out of six possible pairs.
    assert metrics.density == Decimal("0.333")
    assert [(d.node.name, d.degree) for d in metrics.top_degrees][:2] == [
        ("Kita Sonnenschein", 2),
        ("Grundschule Nord", 1),
    ]
    assert metrics.degrees[SPORTVEREIN.id] == 0
    assert [check.is_missing for check in metrics.missing_transitions] == []


def test_density_of_tiny_networks_is_zero():
    assert density(0, 0) == Decimal("0.000")
    assert density(1, 0) == Decimal("0.000")
    assert density(2, 1) == Decimal("1.000")


def test_top_degrees_are_at_most_five():
    nodes = tuple(Node(i, f"Akteur {i}") for i in range(1, 9))
    links = tuple(Link(i, 1, i) for i in range(2, 9))
    metrics = compute_metrics(NetworkData(nodes, PHASES, links))
    assert len(metrics.top_degrees) == 5
    assert metrics.top_degrees[0].node.name == "Akteur 1"
    assert metrics.top_degrees[0].degree == 7


def test_circle_starts_at_the_top_and_follows_the_life_course():
    data = network(nodes=(SPORTVEREIN, GRUNDSCHULE_NORD, KITA_SONNENSCHEIN, HEBAMME))
    placed = circle_layout(data, centre=100, radius=50)
    assert [spot.node for spot in placed] == [
        HEBAMME,
        KITA_SONNENSCHEIN,
        GRUNDSCHULE_NORD,
        SPORTVEREIN,
    ]
    assert (placed[0].x, placed[0].y) == (Decimal("100.00"), Decimal("50.00"))
    assert (placed[1].x, placed[1].y) == (Decimal("150.00"), Decimal("100.00"))
    assert placed[3].first_phase is None
