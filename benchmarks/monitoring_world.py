"""Synthetic monitoring data at NRW scale for the benchmarks (issue 4, "Speed").

`fill(scale=1.0)` gives every municipality of the reference data (≈ 430) 5 Stadtbezirke with
5 Sozialräume each (square boundaries around the town hall), and the 22 catalogue indicators
for 10 years in every Sozialraum: ≈ 2.4 million observations, written with COPY. `scale`
takes a share of the municipalities in a fixed order, so `fill(scale=0.1)` followed by
`fill(scale=1.0)` first builds a tenth and then adds the rest (municipalities that already
have Sozialräume are left alone). Every year is approved and released to the state office.

Expects the reference data (`load_reference_data`) in the database; loads the indicator
catalogue if it is missing. Only for scratch databases: it writes a lot and cleans nothing up.
"""

import io
import math
import random
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db import connection, transaction
from django.utils import timezone

from accounts.models import User
from monitoring.catalogue import load_catalogue
from monitoring.disclosure_cells import refresh_disclosure
from monitoring.models import DataApproval, Indicator
from municipalities.models import Municipality, Sozialraum, SozialraumLevel

DISTRICTS = 5
AREAS_PER_DISTRICT = 5
FIRST_YEAR = 2015
YEARS = 10
NRW_CENTRE = (Decimal("7.56"), Decimal("51.48"))
CELL_DEGREES = 0.01  # one Sozialraum square, about 0.7 × 1.1 km


@dataclass(frozen=True)
class World:
    municipalities: list[Municipality]  # those with data, in fill order
    observations: int

    @property
    def first(self) -> Municipality:
        """The municipality every scale contains (benchmarks measure its pages)."""
        return self.municipalities[0]


def municipality_order() -> list[Municipality]:
    """Every municipality in a fixed pseudo-random order (a tenth is spread over NRW)."""
    everyone = list(Municipality.objects.order_by("ags"))
    random.Random(4).shuffle(everyone)  # noqa: S311 – reproducible, not secret
    return everyone


def fill(*, scale: float = 1.0, seed: int = 4) -> World:
    order = municipality_order()
    chosen = order[: max(1, math.ceil(len(order) * scale))]
    if not Indicator.objects.catalogue().exists():
        load_catalogue()
    indicators = list(Indicator.objects.catalogue().order_by("code"))
    owner, _ = User.objects.get_or_create(email="monitoring-bench@example.org")
    done = set(
        Sozialraum.objects.filter(municipality__in=chosen)
        .values_list("municipality_id", flat=True)
        .distinct()
    )
    todo = [m for m in chosen if m.pk not in done]
    written = 0
    rng = random.Random(seed)  # noqa: S311 – reproducible, not secret
    for start in range(0, len(todo), 40):
        with transaction.atomic():
            written += _fill_batch(todo[start : start + 40], indicators, owner, rng)
            # As after every write: the stored disclosure cells of the new groups.
            refresh_disclosure()
    return World(chosen, written)


def _square(lon: float, lat: float, column: int, row: int) -> dict:
    west = lon + (column - AREAS_PER_DISTRICT / 2) * CELL_DEGREES
    south = lat + (row - DISTRICTS / 2) * CELL_DEGREES
    east, north = west + CELL_DEGREES, south + CELL_DEGREES
    ring = [[west, south], [east, south], [east, north], [west, north], [west, south]]
    return {"type": "Polygon", "coordinates": [[[round(x, 5), round(y, 5)] for x, y in ring]]}


def _fill_batch(municipalities, indicators, owner, rng) -> int:
    valid_from = date(FIRST_YEAR, 1, 1)
    districts = Sozialraum.objects.bulk_create(
        Sozialraum(
            municipality=m,
            code=f"B{d + 1}",
            name=f"Stadtbezirk {d + 1}",
            level=SozialraumLevel.STADTBEZIRK,
            valid_from=valid_from,
        )
        for m in municipalities
        for d in range(DISTRICTS)
    )
    leaves = []
    for i, m in enumerate(municipalities):
        lon, lat = (float(c) for c in ((m.longitude, m.latitude) if m.latitude else NRW_CENTRE))
        for d in range(DISTRICTS):
            for a in range(AREAS_PER_DISTRICT):
                number = d * AREAS_PER_DISTRICT + a + 1
                leaves.append(
                    Sozialraum(
                        municipality=m,
                        parent=districts[i * DISTRICTS + d],
                        code=f"B{d + 1}.{a + 1}",
                        name=f"Sozialraum {number}",
                        valid_from=valid_from,
                        boundary=_square(lon, lat, a, d),
                    )
                )
    leaves = Sozialraum.objects.bulk_create(leaves)

    now = timezone.now().isoformat()
    buffer = io.StringIO()
    rows = 0
    for area in leaves:
        # Small areas make primary and secondary suppression happen, as in real towns.
        children = rng.choice([rng.randint(15, 80), rng.randint(300, 3000)])
        level = rng.uniform(0.5, 1.8)
        for indicator in indicators:
            base = rng.uniform(0.02, 0.3)
            for year in range(FIRST_YEAR, FIRST_YEAR + YEARS):
                denominator = max(1, int(children * rng.uniform(0.9, 1.1)))
                rate = min(1.0, base * level * rng.uniform(0.85, 1.15))
                numerator = int(denominator * rate)
                buffer.write(
                    f"{indicator.pk}\t{area.pk}\t{year}\t{numerator}\t{denominator}"
                    f"\treported\t{now}\n"
                )
                rows += 1
    buffer.seek(0)
    with connection.cursor() as cursor:
        cursor.cursor.copy_expert(
            "COPY monitoring_observation (indicator_id, sozialraum_id, period, numerator,"
            " denominator, status, updated_at) FROM STDIN",
            buffer,
        )
    DataApproval.objects.bulk_create(
        DataApproval(
            municipality=m,
            period=year,
            approved_at=timezone.now(),
            approved_by=owner,
            released_to_state_office=True,
        )
        for m in municipalities
        for year in range(FIRST_YEAR, FIRST_YEAR + YEARS)
    )
    return rows
