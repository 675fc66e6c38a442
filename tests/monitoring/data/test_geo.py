import json

import pytest

from municipalities.geo import BoundaryError, parse_geojson
from tests.factories import MunicipalityFactory

# A small square in Detmold (Kreis Lippe), and the Kreis as a larger square around it.
LON, LAT = 8.85, 51.93
SQUARE = [[LON, LAT], [LON + 0.01, LAT], [LON + 0.01, LAT + 0.01], [LON, LAT + 0.01], [LON, LAT]]


def polygon(*rings):
    return {"type": "Polygon", "coordinates": list(rings)}


@pytest.fixture
def nrw(db):
    return MunicipalityFactory(
        boundary=polygon([[8.5, 51.7], [9.3, 51.7], [9.3, 52.2], [8.5, 52.2], [8.5, 51.7]])
    )


def parse(data):
    return parse_geojson(json.dumps(data))


def test_accepts_feature_collection_feature_and_bare_geometry(nrw):
    geometry = polygon(SQUARE)
    assert parse(geometry) == geometry
    assert parse({"type": "Feature", "properties": {}, "geometry": geometry}) == geometry
    collection = {
        "type": "FeatureCollection",
        "features": [{"type": "Feature", "properties": {}, "geometry": geometry}],
    }
    assert parse(collection) == geometry
    multi = {"type": "MultiPolygon", "coordinates": [[SQUARE]]}
    assert parse(multi) == multi


def test_unclosed_ring_names_the_ring(nrw):
    hole = [
        [LON + 0.002, LAT + 0.002],
        [LON + 0.004, LAT + 0.002],
        [LON + 0.004, LAT + 0.004],
        [LON + 0.002, LAT + 0.004],
    ]
    with pytest.raises(BoundaryError, match="Ring 2 ist nicht geschlossen: erster und letzter"):
        parse(polygon(SQUARE, hole))


def test_self_intersection_is_refused(nrw):
    bowtie = [
        [LON, LAT],
        [LON + 0.01, LAT + 0.01],
        [LON + 0.01, LAT],
        [LON, LAT + 0.01],
        [LON, LAT],
    ]
    with pytest.raises(BoundaryError, match=r"Fläche ist ungültig .*Self-intersection"):
        parse(polygon(bowtie))


def test_outside_nrw_is_refused(nrw):
    munich = [[11.5, 48.1], [11.6, 48.1], [11.6, 48.2], [11.5, 48.2], [11.5, 48.1]]
    with pytest.raises(BoundaryError, match="außerhalb von Nordrhein-Westfalen"):
        parse(polygon(munich))
    # Inside NRW's bounding box but outside the loaded Kreis boundaries.
    cologne = [[6.9, 50.9], [7.0, 50.9], [7.0, 51.0], [6.9, 51.0], [6.9, 50.9]]
    with pytest.raises(BoundaryError, match="außerhalb von Nordrhein-Westfalen"):
        parse(polygon(cologne))


@pytest.mark.django_db
def test_without_kreis_boundaries_the_bounding_box_of_nrw_counts():
    cologne = [[6.9, 50.9], [7.0, 50.9], [7.0, 51.0], [6.9, 51.0], [6.9, 50.9]]
    assert parse(polygon(cologne))["type"] == "Polygon"
    with pytest.raises(BoundaryError, match="außerhalb von Nordrhein-Westfalen"):
        parse(polygon([[11.5, 48.1], [11.6, 48.1], [11.6, 48.2], [11.5, 48.2], [11.5, 48.1]]))


def test_projected_coordinates_are_explained(nrw):
    utm = [[480000, 5750000], [481000, 5750000], [481000, 5751000], [480000, 5750000]]
    with pytest.raises(BoundaryError, match="WGS84"):
        parse(polygon(utm))


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"type": "Point", "coordinates": [8.9, 51.9]}, "Typ „Point“. Erwartet wird eine Fläche"),
        ({"type": "LineString", "coordinates": [[8.9, 51.9], [8.95, 51.9]]}, "Typ „LineString“"),
        ({"type": "FeatureCollection", "features": []}, "enthält 0 Features"),
        ({"type": "Feature", "geometry": None}, "keine Geometrie"),
        ([1, 2], "das Feld „type“ fehlt"),
    ],
)
def test_wrong_types_are_explained(nrw, data, message):
    with pytest.raises(BoundaryError, match=message):
        parse(data)


def test_not_json(nrw):
    with pytest.raises(BoundaryError, match="kein gültiges GeoJSON"):
        parse_geojson(b"{kaputt")


def test_too_few_points(nrw):
    with pytest.raises(BoundaryError, match="Ring 1 hat nur 3 Punkte"):
        parse(polygon([[LON, LAT], [LON + 0.01, LAT], [LON, LAT]]))
