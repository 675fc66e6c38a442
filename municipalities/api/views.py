"""Read-only endpoints for programmes, participations, municipalities and coverage.

Every list is built with a fixed set of queries (joins, prefetches, DISTINCT ON for the latest
figures), so its cost does not grow with the number of rows.
"""

from django.db.models import Count, Prefetch, prefetch_related_objects
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_view,
)
from rest_framework import serializers
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound
from rest_framework.renderers import BrowsableAPIRenderer, JSONRenderer
from rest_framework.response import Response
from rest_framework.viewsets import ReadOnlyModelViewSet

from accounts.api.base import PortalApiViewMixin
from accounts.api.renderers import CSVRenderer, GeoJSONRenderer
from accounts.api.schema import error_response
from municipalities.api.filters import MunicipalityFilter, ParticipationFilter
from municipalities.api.serializers import (
    CoverageSerializer,
    MunicipalityCsvSerializer,
    MunicipalityDetailSerializer,
    MunicipalitySerializer,
    ParticipationSerializer,
    ProgrammeSerializer,
)
from municipalities.coverage import compute_coverage
from municipalities.models import Municipality, Participation, PopulationFigure, Programme
from municipalities.permissions import access_municipality

AGS_PARAMETER = OpenApiParameter(
    "ags",
    OpenApiTypes.STR,
    OpenApiParameter.PATH,
    description="Amtlicher Gemeindeschlüssel: 5 Ziffern (Kreis, kreisfreie Stadt, "
    "StädteRegion) oder 8 Ziffern (kreisangehörige Gemeinde), z. B. 05913 oder 05958004.",
    pattern=r"^05[0-9]{3}([0-9]{3})?$",
)
SLUG_PARAMETER = OpenApiParameter(
    "slug",
    OpenApiTypes.STR,
    OpenApiParameter.PATH,
    description="Kürzel des Programms, z. B. kekiz.",
)
GEOJSON_FEATURE = {
    "type": "object",
    "description": "GeoJSON-Feature (RFC 7946); `geometry` ist ein Polygon oder MultiPolygon.",
    "properties": {
        "type": {"type": "string", "enum": ["Feature"]},
        "id": {"type": "string", "description": "AGS."},
        "properties": {
            "type": "object",
            "properties": {
                "ags": {"type": "string"},
                "name": {"type": "string"},
                "kind": {"type": "string"},
            },
        },
        "geometry": {"type": "object", "additionalProperties": True},
    },
    "required": ["type", "id", "properties", "geometry"],
}


@extend_schema_view(
    list=extend_schema(
        summary="Programme",
        description="Alle Programme mit ihren Phasen und der Zahl der Teilnahmen.",
    ),
    retrieve=extend_schema(
        summary="Ein Programm",
        description="Ein Programm mit seinen Phasen.",
        parameters=[SLUG_PARAMETER],
    ),
)
@extend_schema(tags=["Programme"])
class ProgrammeViewSet(PortalApiViewMixin, ReadOnlyModelViewSet):
    serializer_class = ProgrammeSerializer
    lookup_field = "slug"
    filter_backends = []

    def get_queryset(self):
        if self.action == "coverage":
            return Programme.objects.all()
        # Aggregating queries drop Meta.ordering, so the order is named again for pagination.
        return (
            Programme.objects.annotate(participations_count=Count("participations"))
            .prefetch_related("phases")
            .order_by("name", "pk")
        )

    @extend_schema(
        summary="Abdeckung eines Programms an einem Stichtag",
        description=(
            "Kennzahlen, berechnet (nicht gespeichert) für das Bezugsdatum `date`: "
            "Teilnehmende, Anteil der kreisfreien Städte, der Kreise und der Gemeinden, "
            "abgedeckte Bevölkerung und Bevölkerung unter 18 Jahren. Jede Person zählt nur "
            "einmal, auch wenn eine teilnehmende Stadt in einem teilnehmenden Kreis liegt. "
            "Wo eine Zahl nicht exakt sein kann (keine Altersdaten für einzelne Gemeinden), "
            "stehen exakte Unter- und Obergrenzen (`exact: false`), `notes` erklärt warum. "
            "Prozentangaben sind Dezimalzeichenketten mit einer Nachkommastelle."
        ),
        parameters=[
            SLUG_PARAMETER,
            OpenApiParameter(
                "date",
                OpenApiTypes.DATE,
                OpenApiParameter.QUERY,
                description="Bezugsdatum im Format JJJJ-MM-TT (ISO 8601); Voreinstellung heute.",
            ),
        ],
        responses={
            200: CoverageSerializer,
            400: error_response(400, "Datum nicht im Format JJJJ-MM-TT."),
        },
    )
    @action(detail=True, methods=["get"], url_path="coverage", pagination_class=None)
    def coverage(self, request, slug=None):
        query = CoverageQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        programme = self.get_object()
        reference_date = query.validated_data.get("date") or timezone.localdate()
        return Response(CoverageSerializer(compute_coverage(programme, reference_date)).data)


class CoverageQuerySerializer(serializers.Serializer):
    date = serializers.DateField(
        required=False,
        input_formats=["%Y-%m-%d"],
        error_messages={
            "invalid": gettext_lazy(
                "Ungültiges Datum. Erwartet wird das Format JJJJ-MM-TT, z. B. 2020-12-31."
            )
        },
    )


@extend_schema_view(
    list=extend_schema(
        summary="Teilnahmen",
        description="Teilnahmen von Kommunen an Programmen, nach Programm, Jahrgang und Name.",
    ),
    retrieve=extend_schema(summary="Eine Teilnahme", description="Eine Teilnahme."),
)
@extend_schema(tags=["Teilnahmen"])
class ParticipationViewSet(PortalApiViewMixin, ReadOnlyModelViewSet):
    serializer_class = ParticipationSerializer
    filterset_class = ParticipationFilter
    queryset = Participation.objects.select_related("programme", "municipality")


def _latest_figures(*, under_18: bool) -> Prefetch:
    """The newest population figure per municipality, as one DISTINCT ON query for all rows."""
    figures = PopulationFigure.objects.order_by("municipality_id", "-reference_date").distinct(
        "municipality_id"
    )
    if under_18:
        figures = figures.filter(under_18__isnull=False)
    return Prefetch(
        "population_figures",
        queryset=figures,
        to_attr="latest_under_18" if under_18 else "latest_population",
    )


_PARTICIPATIONS = Prefetch(
    "participations", queryset=Participation.objects.select_related("programme")
)


@extend_schema_view(
    list=extend_schema(
        summary="Kommunen",
        description=(
            "Alle Kreise, kreisfreien Städte, die StädteRegion Aachen und alle "
            "kreisangehörigen Gemeinden Nordrhein-Westfalens, mit Kreis, jüngster "
            "Bevölkerungszahl und Teilnahmen. Grenzen stehen nicht in der Liste, sondern unter "
            "`/municipalities/{ags}/boundary/`.\n\n"
            "**CSV-Export:** `?format=csv` (oder Header `Accept: text/csv`) liefert alle "
            "gefilterten Zeilen ohne Seitenaufteilung als CSV (UTF-8, Komma, Kopfzeile) mit den "
            "Spalten ags, name, short_name, kind, regierungsbezirk, parent_ags, parent_name, "
            "area_km2, population_date, population, population_under_18_date, "
            "population_under_18, programmes (`programm:jahrgang`, mit `;` getrennt)."
        ),
        responses={
            (200, "application/json"): MunicipalitySerializer(many=True),
            (200, "text/csv"): OpenApiResponse(
                OpenApiTypes.STR, description="CSV-Export aller gefilterten Kommunen."
            ),
        },
    ),
    retrieve=extend_schema(
        summary="Eine Kommune",
        description="Eine Kommune mit allen Bevölkerungszahlen, ihren Gemeinden (bei Kreisen) "
        "und dem Verweis auf ihre Grenze.",
        parameters=[AGS_PARAMETER],
    ),
)
@extend_schema(tags=["Kommunen"])
class MunicipalityViewSet(PortalApiViewMixin, ReadOnlyModelViewSet):
    lookup_field = "ags"
    filterset_class = MunicipalityFilter
    csv_columns = MunicipalityCsvSerializer.Meta.fields

    def get_queryset(self):
        return (
            Municipality.objects.select_related("parent")
            .defer("boundary", "parent__boundary")
            .prefetch_related(
                _latest_figures(under_18=False), _latest_figures(under_18=True), _PARTICIPATIONS
            )
        )

    def get_serializer_class(self):
        if self.action == "retrieve":
            return MunicipalityDetailSerializer
        if self._wants_csv():
            return MunicipalityCsvSerializer
        return MunicipalitySerializer

    def get_renderers(self):
        # By route, not by self.action: a POST to the list has no action, and must still meet
        # the permission check (403/405) rather than a failed negotiation for ?format=csv.
        if self.action_map.get("get") == "list":
            return [JSONRenderer(), BrowsableAPIRenderer(), CSVRenderer()]
        return super().get_renderers()

    def _wants_csv(self) -> bool:
        return isinstance(getattr(self.request, "accepted_renderer", None), CSVRenderer)

    def list(self, request, *args, **kwargs):
        if not self._wants_csv():
            return super().list(request, *args, **kwargs)
        # An export is the whole filtered list: a spreadsheet of page 3 of 9 helps nobody.
        rows = self.get_serializer(self.filter_queryset(self.get_queryset()), many=True).data
        return Response(
            rows, headers={"Content-Disposition": 'attachment; filename="kommunen.csv"'}
        )

    def retrieve(self, request, *args, **kwargs):
        municipality = self._access(kwargs["ags"])
        prefetch_related_objects(
            [municipality],
            Prefetch(
                "population_figures",
                queryset=PopulationFigure.objects.order_by("reference_date"),
                to_attr="population_series",
            ),
            _PARTICIPATIONS,
            Prefetch("gemeinden", queryset=Municipality.objects.defer("boundary")),
        )
        series = municipality.population_series
        municipality.latest_population = series[-1:]
        municipality.latest_under_18 = [f for f in series if f.under_18 is not None][-1:]
        return Response(self.get_serializer(municipality).data)

    def _access(self, ags: str) -> Municipality:
        # Single objects are fetched through the permission module, like on the HTML side.
        pk = Municipality.objects.filter(ags=ags).values_list("pk", flat=True).first()
        if pk is None:
            raise NotFound(_("Eine Kommune mit dem AGS „%(ags)s“ gibt es nicht.") % {"ags": ags})
        return access_municipality(self.request.user, pk)

    @extend_schema(
        summary="Grenze einer Kommune als GeoJSON",
        description=(
            "Die Grenze als GeoJSON-Feature (RFC 7946, WGS 84), mit AGS, Name und Art als "
            "Eigenschaften. Grenzen liegen für die Kreisebene vor (Kreise, kreisfreie Städte, "
            "StädteRegion; Quelle VG5000 des BKG); für kreisangehörige Gemeinden antwortet der "
            "Endpunkt mit 404."
        ),
        parameters=[AGS_PARAMETER],
        responses={
            (200, "application/geo+json"): OpenApiResponse(
                GEOJSON_FEATURE, description="GeoJSON-Feature."
            ),
            (200, "application/json"): OpenApiResponse(
                GEOJSON_FEATURE, description="GeoJSON-Feature."
            ),
        },
    )
    @action(
        detail=True,
        methods=["get"],
        url_path="boundary",
        renderer_classes=[GeoJSONRenderer, JSONRenderer],
        pagination_class=None,
        filter_backends=[],
    )
    def boundary(self, request, ags=None):
        municipality = self._access(ags)
        if municipality.boundary is None:
            raise NotFound(
                _("Für „%(name)s“ liegt keine Grenze vor.") % {"name": municipality.short_name}
            )
        return Response(
            {
                "type": "Feature",
                "id": municipality.ags,
                "properties": {
                    "ags": municipality.ags,
                    "name": municipality.short_name,
                    "kind": municipality.kind,
                },
                "geometry": municipality.boundary,
            }
        )
