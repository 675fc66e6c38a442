"""Two-factor authentication: mandatory for the state office, optional for everyone else."""

import pytest
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import SECRET_SESSION_KEY, format_hotp_value, hotp_value
from django.urls import reverse
from django.utils import timezone

from tests.factories import PASSWORD, StateRoleFactory, UserFactory, enable_totp

SETUP = "/konto/2fa/totp/activate/"


def current_code(secret: str) -> str:
    return format_hotp_value(hotp_value(secret, int(timezone.now().timestamp()) // 30))


def state_user(role: str, email: str = "land@example.org"):
    return StateRoleFactory(role=role, user=UserFactory(email=email)).user


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["state_reviewer", "state_approver", "state_admin"])
@pytest.mark.parametrize("path", ["/start/", "/konto/tokens/", "/admin/"])
def test_state_office_without_totp_is_sent_to_setup(client, role, path):
    client.force_login(state_user(role))
    response = client.get(path)
    assert response.status_code == 302
    assert response["Location"] == reverse("mfa_activate_totp") == SETUP


@pytest.mark.django_db
def test_state_office_without_totp_gets_json_error_in_api(client):
    client.force_login(state_user("state_reviewer"))
    response = client.get("/api/v1/")
    assert response.status_code == 403
    assert response.json()["error"]["code"] == "two_factor_required"


@pytest.mark.django_db
@pytest.mark.parametrize(
    "persona", ["coordinator_a", "viewer_a", "companion_a", "researcher", "outsider"]
)
def test_other_roles_are_not_forced(client, personas, persona):
    client.force_login(getattr(personas, persona))
    assert client.get("/start/").status_code == 200


@pytest.mark.django_db
def test_state_office_with_totp_works_normally(client, personas):
    client.force_login(personas.reviewer)
    assert client.get("/start/").status_code == 200


@pytest.mark.django_db
def test_setup_flow_activates_totp_and_shows_recovery_codes(client):
    """The whole way of a new state-office user. allauth asks for the password once more
    before showing a TOTP secret; the 2FA middleware must let that page through (else loop)."""
    user = state_user("state_approver")
    client.post("/konto/login/", {"login": user.email, "password": PASSWORD})
    assert client.get("/start/")["Location"] == SETUP

    response = client.get(SETUP)
    assert response.status_code == 302
    reauth = response["Location"]
    assert reauth.startswith("/konto/reauthenticate/")
    assert client.get(reauth).status_code == 200
    response = client.post(reauth, {"password": PASSWORD})
    assert response.status_code == 302

    assert client.get(SETUP).status_code == 200
    secret = client.session[SECRET_SESSION_KEY]
    response = client.post(SETUP, {"code": current_code(secret)})
    assert response.status_code == 302
    assert response["Location"] == reverse("mfa_view_recovery_codes")

    assert Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()
    assert Authenticator.objects.filter(user=user, type=Authenticator.Type.RECOVERY_CODES).exists()
    assert client.get(reverse("mfa_view_recovery_codes")).status_code == 200
    assert client.get("/start/").status_code == 200


@pytest.mark.django_db
def test_login_with_totp_asks_for_the_code(client):
    user = state_user("state_reviewer")
    secret = enable_totp(user)
    response = client.post("/konto/login/", {"login": user.email, "password": PASSWORD})
    assert response.status_code == 302
    assert response["Location"] == reverse("mfa_authenticate")
    assert "_auth_user_id" not in client.session

    wrong = client.post(reverse("mfa_authenticate"), {"code": "000000"})
    assert wrong.status_code == 200
    assert "_auth_user_id" not in client.session

    response = client.post(reverse("mfa_authenticate"), {"code": current_code(secret)})
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(user.pk)
    assert client.get("/start/").status_code == 200


@pytest.mark.django_db
def test_admin_login_asks_for_the_code_too(client):
    user = state_user("state_admin")
    secret = enable_totp(user)
    login_page = client.get("/admin/")["Location"]
    login_page = client.get(login_page)["Location"]  # /admin/login/ → allauth's form
    response = client.post(login_page, {"login": user.email, "password": PASSWORD})
    assert response["Location"] == reverse("mfa_authenticate")
    response = client.post(reverse("mfa_authenticate"), {"code": current_code(secret)})
    assert response["Location"] == "/admin/"
    assert client.get("/admin/").status_code == 200


@pytest.mark.django_db
def test_recovery_code_logs_in_once_when_the_phone_is_lost(client):
    from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes

    user = state_user("state_reviewer")
    enable_totp(user)
    code = RecoveryCodes.activate(user).get_unused_codes()[0]

    client.post("/konto/login/", {"login": user.email, "password": PASSWORD})
    client.post(reverse("mfa_authenticate"), {"code": code})
    assert client.session["_auth_user_id"] == str(user.pk)

    client.logout()
    client.post("/konto/login/", {"login": user.email, "password": PASSWORD})
    client.post(reverse("mfa_authenticate"), {"code": code})
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_superuser_without_totp_is_sent_to_setup(client):
    client.force_login(UserFactory(email="root@example.org", is_superuser=True))
    assert client.get("/admin/")["Location"] == SETUP


def test_totp_secret_is_stored_encrypted_and_survives_key_rotation(personas, settings):
    from allauth.mfa.models import Authenticator
    from allauth.mfa.utils import decrypt

    from tests.factories import UserFactory, enable_totp

    user = UserFactory()
    secret = enable_totp(user)
    stored = Authenticator.objects.get(user=user, type=Authenticator.Type.TOTP).data["secret"]
    assert secret not in stored
    assert decrypt(stored) == secret

    settings.SECRET_KEY_FALLBACKS = [settings.SECRET_KEY]
    settings.SECRET_KEY = "a-new-key-after-rotation-" + "x" * 40
    assert decrypt(stored) == secret
