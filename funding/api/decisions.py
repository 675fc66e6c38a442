"""Decisions (Bescheide) and their PDFs in API v1. Thin: funding.permissions_decisions decides
what exists for the caller (404 otherwise), funding.services.decisions decides;
funding.api.errors answers its refusals (409 `refused`, 409 `stale` for an outdated version)."""

from collections import defaultdict

from django.core.exceptions import PermissionDenied
from django.db.models import Exists, OuterRef
from django.http import Http404
from django.urls import reverse
from django_filters import rest_framework as filters
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, status
from rest_framework.decorators import action
from rest_framework.response import Response
from rest_framework.viewsets import GenericViewSet

from accounts.api.schema import error_response
from funding.api.errors import FundingApiViewMixin
from funding.api.serializers_decisions import (
    DOCUMENT_PATHS,
    ROW_PATHS,
    AmendSerializer,
    DecideSerializer,
    DecisionRowSerializer,
    DocumentRowSerializer,
)
from funding.models import DecisionYear, DocumentStatus
from funding.money import ZERO
from funding.permissions import access_application, can_apply, is_approver
from funding.permissions_decisions import access_decision, decisions_for, documents_for
from funding.services import decisions as decision_services

REFUSED = error_response(
    409,
    "Vom Dienst verweigert (`refused`), z. B. Haushaltsmittel des Jahres nicht gesichert oder "
    "überschritten, kein Votum, Vier-Augen-Prinzip; `stale`, wenn der Antrag inzwischen "
    "geändert wurde. `message` sagt, was zu tun ist.",
)
FORBIDDEN = error_response(403, "Sie dürfen den Antrag lesen, aber nicht so handeln.")


class DecisionFilter(filters.FilterSet):
    application = filters.NumberFilter(field_name="application_id", help_text="Antrag.")
    municipality = filters.CharFilter(
        field_name="application__municipality__ags", help_text="AGS der Kommune."
    )
    year = filters.NumberFilter(method="filter_year", help_text="Förderjahr mit Zuwendung.")
    is_current = filters.BooleanFilter(help_text="Nur geltende (`true`) oder geänderte.")

    def filter_year(self, queryset, name, value):
        granted = DecisionYear.objects.filter(decision=OuterRef("pk"), year=value)
        return queryset.filter(Exists(granted))


def _readable_row(rows, pk) -> dict:
    """One row of the caller's readable rows; 404 for missing and forbidden alike."""
    row = rows.filter(pk=pk).first() if str(pk).isdigit() else None
    if row is None:
        raise Http404
    return row


class DocumentFilter(filters.FilterSet):
    # Plain strings: enums named "kind"/"status" would collide with other endpoints' sets.
    decision = filters.NumberFilter(field_name="decision_id", help_text="Bescheid.")
    batch = filters.NumberFilter(field_name="batch_id", help_text="Stapel.")
    status = filters.CharFilter(help_text="`queued`, `rendering`, `done` oder `failed`.")
    kind = filters.CharFilter(help_text="`bescheid` oder `status_report`.")


class _RowsViewSet(
    FundingApiViewMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, GenericViewSet
):
    """Rows from values() of what the caller reads, completed page by page in `complete`
    (a constant number of queries per page)."""

    def complete(self, rows: list[dict]) -> list[dict]:
        return rows

    def list(self, request, *args, **kwargs):
        page = self.paginate_queryset(self.filter_queryset(self.get_queryset()))
        return self.get_paginated_response(
            self.get_serializer(self.complete(list(page)), many=True).data
        )

    def row(self, pk) -> dict:
        return self.get_serializer(self.complete([_readable_row(self.get_queryset(), pk)])[0]).data

    def retrieve(self, request, pk=None):
        return Response(self.row(pk))


@extend_schema_view(
    list=extend_schema(
        summary="Bescheide",
        description="Die Bescheide der Anträge, die Sie sehen dürfen (Mitglieder der Kommune, "
        "Landeskoordinierungsstelle), neueste zuerst, mit Zuwendung je Jahr, Bestandskraft "
        "und dem Stand des PDFs. Geänderte Bescheide bleiben mit `is_current: false` erhalten.",
    ),
    retrieve=extend_schema(summary="Ein Bescheid"),
)
@extend_schema(tags=["Förderung"])
class DecisionViewSet(_RowsViewSet):
    serializer_class = DecisionRowSerializer
    filterset_class = DecisionFilter

    def get_queryset(self):
        return decisions_for(self.request.user).order_by("-decided_at", "-pk").values(*ROW_PATHS)

    def complete(self, rows: list[dict]) -> list[dict]:
        """The years of a page of decisions in one query."""
        years = defaultdict(list)
        for entry in (
            DecisionYear.objects.filter(decision_id__in=[row["id"] for row in rows])
            .order_by("year")
            .values("decision_id", "year", "eligible_costs", "grant")
        ):
            years[entry.pop("decision_id")].append(entry)
        for row in rows:
            row["years"] = years[row["id"]]
            row["total_grant"] = sum((entry["grant"] for entry in row["years"]), ZERO)
        return rows

    @extend_schema(
        summary="Entscheiden",
        description="Nur die Bewilligungsbehörde (state_approver), nie wer den Antrag geprüft "
        "hat. Der Antrag braucht das Votum der Prüfung. Eine Bewilligung wird verweigert, "
        "wenn die Haushaltsmittel eines Jahres nicht gesichert (nur geplant) sind oder "
        "überschritten würden – die Meldung nennt Jahr und Betrag. Der Bescheid erhält ein "
        "Aktenzeichen; sein PDF wird danach erstellt (`document_status`).",
        request=DecideSerializer,
        responses={
            201: DecisionRowSerializer,
            403: FORBIDDEN,
            404: error_response(404),
            409: REFUSED,
        },
    )
    def create(self, request):
        data = DecideSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        fields = dict(data.validated_data)
        application = access_application(request.user, fields.pop("application"))
        if not is_approver(request.user):
            raise PermissionDenied
        decision = decision_services.decide(
            application=application,
            actor=request.user,
            kind=fields["kind"],
            grants=fields.get("grants"),
            reasons=fields.get("reasons", ""),
            forwarding_allowed=fields["forwarding_allowed"],
            version=fields.get("version"),
        )
        return Response(self.row(decision.pk), status=status.HTTP_201_CREATED)

    @extend_schema(
        summary="Änderungsbescheid",
        description="Nur die Bewilligungsbehörde, nur für die geltende Bewilligung. Die neuen "
        "Beträge je Jahr ersetzen die alten; die Haushaltsdeckung wird ohne die Beträge des "
        "geänderten Bescheides neu geprüft. Antwort: der neue Bescheid.",
        request=AmendSerializer,
        responses={
            201: DecisionRowSerializer,
            403: FORBIDDEN,
            404: error_response(404),
            409: REFUSED,
        },
    )
    @action(detail=True, methods=["post"])
    def amend(self, request, pk=None):
        decision = access_decision(request.user, pk)
        if not is_approver(request.user):
            raise PermissionDenied
        data = AmendSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        amended = decision_services.amend(
            decision=decision,
            actor=request.user,
            grants=data.validated_data["grants"],
            reasons=data.validated_data["reasons"],
        )
        return Response(self.row(amended.pk), status=status.HTTP_201_CREATED)

    @extend_schema(
        summary="Rechtsbehelfsverzicht erklären",
        description="Nur die Koordination der Kommune. Der Bescheid wird sofort "
        "bestandskräftig (`final_on` = heute); der Verzicht ist unwiderruflich.",
        request=None,
        responses={
            200: DecisionRowSerializer,
            403: FORBIDDEN,
            404: error_response(404),
            409: REFUSED,
        },
    )
    @action(detail=True, methods=["post"], url_path="remedy-waiver")
    def remedy_waiver(self, request, pk=None):
        decision = access_decision(request.user, pk)
        if not can_apply(request.user, decision.application.municipality_id):
            raise PermissionDenied
        decision_services.declare_remedy_waiver(decision=decision, actor=request.user)
        return Response(self.row(decision.pk))


@extend_schema_view(
    list=extend_schema(
        summary="Förderdokumente",
        description="Bescheid-PDFs und Förderberichte der Kommunen, die Sie sehen dürfen, mit "
        "Stand der Erstellung (`queued`, `rendering`, `done`, `failed`) und Fortschritt; "
        "`download` ist gesetzt, sobald das PDF fertig ist.",
    ),
    retrieve=extend_schema(summary="Ein Förderdokument"),
)
@extend_schema(tags=["Förderung"])
class DocumentViewSet(_RowsViewSet):
    serializer_class = DocumentRowSerializer
    filterset_class = DocumentFilter

    def get_queryset(self):
        return (
            documents_for(self.request.user)
            .order_by("-requested_at", "-pk")
            .values(*DOCUMENT_PATHS)
        )

    def complete(self, rows: list[dict]) -> list[dict]:
        for row in rows:
            row["download"] = (
                self.request.build_absolute_uri(
                    reverse("funding:document_download", args=[row["id"]])
                )
                if row["status"] == DocumentStatus.DONE
                else None
            )
        return rows


ROUTES = [
    ("funding/decisions", DecisionViewSet, "api-funding-decision"),
    ("funding/documents", DocumentViewSet, "api-funding-document"),
]
