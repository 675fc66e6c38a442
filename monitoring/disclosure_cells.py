"""The stored disclosure cells (monitoring.models.DisclosedCell) and the one function that
writes them.

Database triggers (migration 0006) mark a group – municipality × indicator × period – as stale
whenever its input changes: an observation written or deleted (any way, the import's COPY and
upsert included), `Indicator.min_cases` changed, a Sozialraum added, removed, moved or given
another validity. `refresh_disclosure` recomputes the stale groups with
monitoring.selectors.compute_groups (the same code that computes a group per request) and
replaces their cells. Every monitoring write calls it before its transaction ends; readers
compute a group that is still marked afresh (monitoring.selectors.group_cells), so a missed
refresh costs time, not correctness.
"""

import io
from collections import defaultdict

from django.db import connection, transaction

from monitoring import selectors
from municipalities.models import Sozialraum

# Marks another transaction is writing are skipped: that transaction refreshes them itself,
# or they stay marked and readers compute them until the next refresh.
_TAKE_STALE = """
DELETE FROM monitoring_staledisclosuregroup
 WHERE id IN (SELECT id FROM monitoring_staledisclosuregroup
               WHERE %(municipality)s::bigint IS NULL OR municipality_id = %(municipality)s
                 FOR UPDATE SKIP LOCKED)
RETURNING municipality_id, indicator_id, period
"""

_DROP_CELLS = """
DELETE FROM monitoring_disclosedcell c
 USING unnest(%s::bigint[], %s::bigint[], %s::int[]) AS g(municipality_id, indicator_id, period)
 WHERE c.municipality_id = g.municipality_id AND c.indicator_id = g.indicator_id
   AND c.period = g.period
"""


def _copy_value(value) -> str:
    return r"\N" if value is None else str(value)


@transaction.atomic
def refresh_disclosure(*, municipality_id: int | None = None) -> int:
    """Store the cells of every stale group (of one municipality, or of all); returns how many
    groups were recomputed. Set-wise: one read per municipality, one COPY for all cells."""
    with connection.cursor() as cursor:
        cursor.execute(_TAKE_STALE, {"municipality": municipality_id})
        taken = cursor.fetchall()
        if not taken:
            return 0
        cursor.execute(_DROP_CELLS, [list(column) for column in zip(*taken, strict=True)])
        keys_by_municipality: dict[int, set[selectors.GroupKey]] = defaultdict(set)
        for municipality, indicator_id, period in taken:
            keys_by_municipality[municipality].add((indicator_id, period))
        buffer = io.StringIO()
        for municipality, keys in keys_by_municipality.items():
            areas = list(
                Sozialraum.objects.filter(municipality_id=municipality)
                .order_by("code", "pk")
                .only("pk", "parent_id", "valid_from", "valid_to")
            )
            place = {area.pk: f"{area.pk}\t{n}" for n, area in enumerate(areas, start=1)}
            place[selectors.TOTAL] = "\\N\t0"
            groups = selectors.compute_groups(municipality, keys, areas)
            for (indicator_id, period), cells in groups.items():
                prefix = f"{municipality}\t{indicator_id}\t{period}\t"
                for key, (counts, reason) in cells.items():
                    buffer.write(
                        f"{prefix}{place[key]}\t{_copy_value(counts.numerator)}"
                        f"\t{_copy_value(counts.denominator)}\t{_copy_value(reason)}\n"
                    )
        buffer.seek(0)
        cursor.cursor.copy_expert(
            "COPY monitoring_disclosedcell (municipality_id, indicator_id, period, sozialraum_id,"
            " position, numerator, denominator, reason) FROM STDIN",
            buffer,
        )
    return len(taken)
