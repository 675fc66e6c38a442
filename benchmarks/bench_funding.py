"""Funding at NRW scale (issue 3, "Speed"): the review queue page and the API list of
applications with 10 years × ≈ 430 municipalities, each within 3× of raw SQL for the same page;
one Bescheid PDF, whose worker time must stay under a second.

Baselines: the page's 50 rows with the same columns (years and requested total per row) plus
the count the pager shows, in raw SQL, serialised to JSON; for the PDF a minimal WeasyPrint
page, so the ratio shows what the Bescheid costs beyond WeasyPrint's own start-up.
"""

import json

from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.db import connection
from django.test import Client
from django.urls import reverse
from weasyprint import HTML

from accounts.models import ApiToken
from benchmarks import Benchmark, funding_world
from funding.models import Decision, DocumentKind, DocumentStatus, FundingDocument
from funding.services.documents import render_document
from funding.services.review import REVIEW_STATUSES

PAGE_SIZE = 50

_RAW_QUEUE = """
    SELECT a.id, a.number, a.status, a.submitted_at, a.call_id, c.title, a.municipality_id,
           m.short_name, m.regierungsbezirk, a.reviewer_id, u.full_name, u.email,
           ARRAY(SELECT y.year FROM funding_applicationyear y
                  WHERE y.application_id = a.id ORDER BY y.year),
           COALESCE((SELECT SUM(y.requested_grant) FROM funding_applicationyear y
                      WHERE y.application_id = a.id), 0)::text
      FROM funding_application a
      JOIN funding_call c ON c.id = a.call_id
      JOIN municipalities_municipality m ON m.id = a.municipality_id
      LEFT JOIN accounts_user u ON u.id = a.reviewer_id
     WHERE a.status = ANY(%s)
     ORDER BY a.submitted_at, a.number
     LIMIT %s
"""
_RAW_QUEUE_COUNT = "SELECT COUNT(*) FROM funding_application WHERE status = ANY(%s)"

_RAW_API = """
    SELECT a.id, a.number, m.ags, m.short_name, a.call_id, a.status, a.submitted_at,
           a.decided_at,
           (SELECT json_agg(json_build_object('year', y.year,
                                              'eligible_costs', y.eligible_costs::text,
                                              'requested_grant', y.requested_grant::text)
                            ORDER BY y.year)
              FROM funding_applicationyear y WHERE y.application_id = a.id)
      FROM funding_application a
      JOIN municipalities_municipality m ON m.id = a.municipality_id
     ORDER BY a.created_at DESC, a.id DESC
     LIMIT %s
"""
_RAW_API_COUNT = "SELECT COUNT(*) FROM funding_application"

_MINIMAL_PAGE = "<html><body><h1>Bescheid</h1><p>Zuwendung 29.958,00 €</p></body></html>"

_state: dict = {}


def _prepare() -> dict:
    if _state:
        return _state
    world = funding_world.fill()
    reviewer = world.reviewer
    if not reviewer.authenticator_set.exists():
        TOTP.activate(reviewer, generate_totp_secret())  # the state office works with TOTP only
    html_client = Client()
    html_client.force_login(reviewer)
    key = ApiToken.generate_key()
    ApiToken.objects.create(
        user=reviewer,
        name="bench",
        prefix=key[: ApiToken.PREFIX_LENGTH],
        key_hash=ApiToken.hash_key(key),
    )
    decision = Decision.objects.filter(application__number__startswith="BENCH-").first()
    document, _created = FundingDocument.objects.get_or_create(
        kind=DocumentKind.BESCHEID,
        decision=decision,
        defaults={
            "municipality": decision.application.municipality,
            "requested_by": world.approver,
        },
    )
    _state.update(
        html_client=html_client,
        api_client=Client(),
        headers={"HTTP_AUTHORIZATION": f"Token {key}"},
        statuses=list(REVIEW_STATUSES),
        document=document,
    )
    return _state


def _raw(statement: str, count_statement: str, *args):
    with connection.cursor() as cursor:
        cursor.execute(count_statement, args[:-1])
        total = cursor.fetchone()[0]
        cursor.execute(statement, args)
        rows = cursor.fetchall()
    assert len(rows) == PAGE_SIZE
    return json.dumps({"count": total, "results": rows}, default=str)


def _queue_page():
    state = _prepare()
    response = state["html_client"].get(reverse("funding:review_queue"))
    assert response.status_code == 200, response.status_code
    return response.content


def _raw_queue_page():
    state = _prepare()
    return _raw(_RAW_QUEUE, _RAW_QUEUE_COUNT, state["statuses"], PAGE_SIZE)


def _api_page():
    state = _prepare()
    response = state["api_client"].get(
        f"/api/v1/funding/applications/?page_size={PAGE_SIZE}", **state["headers"]
    )
    assert response.status_code == 200, response.content[:200]
    assert len(response.json()["results"]) == PAGE_SIZE
    return response.content


def _raw_api_page():
    return _raw(_RAW_API, _RAW_API_COUNT, PAGE_SIZE)


def _requeue_bescheid():
    FundingDocument.objects.filter(pk=_prepare()["document"].pk).update(
        status=DocumentStatus.QUEUED, progress=0
    )


def _render_bescheid():
    assert render_document(_prepare()["document"].pk)


def _minimal_pdf():
    return HTML(string=_MINIMAL_PAGE).write_pdf()


BENCHMARKS = [
    Benchmark(
        f"Prüfwarteschlange HTML ({PAGE_SIZE} von ≈ 4.300 Anträgen) vs. Roh-SQL",
        _queue_page,
        _raw_queue_page,
        target_ratio=3.0,
    ),
    Benchmark(
        f"API /funding/applications/ ({PAGE_SIZE} Zeilen) vs. Roh-SQL",
        _api_page,
        _raw_api_page,
        target_ratio=3.0,
    ),
    Benchmark(
        "Ein Bescheid-PDF (Worker, Ziel < 1 s) vs. minimale WeasyPrint-Seite",
        _render_bescheid,
        _minimal_pdf,
        repeat=5,
        setup=_requeue_bescheid,
    ),
]
