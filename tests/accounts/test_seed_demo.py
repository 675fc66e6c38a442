"""seed_demo: one demo login per role, idempotent, never on a production configuration."""

import re
from io import StringIO

import pytest
from allauth.mfa.models import Authenticator
from django.core.management import CommandError, call_command
from django.test import override_settings

from accounts.api.authentication import ApiTokenAuthentication
from accounts.models import ApiToken, StateRole, User
from kekiz_portal.management.commands.seed_demo import (
    DEMO_API_KEY,
    DEMO_PASSWORD,
    DEMO_TOTP_SECRET,
    DEMO_USERS,
)
from municipalities.models import Membership, MunicipalityKind, Regierungsbezirk
from tests.factories import MunicipalityFactory, ParticipationFactory


@pytest.fixture
def reference_data(db):
    """The two real participants the demo accounts belong to, as load_reference_data has them."""
    for ags, name in [("05766", "Kreis Lippe"), ("05758", "Kreis Herford")]:
        municipality = MunicipalityFactory(
            ags=ags,
            name=name,
            short_name=name,
            kind=MunicipalityKind.KREIS,
            regierungsbezirk=Regierungsbezirk.DETMOLD,
        )
        ParticipationFactory(municipality=municipality, cohort=2017)


def seed(**options) -> str:
    out = StringIO()
    with override_settings(DEBUG=True):
        call_command("seed_demo", stdout=out, **options)
    return out.getvalue()


def snapshot():
    return (
        list(User.objects.order_by("pk").values_list("pk", "email", "password")),
        list(StateRole.objects.order_by("pk").values_list("pk", "user_id", "role")),
        list(Membership.objects.order_by("pk").values_list("pk", "user_id", "role")),
        list(Authenticator.objects.order_by("pk").values_list("pk", "user_id", "type")),
        list(ApiToken.objects.order_by("pk").values_list("pk", "prefix", "revoked_at")),
    )


def test_refuses_without_debug(reference_data):
    with pytest.raises(CommandError, match="DJANGO_DEBUG"):
        call_command("seed_demo", stdout=StringIO())
    assert not User.objects.exists()


def test_force_runs_without_debug(reference_data):
    call_command("seed_demo", force=True, stdout=StringIO())
    assert User.objects.count() == len(DEMO_USERS)


def test_fails_clearly_without_reference_data(db):
    with pytest.raises(CommandError, match="load_reference_data"):
        seed()
    assert not User.objects.exists()


def test_one_login_per_role_and_a_table(reference_data):
    output = seed()
    roles = {demo.role for demo in DEMO_USERS}
    assert roles >= {
        "coordinator",
        "municipal_viewer",
        "companion",
        "state_reviewer",
        "state_approver",
        "state_admin",
        "researcher",
        None,
    }
    for demo in DEMO_USERS:
        assert demo.email in output
        assert User.objects.get(email=demo.email).check_password(DEMO_PASSWORD)
    assert DEMO_PASSWORD in output
    assert DEMO_TOTP_SECRET in output
    assert "demo_code" in output
    assert DEMO_API_KEY in output
    companion = User.objects.get(email="begleitung@kekiz.example")
    assert companion.memberships.count() == 2
    coordinator = User.objects.get(email="koordination@kekiz.example")
    assert coordinator.memberships.get().municipality.ags == "05766"


def test_second_run_changes_nothing(reference_data):
    seed()
    before = snapshot()
    seed()
    assert snapshot() == before


def test_repairs_a_revoked_demo_token_and_a_changed_password(reference_data):
    seed()
    ApiToken.objects.update(revoked_at="2020-01-01T00:00:00Z")
    user = User.objects.get(email="koordination@kekiz.example")
    user.set_password("etwas-anderes-123")
    user.save()
    seed()
    assert User.objects.get(pk=user.pk).check_password(DEMO_PASSWORD)
    api_user, token = ApiTokenAuthentication().authenticate_credentials(DEMO_API_KEY)
    assert api_user.email == "api@kekiz.example"
    assert token.read_only


def test_state_office_demo_users_can_log_in_with_demo_code(client, reference_data):
    seed()
    email = "pruefung@kekiz.example"
    response = client.post("/konto/login/", {"login": email, "password": DEMO_PASSWORD})
    assert response["Location"] == "/konto/2fa/authenticate/"
    code = StringIO()
    call_command("demo_code", email, stdout=code, stderr=StringIO())
    client.post("/konto/2fa/authenticate/", {"code": code.getvalue().strip()})
    assert client.get("/start/").status_code == 200


def test_demo_code_prints_six_digits(reference_data):
    seed()
    out = StringIO()
    call_command("demo_code", "verwaltung@kekiz.example", stdout=out, stderr=StringIO())
    assert re.fullmatch(r"\d{6}\n", out.getvalue())


def test_demo_code_never_reveals_a_real_users_code(personas):
    # The personas' state-office users have TOTP with a random secret.
    with pytest.raises(CommandError, match="kein Demo-Konto"):
        call_command("demo_code", personas.reviewer.email, stdout=StringIO())
    with pytest.raises(CommandError, match="keine Zwei-Faktor"):
        call_command("demo_code", personas.coordinator_a.email, stdout=StringIO())
