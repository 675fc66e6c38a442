"""The chain view for a municipality with 3,000 current offerings (issue 5, "Tests and speed"):
the matrix with gaps and the duplicate search, each against a baseline query over the same
rows in the same run. No targets: the issue names none; the figures are in
docs/prevention-chain.md.

Baselines: for the matrix a plain GROUP BY count of the offering–phase–field join (what the
counts need, without Sozialräume, children, taxonomy or gap rules); for the duplicate search a
plain self-join of the offerings on a shared life phase, counted (the candidate pairs before
field, area and text are compared).
"""

from django.db import connection

from benchmarks import Benchmark, chains_world
from prevention_chains import chain
from prevention_chains.duplicates import find_duplicates
from prevention_chains.models import ACTIVE_OFFERING_STATUSES

_MATRIX_BASELINE = """
    SELECT p.lifephase_id, f.fieldofaction_id, count(*)
      FROM prevention_chains_offering o
      JOIN prevention_chains_offering_life_phases p ON p.offering_id = o.id
      JOIN prevention_chains_offering_fields_of_action f ON f.offering_id = o.id
     WHERE o.municipality_id = %s AND o.status = ANY(%s)
     GROUP BY p.lifephase_id, f.fieldofaction_id
"""

_PAIRS_BASELINE = """
    SELECT count(*)
      FROM prevention_chains_offering_life_phases x
      JOIN prevention_chains_offering_life_phases y
        ON y.lifephase_id = x.lifephase_id AND y.offering_id > x.offering_id
      JOIN prevention_chains_offering a ON a.id = x.offering_id
      JOIN prevention_chains_offering b ON b.id = y.offering_id
     WHERE a.municipality_id = %s AND b.municipality_id = %s
       AND a.status = ANY(%s) AND b.status = ANY(%s)
"""

_state: dict = {}


def _prepare() -> dict:
    if not _state:
        world = chains_world.fill()
        assert world.offerings == chains_world.OFFERINGS, world.offerings
        _state["municipality"] = world.municipality
        _state["statuses"] = list(ACTIVE_OFFERING_STATUSES)
    return _state


def _matrix():
    matrix = chain.build_matrix(_prepare()["municipality"])
    assert matrix.population_year == 2023
    return matrix


def _matrix_baseline():
    state = _prepare()
    with connection.cursor() as cursor:
        cursor.execute(_MATRIX_BASELINE, [state["municipality"].pk, state["statuses"]])
        return cursor.fetchall()


def _duplicates():
    municipality = _prepare()["municipality"]
    phases, fields = chain.taxonomy()
    pairs = find_duplicates(
        municipality, areas=chain.current_areas(municipality), phases=phases, fields=fields
    )
    assert len(pairs) >= chains_world.TWIN_PAIRS, len(pairs)
    return pairs


def _pairs_baseline():
    state = _prepare()
    pk, statuses = state["municipality"].pk, state["statuses"]
    with connection.cursor() as cursor:
        cursor.execute(_PAIRS_BASELINE, [pk, pk, statuses, statuses])
        return cursor.fetchone()


BENCHMARKS = [
    Benchmark(
        "Matrix mit Lücken, 3.000 Angebote vs. GROUP BY Phase×Feld",
        _matrix,
        _matrix_baseline,
    ),
    Benchmark(
        "Doppelungssuche, 3.000 Angebote vs. Self-Join gleiche Phase",
        _duplicates,
        _pairs_baseline,
        repeat=5,
    ),
]
