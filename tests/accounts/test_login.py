"""Login by e-mail and throttling on every login path (allauth form, admin)."""

import pytest
from axes.models import AccessAttempt
from django.conf import settings
from django.core.cache import cache
from django.urls import reverse

from tests.factories import PASSWORD, UserFactory

LOGIN = "/konto/login/"


def post_login(client, email, password, next_url=None):
    url = LOGIN if next_url is None else f"{LOGIN}?next={next_url}"
    return client.post(url, {"login": email, "password": password})


def logged_in_user_id(client):
    return client.session.get("_auth_user_id")


def forget_allauth_rate_limits():
    """allauth also limits failed logins, in the cache, and would answer first. Clearing it
    shows that the lockout by axes (in the database, shared by all processes) holds alone."""
    cache.clear()


@pytest.mark.django_db
def test_login_form_accepts_email(client, personas):
    response = post_login(client, "koordination.a@example.org", PASSWORD)
    assert response.status_code == 302
    assert response["Location"] == reverse("start")
    assert logged_in_user_id(client) == str(personas.coordinator_a.pk)


@pytest.mark.django_db
def test_login_ignores_case_of_email(client, personas):
    post_login(client, "Koordination.A@Example.org", PASSWORD)
    assert logged_in_user_id(client) == str(personas.coordinator_a.pk)


@pytest.mark.django_db
def test_wrong_password_is_refused_in_plain_german(client, personas):
    response = post_login(client, "koordination.a@example.org", "falsch-falsch-falsch")
    assert response.status_code == 200
    assert logged_in_user_id(client) is None


@pytest.mark.django_db
def test_failed_form_login_is_counted_under_the_email(client, personas):
    """allauth passes the login as `email`; accounts.throttling must read that key, otherwise
    axes would count every failure under one empty name (or none at all)."""
    post_login(client, "Koordination.A@example.org", "falsch-falsch-falsch")
    attempt = AccessAttempt.objects.get()
    assert attempt.username == "koordination.a@example.org"
    assert attempt.failures_since_start == 1


@pytest.mark.django_db
def test_lockout_after_failure_limit_on_login_form(client, personas):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        post_login(client, "koordination.a@example.org", "falsch-falsch-falsch")
    forget_allauth_rate_limits()
    response = post_login(client, "koordination.a@example.org", PASSWORD)
    assert response.status_code == 429
    assert "vorübergehend gesperrt" in response.content.decode()
    assert logged_in_user_id(client) is None


@pytest.mark.django_db
def test_lockout_is_per_account_not_global(client, personas):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        post_login(client, "koordination.a@example.org", "falsch-falsch-falsch")
    forget_allauth_rate_limits()
    post_login(client, "koordination.b@example.org", PASSWORD)
    assert logged_in_user_id(client) == str(personas.coordinator_b.pk)


@pytest.mark.django_db
def test_admin_login_goes_through_the_throttled_form(client, personas):
    """/admin/login/ checks no password itself: it sends everyone to the allauth form."""
    response = client.post(
        "/admin/login/", {"username": "verwaltung@example.org", "password": PASSWORD}
    )
    assert response.status_code == 302
    assert response["Location"].startswith(LOGIN)
    assert logged_in_user_id(client) is None


@pytest.mark.django_db
def test_lockout_after_failure_limit_on_admin_login(client, personas):
    login_page = client.get("/admin/login/?next=/admin/")["Location"]
    assert login_page.startswith(LOGIN)
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post(login_page, {"login": "verwaltung@example.org", "password": "falsch-falsch"})
    forget_allauth_rate_limits()
    response = client.post(login_page, {"login": "verwaltung@example.org", "password": PASSWORD})
    assert response.status_code == 429
    assert logged_in_user_id(client) is None
    assert client.get("/admin/").status_code == 302


@pytest.mark.django_db
def test_successful_login_resets_the_failure_count(client):
    user = UserFactory(email="person@example.org")
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        post_login(client, user.email, "falsch-falsch-falsch")
    post_login(client, user.email, PASSWORD)
    assert logged_in_user_id(client) == str(user.pk)
    assert not AccessAttempt.objects.filter(failures_since_start__gt=0).exists()


@pytest.mark.django_db
def test_inactive_user_cannot_log_in(client):
    user = UserFactory(email="weg@example.org", is_active=False)
    post_login(client, user.email, PASSWORD)
    assert logged_in_user_id(client) is None


@pytest.mark.django_db
def test_self_signup_is_closed(client):
    client.post(
        "/konto/signup/",
        {"email": "neu@example.org", "password1": PASSWORD, "password2": PASSWORD},
    )
    from accounts.models import User

    assert not User.objects.filter(email="neu@example.org").exists()
