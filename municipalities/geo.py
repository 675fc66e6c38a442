"""Checks of uploaded boundaries (GeoJSON) before they are stored on a Sozialraum.

Uploads come from GIS desktops and web tools and are often slightly off: an unclosed ring, a
self-touching polygon, coordinates in a projected system (UTM) instead of WGS84. Each problem
gets a German message that says what to fix, not a shapely traceback.
"""

import json
from typing import Any

import shapely
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from shapely.geometry import shape
from shapely.validation import explain_validity

from municipalities.models import KREIS_LEVEL_KINDS, Municipality

# Roughly 1–2 km around the NRW boundary: the Kreis boundaries are generalised, so a
# Sozialraum along the state border may lie slightly outside them.
NRW_BUFFER_DEGREES = 0.02
# Bounding box of NRW (WGS84), used only when no Kreis boundaries are loaded.
NRW_BBOX = (5.86, 50.32, 9.46, 52.53)
POLYGON_TYPES = ("Polygon", "MultiPolygon")


class BoundaryError(ValidationError):
    """An uploaded boundary is not usable; the message says what is wrong."""


def parse_geojson(raw: bytes | str) -> dict[str, Any]:
    """Read a GeoJSON file (Feature, FeatureCollection with one feature, or a bare Polygon or
    MultiPolygon geometry) and return the checked geometry as a dict to store."""
    try:
        data = json.loads(raw)
    except (UnicodeDecodeError, ValueError) as exc:
        raise BoundaryError(
            _("Die Datei ist kein gültiges GeoJSON (JSON-Fehler: %(error)s).") % {"error": exc}
        ) from None
    geometry = _extract_geometry(data)
    validate_geometry(geometry)
    return geometry


def _extract_geometry(data) -> dict[str, Any]:
    if not isinstance(data, dict) or "type" not in data:
        raise BoundaryError(_("Die Datei ist kein GeoJSON-Objekt: das Feld „type“ fehlt."))
    kind = data["type"]
    if kind == "FeatureCollection":
        features = data.get("features") or []
        if len(features) != 1:
            raise BoundaryError(
                _(
                    "Die FeatureCollection enthält %(count)d Features; erwartet wird genau eines "
                    "– die Grenze dieses Sozialraums."
                )
                % {"count": len(features)}
            )
        return _extract_geometry(features[0])
    if kind == "Feature":
        geometry = data.get("geometry")
        if not geometry:
            raise BoundaryError(_("Das Feature hat keine Geometrie."))
        return _extract_geometry(geometry)
    if kind not in POLYGON_TYPES:
        raise BoundaryError(
            _(
                "Die Geometrie hat den Typ „%(kind)s“. Erwartet wird eine Fläche: Polygon oder "
                "MultiPolygon."
            )
            % {"kind": kind}
        )
    return {"type": kind, "coordinates": data.get("coordinates")}


def _polygons(geometry: dict[str, Any]) -> list:
    coordinates = geometry.get("coordinates")
    if not isinstance(coordinates, list) or not coordinates:
        raise BoundaryError(_("Die Geometrie enthält keine Koordinaten."))
    return coordinates if geometry["type"] == "MultiPolygon" else [coordinates]


def _check_rings(geometry: dict[str, Any]) -> None:
    """Rings are counted across the whole geometry (1, 2, …) as a GIS user would count them."""
    number = 0
    for polygon in _polygons(geometry):
        if not isinstance(polygon, list) or not polygon:
            raise BoundaryError(_("Ein Polygon der Geometrie hat keine Ringe."))
        for ring in polygon:
            number += 1
            if not isinstance(ring, list) or any(
                not isinstance(point, list)
                or len(point) < 2
                or not all(isinstance(c, int | float) for c in point[:2])
                for point in ring
            ):
                raise BoundaryError(
                    _("Ring %(number)d enthält Punkte, die keine Koordinatenpaare sind.")
                    % {"number": number}
                )
            if len(ring) < 4:
                raise BoundaryError(
                    _(
                        "Ring %(number)d hat nur %(count)d Punkte; eine Fläche braucht mindestens "
                        "vier (drei Ecken und den wiederholten Anfangspunkt)."
                    )
                    % {"number": number, "count": len(ring)}
                )
            if ring[0][:2] != ring[-1][:2]:
                raise BoundaryError(
                    _(
                        "Ring %(number)d ist nicht geschlossen: erster und letzter Punkt "
                        "unterscheiden sich."
                    )
                    % {"number": number}
                )
            for lon, lat in (point[:2] for point in ring):
                if not (-180 <= lon <= 180 and -90 <= lat <= 90):
                    raise BoundaryError(
                        _(
                            "Ring %(number)d enthält die Koordinate (%(lon)s, %(lat)s), die keine "
                            "geografische Länge/Breite ist. Bitte die Grenze in WGS84 "
                            "(EPSG:4326) exportieren, nicht in UTM oder Gauß-Krüger."
                        )
                        % {"number": number, "lon": lon, "lat": lat}
                    )


def nrw_area():
    """The area a boundary must lie in: the union of the Kreis boundaries, a little buffered."""
    boundaries = [
        shape(b)
        for b in Municipality.objects.filter(
            kind__in=KREIS_LEVEL_KINDS, boundary__isnull=False
        ).values_list("boundary", flat=True)
    ]
    if not boundaries:
        return shapely.box(*NRW_BBOX)
    return shapely.union_all(boundaries).buffer(NRW_BUFFER_DEGREES)


def validate_geometry(geometry: dict[str, Any]) -> None:
    """Closed rings, a valid area (no self-intersection), WGS84 coordinates inside NRW."""
    _check_rings(geometry)
    geom = shape(geometry)
    if not geom.is_valid:
        raise BoundaryError(
            _(
                "Die Fläche ist ungültig (%(reason)s). Meist schneidet sich eine Grenzlinie "
                "selbst oder zwei Teilflächen überlappen; bitte im GIS korrigieren, z. B. mit "
                "„Geometrie reparieren“."
            )
            % {"reason": explain_validity(geom)}
        )
    if geom.is_empty or geom.area == 0:
        raise BoundaryError(_("Die Fläche hat keine Ausdehnung."))
    if not nrw_area().contains(geom):
        raise BoundaryError(
            _(
                "Die Grenze liegt ganz oder teilweise außerhalb von Nordrhein-Westfalen. Bitte "
                "prüfen Sie, ob die Koordinaten in WGS84 (Länge, Breite) vorliegen und nicht "
                "vertauscht sind."
            )
        )
