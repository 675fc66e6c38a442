"""API v1 endpoints of the Leitbild (issue 5 §1); kekiz_portal.api registers ROUTES.

Thin: prevention_chains.permissions decides what exists for the caller (404 otherwise),
services_leitbild decides what is allowed (refusals answered by DomainApiViewMixin: 409
`refused`, 409 `stale`, 400 for a value the service checked), selectors_leitbild reads the goal
tree and the traffic lights (disclosure-controlled for the caller)."""

import django_filters
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import serializers, status
from rest_framework.decorators import action
from rest_framework.response import Response
from rest_framework.viewsets import GenericViewSet

from accounts.api.refusals import DomainApiViewMixin
from accounts.api.schema import error_response
from monitoring.api.filters import MunicipalityAgsFilter
from monitoring.api.views import readable_municipality_ids
from municipalities.models import Municipality
from prevention_chains import selectors_leitbild as selectors
from prevention_chains import services_leitbild as services
from prevention_chains.models import Leitbild, LeitbildStatus
from prevention_chains.permissions import access_chain, access_leitbild


class LeitbildFilter(django_filters.FilterSet):
    municipality = MunicipalityAgsFilter(
        field_name="municipality", help_text="AGS der Kommune (5 oder 8 Ziffern)."
    )
    municipality_slug = django_filters.CharFilter(
        field_name="municipality__slug", help_text="Kurzname der Kommune in Adressen (`slug`)."
    )
    status = django_filters.ChoiceFilter(
        choices=LeitbildStatus.choices, help_text="`draft`, `adopted` oder `superseded`."
    )

    class Meta:
        model = Leitbild
        fields = ["municipality", "municipality_slug", "status"]


class LeitbildSerializer(serializers.ModelSerializer):
    municipality = serializers.CharField(source="municipality.ags", help_text="AGS der Kommune.")
    municipality_slug = serializers.CharField(
        source="municipality.slug", help_text="Kurzname der Kommune in Adressen."
    )
    # A plain string, not an enum: the schema's enum names of `status` would collide.
    status = serializers.CharField(
        read_only=True, help_text="`draft` (Entwurf), `adopted` (beschlossen), `superseded`."
    )

    class Meta:
        model = Leitbild
        fields = [
            "id",
            "municipality",
            "municipality_slug",
            "number",
            "title",
            "status",
            "council_decision_on",
            "council_decision_ref",
            "adopted_at",
            "superseded_at",
            "updated_at",
            "version",
        ]
        extra_kwargs = {
            "id": {"help_text": "Kennung der Fassung im Portal."},
            "number": {"help_text": "Nummer der Fassung (1, 2, …)."},
            "updated_at": {"help_text": "Letzte Änderung (ISO 8601)."},
            "version": {"help_text": "Bearbeitungsstand; beim Ändern mitsenden (409 `stale`)."},
        }


class TrafficLightSerializer(serializers.Serializer):
    status = serializers.CharField(
        help_text="`on_track`, `behind`, `no_improvement`, `no_data` oder `withheld` "
        "(Wert für Sie nicht darstellbar, Geheimhaltung)."
    )
    colour = serializers.CharField(help_text="`green`, `yellow`, `red` oder `grey`.")
    label = serializers.CharField(help_text="Bezeichnung des Stands, z. B. „im Plan“.")
    current_value = serializers.DecimalField(
        max_digits=16, decimal_places=3, allow_null=True, help_text="Neuester gezeigter Wert."
    )
    current_period = serializers.IntegerField(allow_null=True, help_text="Jahr dieses Werts.")
    progress = serializers.DecimalField(
        max_digits=12,
        decimal_places=3,
        allow_null=True,
        help_text="Geschaffter Anteil des Wegs vom Ausgangs- zum Zielwert (1 = erreicht).",
    )
    expected = serializers.DecimalField(
        max_digits=6,
        decimal_places=3,
        allow_null=True,
        help_text="Bei gleichmäßigem Fortschritt erwarteter Anteil (0 bis 1).",
    )


class GoalIndicatorSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="goal_indicator.pk", help_text="Kennung im Portal.")
    indicator = serializers.CharField(
        source="goal_indicator.indicator.code", help_text="Kennung des Indikators."
    )
    indicator_id = serializers.IntegerField(
        source="goal_indicator.indicator_id", help_text="Kennung des Indikators im Portal."
    )
    indicator_name = serializers.CharField(
        source="goal_indicator.indicator.name", help_text="Name des Indikators."
    )
    sozialraum = serializers.CharField(
        source="goal_indicator.sozialraum.code",
        allow_null=True,
        default=None,
        help_text="Kennung des Sozialraums; `null` = die ganze Kommune.",
    )
    baseline_year = serializers.IntegerField(
        source="goal_indicator.baseline_year", help_text="Ausgangsjahr."
    )
    baseline_value = serializers.DecimalField(
        source="goal_indicator.baseline_value",
        max_digits=14,
        decimal_places=3,
        help_text="Ausgangswert in der Einheit des Indikators (Dezimalzeichenkette).",
    )
    target_year = serializers.IntegerField(
        source="goal_indicator.target_year", help_text="Jahr, bis zu dem der Zielwert gilt."
    )
    target_value = serializers.DecimalField(
        source="goal_indicator.target_value",
        max_digits=14,
        decimal_places=3,
        help_text="Zielwert in der Einheit des Indikators (Dezimalzeichenkette).",
    )
    traffic_light = TrafficLightSerializer(source="light")


class GoalSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="goal.pk", help_text="Kennung des Ziels im Portal.")
    title = serializers.CharField(source="goal.title", help_text="Das Ziel.")
    description = serializers.CharField(source="goal.description", help_text="Erläuterung.")
    position = serializers.IntegerField(
        source="goal.position", help_text="Reihenfolge unter seinesgleichen."
    )
    indicators = GoalIndicatorSerializer(
        source="measures", many=True, help_text="Zielindikatoren mit Ampel."
    )
    sub_goals = serializers.SerializerMethodField(
        help_text="Unterziele (gleicher Aufbau, ohne weitere Ebene)."
    )

    def get_sub_goals(self, node) -> list[dict]:
        return GoalSerializer(node.sub_goals, many=True).data


class LeitbildDetailSerializer(LeitbildSerializer):
    goals = GoalSerializer(many=True, read_only=True, help_text="Ziele mit Unterzielen.")

    class Meta(LeitbildSerializer.Meta):
        fields = [*LeitbildSerializer.Meta.fields, "text", "goals"]


class LeitbildCreateSerializer(serializers.Serializer):
    municipality = serializers.SlugRelatedField(
        slug_field="ags",
        queryset=Municipality.objects.only("pk", "ags", "slug"),
        help_text="AGS der Kommune.",
        error_messages={"does_not_exist": _("Eine Kommune mit diesem AGS gibt es nicht.")},
    )
    title = serializers.CharField(max_length=200, help_text="Titel des Leitbilds.")
    text = serializers.CharField(
        required=False, allow_blank=True, default="", help_text="Leitbildtext."
    )


class LeitbildUpdateSerializer(serializers.Serializer):
    title = serializers.CharField(max_length=200, help_text="Titel des Leitbilds.")
    text = serializers.CharField(allow_blank=True, help_text="Leitbildtext.")
    version = serializers.IntegerField(help_text="`version` aus dem zuletzt gelesenen Stand.")


class AdoptSerializer(serializers.Serializer):
    council_decision_on = serializers.DateField(help_text="Datum des Ratsbeschlusses.")
    council_decision_ref = serializers.CharField(
        max_length=200,
        required=False,
        allow_blank=True,
        default="",
        help_text="Gremium und Drucksache, z. B. „Rat, Drucksache 123/2025“.",
    )


ID = OpenApiParameter("id", OpenApiTypes.INT, OpenApiParameter.PATH, description="Kennung.")


@extend_schema_view(
    list=extend_schema(
        summary="Leitbilder",
        description=(
            "Die Fassungen der Leitbilder der Kommunen, die Sie sehen dürfen (Mitglieder ihre "
            "eigene, die Landeskoordinierungsstelle alle), neueste Fassung zuerst."
        ),
    ),
    retrieve=extend_schema(
        summary="Eine Fassung des Leitbilds",
        description=(
            "Mit Text, Zielen, Unterzielen und Zielindikatoren samt Ampel aus dem Monitoring "
            "(mit Geheimhaltung: ohne Rohdatenrecht ist ein unterdrückter Wert `withheld`)."
        ),
        parameters=[ID],
        responses={200: LeitbildDetailSerializer},
    ),
    create=extend_schema(
        summary="Leitbild-Entwurf anlegen",
        description="Koordination der Kommune; 409, wenn es schon einen Entwurf gibt.",
        request=LeitbildCreateSerializer,
        responses={201: LeitbildSerializer, 400: error_response(400), 404: error_response(404)},
    ),
    partial_update=extend_schema(
        summary="Entwurf ändern",
        description="Titel und Text des Entwurfs; `version` ist Pflicht (409 `stale`).",
        request=LeitbildUpdateSerializer,
        responses={200: LeitbildSerializer, 400: error_response(400)},
        parameters=[ID],
    ),
)
@extend_schema(tags=["Präventionskette"])
class LeitbildViewSet(DomainApiViewMixin, GenericViewSet):
    serializer_class = LeitbildSerializer
    filterset_class = LeitbildFilter
    http_method_names = ["get", "post", "patch", "head", "options"]

    def get_queryset(self):
        leitbilder = Leitbild.objects.select_related("municipality")
        ids = readable_municipality_ids(self.request.user)
        if ids is not None:
            leitbilder = leitbilder.filter(municipality_id__in=ids)
        return leitbilder.order_by("municipality__ags", "-number")

    def list(self, request):
        page = self.paginate_queryset(self.filter_queryset(self.get_queryset()))
        return self.get_paginated_response(LeitbildSerializer(page, many=True).data)

    def retrieve(self, request, pk=None):
        return Response(self._detail(access_leitbild(request.user, pk)))

    def _detail(self, leitbild) -> dict:
        goals = selectors.goal_tree(leitbild, user=self.request.user)
        return {
            **LeitbildSerializer(leitbild).data,
            "text": leitbild.text,
            "goals": GoalSerializer(goals, many=True).data,
        }

    def create(self, request):
        payload = LeitbildCreateSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        municipality = payload.validated_data["municipality"]
        access_chain(request.user, municipality.slug, write=True)
        leitbild = services.create_leitbild(
            municipality=municipality,
            actor=request.user,
            title=payload.validated_data["title"],
            text=payload.validated_data["text"],
        )
        return Response(LeitbildSerializer(leitbild).data, status=status.HTTP_201_CREATED)

    def partial_update(self, request, pk=None):
        leitbild = access_leitbild(request.user, pk, write=True)
        payload = LeitbildUpdateSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        data = payload.validated_data
        leitbild = services.update_leitbild(
            leitbild=leitbild,
            actor=request.user,
            expected_version=data["version"],
            title=data["title"],
            text=data["text"],
        )
        return Response(LeitbildSerializer(leitbild).data)

    @extend_schema(
        summary="Beschluss erfassen",
        description=(
            "Koordination der Kommune: der Entwurf gilt als beschlossen, die bisher "
            "beschlossene Fassung als abgelöst. 409, wenn die Fassung kein Entwurf ist oder "
            "keine Ziele hat."
        ),
        request=AdoptSerializer,
        responses={200: LeitbildSerializer, 400: error_response(400), 404: error_response(404)},
        parameters=[ID],
    )
    @action(detail=True, methods=["post"])
    def adopt(self, request, pk=None):
        leitbild = access_leitbild(request.user, pk, write=True)
        payload = AdoptSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        leitbild = services.adopt_leitbild(
            leitbild=leitbild, actor=request.user, **payload.validated_data
        )
        return Response(LeitbildSerializer(leitbild).data)

    @extend_schema(
        summary="Neue Fassung anlegen",
        description=(
            "Koordination der Kommune: ein Entwurf als Kopie dieser beschlossenen Fassung "
            "(Text, Ziele, Unterziele, Zielindikatoren). 409, wenn es schon einen Entwurf gibt."
        ),
        request=None,
        responses={201: LeitbildSerializer, 404: error_response(404)},
        parameters=[ID],
    )
    @action(detail=True, methods=["post"], url_path="new-version")
    def new_version(self, request, pk=None):
        leitbild = access_leitbild(request.user, pk, write=True)
        draft = services.start_new_version(leitbild=leitbild, actor=request.user)
        return Response(LeitbildSerializer(draft).data, status=status.HTTP_201_CREATED)


ROUTES = [("leitbilder", LeitbildViewSet, "api-leitbild")]
