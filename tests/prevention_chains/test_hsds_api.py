"""The Open Referral HSDS 3.0 export: API metadata, /services, /services/{id}, data package;
every object validated against the vendored HSDS schema (tests/prevention_chains/hsds_schema)."""

import csv
import io
import json
import uuid
import zipfile
from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from prevention_chains.hsds.ids import Kind, hsds_id, parse, service_id
from prevention_chains.models import Offering, OfferingStatus
from tests.factories_chains import (
    ActorFactory,
    FieldOfActionFactory,
    LifePhaseFactory,
    OfferingFactory,
    OfferingLocationFactory,
    TargetGroupFactory,
)
from tests.prevention_chains.finder_world import assert_valid, schema, tabular_fields

SERVICES = reverse("hsds-services")


def service_url(offering) -> str:
    return reverse("hsds-service", args=[service_id(offering.pk)])


@pytest.fixture
def town(db, personas):
    return personas.municipality_a


def full_offering(town, **values):
    phase = LifePhaseFactory(slug="hsds-kita", name="Kita (HSDS-Test)", age_from=3, age_to=6)
    field = FieldOfActionFactory(slug="hsds-bildung", name="Bildung (HSDS-Test)")
    group = TargetGroupFactory(slug="hsds-zugewanderte", name="Zugewanderte (HSDS-Test)")
    offering = OfferingFactory(
        municipality=town,
        title="Rucksack Kita",
        description="Sprachförderung für Kinder und Eltern.",
        provider=ActorFactory(municipality=town, email="info@traeger.example.org"),
        life_phases=[phase],
        fields_of_action=[field],
        target_groups=[group],
        age_from=3,
        age_to=6,
        languages=["de", "tr"],
        schedule="montags 15–17 Uhr",
        contact_name="Frau Demir",
        contact_email="rucksack@example.org",
        contact_phone="0231 1234",
        website="https://example.org/rucksack",
        last_confirmed_on=date(2025, 1, 15),
        **values,
    )
    OfferingLocationFactory(offering=offering)
    OfferingLocationFactory(offering=offering, name="Online-Treff", street="", postcode="", city="")
    return offering


def test_root_names_version_profile_and_openapi(client, db):
    data = client.get(reverse("hsds-root")).json()
    assert data["version"] == "3.0"
    assert data["openapi_url"].endswith("/specification/3.0/schema/openapi.json")
    assert data["profile"].startswith("https://")
    assert data["datapackage_url"].endswith("/api/hsds/datapackage.zip")


def test_services_are_public_paginated_and_valid(client, town):
    offerings = [full_offering(town)] + [OfferingFactory(municipality=town) for _ in range(4)]
    OfferingFactory(municipality=town, status=OfferingStatus.DRAFT)
    data = client.get(SERVICES, {"per_page": 2, "page": 2}).json()
    assert {k: v for k, v in data.items() if k != "contents"} == {
        "total_items": 5,
        "total_pages": 3,
        "page_number": 2,
        "size": 2,
        "first_page": False,
        "last_page": False,
        "empty": False,
    }
    ids = [item["id"] for item in data["contents"]]
    assert ids == [service_id(o.pk) for o in offerings[2:4]]
    everything = client.get(SERVICES).json()
    assert everything["total_items"] == 5
    for item in everything["contents"]:
        assert_valid("service", item)
        assert item["status"] == "active"


def test_service_list_maps_the_offering(client, town):
    offering = full_offering(town)
    item = client.get(SERVICES).json()["contents"][0]
    assert item["name"] == "Rucksack Kita"
    assert item["minimum_age"] == 3
    assert item["maximum_age"] == 5  # HSDS counts the upper age inclusively
    assert item["assured_date"] == "2025-01-15"
    assert item["organization_id"] == hsds_id(Kind.ORGANIZATION_ACTOR, offering.provider_id)
    assert item["fees_description"] == "kostenfrei"


def test_an_empty_directory_is_an_empty_page(client, db):
    data = client.get(SERVICES).json()
    assert data["empty"] is True
    assert data["contents"] == []
    assert data["total_items"] == 0


@pytest.mark.parametrize(
    "params", [{"page": "0"}, {"per_page": "x"}, {"modified_after": "gestern"}]
)
def test_bad_parameters_are_400_with_a_reason(client, db, params):
    response = client.get(SERVICES, params)
    assert response.status_code == 400
    assert response.json()["detail"]


def test_search_taxonomy_term_and_modified_after_filter_cumulatively(client, town):
    tagged = full_offering(town)
    OfferingFactory(municipality=town, title="Fußballverein", description="Training für Kinder")
    old = OfferingFactory(municipality=town, title="Alte Sprachförderung")
    Offering.objects.filter(pk=old.pk).update(updated_at=timezone.now() - timedelta(days=400))
    by_search = client.get(SERVICES, {"search": "Sprachförderungen"}).json()
    assert {i["name"] for i in by_search["contents"]} == {"Rucksack Kita", "Alte Sprachförderung"}
    term = hsds_id(Kind.TERM_LIFE_PHASE, tagged.life_phases.get().pk)
    assert [
        i["name"] for i in client.get(SERVICES, {"taxonomy_term_id": term}).json()["contents"]
    ] == ["Rucksack Kita"]
    recent = (timezone.now() - timedelta(days=30)).date().isoformat()
    combined = client.get(SERVICES, {"search": "Sprachförderung", "modified_after": recent}).json()
    assert [i["name"] for i in combined["contents"]] == ["Rucksack Kita"]
    unknown = client.get(SERVICES, {"taxonomy_term_id": str(uuid.uuid4())}).json()
    assert unknown["total_items"] == 0


def test_list_queries_do_not_grow_with_the_page(client, town, django_assert_max_num_queries):
    full_offering(town)
    OfferingFactory.create_batch(2, municipality=town)
    with django_assert_max_num_queries(2):
        client.get(SERVICES)
    for _ in range(30):
        OfferingFactory(municipality=town)
    with django_assert_max_num_queries(2):
        assert len(client.get(SERVICES).json()["contents"]) == 33


def test_full_service_is_valid_and_complete(client, town):
    offering = full_offering(town)
    response = client.get(service_url(offering))
    assert response.status_code == 200
    data = response.json()
    assert_valid("service", data)
    assert data["organization"]["name"] == offering.provider.name
    assert [s["location"]["name"] for s in data["service_at_locations"]] == [
        "Familienzentrum am Markt",
        "Online-Treff",
    ]
    address = data["service_at_locations"][0]["location"]["addresses"][0]
    assert address["address_1"] == "Marktplatz 1"
    assert address["postal_code"] == "32756"
    assert address["state_province"] == "Nordrhein-Westfalen"
    assert address["country"] == "DE"
    assert data["service_at_locations"][1]["location"]["addresses"] == []
    assert [(lang["code"], lang["name"]) for lang in data["languages"]] == [
        ("de", "Deutsch"),
        ("tr", "Türkisch"),
    ]
    assert data["phones"][0]["number"] == "0231 1234"
    assert data["contacts"][0]["name"] == "Frau Demir"
    assert data["schedules"][0]["description"] == "montags 15–17 Uhr"
    assert data["cost_options"][0]["amount"] == 0
    assert {(a["link_type"], a["taxonomy_term"]["name"]) for a in data["attributes"]} == {
        ("life_phase", "Kita (HSDS-Test)"),
        ("field_of_action", "Bildung (HSDS-Test)"),
        ("target_group", "Zugewanderte (HSDS-Test)"),
    }


def test_offering_without_provider_is_served_by_its_municipality(client, town):
    offering = OfferingFactory(municipality=town, is_free=False, cost_note="5 € je Treffen")
    data = client.get(service_url(offering)).json()
    assert_valid("service", data)
    assert data["organization"]["name"] == town.name
    assert data["organization_id"] == hsds_id(Kind.ORGANIZATION_MUNICIPALITY, town.pk)
    assert data["cost_options"][0]["amount_description"] == "5 € je Treffen"
    assert "amount" not in data["cost_options"][0]


def test_full_service_needs_a_fixed_number_of_queries(client, town, django_assert_max_num_queries):
    offering = full_offering(town)
    with django_assert_max_num_queries(6):
        client.get(service_url(offering))


@pytest.mark.parametrize("status", ["draft", "paused", "ended"])
def test_unpublished_services_do_not_exist(client, town, status):
    offering = OfferingFactory(municipality=town, status=status)
    response = client.get(service_url(offering))
    assert response.status_code == 404
    assert response.json()["detail"]


def test_unknown_service_ids_are_404(client, town):
    offering = full_offering(town)
    place = offering.locations.first()
    ours = service_id(offering.pk)
    for value in (
        "nicht-eine-uuid",
        "00000000-0000-0000-0000-000000000000",
        str(uuid.uuid4()),
        hsds_id(Kind.LOCATION, place.pk),  # one of ours, but not a service
        ours.replace("-8000-8000-", "-4000-8000-"),  # our prefix, another version
        ours.replace("4b454b5a", "4b454b5b"),  # another publisher's prefix
        service_id(offering.pk + 1000),  # no such offering
    ):
        assert client.get(reverse("hsds-service", args=[value])).status_code == 404, value
    assert client.get(reverse("hsds-service", args=[ours])).status_code == 200


def test_service_ids_read_back_without_any_state(client, town):
    """The id holds the offering's key: any process finds it, also one started after the
    offering was created, and the uppercase spelling of a UUID is the same id."""
    offering = OfferingFactory(municipality=town)
    value = service_id(offering.pk)
    assert value == f"4b454b5a-0001-8000-8000-{offering.pk:012x}"
    response = client.get(reverse("hsds-service", args=[value.upper()]))
    assert response.status_code == 200
    assert response.json()["id"] == value


def _package(client) -> zipfile.ZipFile:
    response = client.get(reverse("hsds-datapackage"))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    return zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))


def _rows(archive, path) -> tuple[list[str], list[dict]]:
    reader = csv.DictReader(io.StringIO(archive.read(path).decode("utf-8")))
    return reader.fieldnames, list(reader)


def test_data_package_tables_follow_the_hsds_schema(client, town):
    full_offering(town)
    OfferingFactory(municipality=town, status=OfferingStatus.DRAFT)
    archive = _package(client)
    descriptor = json.loads(archive.read("datapackage.json"))
    assert descriptor["profile"] == "tabular-data-package"
    resources = {r["name"]: r for r in descriptor["resources"]}
    for name in (
        "service",
        "organization",
        "location",
        "service_at_location",
        "address",
        "phone",
        "language",
        "taxonomy",
        "taxonomy_term",
        "attribute",
        "contact",
        "schedule",
        "cost_option",
    ):
        resource = resources[name]
        assert resource["path"] == schema(name)["path"]
        header, rows = _rows(archive, resource["path"])
        assert header == tabular_fields(name), name
        assert [f["name"] for f in resource["schema"]["fields"]] == header
        for row in rows:
            for field in schema(name).get("required", []):
                assert row[field] != "" or field == "address_1", (name, field)


def test_data_package_holds_only_published_offerings_with_their_rows(client, town):
    offering = full_offering(town)
    OfferingFactory(municipality=town, status=OfferingStatus.DRAFT, languages=["ar"])
    archive = _package(client)
    _, services = _rows(archive, "services.csv")
    assert [s["name"] for s in services] == ["Rucksack Kita"]
    _, languages = _rows(archive, "languages.csv")
    assert sorted(lang["code"] for lang in languages) == ["de", "tr"]
    _, locations = _rows(archive, "locations.csv")
    _, addresses = _rows(archive, "addresses.csv")
    _, links = _rows(archive, "service_at_location.csv")
    assert len(locations) == len(links) == 2
    assert len(addresses) == 1
    assert {link["service_id"] for link in links} == {services[0]["id"]}
    _, organizations = _rows(archive, "organizations.csv")
    assert [o["name"] for o in organizations] == [offering.provider.name]
    _, attributes = _rows(archive, "attributes.csv")
    _, terms = _rows(archive, "taxonomy_terms.csv")
    term_ids = {t["id"] for t in terms}
    assert len(attributes) == 3
    assert {a["taxonomy_term_id"] for a in attributes} <= term_ids


def test_data_package_ids_are_ours_and_unique(client, town):
    full_offering(town)
    OfferingFactory(municipality=town, languages=["de", "ar"])
    archive = _package(client)
    descriptor = json.loads(archive.read("datapackage.json"))
    seen = set()
    for resource in descriptor["resources"]:
        _, rows = _rows(archive, resource["path"])
        for row in rows:
            assert parse(row["id"]) is not None, (resource["name"], row["id"])
            assert row["id"] not in seen, (resource["name"], row["id"])
            seen.add(row["id"])
