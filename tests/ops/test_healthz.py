"""/healthz: states of database, broker and worker; 503 when the portal cannot serve."""

from unittest import mock

import pytest
from django.db import connection
from django.test import Client, override_settings

from kekiz_portal import health
from tests.factories import StateRoleFactory


@pytest.mark.django_db
@override_settings(REDIS_URL="")
def test_shape_without_services(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {
        "status": "ok",
        "database": "ok",
        "broker": "eager",
        "worker": "eager",
    }
    assert "no-cache" in response["Cache-Control"]


@pytest.mark.django_db
@override_settings(REDIS_URL="redis://:geheim@127.0.0.1:1/0")
def test_unreachable_broker_is_503_without_leaking_the_url(client):
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json() == {
        "status": "error",
        "database": "ok",
        "broker": "error",
        "worker": "unavailable",
    }
    assert b"geheim" not in response.content
    assert b"127.0.0.1" not in response.content


@pytest.mark.django_db
@override_settings(REDIS_URL="")
def test_database_failure_is_503(client):
    with mock.patch.object(connection, "cursor", side_effect=RuntimeError("db down at 10.0.0.5")):
        response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["database"] == "error"
    assert b"10.0.0.5" not in response.content


@pytest.mark.django_db
@override_settings(REDIS_URL="redis://127.0.0.1:6379/0")
def test_missing_worker_is_reported_but_not_fatal(client):
    with (
        mock.patch.object(health, "_broker", return_value="ok"),
        mock.patch("kekiz_portal.celery.app.control.ping", return_value=[]),
    ):
        response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json()["status"] == "degraded"
    assert response.json()["worker"] == "unavailable"


@pytest.mark.django_db
@override_settings(REDIS_URL="", SECURE_SSL_REDIRECT=True)
def test_exempt_from_https_redirect():
    # Load balancers and compose probe over plain HTTP inside the network.
    client = Client()
    assert client.get("/healthz").status_code == 200
    assert client.get("/").status_code == 301


@pytest.mark.django_db
@override_settings(REDIS_URL="")
def test_answers_even_for_a_state_user_without_2fa(client):
    client.force_login(StateRoleFactory(role="state_admin").user)
    assert client.get("/start/").status_code == 302
    assert client.get("/healthz").status_code == 200
