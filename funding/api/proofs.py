"""Proof-of-use endpoints (issue 3 §9). Thin: funding.permissions decides what exists for the
caller (404 otherwise), funding.services.proofs decides what is allowed; funding.api.errors
answers its refusals (409 `refused`, 409 `stale`)."""

from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import status
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied
from rest_framework.response import Response
from rest_framework.viewsets import GenericViewSet

from accounts.api.schema import error_response
from funding.api.errors import FundingApiViewMixin
from funding.api.serializers_proofs import (
    CheckPreviewSerializer,
    CheckSerializer,
    ProofOpenSerializer,
    ProofQuerySerializer,
    ProofSerializer,
    ProofUpdateSerializer,
    ReturnSerializer,
    VersionSerializer,
)
from funding.models import ProofLine, ProofOfUse
from funding.permissions import (
    access_application,
    access_proof,
    is_reviewer,
    readable_municipality_ids,
)
from funding.services import proofs as services

ROW_FIELDS = {
    "application_number": F("application__number"),
    "municipality": F("application__municipality__ags"),
    "municipality_name": F("application__municipality__short_name"),
}
PLAIN_FIELDS = (
    "id",
    "application",
    "year",
    "status",
    "due_on",
    "narrative",
    "actual_own_funds",
    "actual_third_party_funds",
    "submitted_at",
    "checked_at",
    "check_note",
    "final_eligible_costs",
    "final_grant",
    "clawback_amount",
    "clawback_interest",
    "interest_until",
    "version",
)


def proof_rows(rows) -> list[dict]:
    """Proof rows (values()) with their lines, in one more query for all of them."""
    rows = list(rows)
    lines: dict[int, list[dict]] = {row["id"]: [] for row in rows}
    for line in (
        ProofLine.objects.filter(proof_id__in=lines)
        .order_by("proof_id", "position", "pk")
        .values("proof_id", "id", "category", "description", "planned", "actual")
    ):
        lines[line.pop("proof_id")].append(line)
    return [{**row, "lines": lines[row["id"]]} for row in rows]


def _values(queryset):
    return queryset.values(*PLAIN_FIELDS, **ROW_FIELDS)


def proof_data(proof) -> dict:
    return ProofSerializer(proof_rows(_values(ProofOfUse.objects.filter(pk=proof.pk)))[0]).data


PROOF_ID = OpenApiParameter(
    "id", OpenApiTypes.INT, OpenApiParameter.PATH, description="Kennung des Nachweises."
)


@extend_schema_view(
    list=extend_schema(
        summary="Verwendungsnachweise",
        description=(
            "Die Verwendungsnachweise, die Sie sehen dürfen (Mitglieder einer Kommune deren "
            "eigene, die Landeskoordinierungsstelle alle), mit Soll und Ist je Position."
        ),
        parameters=[ProofQuerySerializer],
    ),
    retrieve=extend_schema(summary="Ein Verwendungsnachweis", parameters=[PROOF_ID]),
    create=extend_schema(
        summary="Verwendungsnachweis beginnen",
        description=(
            "Koordination der Kommune: legt den Nachweis eines bewilligten Jahres an (Positionen "
            "aus dem Finanzierungsplan); gibt es ihn schon, wird er zurückgegeben."
        ),
        request=ProofOpenSerializer,
        responses={201: ProofSerializer, 400: error_response(400), 404: error_response(404)},
    ),
    partial_update=extend_schema(
        summary="Entwurf speichern",
        description=(
            "Koordination der Kommune: Sachbericht und Ist-Zahlen eines Entwurfs. `version` ist "
            "Pflicht; wurde der Nachweis inzwischen geändert, antwortet die API mit 409 `stale`."
        ),
        request=ProofUpdateSerializer,
        responses={200: ProofSerializer, 400: error_response(400)},
        parameters=[PROOF_ID],
    ),
)
@extend_schema(tags=["Förderung"])
class ProofViewSet(FundingApiViewMixin, GenericViewSet):
    serializer_class = ProofSerializer
    http_method_names = ["get", "post", "patch", "head", "options"]

    def get_queryset(self):
        proofs = ProofOfUse.objects.all()
        ids = readable_municipality_ids(self.request.user)
        if ids is not None:
            proofs = proofs.filter(application__municipality_id__in=ids)
        return proofs.order_by("application__number", "year", "pk")

    def list(self, request):
        query = ProofQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        rows = _values(self.get_queryset().filter(**query.validated_data))
        page = self.paginate_queryset(rows)
        return self.get_paginated_response(ProofSerializer(proof_rows(page), many=True).data)

    def retrieve(self, request, pk=None):
        return Response(proof_data(access_proof(request.user, pk)))

    def create(self, request):
        form = ProofOpenSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        application = access_application(request.user, form.validated_data["application"], True)
        proof = services.open_proof(
            application=application, year=form.validated_data["year"], actor=request.user
        )
        return Response(proof_data(proof), status=status.HTTP_201_CREATED)

    def partial_update(self, request, pk=None):
        proof = access_proof(request.user, pk, write=True)
        form = ProofUpdateSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        data = form.validated_data
        services.save_proof(
            proof=proof,
            actor=request.user,
            expected_version=data["version"],
            narrative=data.get("narrative", proof.narrative),
            lines=data.get("lines", []),
            actual_own_funds=data.get("actual_own_funds", proof.actual_own_funds),
            actual_third_party_funds=data.get(
                "actual_third_party_funds", proof.actual_third_party_funds
            ),
        )
        return Response(proof_data(proof))

    @extend_schema(
        summary="Verwendungsnachweis einreichen",
        description="Koordination der Kommune. Fehlt etwas, antwortet die API mit 409 "
        "`refused` und nennt jede Lücke.",
        request=VersionSerializer,
        responses={200: ProofSerializer, 400: error_response(400)},
        parameters=[PROOF_ID],
    )
    @action(detail=True, methods=["post"])
    def submit(self, request, pk=None):
        proof = access_proof(request.user, pk, write=True)
        form = VersionSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        services.submit_proof(
            proof=proof, actor=request.user, expected_version=form.validated_data["version"]
        )
        return Response(proof_data(proof))

    def _reviewer_proof(self, request, pk):
        proof = access_proof(request.user, pk)
        if not is_reviewer(request.user):
            raise PermissionDenied(_("Verwendungsnachweise prüft die Landeskoordinierungsstelle."))
        return proof

    @extend_schema(
        summary="Verwendungsnachweis prüfen",
        description=(
            "Prüfung (Landeskoordinierungsstelle): schreibt den Prüfvermerk, setzt die "
            "endgültige Zuwendung fest und berechnet Rückforderung und Zinsen nach § 49a VwVfG. "
            "Mit `preview: true` nur die Berechnung, ohne zu speichern: dann antwortet der "
            "Endpunkt mit actual_eligible, recognised_eligible, decided_grant, final_grant, "
            "paid, clawback, interest, interest_until und base_rate_percent."
        ),
        request=CheckSerializer,
        responses={
            200: ProofSerializer,
            400: error_response(400),
            403: error_response(403),
        },
        parameters=[PROOF_ID],
    )
    @action(detail=True, methods=["post"])
    def check(self, request, pk=None):
        proof = self._reviewer_proof(request, pk)
        form = CheckSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        data = form.validated_data
        arguments = {
            "recognised_eligible": data.get("recognised_eligible"),
            "interest_until": data.get("interest_until") or timezone.localdate(),
        }
        if data["preview"]:
            figures = services.proof_figures(proof, **arguments)
            return Response(CheckPreviewSerializer(figures).data)
        services.check_proof(
            proof=proof, actor=request.user, check_note=data["check_note"], **arguments
        )
        return Response(proof_data(proof))

    @extend_schema(
        summary="Zur Nachbesserung zurückgeben",
        description="Prüfung: der Nachweis wird wieder Entwurf; die Kommune erhält die Nachricht.",
        request=ReturnSerializer,
        responses={200: ProofSerializer, 400: error_response(400), 403: error_response(403)},
        parameters=[PROOF_ID],
    )
    @action(detail=True, methods=["post"], url_path="return")
    def give_back(self, request, pk=None):
        proof = self._reviewer_proof(request, pk)
        form = ReturnSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        services.return_proof(
            proof=proof, actor=request.user, message=form.validated_data["message"]
        )
        return Response(proof_data(proof))


ROUTES = [("funding/proofs", ProofViewSet, "api-funding-proof")]
