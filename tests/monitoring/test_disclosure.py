"""Properties of disclosure control (monitoring.disclosure) on random tables."""

from decimal import Decimal
from fractions import Fraction

from hypothesis import given, settings
from hypothesis import strategies as st

from monitoring import disclosure
from monitoring.disclosure import Counts, Group

ROOT = "total"


@st.composite
def tables(draw):
    """A random tree: a root, 0–4 Stadtbezirke with 1–6 Sozialräume each, or 1–8 flat
    Sozialräume; counts drawn so that small values (below k) are frequent."""
    k = draw(st.integers(min_value=0, max_value=5))
    parent_of = {}
    n = 0
    districts = draw(st.integers(min_value=0, max_value=4))
    if districts:
        for d in range(districts):
            district = f"B{d}"
            parent_of[district] = None
            for _ in range(draw(st.integers(min_value=1, max_value=6))):
                parent_of[f"S{n}"] = district
                n += 1
    else:
        for _ in range(draw(st.integers(min_value=1, max_value=8))):
            parent_of[f"S{n}"] = None
            n += 1
    groups = disclosure.tree_groups(parent_of, ROOT)
    leaves = {}
    for leaf in sorted(disclosure.leaves_of(groups)):
        status = draw(st.sampled_from(["reported"] * 12 + ["secret", "missing"]))
        if status != "reported":
            leaves[leaf] = Counts(None, None, status)
            continue
        numerator = draw(st.one_of(st.integers(0, 6), st.integers(0, 400)))
        denominator = numerator + draw(st.integers(0, 500))
        leaves[leaf] = Counts(Decimal(numerator), Decimal(denominator))
    cells = disclosure.aggregate(leaves, groups)
    return cells, groups, k


def _determined(cells, groups, hidden):
    """Hidden cells an attacker can compute exactly from the shown cells and the equations
    total = sum(children): e_x lies in the row space of the equations over hidden unknowns."""
    unknowns = sorted(hidden, key=repr)
    index = {u: i for i, u in enumerate(unknowns)}
    rows = []
    for group in groups:
        if cells[group.total].status != "reported":
            continue  # no total, no equation
        row = [Fraction(0)] * len(unknowns)
        for member, sign in [(group.total, 1)] + [(c, -1) for c in group.children]:
            if member in index:
                row[index[member]] += sign
        if any(row):
            rows.append(row)
    base_rank = _rank(rows)
    determined = set()
    for unknown in unknowns:
        unit = [Fraction(0)] * len(unknowns)
        unit[index[unknown]] = Fraction(1)
        if _rank([*rows, unit]) == base_rank:
            determined.add(unknown)
    return determined


def _rank(rows):
    matrix = [list(r) for r in rows]
    rank = 0
    cols = len(matrix[0]) if matrix else 0
    for col in range(cols):
        pivot = next((r for r in range(rank, len(matrix)) if matrix[r][col] != 0), None)
        if pivot is None:
            continue
        matrix[rank], matrix[pivot] = matrix[pivot], matrix[rank]
        for r in range(len(matrix)):
            if r != rank and matrix[r][col] != 0:
                f = matrix[r][col] / matrix[rank][col]
                matrix[r] = [a - f * b for a, b in zip(matrix[r], matrix[rank], strict=True)]
        rank += 1
    return rank


@settings(max_examples=300, deadline=None)
@given(tables())
def test_every_cell_below_k_is_hidden(table):
    cells, groups, k = table
    hidden = disclosure.suppress_table(cells, groups, k)
    for key, counts in cells.items():
        if counts.numerator is not None and k and counts.numerator < k:
            assert hidden[key] == disclosure.PRIMARY
        if counts.status == "secret":
            assert hidden[key] == disclosure.SOURCE_SECRET


@settings(max_examples=300, deadline=None)
@given(tables())
def test_no_group_with_a_shown_total_has_exactly_one_hidden_cell(table):
    cells, groups, k = table
    hidden = disclosure.suppress_table(cells, groups, k)
    for group in groups:
        if group.total in hidden:
            continue
        assert sum(1 for c in group.children if c in hidden) != 1


@settings(max_examples=300, deadline=None)
@given(tables())
def test_cells_at_or_above_k_are_shown_unless_needed(table):
    cells, groups, k = table
    hidden = disclosure.suppress_table(cells, groups, k)
    if not any(reason != disclosure.SECONDARY for reason in hidden.values()):
        assert hidden == {}
    for key, reason in hidden.items():
        if reason != disclosure.SECONDARY:
            continue
        assert cells[key].numerator >= k
        # Hidden only as a partner: some equation it belongs to holds another hidden cell.
        partners = [
            (g.total, *g.children)
            for g in groups
            if key in (g.total, *g.children) and cells[g.total].status == "reported"
        ]
        assert any(any(m in hidden and m != key for m in members) for members in partners)


@settings(max_examples=300, deadline=None)
@given(tables())
def test_hidden_cells_cannot_be_recomputed(table):
    cells, groups, k = table
    hidden = disclosure.suppress_table(cells, groups, k)
    attackable = {key for key, reason in hidden.items() if cells[key].status == "reported"}
    # Secret/missing cells are unknowns too, but they make their totals missing, so the
    # equations only bind reported cells.
    assert _determined(cells, groups, attackable) == set()


def test_the_attack_checker_finds_a_lone_hidden_cell():
    """The linear-algebra check is able to fail: one hidden cell beside a shown total."""
    groups = [Group(ROOT, ("a", "b"))]
    cells = disclosure.aggregate(
        {"a": Counts(Decimal(1), Decimal(10)), "b": Counts(Decimal(9), Decimal(10))}, groups
    )
    assert _determined(cells, groups, {"a"}) == {"a"}
    hidden = disclosure.suppress_table(cells, groups, 3)
    assert hidden == {"a": disclosure.PRIMARY, "b": disclosure.SECONDARY}
    assert _determined(cells, groups, set(hidden)) == set()


def test_single_child_hides_its_total():
    groups = [Group(ROOT, ("B",)), Group("B", ("a",))]
    cells = disclosure.aggregate({"a": Counts(Decimal(2), Decimal(10))}, groups)
    hidden = disclosure.suppress_table(cells, groups, 3)
    assert set(hidden) == {"a", "B", ROOT}


def test_secondary_suppression_climbs_the_hierarchy():
    # a (2) is hidden, b is its partner; then B1 stays shown. In B2 nothing is hidden.
    groups = [
        Group(ROOT, ("B1", "B2")),
        Group("B1", ("a", "b", "c")),
        Group("B2", ("d", "e")),
    ]
    leaves = {
        "a": Counts(Decimal(2), Decimal(50)),
        "b": Counts(Decimal(10), Decimal(50)),
        "c": Counts(Decimal(30), Decimal(50)),
        "d": Counts(Decimal(20), Decimal(50)),
        "e": Counts(Decimal(25), Decimal(50)),
    }
    cells = disclosure.aggregate(leaves, groups)
    assert cells["B1"].numerator == 42
    assert cells[ROOT].numerator == 87
    hidden = disclosure.suppress_table(cells, groups, 3)
    assert hidden == {"a": disclosure.PRIMARY, "b": disclosure.SECONDARY}


def test_k_zero_hides_nothing_but_secrets():
    groups = [Group(ROOT, ("a", "b"))]
    cells = disclosure.aggregate(
        {"a": Counts(Decimal(0), Decimal(10)), "b": Counts(None, None, "secret")}, groups
    )
    assert disclosure.suppress_table(cells, groups, 0) == {
        "b": disclosure.SOURCE_SECRET,
        ROOT: disclosure.MISSING,
    }


def test_value_is_numerator_over_denominator_times_factor():
    assert disclosure.value(Counts(Decimal(1), Decimal(8)), Decimal(100)) == Decimal("12.500")
    assert disclosure.value(Counts(Decimal(1), Decimal(0)), Decimal(100)) is None


@settings(max_examples=200, deadline=None)
@given(tables())
def test_raw_access_shows_everything_and_others_see_no_hidden_count(table):
    from monitoring.selectors import shown

    cells, groups, k = table
    hidden = disclosure.suppress_table(cells, groups, k)
    for key, counts in cells.items():
        raw = shown(counts, hidden.get(key), Decimal(100), raw=True)
        other = shown(counts, hidden.get(key), Decimal(100), raw=False)
        if counts.status == "reported":
            assert raw.numerator == counts.numerator
            assert raw.value == disclosure.value(counts, Decimal(100))
            assert not raw.suppressed
            assert raw.would_be_suppressed == (key in hidden)
        if key in hidden:
            assert other.suppressed
            assert other.numerator is None
            assert other.value is None
        else:
            assert other.numerator == counts.numerator


@settings(max_examples=200, deadline=None)
@given(tables())
def test_preferring_totals_keeps_every_property(table):
    cells, groups, k = table
    hidden = disclosure.suppress_table(cells, groups, k, prefer_totals=True)
    leaves = disclosure.leaves_of(groups)
    for key, reason in hidden.items():
        if reason == disclosure.SECONDARY:
            assert key not in leaves
    for group in groups:
        if group.total not in hidden:
            assert sum(1 for c in group.children if c in hidden) != 1
    attackable = {key for key in hidden if cells[key].status == "reported"}
    assert _determined(cells, groups, attackable) == set()
