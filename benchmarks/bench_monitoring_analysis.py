"""Analysis pages at NRW scale vs the same pages with a tenth of the data (issue 4: "time at
full size within 1.5× of time at one tenth").

The full world (≈ 430 municipalities, 2.4 million observations) lives in the public schema.
A tenth of it – the first tenth of monitoring_world's municipality order, which holds the
measured municipality – is copied into the schema `bench_tenth` (Sozialräume and observations
with the same indexes), so both sizes exist at once and the framework can interleave them:
the baseline runs with `search_path = bench_tenth, public`. The pages are requested as a
municipal viewer, i.e. with disclosure control.
"""

import math

from django.db import connection
from django.test import Client
from django.urls import reverse

from accounts.models import User
from benchmarks import Benchmark, monitoring_world
from monitoring.models import Indicator, Observation
from municipalities.models import Membership

TENTH_SCHEMA = "bench_tenth"
_COPIED_TABLES = ("municipalities_sozialraum", "monitoring_observation")

FULL = "public"
TENTH = f"{TENTH_SCHEMA}, public"

_state: dict = {}


def _copy_tenth(municipality_ids: list[int]) -> None:
    with connection.cursor() as cursor:
        cursor.execute(f"DROP SCHEMA IF EXISTS {TENTH_SCHEMA} CASCADE")
        cursor.execute(f"CREATE SCHEMA {TENTH_SCHEMA}")
        for table in _COPIED_TABLES:
            cursor.execute(
                f"CREATE TABLE {TENTH_SCHEMA}.{table} (LIKE public.{table} INCLUDING ALL)"
            )
        cursor.execute(
            "INSERT INTO bench_tenth.municipalities_sozialraum"
            " SELECT * FROM public.municipalities_sozialraum WHERE municipality_id = ANY(%s)",
            [municipality_ids],
        )
        cursor.execute(
            "INSERT INTO bench_tenth.monitoring_observation SELECT o.* "
            "FROM public.monitoring_observation o "
            "JOIN bench_tenth.municipalities_sozialraum s ON s.id = o.sozialraum_id"
        )
        for table in _COPIED_TABLES:
            cursor.execute(f"ANALYZE {TENTH_SCHEMA}.{table}")
            cursor.execute(f"ANALYZE public.{table}")


def _prepare() -> dict:
    if _state:
        return _state
    world = monitoring_world.fill(scale=1.0)
    order = monitoring_world.municipality_order()
    tenth = [m.pk for m in order[: math.ceil(len(order) * 0.1)]]
    _copy_tenth(tenth)
    # The baseline must really read the smaller tables.
    with connection.cursor() as cursor:
        cursor.execute(f"SET search_path TO {TENTH}")
        tenth_count = Observation.objects.count()
        cursor.execute(f"SET search_path TO {FULL}")
        full_count = Observation.objects.count()
    assert tenth_count * 5 < full_count, (tenth_count, full_count)
    target = world.first
    user, _ = User.objects.get_or_create(email="monitoring-viewer@example.org")
    Membership.objects.get_or_create(user=user, municipality=target, role="municipal_viewer")
    client = Client()
    client.force_login(user)
    indicator = Indicator.objects.catalogue().order_by("code").first()
    _state.update(
        client=client,
        overview=reverse("monitoring:analysis_overview", args=[target.slug]) + "?jahr=2024",
        comparison=reverse("monitoring:analysis_comparison", args=[target.slug, indicator.pk])
        + "?jahr=2024",
        observations=world.observations,
    )
    return _state


def _get(page: str, schema_path: str):
    state = _prepare()
    with connection.cursor() as cursor:
        cursor.execute(f"SET search_path TO {schema_path}")
    response = state["client"].get(state[page])
    assert response.status_code == 200, response.content[:200]
    return response.content


def _page(page: str, schema_path: str):
    return lambda: _get(page, schema_path)


BENCHMARKS = [
    Benchmark(
        "Monitoring-Übersicht: NRW-Datenbestand vs. ein Zehntel",
        _page("overview", FULL),
        _page("overview", TENTH),
        target_ratio=1.5,
        repeat=5,
    ),
    Benchmark(
        "Monitoring-Vergleich der Sozialräume + Karte: NRW vs. ein Zehntel",
        _page("comparison", FULL),
        _page("comparison", TENTH),
        target_ratio=1.5,
        repeat=5,
    ),
]
