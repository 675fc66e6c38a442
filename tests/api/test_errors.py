"""The one error format for every status the API gives."""

import pytest

from tests.api.conftest import error_of, token_client
from tests.factories import StateRoleFactory, UserFactory


@pytest.mark.django_db
def test_400_for_a_filter_value_that_does_not_exist(reader, world):
    error = error_of(reader.get("/api/v1/municipalities/?kind=dorf"), 400, "invalid")
    assert list(error["details"]) == ["kind"]
    # One problem: the headline names it, so a client showing only `message` helps its user.
    assert error["message"] == error["details"]["kind"][0]


@pytest.mark.django_db
def test_400_lists_every_invalid_filter(reader, world):
    error = error_of(
        reader.get("/api/v1/municipalities/?regierungsbezirk=999&parent=Lippe"), 400, "invalid"
    )
    assert set(error["details"]) == {"regierungsbezirk", "parent"}
    assert "korrigieren" in error["message"]
    assert "05958" in error["details"]["parent"][0]  # says what a valid value looks like


@pytest.mark.django_db
def test_400_for_an_invalid_coverage_date_names_the_format(reader, world):
    error = error_of(
        reader.get("/api/v1/programmes/kekiz/coverage/?date=31.12.2020"), 400, "invalid"
    )
    assert "JJJJ-MM-TT" in error["message"]
    assert "JJJJ-MM-TT" in error["details"]["date"][0]


@pytest.mark.django_db
def test_401_without_credentials(api, world):
    error_of(api.get("/api/v1/programmes/"), 401, "not_authenticated")


@pytest.mark.django_db
def test_403_for_a_read_only_token_writing(reader, world):
    error_of(reader.post("/api/v1/programmes/", {}, format="json"), 403, "permission_denied")


@pytest.mark.django_db
def test_404_for_an_unknown_ags(reader, world):
    error = error_of(reader.get("/api/v1/municipalities/05999/"), 404, "not_found")
    assert "05999" in error["message"]


@pytest.mark.django_db
def test_404_for_an_unknown_programme_and_for_its_coverage(reader, world):
    error_of(reader.get("/api/v1/programmes/gibtsnicht/"), 404, "not_found")
    error_of(reader.get("/api/v1/programmes/gibtsnicht/coverage/"), 404, "not_found")


@pytest.mark.django_db
def test_404_for_a_page_beyond_the_end(reader, world):
    error_of(reader.get("/api/v1/municipalities/?page=99"), 404, "not_found")


@pytest.mark.django_db
def test_404_for_an_address_the_api_does_not_have(reader):
    error = error_of(reader.get("/api/v1/gibtsnicht/"), 404, "not_found")
    assert "/api/v1/docs/" in error["message"]


@pytest.mark.django_db
def test_missing_trailing_slash_still_redirects(reader):
    response = reader.get("/api/v1/municipalities?kind=kreis")
    assert response.status_code == 301
    assert response["Location"] == "/api/v1/municipalities/?kind=kreis"


@pytest.mark.django_db
def test_405_for_a_method_the_endpoint_does_not_have(world):
    client = token_client(UserFactory(), read_only=False)
    response = client.delete("/api/v1/municipalities/05058/")
    error = error_of(response, 405, "method_not_allowed")
    assert "DELETE" in error["message"]


@pytest.mark.django_db
def test_429_when_throttled_says_how_long_to_wait(api, settings):
    allowed = int(settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]["token_login"].split("/")[0])
    for number in range(allowed):
        api.post("/api/v1/auth/token/", {"email": f"x{number}@example.org"}, format="json")
    response = api.post("/api/v1/auth/token/", {"email": "x@example.org"}, format="json")
    error = error_of(response, 429, "throttled")
    assert int(response["Retry-After"]) > 0
    assert error["details"]["retry_after"] == int(response["Retry-After"])


@pytest.mark.django_db
def test_malformed_json_is_400(world):
    client = token_client(UserFactory(), read_only=False)
    response = client.post(
        "/api/v1/auth/token/", data="{kein json", content_type="application/json"
    )
    error_of(response, 400, "parse_error")


@pytest.mark.django_db
def test_errors_of_a_csv_request_are_json(reader, world):
    response = reader.get("/api/v1/municipalities/?format=csv&kind=dorf")
    error_of(response, 400, "invalid")


@pytest.mark.django_db
def test_errors_of_a_geojson_request_are_json(reader, world):
    error_of(reader.get("/api/v1/municipalities/05058004/boundary/"), 404, "not_found")


@pytest.mark.django_db
def test_406_for_a_media_type_the_endpoint_cannot_serve(reader, world):
    response = reader.get("/api/v1/programmes/kekiz/", HTTP_ACCEPT="text/csv")
    error_of(response, 406, "not_acceptable")


@pytest.mark.django_db
def test_state_office_session_without_totp_is_403_in_the_error_format(api, world):
    api.force_login(StateRoleFactory(role="state_reviewer").user)
    error_of(api.get("/api/v1/municipalities/"), 403, "two_factor_required")


@pytest.mark.django_db
def test_406_of_the_geojson_endpoint_is_json_too(reader, world):
    response = reader.get("/api/v1/municipalities/05058/boundary/", HTTP_ACCEPT="text/html")
    error_of(response, 406, "not_acceptable")
