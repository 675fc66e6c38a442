"""Figures of a municipality's cooperation network (issue 5 §3): isolated actors, actors that
link life phases, transitions without a cooperation across them, counts, density and degrees;
and the positions of the network view's circle.

Everything but `load_network` is a pure function over plain data, so the rules are tested
without a database. Links are undirected; several kinds of link between the same two actors
make them neighbours once (degree and density count pairs, the counts per kind count links).
"""

import math
from collections import Counter
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from prevention_chains.models import (
    ACTIVE_OFFERING_STATUSES,
    Actor,
    CooperationKind,
    CooperationLink,
    LifePhase,
    Offering,
)

TOP_DEGREES = 5


@dataclass(frozen=True)
class Phase:
    id: int
    name: str
    position: int
    is_transition: bool = False
    is_active: bool = True
    slug: str = ""


@dataclass(frozen=True)
class Node:
    """An actor with its phases: its declared life phases plus those of its offerings."""

    id: int
    name: str
    type_name: str = ""
    type_slug: str = ""
    phase_ids: frozenset[int] = frozenset()
    network_count: int = 0


@dataclass(frozen=True)
class Link:
    id: int
    a: int
    b: int
    kind: str = CooperationKind.EXCHANGE


@dataclass(frozen=True)
class NetworkData:
    nodes: tuple[Node, ...]
    phases: tuple[Phase, ...]
    links: tuple[Link, ...]


@dataclass(frozen=True)
class Isolated:
    node: Node

    @property
    def in_network(self) -> bool:
        return self.node.network_count > 0


@dataclass(frozen=True)
class PhaseBridge:
    """An actor that connects life phases: by its own phases, by its links, or both."""

    node: Node
    own: tuple[Phase, ...]
    reached: tuple[Phase, ...]  # phases of its partners that it does not have itself

    @property
    def connected(self) -> tuple[Phase, ...]:
        return tuple(sorted({*self.own, *self.reached}, key=lambda p: (p.position, p.id)))


@dataclass(frozen=True)
class TransitionCheck:
    transition: Phase
    before: Phase
    after: Phase
    actors_before: int
    actors_after: int
    closing_links: tuple[Link, ...]

    @property
    def is_missing(self) -> bool:
        return not self.closing_links

    def summary(self) -> str:
        names = {"transition": self.transition.name, "before": self.before.name}
        names["after"] = self.after.name
        if self.is_missing:
            return (
                _(
                    "%(transition)s: keine Kooperation zwischen Akteuren der Phase %(before)s und "
                    "%(after)s"
                )
                % names
            )
        count = len(self.closing_links)
        return ngettext(
            "%(transition)s: %(count)d Kooperation zwischen Akteuren der Phase %(before)s und "
            "%(after)s",
            "%(transition)s: %(count)d Kooperationen zwischen Akteuren der Phase %(before)s "
            "und %(after)s",
            count,
        ) % {**names, "count": count}


@dataclass(frozen=True)
class Degree:
    node: Node
    degree: int


@dataclass
class NetworkMetrics:
    actor_count: int
    link_count: int
    links_by_kind: dict[str, int]
    density: Decimal
    top_degrees: list[Degree]
    isolated: list[Isolated]
    bridges: list[PhaseBridge]
    transitions: list[TransitionCheck]
    degrees: dict[int, int] = field(default_factory=dict)

    @property
    def missing_transitions(self) -> list[TransitionCheck]:
        return [check for check in self.transitions if check.is_missing]


def neighbours(data: NetworkData) -> dict[int, set[int]]:
    found: dict[int, set[int]] = {node.id: set() for node in data.nodes}
    for link in data.links:
        found.setdefault(link.a, set()).add(link.b)
        found.setdefault(link.b, set()).add(link.a)
    return found


def isolated_actors(data: NetworkData) -> list[Isolated]:
    """Actors without any cooperation link (whether or not they sit in a network)."""
    linked = neighbours(data)
    return [Isolated(node) for node in data.nodes if not linked.get(node.id)]


def phase_bridges(data: NetworkData) -> list[PhaseBridge]:
    """Actors whose own phases span two or more phases, or whose partners work in a phase
    the actor does not have itself."""
    phases = {phase.id: phase for phase in data.phases}
    nodes = {node.id: node for node in data.nodes}

    def ordered(ids) -> tuple[Phase, ...]:
        return tuple(sorted((phases[i] for i in ids if i in phases), key=_phase_order))

    bridges = []
    for node_id, partner_ids in neighbours(data).items():
        node = nodes.get(node_id)
        if node is None:
            continue
        reached = set().union(*(nodes[p].phase_ids for p in partner_ids if p in nodes))
        reached -= node.phase_ids
        own, beyond = ordered(node.phase_ids), ordered(reached)
        if len(own) >= 2 or beyond:
            bridges.append(PhaseBridge(node, own, beyond))
    return sorted(bridges, key=lambda bridge: bridge.node.name.casefold())


def _phase_order(phase: Phase):
    return (phase.position, phase.id)


def transition_checks(data: NetworkData) -> list[TransitionCheck]:
    """Each active transition between the nearest non-transition phases before and after it:
    is there a cooperation link between an actor of the phase before and one of the phase
    after? Actors of the transition phase itself count for both sides."""
    active = sorted((phase for phase in data.phases if phase.is_active), key=_phase_order)
    stages = [phase for phase in active if not phase.is_transition]
    checks = []
    for transition in (phase for phase in active if phase.is_transition):
        before = [p for p in stages if _phase_order(p) < _phase_order(transition)]
        after = [p for p in stages if _phase_order(p) > _phase_order(transition)]
        if not before or not after:
            continue
        before_phase, after_phase = before[-1], after[0]
        side_before = {n.id for n in data.nodes if n.phase_ids & {before_phase.id, transition.id}}
        side_after = {n.id for n in data.nodes if n.phase_ids & {after_phase.id, transition.id}}
        closing = tuple(
            link
            for link in data.links
            if (link.a in side_before and link.b in side_after)
            or (link.b in side_before and link.a in side_after)
        )
        checks.append(
            TransitionCheck(
                transition, before_phase, after_phase, len(side_before), len(side_after), closing
            )
        )
    return checks


def density(node_count: int, pair_count: int) -> Decimal:
    """Share of all possible pairs of actors that cooperate (0 to 1, three decimals)."""
    if node_count < 2:
        return Decimal("0.000")
    possible = Decimal(node_count * (node_count - 1) // 2)
    return (Decimal(pair_count) / possible).quantize(Decimal("0.001"), rounding=ROUND_HALF_UP)


def compute_metrics(data: NetworkData) -> NetworkMetrics:
    linked = neighbours(data)
    degrees = {node.id: len(linked.get(node.id, ())) for node in data.nodes}
    pairs = {(min(link.a, link.b), max(link.a, link.b)) for link in data.links}
    by_kind = Counter(link.kind for link in data.links)
    ranked = sorted(data.nodes, key=lambda node: (-degrees[node.id], node.name.casefold()))
    return NetworkMetrics(
        actor_count=len(data.nodes),
        link_count=len(data.links),
        links_by_kind={kind: by_kind.get(kind, 0) for kind in CooperationKind.values},
        density=density(len(data.nodes), len(pairs)),
        top_degrees=[Degree(node, degrees[node.id]) for node in ranked[:TOP_DEGREES]],
        isolated=isolated_actors(data),
        bridges=phase_bridges(data),
        transitions=transition_checks(data),
        degrees=degrees,
    )


# --- the circle of the network view ----------------------------------------------------------


@dataclass(frozen=True)
class Placed:
    node: Node
    x: Decimal
    y: Decimal
    first_phase: Phase | None


def circle_layout(data: NetworkData, *, centre: int, radius: int) -> list[Placed]:
    """Actors on a circle, clockwise from the top, ordered by their first life phase (actors
    without a phase last), then by name – so the circle reads along the life course."""
    phases = {phase.id: phase for phase in data.phases}

    def first_phase(node: Node) -> Phase | None:
        own = [phases[i] for i in node.phase_ids if i in phases]
        return min(own, key=_phase_order) if own else None

    def order(node: Node):
        phase = first_phase(node)
        return (phase is None, _phase_order(phase) if phase else (0, 0), node.name.casefold())

    nodes = sorted(data.nodes, key=order)
    placed = []
    for index, node in enumerate(nodes):
        angle = 2 * math.pi * index / max(len(nodes), 1) - math.pi / 2
        # Coordinates are drawn, not computed with: two decimals are plenty for SVG.
        x = Decimal(centre + radius * math.cos(angle)).quantize(Decimal("0.01"))
        y = Decimal(centre + radius * math.sin(angle)).quantize(Decimal("0.01"))
        placed.append(Placed(node, x, y, first_phase(node)))
    return placed


# --- reading a municipality's network --------------------------------------------------------


def load_network(municipality) -> NetworkData:
    """The municipality's actors, their phases (declared and through their current offerings),
    all life phases and the links – in five queries whatever the size."""
    phases = tuple(
        Phase(**row)
        for row in LifePhase.objects.order_by("position", "name").values(
            "id", "name", "position", "is_transition", "is_active", "slug"
        )
    )
    phase_ids: dict[int, set[int]] = {}
    declared = Actor.life_phases.through.objects.filter(actor__municipality=municipality)
    for actor_id, phase_id in declared.values_list("actor_id", "lifephase_id"):
        phase_ids.setdefault(actor_id, set()).add(phase_id)
    offered = Offering.life_phases.through.objects.filter(
        offering__municipality=municipality,
        offering__provider__isnull=False,
        offering__status__in=ACTIVE_OFFERING_STATUSES,
    )
    for actor_id, phase_id in offered.values_list("offering__provider_id", "lifephase_id"):
        phase_ids.setdefault(actor_id, set()).add(phase_id)
    actors = (
        Actor.objects.filter(municipality=municipality)
        .annotate(network_count=Count("network_memberships"))
        .order_by("name")
        .values("id", "name", "actor_type__name", "actor_type__slug", "network_count")
    )
    nodes = tuple(
        Node(
            row["id"],
            row["name"],
            row["actor_type__name"],
            row["actor_type__slug"],
            frozenset(phase_ids.get(row["id"], ())),
            row["network_count"],
        )
        for row in actors
    )
    links = tuple(
        Link(row["id"], row["actor_a_id"], row["actor_b_id"], row["kind"])
        for row in CooperationLink.objects.filter(municipality=municipality)
        .order_by("pk")
        .values("id", "actor_a_id", "actor_b_id", "kind")
    )
    return NetworkData(nodes, phases, links)
