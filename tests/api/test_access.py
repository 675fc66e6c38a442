"""Allow and deny per endpoint: every persona reads the reference data, nobody anonymous does,
and a read-only token never changes anything."""

import pytest
from django.utils import timezone

from accounts.models import ApiToken
from tests.api.conftest import PERSONA_NAMES, error_of, token_client
from tests.factories import UserFactory, make_api_token


def read_urls(world):
    participation = world.programme.participations.first()
    return [
        "/api/v1/",
        "/api/v1/programmes/",
        "/api/v1/programmes/kekiz/",
        "/api/v1/programmes/kekiz/coverage/?date=2020-12-31",
        "/api/v1/participations/",
        f"/api/v1/participations/{participation.pk}/",
        "/api/v1/municipalities/",
        "/api/v1/municipalities/?format=csv",
        "/api/v1/municipalities/05058/",
        "/api/v1/municipalities/05058/boundary/",
    ]


@pytest.mark.django_db
def test_anonymous_gets_401_everywhere(api, world):
    for url in read_urls(world):
        response = api.get(url)
        error = error_of(response, 401, "not_authenticated")
        assert response["WWW-Authenticate"] == "Token", url
        assert "Anmeldedaten" in error["message"] or "Authentifizierung" in error["message"]


@pytest.mark.django_db
def test_anonymous_may_read_schema_and_docs(api):
    assert api.get("/api/v1/schema/").status_code == 200
    docs = api.get("/api/v1/docs/")
    assert docs.status_code == 200
    # The Swagger UI comes from the sidecar package, never from a CDN.
    html = docs.content.decode()
    assert "/static/drf_spectacular_sidecar/swagger-ui-dist/" in html
    assert "cdn" not in html.lower()


@pytest.mark.django_db
@pytest.mark.parametrize("persona", PERSONA_NAMES)
def test_every_persona_reads_every_reference_endpoint_with_a_token(personas, world, persona):
    client = token_client(getattr(personas, persona))
    for url in read_urls(world):
        assert client.get(url).status_code == 200, url


@pytest.mark.django_db
@pytest.mark.parametrize("persona", PERSONA_NAMES)
def test_every_persona_reads_with_the_portal_session(api, personas, world, persona):
    api.force_login(getattr(personas, persona))
    for url in read_urls(world):
        assert api.get(url).status_code == 200, url


@pytest.mark.django_db
def test_unknown_token_is_401(api, world):
    api.credentials(HTTP_AUTHORIZATION="Token dasistkeingueltigertoken")
    error_of(api.get("/api/v1/municipalities/"), 401, "authentication_failed")


@pytest.mark.django_db
def test_revoked_and_expired_tokens_are_401(api, world):
    user = UserFactory()
    for change in ({"revoked_at": timezone.now()}, {"expires_at": timezone.now()}):
        key = make_api_token(user)
        ApiToken.objects.filter(prefix=key[: ApiToken.PREFIX_LENGTH]).update(**change)
        api.credentials(HTTP_AUTHORIZATION=f"Token {key}")
        error_of(api.get("/api/v1/municipalities/"), 401, "authentication_failed")


@pytest.mark.django_db
def test_token_of_deactivated_user_is_401(api, world):
    user = UserFactory()
    api.credentials(HTTP_AUTHORIZATION=f"Token {make_api_token(user)}")
    user.is_active = False
    user.save()
    error_of(api.get("/api/v1/municipalities/"), 401, "authentication_failed")


@pytest.mark.django_db
def test_read_only_token_cannot_use_any_unsafe_method(world):
    client = token_client(UserFactory(), read_only=True)
    for url in [*read_urls(world), "/api/v1/auth/token/"]:
        for method in ("post", "put", "patch", "delete"):
            response = getattr(client, method)(url, {}, format="json")
            error = error_of(response, 403, "permission_denied")
            assert error["message"] == "Dieses Token ist nur zum Lesen berechtigt.", (method, url)


@pytest.mark.django_db
def test_writing_token_meets_405_on_read_only_endpoints(world):
    client = token_client(UserFactory(), read_only=False)
    for url in ("/api/v1/municipalities/", "/api/v1/municipalities/05058/"):
        response = client.post(url, {}, format="json")
        error_of(response, 405, "method_not_allowed")
        assert "GET" in response["Allow"]
