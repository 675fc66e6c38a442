"""API v1 endpoints of the Leitbild (issue 5 §1): versions, their goals and goal indicators;
kekiz_portal.api registers ROUTES.

Thin: prevention_chains.permissions decides what exists for the caller (404 otherwise),
services_leitbild decides what is allowed (refusals answered by DomainApiViewMixin: 409
`refused`, 409 `stale`, 400 for a value the service checked), selectors_leitbild reads the goal
tree and the traffic lights (disclosure-controlled for the caller)."""

from dataclasses import fields as dataclass_fields

import django_filters
from django.db.models import F
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import serializers, status
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response
from rest_framework.viewsets import GenericViewSet

from accounts.api.refusals import DomainApiViewMixin
from accounts.api.schema import error_response
from monitoring.api.filters import MunicipalityAgsFilter
from monitoring.api.views import readable_municipality_ids
from monitoring.models import Indicator
from municipalities.models import Municipality, Sozialraum
from prevention_chains import permissions
from prevention_chains import selectors_leitbild as selectors
from prevention_chains import services_leitbild as services
from prevention_chains.errors import ChainError
from prevention_chains.models import (
    GoalIndicator,
    Leitbild,
    LeitbildGoal,
    LeitbildStatus,
    LifePhase,
)
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


# --- goals and sub-goals ------------------------------------------------------------------------

WRITES_DRAFT_ONLY = (
    "Koordination der Kommune und Programmverwaltung; nur im Entwurf (sonst 409 `refused`). "
    "Wer die Fassung nur lesen darf, erhält 404 wie für eine unbekannte Fassung."
)


class LeitbildGoalSerializer(serializers.ModelSerializer):
    life_phases = serializers.SlugRelatedField(
        slug_field="slug",
        many=True,
        read_only=True,
        help_text="Kennungen (slugs) der Lebensphasen, siehe `/life-phases/`.",
    )

    class Meta:
        model = LeitbildGoal
        fields = ["id", "leitbild", "parent", "position", "title", "description", "life_phases"]
        read_only_fields = fields
        extra_kwargs = {
            "id": {"help_text": "Kennung des Ziels im Portal."},
            "leitbild": {"help_text": "Kennung der Fassung des Leitbilds."},
            "parent": {"help_text": "Kennung des Oberziels; `null` = ein eigenes Ziel."},
            "position": {"help_text": "Reihenfolge unter seinesgleichen."},
            "title": {"help_text": "Das Ziel."},
            "description": {"help_text": "Erläuterung."},
        }


class GoalInputSerializer(serializers.Serializer):
    title = serializers.CharField(max_length=300, help_text="Das Ziel.")
    description = serializers.CharField(
        required=False, allow_blank=True, default="", help_text="Erläuterung."
    )
    parent = serializers.IntegerField(
        required=False,
        allow_null=True,
        default=None,
        help_text="Kennung eines Ziels derselben Fassung: dieses Ziel wird sein Unterziel "
        "(nur eine Ebene); `null` = ein eigenes Ziel.",
    )
    position = serializers.IntegerField(
        min_value=0,
        max_value=32767,
        required=False,
        allow_null=True,
        default=None,
        help_text="Reihenfolge; leer = ans Ende (beim Ändern: bleibt, solange das Oberziel "
        "gleich bleibt).",
    )
    life_phases = serializers.SlugRelatedField(
        slug_field="slug",
        queryset=LifePhase.objects.filter(is_active=True),
        many=True,
        required=False,
        default=list,
        help_text="Kennungen (slugs) der Lebensphasen, siehe `/life-phases/`.",
    )


class GoalCreateSerializer(GoalInputSerializer):
    leitbild = serializers.IntegerField(help_text="Kennung der Fassung (ein Entwurf).")


class GoalFilter(django_filters.FilterSet):
    leitbild = django_filters.NumberFilter(
        field_name="leitbild", help_text="Kennung der Fassung des Leitbilds."
    )
    parent = django_filters.NumberFilter(
        field_name="parent", help_text="Kennung des Oberziels: nur seine Unterziele."
    )

    class Meta:
        model = LeitbildGoal
        fields = ["leitbild", "parent"]


def _parent_in(leitbild: Leitbild, parent_id: int | None) -> LeitbildGoal | None:
    """The parent named by id among the goals of the same version (other ids are unknown)."""
    if parent_id is None:
        return None
    parent = LeitbildGoal.objects.filter(pk=parent_id, leitbild_id=leitbild.pk).first()
    if parent is None:
        raise ValidationError(
            {"parent": [_("Ein Ziel mit dieser Kennung gibt es in dieser Fassung nicht.")]}
        )
    return parent


@extend_schema_view(
    list=extend_schema(
        summary="Ziele",
        description=(
            "Ziele und Unterziele der Leitbilder, die Sie sehen dürfen; Filter `leitbild` "
            "(Kennung der Fassung) und `parent`. Reihenfolge: je Fassung erst die Ziele, dann "
            "die Unterziele, jeweils nach `position`."
        ),
    ),
    retrieve=extend_schema(
        summary="Ein Ziel", description="Ein Ziel oder Unterziel.", parameters=[ID]
    ),
    create=extend_schema(
        summary="Ziel anlegen",
        description=f"Ein Ziel oder mit `parent` ein Unterziel. {WRITES_DRAFT_ONLY}",
        request=GoalCreateSerializer,
        responses={201: LeitbildGoalSerializer, 400: error_response(400), 404: error_response(404)},
    ),
    update=extend_schema(
        summary="Ziel ersetzen",
        description=f"Alle Angaben neu; fehlende gelten als leer. {WRITES_DRAFT_ONLY}",
        request=GoalInputSerializer,
        responses={200: LeitbildGoalSerializer, 400: error_response(400)},
        parameters=[ID],
    ),
    partial_update=extend_schema(
        summary="Ziel ändern",
        description=f"Nur die gesendeten Angaben. {WRITES_DRAFT_ONLY}",
        request=GoalInputSerializer,
        responses={200: LeitbildGoalSerializer, 400: error_response(400)},
        parameters=[ID],
    ),
    destroy=extend_schema(
        summary="Ziel löschen",
        description=f"Mit seinen Unterzielen und Zielindikatoren. {WRITES_DRAFT_ONLY}",
        parameters=[ID],
    ),
)
@extend_schema(tags=["Präventionskette"])
class LeitbildGoalViewSet(DomainApiViewMixin, GenericViewSet):
    serializer_class = LeitbildGoalSerializer
    filterset_class = GoalFilter
    http_method_names = ["get", "post", "put", "patch", "delete", "head", "options"]

    def get_queryset(self):
        goals = LeitbildGoal.objects.prefetch_related("life_phases").order_by(
            "leitbild_id", F("parent_id").asc(nulls_first=True), "position", "pk"
        )
        ids = readable_municipality_ids(self.request.user)
        if ids is not None:
            goals = goals.filter(leitbild__municipality_id__in=ids)
        return goals

    def list(self, request):
        page = self.paginate_queryset(self.filter_queryset(self.get_queryset()))
        return self.get_paginated_response(LeitbildGoalSerializer(page, many=True).data)

    def retrieve(self, request, pk=None):
        return Response(LeitbildGoalSerializer(permissions.access_goal(request.user, pk)).data)

    def create(self, request):
        payload = GoalCreateSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        data = dict(payload.validated_data)
        leitbild = access_leitbild(request.user, data.pop("leitbild"), write=True)
        data["parent"] = _parent_in(leitbild, data["parent"])
        goal = services.create_goal(leitbild=leitbild, actor=request.user, **data)
        return Response(LeitbildGoalSerializer(goal).data, status=status.HTTP_201_CREATED)

    def update(self, request, pk=None, partial=False):
        goal = permissions.access_goal(request.user, pk, write=True)
        payload = GoalInputSerializer(data=request.data, partial=partial)
        payload.is_valid(raise_exception=True)
        data = payload.validated_data
        parent = _parent_in(goal.leitbild, data["parent"]) if "parent" in data else goal.parent
        goal = services.update_goal(
            goal=goal,
            actor=request.user,
            title=data.get("title", goal.title),
            description=data.get("description", goal.description),
            parent=parent,
            position=data.get("position"),
            life_phases=data.get("life_phases", list(goal.life_phases.all())),
        )
        return Response(LeitbildGoalSerializer(goal).data)

    def partial_update(self, request, pk=None):
        return self.update(request, pk, partial=True)

    def destroy(self, request, pk=None):
        goal = permissions.access_goal(request.user, pk, write=True)
        services.delete_goal(goal=goal, actor=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)


# --- goal indicators ----------------------------------------------------------------------------


class GoalIndicatorEntrySerializer(GoalIndicatorSerializer):
    """A goal indicator on its own: as in the goal tree, plus where it belongs."""

    goal = serializers.IntegerField(source="goal_indicator.goal_id", help_text="Kennung des Ziels.")
    leitbild = serializers.IntegerField(
        source="goal_indicator.goal.leitbild_id", help_text="Kennung der Fassung des Leitbilds."
    )
    sozialraum_id = serializers.IntegerField(
        source="goal_indicator.sozialraum_id",
        allow_null=True,
        help_text="Kennung des Sozialraums im Portal; `null` = die ganze Kommune.",
    )


class GoalIndicatorInputSerializer(serializers.Serializer):
    """Field names as in the answer; the ids name the indicator and the Sozialraum."""

    indicator_id = serializers.PrimaryKeyRelatedField(
        source="indicator",
        queryset=Indicator.objects.all(),
        help_text="Kennung des Indikators im Portal (Landeskatalog oder lokaler Indikator der "
        "Kommune), siehe `/indicators/`.",
    )
    sozialraum_id = serializers.PrimaryKeyRelatedField(
        source="sozialraum",
        queryset=Sozialraum.objects.all(),
        allow_null=True,
        required=False,
        default=None,
        help_text="Kennung eines Sozialraums der Kommune; `null` = die ganze Kommune.",
    )
    baseline_year = serializers.IntegerField(help_text="Ausgangsjahr (2000 bis 2100).")
    baseline_value = serializers.DecimalField(
        max_digits=14, decimal_places=3, help_text="Ausgangswert in der Einheit des Indikators."
    )
    target_year = serializers.IntegerField(help_text="Zieljahr, nach dem Ausgangsjahr.")
    target_value = serializers.DecimalField(
        max_digits=14,
        decimal_places=3,
        help_text="Zielwert in der Einheit des Indikators, ungleich dem Ausgangswert.",
    )


class GoalIndicatorCreateSerializer(GoalIndicatorInputSerializer):
    goal = serializers.IntegerField(help_text="Kennung des Ziels (in einem Entwurf).")


class GoalIndicatorFilter(django_filters.FilterSet):
    goal = django_filters.NumberFilter(field_name="goal", help_text="Kennung des Ziels.")
    leitbild = django_filters.NumberFilter(
        field_name="goal__leitbild", help_text="Kennung der Fassung des Leitbilds."
    )

    class Meta:
        model = GoalIndicator
        fields = ["goal", "leitbild"]


# The service names the model's fields; the API's input names them by id.
INPUT_FIELD = {"indicator": "indicator_id", "sozialraum": "sozialraum_id"}


def _measure_saved(save) -> GoalIndicator:
    """Run the service; a refusal naming fields names the API's input fields (400)."""
    try:
        return save()
    except ChainError as error:
        if not hasattr(error, "error_dict"):
            raise
        raise ValidationError(
            {
                INPUT_FIELD.get(field, field): messages
                for field, messages in error.message_dict.items()
            }
        ) from None


@extend_schema_view(
    list=extend_schema(
        summary="Zielindikatoren",
        description=(
            "Zielindikatoren einer Fassung (`leitbild`) oder eines Ziels (`goal`) – einer der "
            "beiden Filter ist Pflicht (400 sonst) –, jeweils mit Ampel für Sie wie in der "
            "Fassung (Geheimhaltung: ohne Rohdatenrecht ist ein unterdrückter Wert "
            "`withheld`)."
        ),
        responses={200: GoalIndicatorEntrySerializer(many=True), 400: error_response(400)},
    ),
    retrieve=extend_schema(
        summary="Ein Zielindikator",
        description="Mit Ampel für Sie, wie in der Fassung.",
        parameters=[ID],
    ),
    create=extend_schema(
        summary="Zielindikator anlegen",
        description=(
            "Geprüft wie auf der Seite (400 je Feld): Indikator und Sozialraum der Kommune, "
            f"Jahre 2000 bis 2100, Zieljahr nach dem Ausgangsjahr, Zielwert ≠ Ausgangswert. "
            f"{WRITES_DRAFT_ONLY}"
        ),
        request=GoalIndicatorCreateSerializer,
        responses={
            201: GoalIndicatorEntrySerializer,
            400: error_response(400),
            404: error_response(404),
        },
    ),
    update=extend_schema(
        summary="Zielindikator ersetzen",
        description=f"Alle Angaben neu, geprüft wie beim Anlegen. {WRITES_DRAFT_ONLY}",
        request=GoalIndicatorInputSerializer,
        responses={200: GoalIndicatorEntrySerializer, 400: error_response(400)},
        parameters=[ID],
    ),
    partial_update=extend_schema(
        summary="Zielindikator ändern",
        description=f"Nur die gesendeten Angaben, geprüft wie beim Anlegen. {WRITES_DRAFT_ONLY}",
        request=GoalIndicatorInputSerializer,
        responses={200: GoalIndicatorEntrySerializer, 400: error_response(400)},
        parameters=[ID],
    ),
    destroy=extend_schema(
        summary="Zielindikator löschen", description=WRITES_DRAFT_ONLY, parameters=[ID]
    ),
)
@extend_schema(tags=["Präventionskette"])
class GoalIndicatorViewSet(DomainApiViewMixin, GenericViewSet):
    serializer_class = GoalIndicatorEntrySerializer
    filterset_class = GoalIndicatorFilter
    http_method_names = ["get", "post", "put", "patch", "delete", "head", "options"]

    def get_queryset(self):
        measures = GoalIndicator.objects.select_related(
            "goal__leitbild__municipality", "indicator", "sozialraum"
        ).order_by("goal__leitbild_id", "goal_id", "pk")
        ids = readable_municipality_ids(self.request.user)
        if ids is not None:
            measures = measures.filter(goal__leitbild__municipality_id__in=ids)
        return measures

    def list(self, request):
        # One Leitbild, one municipality: its lights cost one monitoring read, whatever the
        # number of rows.
        if not (request.query_params.get("leitbild") or request.query_params.get("goal")):
            raise ValidationError(
                {"leitbild": [_("Geben Sie die Fassung (`leitbild`) oder das Ziel (`goal`) an.")]}
            )
        page = self.paginate_queryset(self.filter_queryset(self.get_queryset()))
        return self.get_paginated_response(self._entries(page))

    def _entries(self, measures) -> list:
        by_municipality = {}
        for measure in measures:
            by_municipality.setdefault(measure.goal.leitbild.municipality, []).append(measure)
        lights = {}
        for municipality, group in by_municipality.items():
            lights.update(
                selectors.traffic_lights(
                    user=self.request.user, municipality=municipality, goal_indicators=group
                )
            )
        rows = [selectors.MeasureRow(measure, lights[measure.pk]) for measure in measures]
        return GoalIndicatorEntrySerializer(rows, many=True).data

    def _entry(self, measure: GoalIndicator) -> dict:
        return self._entries([measure])[0]

    def retrieve(self, request, pk=None):
        return Response(self._entry(permissions.access_goal_indicator(request.user, pk)))

    def create(self, request):
        payload = GoalIndicatorCreateSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        data = dict(payload.validated_data)
        goal = permissions.access_goal(request.user, data.pop("goal"), write=True)
        measure = _measure_saved(
            lambda: services.add_goal_indicator(
                goal=goal, actor=request.user, measure=services.Measure(**data)
            )
        )
        return Response(self._entry(measure), status=status.HTTP_201_CREATED)

    def update(self, request, pk=None, partial=False):
        measure = permissions.access_goal_indicator(request.user, pk, write=True)
        payload = GoalIndicatorInputSerializer(data=request.data, partial=partial)
        payload.is_valid(raise_exception=True)
        # PATCH: what is not sent stays as it is.
        current = {
            field.name: getattr(measure, field.name) for field in dataclass_fields(services.Measure)
        }
        values = services.Measure(**{**current, **payload.validated_data})
        measure = _measure_saved(
            lambda: services.update_goal_indicator(
                goal_indicator=measure, actor=request.user, measure=values
            )
        )
        return Response(self._entry(measure))

    def partial_update(self, request, pk=None):
        return self.update(request, pk, partial=True)

    def destroy(self, request, pk=None):
        measure = permissions.access_goal_indicator(request.user, pk, write=True)
        services.delete_goal_indicator(goal_indicator=measure, actor=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)


ROUTES = [
    ("leitbilder", LeitbildViewSet, "api-leitbild"),
    ("leitbild-goals", LeitbildGoalViewSet, "api-leitbild-goal"),
    ("goal-indicators", GoalIndicatorViewSet, "api-goal-indicator"),
]
