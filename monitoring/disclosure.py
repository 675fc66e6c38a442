"""Disclosure control for monitoring values (DESIGN.md §4, issue 4 §5) – pure functions, no DB.

Everything that shows monitoring values to someone without raw-data rights of the municipality
(pages, API, CSV, PDF, public views) goes through `suppress_table` via monitoring.selectors.

The table
---------
One indicator in one period of one municipality is a tree of cells: the municipality total at
the root, Stadtbezirke below it (if the municipality has them) and the Sozialräume as leaves.
Every inner cell is the sum of its children's counts (rates of larger areas come from summed
counts, never from averaged rates). A *group* is one inner cell with its children; it stands
for the linear equation ``total = child_1 + … + child_n`` that an attacker knows.

The rules
---------
1. Source secret / missing: a cell the source kept secret or did not deliver has no counts. An
   inner cell with such a child is not computed at all (reason ``missing``) – a sum of the
   known parts would be misleading, and without it there is no equation to attack.
2. Primary suppression: a cell whose numerator is below k (`Indicator.min_cases`; k = 0 means no
   suppression) is hidden (reason ``primary``).
3. Secondary suppression: a group (total and children) must never contain exactly one hidden
   cell, because that cell would be total − shown siblings (or the sum of the children). While
   some group has exactly one hidden cell, the shown child with the smallest numerator is hidden
   too (ties by key), or the group's total if no child is left; this repeats over the whole tree
   until nothing changes (reason ``secondary``). Hiding a total may open its parent's group,
   which the next round closes.
4. What a hidden cell shows: neither numerator nor rate – a rate and a denominator together
   reveal the numerator. The **denominator stays visible**: it is the base population (children
   of an age, pupils), which is not the protected count, and the comparisons need it.

Why rule 3 is enough for a tree of sums: write every group as an equation and every hidden cell
as an unknown. An unknown appears in at most two equations (as a child, and as the total of its
own group). Combining equations to isolate one unknown forces equal coefficients along every
hidden cell shared by two equations, so a combination covers whole connected components; a
component of m equations with at least two unknowns each has at least two unknowns that appear
in only one of its equations, and these never cancel. So no hidden cell is determined.
tests/monitoring/test_disclosure.py checks this with exact linear algebra on random tables.

Raw access (coordinators of the municipality) sees every value; the result still says which
cells others would not see, so the coordinator knows what the published table looks like.
"""

from collections.abc import Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal

PRIMARY = "primary"
SECONDARY = "secondary"
SOURCE_SECRET = "source-secret"  # noqa: S105 – a reason code, not a password
MISSING = "missing"

REASONS = (PRIMARY, SECONDARY, SOURCE_SECRET, MISSING)


@dataclass(frozen=True)
class Group:
    """An inner cell and the cells it is the sum of."""

    total: Hashable
    children: tuple[Hashable, ...]


@dataclass(frozen=True)
class Counts:
    numerator: Decimal | None
    denominator: Decimal | None
    # "reported", "secret" or "missing" (monitoring.models.ObservationStatus values)
    status: str = "reported"


def aggregate(leaves: Mapping[Hashable, Counts], groups: Sequence[Group]) -> dict:
    """Counts of every cell: leaves as given, inner cells summed from their children.

    `groups` may come in any order; an inner cell with a child that is secret, missing or not
    given at all is missing itself.
    """
    cells: dict[Hashable, Counts] = dict(leaves)
    pending = list(groups)
    while pending:
        progressed = False
        waiting = []
        for group in pending:
            if any(child not in cells for child in group.children):
                waiting.append(group)
                continue
            children = [cells[child] for child in group.children]
            if not children or any(c.status != "reported" for c in children):
                cells[group.total] = Counts(None, None, "missing")
            else:
                cells[group.total] = Counts(
                    sum((c.numerator for c in children), Decimal(0)),
                    sum((c.denominator for c in children), Decimal(0)),
                )
            progressed = True
        if not progressed:
            # Children that are neither leaves nor totals: nothing was delivered for them.
            for group in waiting:
                for child in group.children:
                    cells.setdefault(child, Counts(None, None, "missing"))
        pending = waiting
    return cells


def suppress_table(
    cells: Mapping[Hashable, Counts],
    groups: Sequence[Group],
    k: int,
    *,
    prefer_totals: bool = False,
) -> dict[Hashable, str]:
    """{cell: reason} for every cell someone without raw rights must not see.

    `cells` holds every cell of the tree (see `aggregate`); cells not in the result are shown.
    `prefer_totals` hides a group's total rather than a second child – for trees whose leaves
    are shown elsewhere anyway (municipality totals under Kreis and NRW).
    """
    hidden: dict[Hashable, str] = {}
    for key, counts in cells.items():
        if counts.status == "secret":
            hidden[key] = SOURCE_SECRET
        elif counts.status != "reported" or counts.numerator is None:
            hidden[key] = MISSING
        elif k and counts.numerator < k:
            hidden[key] = PRIMARY

    # Only groups whose total exists are equations; an uncomputed total hides nothing.
    equations = [g for g in groups if cells[g.total].status == "reported"]
    changed = True
    while changed:
        changed = False
        for group in equations:
            members = (group.total, *group.children)
            # A secret/missing child makes the total missing, so members here are all reported.
            if sum(1 for m in members if m in hidden) != 1:
                continue
            shown_children = [c for c in group.children if c not in hidden]
            if prefer_totals and group.total not in hidden:
                victim = group.total
            elif shown_children:
                victim = min(shown_children, key=lambda c: (cells[c].numerator, _sort_key(c)))
            else:
                victim = group.total
            hidden[victim] = SECONDARY
            changed = True
    return hidden


def _sort_key(key) -> str:
    return repr(key)


def value(counts: Counts, factor: Decimal) -> Decimal | None:
    """numerator / denominator × factor, to three decimals; None without a denominator."""
    if counts.numerator is None or not counts.denominator:
        return None
    return (counts.numerator / counts.denominator * factor).quantize(Decimal("0.001"))


def tree_groups(parent_of: Mapping[Hashable, Hashable | None], root: Hashable) -> list[Group]:
    """Groups of a tree given as {node: parent or None}; nodes without a parent hang below
    `root` (the municipality total)."""
    children: dict[Hashable, list] = {}
    for node, parent in parent_of.items():
        children.setdefault(root if parent is None else parent, []).append(node)
    return [Group(total, tuple(kids)) for total, kids in children.items()]


def leaves_of(groups: Iterable[Group]) -> set:
    totals = {g.total for g in groups}
    return {child for g in groups for child in g.children if child not in totals}
