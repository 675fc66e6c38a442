"""Endpoints of the programme administration and of budget coverage (issue 3 §1, §2, §6).

Rules and calls are read by every signed-in caller; budgets by the state office; only the
programme administration writes, through funding.services.administration. A refusal of the
service (e.g. a budget cut below what is already granted) becomes a 409 (funding.api.errors).
Coverage: per year for the state office, per promised year of a municipality (?municipality=AGS)
for its members.
"""

from django.db.models import BooleanField, Case, Value, When
from django.http import Http404
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import mixins, permissions
from rest_framework.response import Response
from rest_framework.viewsets import GenericViewSet

from accounts.api.permissions import ReadOnlyTokenPermission
from funding import reports
from funding.api.errors import FundingApiViewMixin
from funding.api.serializers_administration import (
    BudgetSerializer,
    CallSerializer,
    PromiseSerializer,
    RuleSerializer,
    YearCoverageSerializer,
)
from funding.models import Budget, Call, FundingRule
from funding.permissions import is_funding_admin, is_state_office
from funding.permissions_administration import access_funding_municipality
from funding.services import administration as services


class AdminWrites(permissions.BasePermission):
    """Reading as the viewset allows; writing only for the programme administration."""

    message = "Regeln, Aufrufe und Haushaltsmittel ändert nur die Programmverwaltung."

    def has_permission(self, request, view):
        return request.method in permissions.SAFE_METHODS or is_funding_admin(request.user)


class AdministrationViewSet(
    FundingApiViewMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    GenericViewSet,
):
    """List, read, create and change through the service functions `create` and `update`."""

    permission_classes = [permissions.IsAuthenticated, ReadOnlyTokenPermission, AdminWrites]
    http_method_names = ["get", "post", "patch", "head", "options"]
    create_service = None
    update_service = None
    object_name = ""

    def perform_create(self, serializer):
        serializer.instance = type(self).create_service(
            actor=self.request.user, **serializer.validated_data
        )

    def perform_update(self, serializer):
        data = dict(serializer.validated_data)
        data.pop("programme", None)
        serializer.instance = type(self).update_service(
            **{self.object_name: serializer.instance},
            actor=self.request.user,
            **data,
        )


@extend_schema_view(
    list=extend_schema(summary="Förderregeln", description="Die Förderregeln der Programme."),
    retrieve=extend_schema(summary="Eine Förderregel"),
    create=extend_schema(summary="Förderregel anlegen", description="Nur Programmverwaltung."),
    partial_update=extend_schema(
        summary="Förderregel ändern",
        description="Nur Programmverwaltung. Bestehende Bescheide behalten ihre Bedingungen.",
    ),
)
@extend_schema(tags=["Förderung: Verwaltung"])
class RuleViewSet(AdministrationViewSet):
    serializer_class = RuleSerializer
    queryset = FundingRule.objects.select_related("programme").order_by(
        "programme__slug", "-valid_from_year"
    )
    create_service = staticmethod(services.create_rule)
    update_service = staticmethod(services.update_rule)
    object_name = "rule"


@extend_schema_view(
    list=extend_schema(summary="Förderaufrufe", description="Alle Förderaufrufe mit Frist."),
    retrieve=extend_schema(summary="Ein Förderaufruf"),
    create=extend_schema(summary="Förderaufruf anlegen", description="Nur Programmverwaltung."),
    partial_update=extend_schema(
        summary="Förderaufruf ändern",
        description="Nur Programmverwaltung. Sobald Anträge vorliegen, bleiben die Förderjahre.",
    ),
)
@extend_schema(tags=["Förderung: Verwaltung"])
class CallViewSet(AdministrationViewSet):
    serializer_class = CallSerializer
    create_service = staticmethod(services.create_call)
    update_service = staticmethod(services.update_call)
    object_name = "call"

    def get_queryset(self):
        today = timezone.localdate()
        return (
            Call.objects.select_related("programme")
            .annotate(
                is_open=Case(
                    When(opens_on__lte=today, closes_on__gte=today, then=Value(True)),
                    default=Value(False),
                    output_field=BooleanField(),
                )
            )
            .order_by("-first_year", "title", "pk")
        )


@extend_schema_view(
    list=extend_schema(
        summary="Haushaltsmittel",
        description="Mittel je Programm, Haushaltsjahr und Herkunft (nur Landeskoordinierungs"
        "stelle). Filter: `fiscal_year`, `source`, `status`.",
    ),
    retrieve=extend_schema(summary="Haushaltsmittel eines Jahres und einer Herkunft"),
    create=extend_schema(summary="Haushaltsmittel anlegen", description="Nur Programmverwaltung."),
    partial_update=extend_schema(
        summary="Haushaltsmittel ändern",
        description="Nur Programmverwaltung; Status, Betrag und Fundstelle. Eine Änderung, die "
        "die gesicherten Mittel des Jahres unter die Bewilligungen senken würde, wird mit 409 "
        "abgelehnt; die Meldung nennt Jahr und Fehlbetrag.",
    ),
)
@extend_schema(tags=["Förderung: Verwaltung"])
class BudgetViewSet(AdministrationViewSet):
    serializer_class = BudgetSerializer
    filterset_fields = ("fiscal_year", "source", "status")
    create_service = staticmethod(services.create_budget)
    update_service = staticmethod(services.update_budget)
    object_name = "budget"

    def get_queryset(self):
        if not is_state_office(self.request.user):
            return Budget.objects.none()
        return Budget.objects.select_related("programme").order_by(
            "programme__slug", "-fiscal_year", "source"
        )


MUNICIPALITY_PARAMETER = OpenApiParameter(
    "municipality",
    OpenApiTypes.STR,
    description="AGS einer Kommune: ihre zugesagten Förderjahre und ob sie finanziert sind.",
)
PROGRAMME_PARAMETER = OpenApiParameter(
    "programme", OpenApiTypes.STR, description="Kurzkennung (slug) eines Programms."
)


@extend_schema(tags=["Förderung: Verwaltung"])
class CoverageViewSet(FundingApiViewMixin, GenericViewSet):
    # Coverage is computed, not a model; the schema generator still asks for a queryset.
    queryset = Budget.objects.none()
    pagination_class = None
    serializer_class = YearCoverageSerializer

    @extend_schema(
        summary="Deckung der Bewilligungen",
        description="Ohne `municipality` (nur Landeskoordinierungsstelle): je Programm und "
        "Haushaltsjahr gesicherte Mittel (je Herkunft), geplante Mittel, Bewilligungen, freie "
        "Mittel. Mit `municipality=AGS` (Mitglieder der Kommune und Landeskoordinierungsstelle): "
        "jedes zugesagte Förderjahr mit Aktenzeichen, Betrag und ob es finanziert ist.",
        parameters=[MUNICIPALITY_PARAMETER, PROGRAMME_PARAMETER],
        responses={200: YearCoverageSerializer(many=True)},
    )
    def list(self, request):
        ags = request.query_params.get("municipality")
        if ags:
            municipality = access_funding_municipality(request.user, ags=ags)
            promises = reports.municipality_coverage(municipality)
            return Response(PromiseSerializer(promises, many=True).data)
        if not is_state_office(request.user):
            raise Http404
        programmes = reports.funding_programmes().order_by("name")
        slug = request.query_params.get("programme")
        if slug:
            programmes = programmes.filter(slug=slug)
        rows = [
            {
                "programme": programme.slug,
                "year": year.year,
                "secured": year.secured,
                "secured_by_source": year.by_source,
                "planned": year.planned,
                "committed": year.committed,
                "free": year.free,
                "covered": year.is_covered,
            }
            for programme in programmes
            for year in reports.coverage_overview(programme).years
        ]
        return Response(YearCoverageSerializer(rows, many=True).data)


ROUTES = [
    ("funding/rules", RuleViewSet, "api-funding-rule"),
    ("funding/calls", CallViewSet, "api-funding-call"),
    ("funding/budgets", BudgetViewSet, "api-funding-budget"),
    ("funding/coverage", CoverageViewSet, "api-funding-coverage"),
]
