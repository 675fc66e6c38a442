import json
from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from municipalities import sozialraeume as services
from municipalities.models import Sozialraum, SozialraumLevel, SozialraumPopulation

INSIDE = {
    "type": "Polygon",
    "coordinates": [[[8.8, 51.9], [8.9, 51.9], [8.9, 52.0], [8.8, 52.0], [8.8, 51.9]]],
}


def test_create_nests_and_refuses_overlapping_versions(personas, data):
    a = personas.municipality_a
    area = services.create_sozialraum(
        actor=personas.coordinator_a,
        municipality=a,
        code="1.3",
        name="Weststadt",
        parent=data["district"],
        valid_from=date(2020, 1, 1),
    )
    assert area.parent == data["district"]
    with pytest.raises(services.SozialraumError, match="überschneidet"):
        services.create_sozialraum(
            actor=personas.coordinator_a,
            municipality=a,
            code="1.3",
            name="Weststadt neu",
            valid_from=date(2021, 1, 1),
        )
    with pytest.raises(services.SozialraumError, match="Übergeordnet kann nur ein Stadtbezirk"):
        services.create_sozialraum(
            actor=personas.coordinator_a,
            municipality=a,
            code="1.4",
            name="X",
            parent=data["north"],
            valid_from=date(2020, 1, 1),
        )
    with pytest.raises(services.SozialraumError, match="anderen Kommune"):
        services.create_sozialraum(
            actor=personas.coordinator_a,
            municipality=personas.municipality_b,
            code="1.4",
            name="X",
            parent=data["district"],
            valid_from=date(2020, 1, 1),
        )


def test_new_version_ends_the_old_one(personas, data):
    new = services.create_new_version(
        actor=personas.coordinator_a, sozialraum=data["north"], valid_from=date(2024, 1, 1)
    )
    data["north"].refresh_from_db()
    assert data["north"].valid_to == date(2023, 12, 31)
    assert (new.code, new.valid_from, new.valid_to) == ("1.1", date(2024, 1, 1), None)
    assert new.parent == data["district"]
    # The old version keeps its observations.
    assert data["observation"].sozialraum_id == data["north"].pk
    with pytest.raises(services.SozialraumError, match="neuere Version"):
        services.create_new_version(
            actor=personas.coordinator_a, sozialraum=data["north"], valid_from=date(2023, 6, 1)
        )


def test_population_paste_with_header_and_open_band(personas, data):
    rows = services.parse_population(
        "Jahr;Alter von;Alter bis unter;Anzahl\n2023;0;3;412\n2023;3;6;1.380\n2023;65;;2100\n"
    )
    created, updated = services.set_population(
        actor=personas.coordinator_a, sozialraum=data["north"], rows=rows
    )
    assert (created, updated) == (3, 0)
    rows = services.parse_population("2023\t0\t3\t420")
    assert services.set_population(
        actor=personas.coordinator_a, sozialraum=data["north"], rows=rows
    ) == (0, 1)
    assert SozialraumPopulation.objects.get(age_from=3).count == 1380
    assert SozialraumPopulation.objects.get(age_from=65).age_to is None


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("2023;0;3", "Zeile 1 hat 3 Spalten"),
        ("2023;0;3;viele", "Zeile 1: „Anzahl“ ist keine ganze Zahl"),
        ("2023;5;3;10", "Zeile 1: „Alter bis unter“ muss größer sein"),
        ("2023;0;3;10\n2023;0;3;11", "Zeile 2: diese Altersgruppe steht"),
        ("Jahr;von;bis;Anzahl", "nur eine Kopfzeile"),
    ],
)
def test_population_paste_errors(text, message):
    with pytest.raises(services.SozialraumError, match=message):
        services.parse_population(text)


def test_boundary_upload_page(client, personas, data):
    client.force_login(personas.coordinator_a)
    url = reverse("monitoring:sozialraum_boundary", args=[data["north"].pk])
    broken = dict(INSIDE, coordinates=[[*INSIDE["coordinates"][0][:-1], [8.85, 51.95]]])
    upload = SimpleUploadedFile("grenze.geojson", json.dumps(broken).encode())
    content = client.post(url, {"boundary": upload}).content.decode()
    assert "Ring 1 ist nicht geschlossen" in content
    assert Sozialraum.objects.get(pk=data["north"].pk).boundary is None
    upload = SimpleUploadedFile(
        "grenze.geojson", json.dumps({"type": "Feature", "geometry": INSIDE}).encode()
    )
    response = client.post(url, {"boundary": upload})
    assert response.status_code == 302
    assert Sozialraum.objects.get(pk=data["north"].pk).boundary == INSIDE


def test_create_page_keeps_input_on_error(client, personas, data):
    client.force_login(personas.coordinator_a)
    url = reverse("monitoring:sozialraum_create", args=[personas.municipality_a.slug])
    payload = {
        "code": "1.1",
        "name": "Doppelt",
        "level": SozialraumLevel.SOZIALRAUM,
        "valid_from": "2015-01-01",
    }
    content = client.post(url, payload).content.decode()
    assert "überschneidet" in content
    assert 'value="Doppelt"' in content
    payload["code"] = "2"
    payload["level"] = SozialraumLevel.STADTBEZIRK
    assert client.post(url, payload).status_code == 302
    assert Sozialraum.objects.filter(code="2", municipality=personas.municipality_a).exists()


def test_list_nests_areas_under_their_district(client, personas, data):
    client.force_login(personas.viewer_a)
    content = client.get(
        reverse("monitoring:sozialraum_list", args=[personas.municipality_a.slug])
    ).content.decode()
    assert content.index("Bezirk Mitte") < content.index("Nordstadt") < content.index("Südstadt")
    assert "Anderswo" not in content


def test_population_page_saves(client, personas, data):
    client.force_login(personas.coordinator_a)
    url = reverse("monitoring:sozialraum_population", args=[data["south"].pk])
    response = client.post(url, {"rows": "2022;0;3;5;9"})
    assert "Zeile 1 hat 5 Spalten" in response.content.decode()
    assert client.post(url, {"rows": "2022;0;3;55"}).status_code == 302
    assert data["south"].population.get().count == 55


def test_new_version_page_with_boundary(client, personas, data):
    client.force_login(personas.coordinator_a)
    url = reverse("monitoring:sozialraum_new_version", args=[data["south"].pk])
    upload = SimpleUploadedFile("grenze.geojson", json.dumps(INSIDE).encode())
    response = client.post(url, {"valid_from": "2025-01-01", "boundary": upload})
    assert response.status_code == 302
    new = Sozialraum.objects.get(code="1.2", valid_from=date(2025, 1, 1))
    assert new.boundary == INSIDE
    assert new.name == "Südstadt"


def test_local_indicator_code_unique_per_municipality(client, personas, data):
    client.force_login(personas.coordinator_a)
    url = reverse("monitoring:local_indicators", args=[personas.municipality_a.slug])
    payload = {
        "code": "LOKAL_1",
        "name": "Familienzentrumsbesuche",
        "theme": "Frühe Hilfen",
        "numerator": "Besuche",
        "denominator": "Kinder unter 6",
        "factor": "100",
        "unit": "%",
        "period_type": "kalenderjahr",
        "spatial_reference": "wohnort",
        "source": "eigene Zählung",
        "direction": "higher_is_better",
        "min_cases": "3",
    }
    assert client.post(url, payload).status_code == 302
    content = client.post(url, payload).content.decode()
    assert "schon einen Indikator mit der Kennung LOKAL_1" in content
    client.force_login(personas.coordinator_b)
    url_b = reverse("monitoring:local_indicators", args=[personas.municipality_b.slug])
    assert client.post(url_b, payload).status_code == 302
