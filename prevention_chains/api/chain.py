"""API v1 endpoints of the chain view (issue 5 §5); kekiz_portal.api registers ROUTES.

One municipality per request, addressed by its AGS: the matrix with gaps, the possible
duplicates and need vs supply. Readers of the chain only (members, state office); for anyone
else the municipality does not exist (404). Thin: the numbers come from
prevention_chains.chain, .duplicates and .supply, the same as on the pages, in a constant
number of queries.
"""

from django.http import Http404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.exceptions import NotFound
from rest_framework.response import Response
from rest_framework.viewsets import GenericViewSet

from accounts.api.base import PortalApiViewMixin
from municipalities.models import Municipality
from municipalities.permissions import internal_municipality_by_ags
from prevention_chains import chain
from prevention_chains.duplicates import SIMILARITY_THRESHOLD, find_duplicates
from prevention_chains.models import TargetGroup
from prevention_chains.supply import build_supply, visible_need_indices

AGS_PARAMETER = OpenApiParameter(
    "ags",
    OpenApiTypes.STR,
    OpenApiParameter.PATH,
    description="AGS der Kommune (5 oder 8 Ziffern).",
)


class ChainViewSet(PortalApiViewMixin, GenericViewSet):
    """Base: `retrieve` of one municipality by AGS, readable only for the chain's readers."""

    queryset = Municipality.objects.none()  # for the schema's path parameter only
    lookup_field = "ags"
    lookup_value_regex = "[0-9]{5,8}"
    filter_backends: list = []
    pagination_class = None

    def municipality(self, ags) -> Municipality:
        try:
            municipality = internal_municipality_by_ags(self.request.user, ags)
        except Http404:
            municipality = None
        if municipality is None:
            raise NotFound
        return municipality

    def areas(self, municipality) -> chain.Areas:
        return chain.current_areas(municipality)


def _figure(help_text: str) -> serializers.DecimalField:
    """A figure with two decimals that may be unknown (`null`)."""
    return serializers.DecimalField(
        max_digits=12, decimal_places=2, allow_null=True, help_text=help_text
    )


def _optional_int(help_text: str) -> serializers.IntegerField:
    return serializers.IntegerField(allow_null=True, help_text=help_text)


# ---------------------------------------------------------------------------------------------
# Matrix


class MatrixCellSerializer(serializers.Serializer):
    phase = serializers.CharField(help_text="Kennung (`slug`) der Lebensphase.")
    field_of_action = serializers.CharField(help_text="Kennung (`slug`) des Handlungsfelds.")
    count = serializers.IntegerField(help_text="Zahl der laufenden Angebote im Feld.")
    children = _figure(
        "Kinder im Alter der Lebensphase (anteilig aus den Altersgruppen), `null` wenn unbekannt."
    )
    per_1000_children = _figure("Angebote je 1.000 Kinder der Lebensphase, `null` ohne Kinderzahl.")
    # A plain string, not an enum: "status" enums of other components would collide by name.
    status = serializers.CharField(
        help_text="`gap` (keine Angebote), `thin` (dünn besetzt) oder `covered` (besetzt)."
    )
    reason = serializers.CharField(help_text="Begründung bei `gap` und `thin`, sonst leer.")


class TermSerializer(serializers.Serializer):
    slug = serializers.CharField(help_text="Kennung des Begriffs.")
    name = serializers.CharField(help_text="Bezeichnung.")


class LifePhaseTermSerializer(TermSerializer):
    age_from = serializers.IntegerField(help_text="Alter von (Jahre).")
    age_to = serializers.IntegerField(help_text="Alter bis unter (Jahre).")


class MatrixSerializer(serializers.Serializer):
    municipality = serializers.CharField(help_text="AGS der Kommune.")
    sozialraum = _optional_int("Gefilterter Sozialraum (Kennung im Portal) oder `null`.")
    target_group = serializers.CharField(
        allow_null=True, help_text="Gefilterte Zielgruppe (`slug`) oder `null`."
    )
    population_year = _optional_int("Jahr der Bevölkerungszahlen; `null` ohne Zahlen.")
    phases = LifePhaseTermSerializer(many=True, help_text="Spalten: Lebensphasen in Reihenfolge.")
    fields_of_action = TermSerializer(
        many=True, help_text="Zeilen: Handlungsfelder in Reihenfolge."
    )
    cells = MatrixCellSerializer(many=True, help_text="Alle Felder, zeilenweise.")


class MatrixQuerySerializer(serializers.Serializer):
    sozialraum = serializers.IntegerField(
        required=False, help_text="Nur Angebote für diesen Sozialraum (Kennung im Portal)."
    )
    target_group = serializers.SlugField(
        required=False, help_text="Nur Angebote für diese Zielgruppe (`slug`)."
    )


class ChainMatrixViewSet(ChainViewSet):
    @extend_schema(
        summary="Matrix der Präventionskette",
        description=(
            "Laufende Angebote (veröffentlicht oder pausiert) je Lebensphase und Handlungsfeld, "
            "mit Lücken (keine Angebote) und dünn besetzten Feldern samt Begründung. Ein Angebot "
            "ohne Sozialraum zählt in jedem Sozialraum."
        ),
        parameters=[AGS_PARAMETER, MatrixQuerySerializer],
        responses=MatrixSerializer,
        tags=["Präventionskette"],
    )
    def retrieve(self, request, ags=None):
        municipality = self.municipality(ags)
        query = MatrixQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        areas = self.areas(municipality)
        sozialraum = None
        if "sozialraum" in query.validated_data:
            sozialraum = areas.get(query.validated_data["sozialraum"])
            if sozialraum is None:
                raise serializers.ValidationError(
                    {"sozialraum": ["Diesen Sozialraum gibt es in der Kommune nicht."]}
                )
        target_group = None
        if "target_group" in query.validated_data:
            target_group = TargetGroup.objects.filter(
                slug=query.validated_data["target_group"]
            ).first()
            if target_group is None:
                raise serializers.ValidationError(
                    {"target_group": ["Diese Zielgruppe gibt es nicht."]}
                )
        matrix = chain.build_matrix(
            municipality, areas=areas, sozialraum=sozialraum, target_group=target_group
        )
        data = {
            "municipality": municipality.ags,
            "sozialraum": sozialraum.pk if sozialraum else None,
            "target_group": target_group.slug if target_group else None,
            "population_year": matrix.population_year,
            "phases": matrix.phases,
            "fields_of_action": matrix.fields,
            "cells": [
                {
                    "phase": cell.phase.slug,
                    "field_of_action": cell.field.slug,
                    "count": cell.count,
                    "children": cell.children,
                    "per_1000_children": cell.rate,
                    "status": cell.status,
                    "reason": cell.reason,
                }
                for cell in matrix.cells
            ],
        }
        return Response(MatrixSerializer(data).data)


# ---------------------------------------------------------------------------------------------
# Duplicates


class OfferingRefSerializer(serializers.Serializer):
    id = serializers.IntegerField(help_text="Kennung des Angebots.")
    title = serializers.CharField(help_text="Titel des Angebots.")


class DuplicatePairSerializer(serializers.Serializer):
    first = OfferingRefSerializer(help_text="Das erste Angebot des Paars.")
    second = OfferingRefSerializer(help_text="Das zweite Angebot des Paars.")
    phases = serializers.ListField(
        child=serializers.CharField(), help_text="Gemeinsame Lebensphasen (`slug`)."
    )
    fields_of_action = serializers.ListField(
        child=serializers.CharField(), help_text="Gemeinsame Handlungsfelder (`slug`)."
    )
    sozialraeume = serializers.ListField(
        child=serializers.CharField(), help_text="Gemeinsame Sozialräume (Namen)."
    )
    whole_municipality = serializers.BooleanField(
        help_text="Mindestens eines der Angebote gilt für die ganze Kommune."
    )
    similarity = serializers.DecimalField(
        max_digits=3, decimal_places=2, help_text="Ähnlichkeit der Texte, 0 bis 1."
    )
    reason = serializers.CharField(help_text="Begründung in Worten.")


class DuplicatesSerializer(serializers.Serializer):
    municipality = serializers.CharField(help_text="AGS der Kommune.")
    threshold = serializers.DecimalField(
        max_digits=3, decimal_places=2, help_text="Ab dieser Ähnlichkeit gilt ein Paar."
    )
    pairs = DuplicatePairSerializer(many=True, help_text="Paare, die ähnlichsten zuerst.")


class ChainDuplicateViewSet(ChainViewSet):
    @extend_schema(
        summary="Mögliche Doppelungen",
        description=(
            "Paare laufender Angebote mit gemeinsamer Lebensphase, gemeinsamem Handlungsfeld und "
            "gemeinsamem Gebiet, deren Texte ähnlich sind (deutsche Volltextsuche: Anteil "
            "gemeinsamer Wortstämme, Titel zur Hälfte gewichtet)."
        ),
        parameters=[AGS_PARAMETER],
        responses=DuplicatesSerializer,
        tags=["Präventionskette"],
    )
    def retrieve(self, request, ags=None):
        municipality = self.municipality(ags)
        phases, fields = chain.taxonomy()
        pairs = find_duplicates(
            municipality, areas=self.areas(municipality), phases=phases, fields=fields
        )
        data = {
            "municipality": municipality.ags,
            "threshold": SIMILARITY_THRESHOLD,
            "pairs": [
                {
                    "first": pair.first,
                    "second": pair.second,
                    "phases": [p.slug for p in pair.phases],
                    "fields_of_action": [f.slug for f in pair.fields],
                    "sozialraeume": pair.area_names,
                    "whole_municipality": pair.whole_municipality,
                    "similarity": pair.similarity,
                    "reason": pair.reason,
                }
                for pair in pairs
            ],
        }
        return Response(DuplicatesSerializer(data).data)


# ---------------------------------------------------------------------------------------------
# Need vs supply


class SupplyRowSerializer(serializers.Serializer):
    sozialraum_id = serializers.IntegerField(help_text="Kennung des Sozialraums im Portal.")
    sozialraum = serializers.CharField(help_text="Kennung des Sozialraums in der Kommune.")
    sozialraum_name = serializers.CharField(help_text="Name des Sozialraums.")
    offerings = serializers.IntegerField(help_text="Laufende Angebote für den Sozialraum.")
    children = _figure("Kinder unter 18 Jahren.")
    per_1000_children = _figure("Angebote je 1.000 Kinder.")
    need_rank = _optional_int("Rang im Bedarfsindex (1 = höchster Bedarf).")
    need_score = serializers.DecimalField(
        max_digits=8, decimal_places=3, allow_null=True, help_text="Wert des Bedarfsindex."
    )
    need_missing = serializers.IntegerField(
        help_text="Komponenten des Index ohne für Sie sichtbaren Wert (Geheimhaltung)."
    )
    flagged = serializers.BooleanField(help_text="Hoher Bedarf und wenig Angebote.")
    reason = serializers.CharField(help_text="Begründung der Markierung, sonst leer.")


class SupplySerializer(serializers.Serializer):
    municipality = serializers.CharField(help_text="AGS der Kommune.")
    need_index = _optional_int("Verwendeter Bedarfsindex (Kennung) oder `null`.")
    population_year = _optional_int("Jahr der Bevölkerungszahlen.")
    median_per_1000_children = _figure("Median der Angebote je 1.000 Kinder über die Sozialräume.")
    rows = SupplyRowSerializer(many=True, help_text="Sozialräume, nach Bedarf geordnet.")


class SupplyQuerySerializer(serializers.Serializer):
    need_index = serializers.IntegerField(
        required=False,
        help_text="Kennung eines Bedarfsindex der Kommune; ohne Angabe der neueste.",
    )


class ChainSupplyViewSet(ChainViewSet):
    @extend_schema(
        summary="Bedarf und Angebot je Sozialraum",
        description=(
            "Je Sozialraum die laufenden Angebote je 1.000 Kinder unter 18 Jahren neben dem "
            "Bedarfsindex des Monitorings (mit Geheimhaltung), nach Bedarf geordnet; markiert "
            "sind Sozialräume mit hohem Bedarf und wenig Angeboten."
        ),
        parameters=[AGS_PARAMETER, SupplyQuerySerializer],
        responses=SupplySerializer,
        tags=["Präventionskette"],
    )
    def retrieve(self, request, ags=None):
        municipality = self.municipality(ags)
        query = SupplyQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        indices = visible_need_indices(request.user, municipality)
        need_index = indices[0] if indices else None
        if "need_index" in query.validated_data:
            wanted = query.validated_data["need_index"]
            need_index = next((i for i in indices if i.pk == wanted), None)
            if need_index is None:
                raise serializers.ValidationError(
                    {"need_index": ["Diesen Bedarfsindex gibt es für die Kommune nicht."]}
                )
        result = build_supply(
            municipality, areas=self.areas(municipality), user=request.user, need_index=need_index
        )
        data = {
            "municipality": municipality.ags,
            "need_index": need_index.pk if need_index else None,
            "population_year": result.population_year,
            "median_per_1000_children": result.median_rate,
            "rows": [
                {
                    "sozialraum_id": row.sozialraum.pk,
                    "sozialraum": row.sozialraum.code,
                    "sozialraum_name": row.sozialraum.name,
                    "offerings": row.offerings,
                    "children": row.children,
                    "per_1000_children": row.rate,
                    "need_rank": row.need_rank,
                    "need_score": row.need_score,
                    "need_missing": row.need_missing,
                    "flagged": row.flagged,
                    "reason": row.reason,
                }
                for row in result.rows
            ],
        }
        return Response(SupplySerializer(data).data)


ROUTES = [
    ("chain-matrices", ChainMatrixViewSet, "api-chain-matrix"),
    ("chain-duplicates", ChainDuplicateViewSet, "api-chain-duplicates"),
    ("chain-supply", ChainSupplyViewSet, "api-chain-supply"),
]
