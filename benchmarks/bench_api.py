"""API list pages against raw SQL that reads the same rows and serialises them to JSON."""

import json

from django.db import connection
from django.test import Client

from accounts.models import ApiToken, User

PAGE_SIZE = 50

_RAW_PAGE = """
    SELECT m.ags, m.name, m.short_name, m.kind, m.regierungsbezirk, p.ags, p.short_name,
           m.area_km2::text, pop.reference_date::text, pop.total,
           (SELECT string_agg(pr.slug || ':' || pa.cohort, ';')
              FROM municipalities_participation pa
              JOIN municipalities_programme pr ON pr.id = pa.programme_id
             WHERE pa.municipality_id = m.id)
      FROM municipalities_municipality m
      LEFT JOIN municipalities_municipality p ON p.id = m.parent_id
      LEFT JOIN LATERAL (
            SELECT reference_date, total FROM municipalities_populationfigure f
             WHERE f.municipality_id = m.id ORDER BY reference_date DESC LIMIT 1) pop ON TRUE
     ORDER BY m.short_name, m.ags
     LIMIT %s
"""


def _client() -> tuple[Client, dict]:
    user, _ = User.objects.get_or_create(email="bench@example.org")
    key = ApiToken.generate_key()
    ApiToken.objects.create(
        user=user,
        name="bench",
        prefix=key[: ApiToken.PREFIX_LENGTH],
        key_hash=ApiToken.hash_key(key),
    )
    return Client(), {"HTTP_AUTHORIZATION": f"Token {key}"}


_client_and_headers: tuple[Client, dict] | None = None


def _api_page():
    global _client_and_headers
    if _client_and_headers is None:
        _client_and_headers = _client()
    client, headers = _client_and_headers
    response = client.get(f"/api/v1/municipalities/?page_size={PAGE_SIZE}", **headers)
    assert response.status_code == 200, response.content[:200]
    return response.content


def _raw_page():
    with connection.cursor() as cursor:
        cursor.execute(_RAW_PAGE, [PAGE_SIZE])
        return json.dumps(cursor.fetchall(), default=str)


def _coverage_api():
    global _client_and_headers
    if _client_and_headers is None:
        _client_and_headers = _client()
    client, headers = _client_and_headers
    response = client.get("/api/v1/programmes/kekiz/coverage/?date=2017-12-31", **headers)
    assert response.status_code == 200, response.content[:200]
    return response.content


def _coverage_raw_counts():
    # The cheapest honest baseline: the participants and population sums in one SQL statement.
    with connection.cursor() as cursor:
        cursor.execute(
            """SELECT count(*), sum(f.total) FROM municipalities_participation pa
                 JOIN municipalities_populationfigure f ON f.municipality_id = pa.municipality_id
                WHERE f.reference_date = '2017-12-31'"""
        )
        return cursor.fetchone()


from benchmarks import Benchmark  # noqa: E402

BENCHMARKS = [
    Benchmark(f"API /municipalities/ ({PAGE_SIZE} Zeilen) vs. Roh-SQL", _api_page, _raw_page),
    Benchmark(
        "API /programmes/kekiz/coverage/ vs. eine Summen-Abfrage",
        _coverage_api,
        _coverage_raw_counts,
    ),
]
