"""POST /api/v1/auth/token/: a token for e-mail and password, with lockout, throttling and the
rule that an account with two-factor login gets no token for its password alone."""

import pytest
from axes.models import AccessAttempt
from django.conf import settings

from accounts.models import ApiToken
from tests.api.conftest import error_of, token_client
from tests.factories import PASSWORD, StateRoleFactory, UserFactory, enable_totp

URL = "/api/v1/auth/token/"


def ask(client, email, password=PASSWORD, **extra):
    return client.post(
        URL, {"email": email, "password": password, "name": "Statistik", **extra}, format="json"
    )


@pytest.mark.django_db
def test_token_for_email_and_password(api, personas):
    response = ask(api, "koordination.a@example.org", read_only=False)
    assert response.status_code == 201, response.content
    assert response["Cache-Control"] == "no-store"
    body = response.json()
    assert set(body) == {"key", "prefix", "name", "read_only", "created_at", "expires_at"}
    assert body["key"].startswith(body["prefix"])
    assert body["name"] == "Statistik"
    assert body["read_only"] is False
    assert body["expires_at"] is None
    token = ApiToken.objects.get(prefix=body["prefix"])
    assert token.user == personas.coordinator_a
    assert token.key_hash == ApiToken.hash_key(body["key"])  # only the hash is stored

    api.credentials(HTTP_AUTHORIZATION=f"Token {body['key']}")
    assert api.get("/api/v1/municipalities/").status_code == 200


@pytest.mark.django_db
def test_token_is_read_only_unless_asked_otherwise(api, personas):
    response = api.post(
        URL,
        {"email": "Koordination.A@Example.org", "password": PASSWORD, "name": "Lesen"},
        format="json",
    )
    assert response.status_code == 201
    assert response.json()["read_only"] is True


@pytest.mark.django_db
def test_researcher_without_two_factor_gets_a_token(api, personas):
    assert ask(api, "evaluation@example.org").status_code == 201


@pytest.mark.django_db
def test_missing_fields_are_400_with_details(api):
    error = error_of(api.post(URL, {"email": "kein-at"}, format="json"), 400, "invalid")
    assert set(error["details"]) == {"email", "password", "name"}


@pytest.mark.django_db
def test_wrong_password_is_400_and_counted(api, personas):
    error = error_of(ask(api, "koordination.a@example.org", "falsch"), 400, "invalid_credentials")
    assert error["message"] == "E-Mail-Adresse oder Passwort ist falsch."
    attempt = AccessAttempt.objects.get()
    assert attempt.username == "koordination.a@example.org"
    assert attempt.failures_since_start == 1
    assert not ApiToken.objects.exists()


@pytest.mark.django_db
def test_unknown_account_and_deactivated_account_look_alike(api, personas):
    personas.outsider.is_active = False
    personas.outsider.save()
    for email in ("niemand@example.org", "aussen@example.org"):
        error_of(ask(api, email), 400, "invalid_credentials")


@pytest.mark.django_db
def test_lockout_after_failure_limit(api, personas):
    limit = settings.AXES_FAILURE_LIMIT
    for _ in range(limit - 1):
        error_of(ask(api, "koordination.a@example.org", "falsch"), 400, "invalid_credentials")
    response = ask(api, "koordination.a@example.org", "falsch")
    error = error_of(response, 429, "locked_out")
    assert "gesperrt" in error["message"]
    assert int(response["Retry-After"]) == int(settings.AXES_COOLOFF_TIME.total_seconds())

    # Now even the right password is refused, in the API's format, not as the HTML page.
    error_of(ask(api, "koordination.a@example.org"), 429, "locked_out")
    assert not ApiToken.objects.exists()
    # Another account is not affected.
    assert ask(api, "koordination.b@example.org").status_code == 201


@pytest.mark.django_db
def test_lockout_is_shared_with_the_login_page(api, client, personas):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        ask(api, "koordination.a@example.org", "falsch")
    client.post("/konto/login/", {"login": "koordination.a@example.org", "password": PASSWORD})
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_success_resets_the_failure_count(api, personas):
    limit = settings.AXES_FAILURE_LIMIT
    for _ in range(limit - 1):
        ask(api, "koordination.a@example.org", "falsch")
    assert ask(api, "koordination.a@example.org").status_code == 201
    for _ in range(limit - 1):
        error_of(ask(api, "koordination.a@example.org", "falsch"), 400, "invalid_credentials")


@pytest.mark.django_db
def test_account_with_totp_gets_no_token_for_the_password_alone(api, personas):
    enable_totp(personas.coordinator_a)
    error = error_of(ask(api, "koordination.a@example.org"), 403, "two_factor_required")
    assert "Zwei-Faktor" in error["message"]
    assert "/konto/tokens/" in error["message"]
    assert not ApiToken.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize("email", ["pruefung@example.org", "bewilligung@example.org"])
def test_state_office_personas_get_no_token_for_the_password(api, personas, email):
    error_of(ask(api, email), 403, "two_factor_required")


@pytest.mark.django_db
def test_state_office_role_without_totp_yet_gets_no_token_either(api):
    # Two-factor login is mandatory for them; a password-only token would bypass it.
    user = StateRoleFactory(role="state_admin", user=UserFactory(email="neu@example.org")).user
    error_of(ask(api, user.email), 403, "two_factor_required")


@pytest.mark.django_db
def test_two_factor_refusal_does_not_reveal_anything_without_the_password(api, personas):
    enable_totp(personas.coordinator_a)
    error_of(ask(api, "koordination.a@example.org", "falsch"), 400, "invalid_credentials")


@pytest.mark.django_db
def test_a_writing_token_sent_along_does_not_matter(api, personas):
    client = token_client(UserFactory(), read_only=False)
    response = ask(client, "koordination.b@example.org")
    assert response.status_code == 201
    assert ApiToken.objects.get(prefix=response.json()["prefix"]).user == personas.coordinator_b


@pytest.mark.django_db
def test_token_endpoint_answers_only_post(api):
    error_of(api.get(URL), 405, "method_not_allowed")
