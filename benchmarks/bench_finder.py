"""The public offering finder and the HSDS export over all of NRW (issue 5: "the public finder
over all NRW (430 × 300 offerings), each as a ratio to a baseline query in the same run").

World: benchmarks.finder_world, ≈ 129,000 published offerings. Measured: the finder's HTML
page for a typical search (age 4, one municipality, only free, Turkish) and for a free-text
search over all NRW, and the first page of /api/hsds/services. Baselines: one raw SQL
statement that returns the same page of rows with what the page shows (phases, locations,
municipality) and the count, serialised to JSON – so the ratio is what the ORM, the form and
the template cost on top of the database's own work.
"""

import json

from django.db import connection
from django.test import Client
from django.urls import reverse

from benchmarks import Benchmark, finder_world
from prevention_chains.views_public import PAGE_SIZE

SEARCH_TEXT = "Sprachförderung"
HSDS_PAGE = 50

_ROW = """
    SELECT o.id, o.title, o.description, o.age_from, o.age_to, o.is_free, o.cost_note,
           o.languages, m.short_name,
           ARRAY(SELECT p.name FROM prevention_chains_offering_life_phases op
                   JOIN prevention_chains_lifephase p ON p.id = op.lifephase_id
                  WHERE op.offering_id = o.id ORDER BY p.position, p.name),
           ARRAY(SELECT l.name || ', ' || l.city FROM prevention_chains_offeringlocation l
                  WHERE l.offering_id = o.id ORDER BY l.name, l.id),
           COUNT(*) OVER ()
      FROM prevention_chains_offering o
      JOIN municipalities_municipality m ON m.id = o.municipality_id
"""
_RAW_TYPICAL = (
    _ROW
    + """
     WHERE o.status = 'published' AND o.municipality_id = %(municipality)s
       AND (o.age_from IS NULL OR o.age_from <= %(age)s)
       AND (o.age_to IS NULL OR o.age_to > %(age)s)
       AND o.is_free AND o.languages @> ARRAY[%(language)s]::varchar[]
     ORDER BY o.title, o.id
     LIMIT %(limit)s
"""
)
_RAW_TEXT = (
    _ROW
    + """
     WHERE o.status = 'published'
       AND o.search_vector @@ websearch_to_tsquery('german', %(text)s)
     ORDER BY ts_rank(o.search_vector, websearch_to_tsquery('german', %(text)s)) DESC,
              o.title, o.id
     LIMIT %(limit)s
"""
)
_RAW_HSDS = """
    SELECT id, title, description, website, contact_email, is_free, cost_note, age_from,
           age_to, last_confirmed_on, provider_id, municipality_id
      FROM prevention_chains_offering WHERE status = 'published' ORDER BY id LIMIT %(limit)s
"""
_RAW_HSDS_COUNT = "SELECT COUNT(*) FROM prevention_chains_offering WHERE status = 'published'"

_state: dict = {}


def _prepare() -> dict:
    if _state:
        return _state
    world = finder_world.fill()
    typical = {"alter": 4, "kommune": world.target.pk, "kostenfrei": "on", "sprache": "tr"}
    _state.update(
        client=Client(),
        typical=typical,
        typical_args={"municipality": world.target.pk, "age": 4, "language": "tr"},
    )
    # The baselines must return the rows the pages show.
    for params, statement, args in (
        (typical, _RAW_TYPICAL, _state["typical_args"]),
        ({"q": SEARCH_TEXT}, _RAW_TEXT, {"text": SEARCH_TEXT}),
    ):
        page = _finder(params).context["page"]
        rows = _raw(statement, args)
        assert [o.pk for o in page.object_list] == [row[0] for row in rows], params
        assert page.paginator.count == rows[0][-1], params
    return _state


def _finder(params):
    response = _prepare()["client"].get(reverse("prevention_chains:finder"), params)
    assert response.status_code == 200, response.status_code
    return response


def _raw(statement: str, args: dict) -> list:
    with connection.cursor() as cursor:
        cursor.execute(statement, {**args, "limit": PAGE_SIZE})
        return cursor.fetchall()


def _typical_page():
    return _finder(_prepare()["typical"]).content


def _raw_typical():
    return json.dumps(_raw(_RAW_TYPICAL, _prepare()["typical_args"]), default=str)


def _text_page():
    return _finder({"q": SEARCH_TEXT}).content


def _raw_text():
    return json.dumps(_raw(_RAW_TEXT, {"text": SEARCH_TEXT}), default=str)


def _hsds_page():
    response = _prepare()["client"].get(reverse("hsds-services"), {"per_page": HSDS_PAGE})
    assert response.status_code == 200
    assert len(response.json()["contents"]) == HSDS_PAGE
    return response.content


def _raw_hsds():
    with connection.cursor() as cursor:
        cursor.execute(_RAW_HSDS_COUNT)
        total = cursor.fetchone()[0]
        cursor.execute(_RAW_HSDS, {"limit": HSDS_PAGE})
        rows = cursor.fetchall()
    return json.dumps({"total_items": total, "contents": rows}, default=str)


BENCHMARKS = [
    Benchmark(
        "Angebotssuche: Alter 4, Kommune, kostenfrei, Türkisch (HTML) vs. Roh-SQL",
        _typical_page,
        _raw_typical,
    ),
    Benchmark(
        f"Angebotssuche: Volltext „{SEARCH_TEXT}“ in ganz NRW (HTML) vs. Roh-SQL",
        _text_page,
        _raw_text,
    ),
    Benchmark(
        f"HSDS /api/hsds/services, erste Seite ({HSDS_PAGE} von ≈ 129.000) vs. Roh-SQL",
        _hsds_page,
        _raw_hsds,
    ),
]
