"""Monitoring endpoints. Thin: the permission module decides what exists for the caller (404
otherwise), monitoring.selectors applies disclosure control, the serializers only format."""

from decimal import Decimal

from django.db import connection
from django.db.models import BooleanField, Exists, ExpressionWrapper, OuterRef, Q
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_view,
)
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.renderers import BrowsableAPIRenderer, JSONRenderer
from rest_framework.response import Response
from rest_framework.viewsets import GenericViewSet, ReadOnlyModelViewSet

from accounts.api.base import PortalApiViewMixin
from accounts.api.renderers import CSVRenderer, GeoJSONRenderer
from accounts.api.schema import error_response
from monitoring import need_index, selectors
from monitoring.api.filters import IndicatorFilter, NeedIndexFilter, SozialraumFilter
from monitoring.api.serializers import (
    GEOJSON_FEATURE_COLLECTION,
    IndicatorSerializer,
    NeedIndexComponentSerializer,
    NeedIndexDetailSerializer,
    NeedIndexSerializer,
    ObservationQuerySerializer,
    ObservationSerializer,
    SozialraumSerializer,
)
from monitoring.api.tables import DisclosedTable
from monitoring.models import DataApproval, Indicator, NeedIndex
from monitoring.permissions import access_local_indicator, access_sozialraum
from municipalities.models import Municipality, Sozialraum
from municipalities.permissions import (
    access_municipality_internal,
    internal_municipality_by_ags,
    roles_by_municipality,
)

ID_PARAMETER = OpenApiParameter(
    "id", OpenApiTypes.INT, OpenApiParameter.PATH, description="Kennung im Portal."
)


def readable_municipality_ids(user) -> set[int] | None:
    """Municipalities whose internal work the user reads; None means all (state office).
    The same rule as municipalities.permissions.can_read_internal, as a filter for lists."""
    if selectors.is_state_office(user):
        return None
    return set(roles_by_municipality(user))


def _within(queryset, user, field: str):
    ids = readable_municipality_ids(user)
    return queryset if ids is None else queryset.filter(**{f"{field}__in": ids})


@extend_schema_view(
    list=extend_schema(
        summary="Indikatoren",
        description=(
            "Der landesweite Indikatorenkatalog mit dem Metadatenblatt jedes Indikators "
            "(Definition, Zähler und Nenner, Faktor, Einheit, Zeit- und Raumbezug, Quelle, "
            "Richtung, Mindestfallzahl k, Hinweise) und die lokalen Indikatoren der Kommunen, "
            "deren Monitoring Sie sehen dürfen."
        ),
    ),
    retrieve=extend_schema(
        summary="Ein Indikator",
        description="Ein Indikator mit seinem Metadatenblatt. Lokale Indikatoren anderer "
        "Kommunen gibt es für Sie nicht (404).",
        parameters=[ID_PARAMETER],
    ),
)
@extend_schema(tags=["Monitoring"])
class IndicatorViewSet(PortalApiViewMixin, ReadOnlyModelViewSet):
    serializer_class = IndicatorSerializer
    filterset_class = IndicatorFilter

    def get_queryset(self):
        ids = readable_municipality_ids(self.request.user)
        indicators = Indicator.objects.select_related("municipality").only(
            *[f.name for f in Indicator._meta.concrete_fields if f.name != "municipality"],
            "municipality__ags",
        )
        if ids is not None:
            indicators = indicators.filter(Q(municipality__isnull=True) | Q(municipality__in=ids))
        # The catalogue first, then local indicators; pk keeps pages stable.
        return indicators.order_by("municipality__ags", "theme", "name", "pk")

    def retrieve(self, request, *args, **kwargs):
        indicator = Indicator.objects.select_related("municipality").filter(pk=kwargs["pk"])
        indicator = indicator.first() if str(kwargs["pk"]).isdigit() else None
        if indicator is None or indicator.municipality_id is not None:
            # A local indicator goes through the permission module (404 outside the rights).
            indicator = access_local_indicator(request.user, kwargs["pk"])
        return Response(self.get_serializer(indicator).data)


@extend_schema_view(
    list=extend_schema(
        summary="Sozialräume",
        description=(
            "Die Sozialräume (und Stadtbezirke) der Kommunen, deren Monitoring Sie sehen "
            "dürfen: Mitglieder einer Kommune ihre eigenen, die Landeskoordinierungsstelle "
            "alle. Grenzen stehen nicht in der Liste, sondern als GeoJSON unter "
            "`/sozialraeume/geojson/`."
        ),
    ),
    retrieve=extend_schema(
        summary="Ein Sozialraum",
        description="Ein Sozialraum; außerhalb Ihrer Rechte gibt es ihn nicht (404).",
        parameters=[ID_PARAMETER],
    ),
)
@extend_schema(tags=["Monitoring"])
class SozialraumViewSet(PortalApiViewMixin, ReadOnlyModelViewSet):
    serializer_class = SozialraumSerializer
    filterset_class = SozialraumFilter

    def get_queryset(self):
        sozialraeume = (
            Sozialraum.objects.select_related("municipality")
            .defer("boundary")
            .annotate(
                has_boundary=ExpressionWrapper(
                    Q(boundary__isnull=False), output_field=BooleanField()
                )
            )
        )
        return _within(sozialraeume, self.request.user, "municipality_id").order_by(
            "municipality__ags", "code", "valid_from", "pk"
        )

    def retrieve(self, request, *args, **kwargs):
        sozialraum = access_sozialraum(request.user, kwargs["pk"])
        sozialraum.has_boundary = sozialraum.boundary is not None
        return Response(self.get_serializer(sozialraum).data)

    @extend_schema(
        summary="Sozialräume einer Kommune als GeoJSON",
        description=(
            "Die Grenzen der Sozialräume einer Kommune als GeoJSON-FeatureCollection "
            "(RFC 7946, WGS 84), ohne Seitenaufteilung. `municipality` (AGS) ist Pflicht; "
            "mit `valid_on` nur die am Stichtag gültigen Zuschnitte – für eine Karte sollten "
            "Sie ihn angeben, sonst überlagern sich alte und neue Grenzen. Sozialräume ohne "
            "Grenze fehlen in der Sammlung."
        ),
        responses={
            (200, "application/geo+json"): OpenApiResponse(
                GEOJSON_FEATURE_COLLECTION, description="GeoJSON-FeatureCollection."
            ),
            (200, "application/json"): OpenApiResponse(
                GEOJSON_FEATURE_COLLECTION, description="GeoJSON-FeatureCollection."
            ),
            400: error_response(400, "`municipality` fehlt oder ein Filterwert ist ungültig."),
        },
    )
    @action(
        detail=False,
        methods=["get"],
        url_path="geojson",
        renderer_classes=[GeoJSONRenderer, JSONRenderer],
        pagination_class=None,
    )
    def geojson(self, request):
        if not request.query_params.get("municipality"):
            raise ValidationError(
                {"municipality": [_("Bitte den AGS der Kommune angeben, z. B. 05913.")]}
            )
        sozialraeume = self.filter_queryset(self.get_queryset())
        # A municipality outside the caller's rights does not exist for it, as everywhere.
        municipality_id = (
            Municipality.objects.filter(ags=request.query_params["municipality"])
            .values_list("pk", flat=True)
            .first()
        )
        access_municipality_internal(request.user, municipality_id)
        sozialraeume = sozialraeume.filter(boundary__isnull=False).values(
            "pk",
            "municipality__ags",
            "code",
            "name",
            "level",
            "parent_id",
            "valid_from",
            "valid_to",
            "boundary",
        )
        features = [
            {
                "type": "Feature",
                "id": row["pk"],
                "properties": {
                    "municipality": row["municipality__ags"],
                    "code": row["code"],
                    "name": row["name"],
                    "level": row["level"],
                    "parent": row["parent_id"],
                    "valid_from": row["valid_from"].isoformat(),
                    "valid_to": row["valid_to"].isoformat() if row["valid_to"] else None,
                },
                "geometry": row["boundary"],
            }
            for row in sozialraeume
        ]
        return Response({"type": "FeatureCollection", "features": features})


CSV_COLUMNS = [
    "indicator",
    "indicator_name",
    "sozialraum",
    "sozialraum_name",
    "period",
    "numerator",
    "denominator",
    "value",
    "unit",
    "suppressed",
    "reason",
]
# A hidden cell in a file reads like the statistics offices' own tables.
SUPPRESSED_MARK = "."

OBSERVATION_PARAMETERS = [
    OpenApiParameter(
        "municipality",
        OpenApiTypes.STR,
        OpenApiParameter.QUERY,
        required=True,
        description="AGS der Kommune (Pflicht), z. B. 05913.",
    ),
    OpenApiParameter(
        "indicator",
        OpenApiTypes.STR,
        OpenApiParameter.QUERY,
        description="Kennung(en) von Indikatoren, mit Komma getrennt, z. B. `SGB2_U15,SGB2_U3`.",
    ),
    OpenApiParameter(
        "sozialraum",
        OpenApiTypes.STR,
        OpenApiParameter.QUERY,
        description="Kennung(en) von Sozialräumen der Kommune, mit Komma getrennt; ohne "
        "Angabe alle.",
    ),
    OpenApiParameter(
        "period_from", OpenApiTypes.INT, OpenApiParameter.QUERY, description="Ab diesem Jahr."
    ),
    OpenApiParameter(
        "period_to", OpenApiTypes.INT, OpenApiParameter.QUERY, description="Bis zu diesem Jahr."
    ),
    OpenApiParameter(
        "totals",
        OpenApiTypes.BOOL,
        OpenApiParameter.QUERY,
        description="`true` (Voreinstellung): auch der Wert der ganzen Kommune je Indikator "
        "und Jahr (`sozialraum: null`).",
    ),
]

OBSERVATIONS_DESCRIPTION = """
Werte der Indikatoren je Sozialraum und Jahr **einer** Kommune, mit Geheimhaltung
(Disclosure Control) wie im Portal:

* Nur die Koordination der Kommune sieht Rohwerte. Alle anderen (Leserechte, Kommunale
  Begleitung) erhalten Werte aus weniger als k Fällen und die zur Rückrechnung nötigen
  Nachbarwerte als `value: null`, `numerator: null`, `suppressed: true` mit Grund in `reason`.
* Die Landeskoordinierungsstelle sieht nur Werte der ganzen Kommune und nur für Jahre, die die
  Kommune ihr freigegeben hat.
* Kommunen außerhalb Ihrer Rechte gibt es für Sie nicht (404).

Die Geheimhaltung wird immer über die ganze Kommune je Indikator und Jahr berechnet; ein Filter
auf einzelne Sozialräume ändert nicht, was unterdrückt ist.

**CSV-Export:** `?format=csv` (oder `Accept: text/csv`) liefert alle gefilterten Zeilen ohne
Seitenaufteilung (UTF-8, Komma, Kopfzeile) mit den Spalten indicator, indicator_name,
sozialraum, sozialraum_name, period, numerator, denominator, value, unit, suppressed, reason;
unterdrückte Zellen stehen dort als „.“.
"""


@extend_schema_view(
    list=extend_schema(
        summary="Beobachtungen (Indikatorwerte)",
        description=OBSERVATIONS_DESCRIPTION,
        parameters=OBSERVATION_PARAMETERS,
        responses={
            (200, "application/json"): ObservationSerializer(many=True),
            (200, "text/csv"): OpenApiResponse(
                OpenApiTypes.STR, description="CSV-Export aller gefilterten Werte."
            ),
            400: error_response(
                400,
                "`municipality` fehlt, ein unbekannter Indikator oder Sozialraum, oder ein "
                "ungültiges Jahr; `details` nennt die Felder.",
            ),
            404: error_response(
                404, "Die Kommune liegt außerhalb Ihrer Rechte (oder die Seite gibt es nicht)."
            ),
        },
    ),
)
@extend_schema(tags=["Monitoring"])
class ObservationViewSet(PortalApiViewMixin, GenericViewSet):
    serializer_class = ObservationSerializer
    filter_backends = []
    csv_columns = CSV_COLUMNS

    def get_renderers(self):
        if self.action_map.get("get") == "list":
            return [JSONRenderer(), BrowsableAPIRenderer(), CSVRenderer()]
        return super().get_renderers()

    def _wants_csv(self) -> bool:
        return isinstance(getattr(self.request, "accepted_renderer", None), CSVRenderer)

    def list(self, request, *args, **kwargs):
        query = ObservationQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        table = disclosed_table(request.user, **query.validated_data)
        if self._wants_csv():
            return Response(
                [_csv_row(row) for row in table.all()],
                headers={"Content-Disposition": 'attachment; filename="beobachtungen.csv"'},
            )
        # The page reads the stored disclosure cells, already in the API's format, and counts
        # them in the same query (tables.py) if it knows the page beforehand.
        size = self.paginator.get_page_size(request)
        number = request.query_params.get(self.paginator.page_query_param, "1")
        # Beyond PostgreSQL's OFFSET range no page exists: the paginator answers 404 itself.
        if size and number.isdigit() and 0 < int(number) * size < 2**62:
            table.expect((int(number) - 1) * size, int(number) * size)
        return self.get_paginated_response(self.paginate_queryset(table))


def disclosed_table(
    user,
    *,
    municipality: str,
    indicator: str | None = None,
    sozialraum: str | None = None,
    period_from: int | None = None,
    period_to: int | None = None,
    totals: bool = True,
):
    """The rows the user may see, through the one disclosure implementation (selectors)."""
    unit = internal_municipality_by_ags(user, municipality)
    if unit is None:
        raise ValidationError({"municipality": [_("Eine Kommune mit diesem AGS gibt es nicht.")]})
    indicators = _indicators(unit, indicator)
    areas = _areas(unit, sozialraum)
    if not selectors.is_member(user, unit.pk):
        # The state office sees the municipality level only (issue 4 §7).
        areas, totals = [], True
    periods = None
    if period_from is not None or period_to is not None:
        start = period_from if period_from is not None else 1900
        end = period_to if period_to is not None else 2100
        periods = set(range(start, end + 1))
    return DisclosedTable(
        user=user,
        municipality=unit,
        indicators=indicators,
        area_ids=areas,
        periods=periods,
        include_totals=totals,
    )


def _codes(value: str | None) -> list[str] | None:
    if value is None:
        return None
    return [code.strip() for code in value.split(",") if code.strip()]


def _indicators(municipality, value: str | None) -> list[Indicator] | None:
    """The indicators named by their codes, in catalogue order; None for all."""
    codes = _codes(value)
    if codes is None:
        return None
    found = indicators_by_code(municipality.pk, codes)
    known = {indicator.code for indicator in found}
    unknown = [code for code in codes if code not in known]
    if unknown:
        raise ValidationError(
            {
                "indicator": [
                    _("Diese Indikatoren gibt es für die Kommune nicht: %(codes)s.")
                    % {"codes": ", ".join(unknown)}
                ]
            }
        )
    return found


# What the page needs of an indicator, in the model's field order (Model.from_db expects it);
# the rest of the metadata sheet stays deferred.
_INDICATOR_FIELDS = [
    f.attname
    for f in Indicator._meta.concrete_fields
    if f.attname in {"id", "code", "unit", "factor", "min_cases", "theme", "name"}
]
_INDICATORS_BY_CODE = f"""
    SELECT {", ".join(_INDICATOR_FIELDS)} FROM {Indicator._meta.db_table}
     WHERE (municipality_id IS NULL OR municipality_id = %s) AND code = ANY(%s)
     ORDER BY theme, name, id
"""  # noqa: S608 – the model's own names, the values as parameters


def indicators_by_code(municipality_id: int, codes: list[str]) -> list[Indicator]:
    """The catalogue's and the municipality's own indicators with these codes, in catalogue
    order. A plain statement: the ORM spent 0.7 ms building what the database answers in
    0.05 ms, on every observation page (the same rows as Indicator.objects.usable_by(…)
    .filter(code__in=…), which tests hold it to)."""
    with connection.cursor() as cursor:
        cursor.execute(_INDICATORS_BY_CODE, [municipality_id, codes])
        return [Indicator.from_db("default", _INDICATOR_FIELDS, row) for row in cursor]


def _areas(municipality, value: str | None):
    codes = _codes(value)
    if codes is None:
        return None
    found = Sozialraum.objects.filter(municipality=municipality, code__in=codes).values_list(
        "code", "pk"
    )
    ids = [pk for _code, pk in found]
    unknown = sorted(set(codes) - {code for code, _pk in found})
    if unknown:
        raise ValidationError(
            {
                "sozialraum": [
                    _("Diese Sozialräume gibt es in der Kommune nicht: %(codes)s.")
                    % {"codes": ", ".join(unknown)}
                ]
            }
        )
    return ids


def _csv_row(row) -> dict:
    area = row.sozialraum
    hidden = row.suppressed
    return {
        "indicator": row.indicator.code,
        "indicator_name": row.indicator.name,
        "sozialraum": area.code if area else "",
        "sozialraum_name": area.name if area else "",
        "period": row.period,
        "numerator": SUPPRESSED_MARK if hidden else row.numerator,
        "denominator": row.denominator,
        "value": SUPPRESSED_MARK if hidden else row.value,
        "unit": row.indicator.unit,
        "suppressed": hidden,
        "reason": row.reason or "",
    }


def _fixed(value, places: str) -> str | None:
    # Fixed places, as the schema promises (the computation rounds, but 0.0 stays "0.0").
    return None if value is None else str(Decimal(value).quantize(Decimal(places)))


@extend_schema_view(
    list=extend_schema(
        summary="Bedarfsindizes",
        description=(
            "Die Bedarfsindizes der Kommunen, deren Monitoring Sie sehen dürfen (ohne "
            "Rangfolge; die steht beim einzelnen Index). Die Landeskoordinierungsstelle sieht "
            "Indizes nur für Jahre, die die Kommune ihr freigegeben hat."
        ),
    ),
    retrieve=extend_schema(
        summary="Ein Bedarfsindex mit Rangfolge",
        description=(
            "Bestandteile, Gewichte und die Rangfolge der Sozialräume („Ungleiches ungleich "
            "behandeln“): je Indikator standardisiert (z-Wert), richtungsbereinigt, gewichtet "
            "gemittelt; höher = mehr Bedarf. Ohne Rohdatenrecht wird der Index nur aus den "
            "sichtbaren Werten berechnet – ein unterdrückter Wert („.“) fehlt, `missing` "
            "zählt solche Lücken je Sozialraum."
        ),
        parameters=[ID_PARAMETER],
    ),
)
@extend_schema(tags=["Monitoring"])
class NeedIndexViewSet(PortalApiViewMixin, ReadOnlyModelViewSet):
    serializer_class = NeedIndexSerializer
    filterset_class = NeedIndexFilter

    def get_queryset(self):
        indices = NeedIndex.objects.select_related("municipality").only(
            "pk", "name", "period", "updated_at", "municipality__ags"
        )
        user = self.request.user
        members = set(roles_by_municipality(user))
        visible = Q(municipality__in=members)
        if selectors.is_state_office(user):
            released = DataApproval.objects.filter(
                municipality=OuterRef("municipality"),
                period=OuterRef("period"),
                released_to_state_office=True,
            )
            visible |= Q(Exists(released))
        return indices.filter(visible).order_by("municipality__ags", "name", "pk")

    def get_serializer_class(self):
        return NeedIndexDetailSerializer if self.action == "retrieve" else NeedIndexSerializer

    def retrieve(self, request, *args, **kwargs):
        index = self._access(kwargs["pk"])
        components = list(index.components.select_related("indicator").order_by("indicator__name"))
        codes = {c.indicator_id: c.indicator.code for c in components}
        data = NeedIndexSerializer(index, context=self.get_serializer_context()).data
        data["components"] = NeedIndexComponentSerializer(components, many=True).data
        # Disclosure is applied inside compute(): it reads through monitoring.selectors.
        data["ranking"] = [
            {
                "rank": result.rank,
                "sozialraum": result.sozialraum.code,
                "sozialraum_id": result.sozialraum.pk,
                "sozialraum_name": result.sozialraum.name,
                "score": _fixed(result.score, "0.001"),
                "missing": result.missing,
                "z_scores": [
                    {"indicator": codes[indicator_id], "z": _fixed(z, "0.01")}
                    for indicator_id, z in result.z_scores.items()
                ],
            }
            for result in need_index.compute(need_index=index, user=request.user)
        ]
        return Response(data)

    def _access(self, pk) -> NeedIndex:
        """Members of the municipality; the state office for released years; else 404."""
        index = NeedIndex.objects.select_related("municipality").filter(pk=pk).first()
        if index is None:
            raise NotFound
        allowed = selectors.readable_periods(self.request.user, index.municipality_id)
        if allowed is not None and index.period not in allowed:
            raise NotFound
        return index
