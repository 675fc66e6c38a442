"""Application endpoints (issue 3 §3): list (fast, values()-based, CSV), retrieve with the full
financing plan, create, partial update, plan per year, submit and withdraw. Thin: the permission
module decides what exists for the caller (404 otherwise), funding.services.applications does
every write, funding.api.errors answers its refusals."""

from decimal import Decimal

from django.db.models import Prefetch
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.renderers import BrowsableAPIRenderer, JSONRenderer
from rest_framework.response import Response
from rest_framework.reverse import reverse
from rest_framework.viewsets import GenericViewSet

from accounts.api.renderers import CSVRenderer
from funding.api.errors import FundingApiViewMixin
from funding.api.pagination import CountingPagination
from funding.api.serializers_applications import (
    CreateSerializer,
    ListQuerySerializer,
    PlanSerializer,
    SubmitSerializer,
    UpdateSerializer,
    WithdrawSerializer,
)
from funding.models import ZERO, Call, CostLine
from funding.permissions import access_application, applications_for, can_apply
from funding.selectors_applications import ApplicationListPage, application_rows
from funding.services import applications as services
from municipalities.models import Municipality

CSV_COLUMNS = [
    "id",
    "number",
    "municipality_ags",
    "municipality_name",
    "call",
    "status",
    "years",
    "eligible_costs",
    "requested_grant",
    "submitted_at",
    "decided_at",
]
LIST_DESCRIPTION = """
Die Anträge, die Sie sehen dürfen: Mitglieder einer Kommune deren eigene, die
Landeskoordinierungsstelle alle. Beträge je Förderjahr als Dezimalzeichenketten.

**CSV-Export:** `?format=csv` liefert alle gefilterten Anträge ohne Seitenaufteilung mit den
Spalten id, number, municipality_ags, municipality_name, call, status, years (Förderjahre),
eligible_costs und requested_grant (Summen über die Jahre), submitted_at, decided_at.
"""


def _iso(value):
    return value.isoformat() if value is not None else None


def application_data(request, application) -> dict:
    """One application with its whole financing plan, as the retrieve and write endpoints
    answer."""
    years = application.years.order_by("year").prefetch_related(
        Prefetch("cost_lines", queryset=CostLine.objects.order_by("position", "pk"))
    )
    plans = []
    for plan in years:
        figures = services.year_figures(application, plan)
        plans.append(
            {
                **services.plan_data(plan),
                "co_financing": str(figures.co_financing),
                "minimum_own_share": str(figures.minimum_own_share),
                "balances": figures.balances,
            }
        )
    writable = can_apply(request.user, application.municipality_id)
    return {
        "id": application.pk,
        "number": application.number,
        "version": application.version,
        "municipality": {
            "ags": application.municipality.ags,
            "name": application.municipality.short_name,
        },
        "call": application.call_id,
        "status": application.status,
        "purpose": application.purpose,
        "contact_name": application.contact_name,
        "contact_email": application.contact_email,
        "forwarding_requested": application.forwarding_requested,
        "forwarding_recipient": application.forwarding_recipient,
        "submitted_at": _iso(application.submitted_at),
        "decided_at": _iso(application.decided_at),
        "years": plans,
        "attachments": [
            {
                "id": attachment.pk,
                "kind": attachment.kind,
                "name": attachment.original_name,
                "content_type": attachment.content_type,
                "size": attachment.size,
                "url": request.build_absolute_uri(
                    reverse("funding:attachment_download", args=[application.pk, attachment.pk])
                ),
            }
            for attachment in application.attachments.all()
        ],
        "submission_gaps": services.submission_gaps(application)
        if writable and application.is_editable
        else [],
        "url": request.build_absolute_uri(
            reverse("funding:application_detail", args=[application.pk])
        ),
    }


ID_PARAMETER = OpenApiParameter(
    "id", OpenApiTypes.INT, OpenApiParameter.PATH, description="Kennung des Antrags."
)


@extend_schema(tags=["Förderung"])
class ApplicationViewSet(FundingApiViewMixin, GenericViewSet):
    filter_backends = []
    pagination_class = CountingPagination
    csv_columns = CSV_COLUMNS
    serializer_class = UpdateSerializer

    def get_renderers(self):
        if self.action_map.get("get") == "list":
            return [JSONRenderer(), BrowsableAPIRenderer(), CSVRenderer()]
        return super().get_renderers()

    def get_queryset(self):
        return applications_for(self.request.user)

    @extend_schema(
        summary="Anträge",
        description=LIST_DESCRIPTION,
        parameters=[ListQuerySerializer],
        responses={
            (200, "application/json"): OpenApiResponse(OpenApiTypes.OBJECT),
            (200, "text/csv"): OpenApiResponse(OpenApiTypes.STR, description="CSV-Export."),
        },
    )
    def list(self, request):
        query = ListQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        filters = query.validated_data
        if isinstance(getattr(request, "accepted_renderer", None), CSVRenderer):
            return Response(
                [_csv_row(row) for row in application_rows(request.user, filters)],
                headers={"Content-Disposition": 'attachment; filename="antraege.csv"'},
            )
        rows = ApplicationListPage(user=request.user, filters=filters)
        page = self.paginate_queryset(rows)
        # Detail pages live at <list>/<pk>/ (funding.urls_applications); one reverse per page
        # instead of one per row keeps the list cheap.
        base = request.build_absolute_uri(reverse("funding:application_list"))
        return self.get_paginated_response([_json_row(row, base) for row in page])

    @extend_schema(summary="Ein Antrag mit Finanzierungsplan", parameters=[ID_PARAMETER])
    def retrieve(self, request, pk=None):
        application = access_application(request.user, pk)
        return Response(application_data(request, application))

    @extend_schema(
        summary="Antrag anlegen",
        description="Legt einen Entwurf an – nur die Koordination der Kommune, nur in der "
        "Antragsfrist, ein laufender Antrag je Aufruf.",
        request=CreateSerializer,
    )
    def create(self, request):
        data = CreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        municipality = Municipality.objects.filter(ags=data.validated_data["municipality"]).first()
        if municipality is None or not can_apply(request.user, municipality.pk):
            raise NotFound(_("Für diese Kommune können Sie keinen Antrag stellen."))
        call = Call.objects.select_related("programme").filter(pk=data.validated_data["call"])
        call = call.first()
        if call is None:
            raise ValidationError({"call": [_("Diesen Förderaufruf gibt es nicht.")]})
        application = services.create_application(
            call=call, municipality=municipality, actor=request.user
        )
        application = access_application(request.user, application.pk)
        return Response(application_data(request, application), status=status.HTTP_201_CREATED)

    @extend_schema(
        summary="Angaben ändern",
        description="Ändert Vorhaben, Ansprechperson oder Weiterleitung. `version` muss die "
        "zuletzt gelesene sein; sonst 409 `stale`.",
        parameters=[ID_PARAMETER],
        request=UpdateSerializer,
    )
    def partial_update(self, request, pk=None):
        application = access_application(request.user, pk, write=True)
        data = UpdateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        current = {
            field: getattr(application, field)
            for field in (
                "purpose",
                "contact_name",
                "contact_email",
                "forwarding_requested",
                "forwarding_recipient",
            )
        }
        services.update_application(
            application=application,
            actor=request.user,
            expected_version=values.pop("version"),
            **{**current, **values},
        )
        return Response(application_data(request, application))

    @extend_schema(
        summary="Finanzierungsplan eines Jahres",
        description="Ersetzt Positionen und Einnahmen eines Förderjahres; zuwendungsfähige "
        "Ausgaben und beantragte Zuwendung berechnet das Portal nach der Förderregel.",
        parameters=[
            ID_PARAMETER,
            OpenApiParameter("year", OpenApiTypes.INT, OpenApiParameter.PATH),
        ],
        request=PlanSerializer,
    )
    @action(detail=True, methods=["put"], url_path=r"plan/(?P<year>[0-9]{4})")
    def plan(self, request, pk=None, year=None):
        application = access_application(request.user, pk, write=True)
        data = PlanSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        services.save_year_plan(
            application=application,
            year=int(year),
            actor=request.user,
            expected_version=values["version"],
            own_funds=values["own_funds"],
            third_party_funds=values["third_party_funds"],
            third_party_note=values["third_party_note"],
            lines=[dict(line) for line in values["lines"]],
        )
        return Response(application_data(request, application))

    @extend_schema(
        summary="Einreichen",
        description="Reicht den Antrag ein (oder nach einer Nachbesserung erneut). Fehlt "
        "etwas, antwortet der Endpunkt mit 409 `refused` und nennt in `details.reasons` jede "
        "Lücke.",
        parameters=[ID_PARAMETER],
        request=SubmitSerializer,
    )
    @action(detail=True, methods=["post"])
    def submit(self, request, pk=None):
        application = access_application(request.user, pk, write=True)
        data = SubmitSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        services.submit(
            application=application,
            actor=request.user,
            expected_version=data.validated_data["version"],
        )
        return Response(application_data(request, application))

    @extend_schema(
        summary="Zurückziehen",
        description="Zieht den Antrag vor der Entscheidung zurück; der Grund ist Pflicht.",
        parameters=[ID_PARAMETER],
        request=WithdrawSerializer,
    )
    @action(detail=True, methods=["post"])
    def withdraw(self, request, pk=None):
        application = access_application(request.user, pk, write=True)
        data = WithdrawSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        services.withdraw(
            application=application, actor=request.user, reason=data.validated_data["reason"]
        )
        return Response(application_data(request, application))


def _json_row(row, base_url) -> dict:
    return {
        "id": row["id"],
        "number": row["number"],
        "municipality": {"ags": row["municipality__ags"], "name": row["municipality__short_name"]},
        "call": row["call_id"],
        "status": row["status"],
        "years": row["plan"],
        "submitted_at": _iso(row["submitted_at"]),
        "decided_at": _iso(row["decided_at"]),
        "url": f"{base_url}{row['id']}/",
    }


def _csv_row(row) -> dict:
    years = row["plan"]
    return {
        "id": row["id"],
        "number": row["number"],
        "municipality_ags": row["municipality__ags"],
        "municipality_name": row["municipality__short_name"],
        "call": row["call_id"],
        "status": row["status"],
        "years": " ".join(str(plan["year"]) for plan in years),
        "eligible_costs": str(sum((Decimal(plan["eligible_costs"]) for plan in years), ZERO)),
        "requested_grant": str(sum((Decimal(plan["requested_grant"]) for plan in years), ZERO)),
        "submitted_at": _iso(row["submitted_at"]),
        "decided_at": _iso(row["decided_at"]),
    }


ROUTES = [("funding/applications", ApplicationViewSet, "api-funding-application")]
