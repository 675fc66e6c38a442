"""API token pages: own tokens only, key shown once, revoke after confirmation."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone
from rest_framework.exceptions import AuthenticationFailed

from accounts import services
from accounts.api.authentication import ApiTokenAuthentication
from accounts.models import ApiToken

TOKENS = "/konto/tokens/"


def revoke_url(token):
    return f"/konto/tokens/{token.pk}/widerrufen/"


def authenticate(key):
    return ApiTokenAuthentication().authenticate_credentials(key)


@pytest.fixture
def token_b(personas):
    token, _key = services.create_api_token(
        user=personas.coordinator_b, name="Token von B", actor=personas.coordinator_b
    )
    return token


@pytest.mark.django_db
def test_anonymous_is_sent_to_login(client):
    response = client.get(TOKENS)
    assert response.status_code == 302
    assert response["Location"].startswith("/konto/login/")


@pytest.mark.django_db
def test_list_shows_own_tokens_only(client, personas, token_b):
    services.create_api_token(
        user=personas.coordinator_a, name="Token von A", actor=personas.coordinator_a
    )
    client.force_login(personas.coordinator_a)
    page = client.get(TOKENS).content.decode()
    assert "Token von A" in page
    assert "Token von B" not in page
    assert token_b.prefix not in page


@pytest.mark.django_db
def test_list_page_queries_do_not_grow_with_tokens(client, personas, django_assert_max_num_queries):
    user = personas.coordinator_a
    for i in range(15):
        services.create_api_token(user=user, name=f"Token {i}", actor=user)
    client.force_login(user)
    with django_assert_max_num_queries(8):
        assert client.get(TOKENS).status_code == 200


@pytest.mark.django_db
def test_form_offers_read_only_by_default(client, personas):
    client.force_login(personas.coordinator_a)
    page = client.get(TOKENS).content.decode()
    assert 'name="read_only" id="id_read_only" checked' in page


@pytest.mark.django_db
def test_create_shows_key_once(client, personas):
    client.force_login(personas.coordinator_a)
    response = client.post(TOKENS, {"name": "Statistik", "read_only": "on"})
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    token = ApiToken.objects.get(user=personas.coordinator_a)
    key = response.context["key"]
    assert key in response.content.decode()
    assert token.read_only
    assert token.key_hash == ApiToken.hash_key(key)
    assert key not in (token.key_hash, token.prefix)
    assert authenticate(key) == (personas.coordinator_a, token)
    # Never again: the list shows only the prefix.
    page = client.get(TOKENS).content.decode()
    assert key not in page
    assert token.prefix in page


@pytest.mark.django_db
def test_create_with_write_access_and_expiry(client, personas):
    client.force_login(personas.coordinator_a)
    tomorrow = timezone.localdate() + timedelta(days=1)
    client.post(TOKENS, {"name": "Import", "expires_on": tomorrow.isoformat()})
    token = ApiToken.objects.get(user=personas.coordinator_a)
    assert not token.read_only
    assert timezone.localtime(token.expires_at).date() == tomorrow + timedelta(days=1)
    assert token.is_active


@pytest.mark.django_db
def test_create_rejects_past_expiry_and_keeps_input(client, personas):
    client.force_login(personas.coordinator_a)
    yesterday = timezone.localdate() - timedelta(days=1)
    response = client.post(TOKENS, {"name": "Alt", "expires_on": yesterday.isoformat()})
    assert response.status_code == 200
    assert "Vergangenheit" in response.content.decode()
    assert 'value="Alt"' in response.content.decode()
    assert not ApiToken.objects.exists()


@pytest.mark.django_db
def test_create_requires_a_name(client, personas):
    client.force_login(personas.coordinator_a)
    response = client.post(TOKENS, {"name": "  "})
    assert response.status_code == 200
    assert not ApiToken.objects.exists()


@pytest.mark.django_db
def test_revoke_asks_first_then_revokes(client, personas):
    token, key = services.create_api_token(
        user=personas.coordinator_a, name="Weg damit", actor=personas.coordinator_a
    )
    client.force_login(personas.coordinator_a)
    confirm = client.get(revoke_url(token))
    assert confirm.status_code == 200
    assert "Weg damit" in confirm.content.decode()
    token.refresh_from_db()
    assert token.revoked_at is None

    response = client.post(revoke_url(token))
    assert response.status_code == 302
    assert response["Location"] == TOKENS
    token.refresh_from_db()
    assert token.revoked_at is not None
    with pytest.raises(AuthenticationFailed):
        authenticate(key)


@pytest.mark.django_db
@pytest.mark.parametrize("method", ["get", "post"])
def test_someone_elses_token_does_not_exist(client, personas, token_b, method):
    client.force_login(personas.coordinator_a)
    assert getattr(client, method)(revoke_url(token_b)).status_code == 404
    token_b.refresh_from_db()
    assert token_b.revoked_at is None


@pytest.mark.django_db
def test_state_admin_cannot_revoke_others_tokens_on_the_page(client, personas, token_b):
    # The page is about one's own tokens; the admin is the place for others'.
    client.force_login(personas.state_admin)
    assert client.post(revoke_url(token_b)).status_code == 404


@pytest.mark.django_db
def test_service_refuses_foreign_actor(personas, token_b):
    with pytest.raises(PermissionDenied):
        services.revoke_api_token(token_id=token_b.pk, actor=personas.coordinator_a)
    with pytest.raises(PermissionDenied):
        services.create_api_token(
            user=personas.coordinator_b, name="fremd", actor=personas.coordinator_a
        )


@pytest.mark.django_db
def test_service_revoke_is_idempotent_and_open_to_state_admin(personas, token_b):
    first = services.revoke_api_token(token_id=token_b.pk, actor=personas.state_admin)
    second = services.revoke_api_token(token_id=token_b.pk, actor=personas.coordinator_b)
    assert first.revoked_at == second.revoked_at is not None


@pytest.mark.django_db
def test_expired_token_no_longer_authenticates(personas):
    token, key = services.create_api_token(
        user=personas.coordinator_a,
        name="kurz",
        expires_at=timezone.now() + timedelta(minutes=1),
        actor=personas.coordinator_a,
    )
    ApiToken.objects.filter(pk=token.pk).update(expires_at=timezone.now() - timedelta(seconds=1))
    with pytest.raises(AuthenticationFailed):
        authenticate(key)
