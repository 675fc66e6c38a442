"""The API's observation page at NRW scale against raw SQL that reads the same rows (issue 4:
"API observation pages within 3× of raw SQL for the same rows").

The page: one municipality, five indicators, five years, 100 rows, asked for by a municipal
viewer with a token – so the rows are disclosure-controlled (read from the stored cells,
monitoring.disclosure_cells, which the world's fill computed over each municipality's whole
tree). The baseline reads the page's 100 observations with their indicator and Sozialraum in
one SQL statement and serialises them to JSON.
"""

import json

from django.db import connection
from django.test import Client

from accounts.models import ApiToken, User
from benchmarks import Benchmark, monitoring_world
from monitoring.models import Indicator
from municipalities.models import Membership

PAGE_SIZE = 100
INDICATORS = 5
FIRST_PERIOD, LAST_PERIOD = 2020, 2024

_RAW_PAGE = """
    SELECT i.code, i.id, s.code, s.id, s.name, o.period, o.numerator::text,
           o.denominator::text, i.unit, o.status
      FROM monitoring_observation o
      JOIN monitoring_indicator i ON i.id = o.indicator_id
      JOIN municipalities_sozialraum s ON s.id = o.sozialraum_id
     WHERE s.municipality_id = %s AND o.indicator_id = ANY(%s)
       AND o.period BETWEEN %s AND %s
     ORDER BY i.theme, i.name, o.period, s.code
     LIMIT %s
"""

_state: dict = {}


def _prepare() -> dict:
    if _state:
        return _state
    world = monitoring_world.fill(scale=1.0)
    target = world.first
    # Fresh tables without statistics get poor plans, on both sides; measure the steady state.
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE monitoring_observation")
        cursor.execute("ANALYZE municipalities_sozialraum")
        cursor.execute("ANALYZE monitoring_disclosedcell")
        # The fill marked and refreshed every group: clear the marks' dead rows, as autovacuum
        # would.
        cursor.execute("VACUUM ANALYZE monitoring_staledisclosuregroup")
    indicators = list(Indicator.objects.catalogue().order_by("theme", "name")[:INDICATORS])
    user, _ = User.objects.get_or_create(email="monitoring-api-bench@example.org")
    Membership.objects.get_or_create(user=user, municipality=target, role="municipal_viewer")
    key = ApiToken.generate_key()
    ApiToken.objects.create(
        user=user,
        name="bench",
        prefix=key[: ApiToken.PREFIX_LENGTH],
        key_hash=ApiToken.hash_key(key),
    )
    codes = ",".join(i.code for i in indicators)
    _state.update(
        client=Client(),
        headers={"HTTP_AUTHORIZATION": f"Token {key}"},
        url=(
            f"/api/v1/observations/?municipality={target.ags}&indicator={codes}"
            f"&period_from={FIRST_PERIOD}&period_to={LAST_PERIOD}&page_size={PAGE_SIZE}"
        ),
        raw_args=[target.pk, [i.pk for i in indicators], FIRST_PERIOD, LAST_PERIOD, PAGE_SIZE],
    )
    return _state


def _api_page():
    state = _prepare()
    response = state["client"].get(state["url"], **state["headers"])
    assert response.status_code == 200, response.content[:200]
    assert len(response.json()["results"]) == PAGE_SIZE
    return response.content


def _raw_page():
    state = _prepare()
    with connection.cursor() as cursor:
        cursor.execute(_RAW_PAGE, state["raw_args"])
        rows = cursor.fetchall()
    assert len(rows) == PAGE_SIZE
    return json.dumps(rows, default=str)


BENCHMARKS = [
    Benchmark(
        f"API /observations/ ({PAGE_SIZE} Zeilen, NRW-Umfang) vs. Roh-SQL",
        _api_page,
        _raw_page,
        target_ratio=3.0,
    ),
]
