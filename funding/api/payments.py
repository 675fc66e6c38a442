"""Payment requests (Mittelabruf), payments (Auszahlung) and forwardings (Weiterleitung) in API
v1. Thin: funding.permissions decides what exists for the caller (404 otherwise), the services
decide; funding.api.errors answers their refusals (409 `refused` with the German message)."""

from django.shortcuts import get_object_or_404
from django_filters import rest_framework as filters
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, status
from rest_framework.decorators import action
from rest_framework.response import Response
from rest_framework.viewsets import GenericViewSet

from accounts.api.schema import error_response
from funding.api.errors import FundingApiViewMixin
from funding.api.serializers_payments import (
    ForwardingCreateSerializer,
    ForwardingRowSerializer,
    PaymentRequestCreateSerializer,
    PaymentRequestRowSerializer,
    PaymentRowSerializer,
    RejectSerializer,
    value_paths,
)
from funding.models import Forwarding, Payment, PaymentRequest
from funding.permissions import access_application, access_forwarding, access_payment_request
from funding.permissions_payments import within_reach
from funding.services import forwarding as forwarding_services
from funding.services import payments as payment_services

REFUSED = error_response(
    409,
    "Vom Dienst verweigert (`refused`), z. B. Betrag über dem noch abrufbaren, Bedarf außerhalb "
    "des Abrufzeitraums, Bescheid nicht bestandskräftig, Vier-Augen-Prinzip; `message` sagt, "
    "was zu tun ist.",
)


class _FundingViewSet(FundingApiViewMixin, GenericViewSet):
    """Rows from values() of the caller's municipalities."""

    row_serializer = None
    model = None
    reach = "application__municipality_id"

    def get_queryset(self):
        queryset = within_reach(self.model.objects.all(), self.request.user, self.reach)
        return queryset.order_by("-pk").values(*value_paths(self.row_serializer))

    def get_serializer_class(self):
        return self.row_serializer

    def row(self, pk) -> dict:
        return self.row_serializer(get_object_or_404(self.get_queryset(), pk=pk)).data

    def create_for_application(self, request, input_serializer, service) -> Response:
        """Validate, fetch the application for the coordinator's change (404 otherwise), let
        the service create the record and answer with its row."""
        data = input_serializer(data=request.data)
        data.is_valid(raise_exception=True)
        fields = dict(data.validated_data)
        application = access_application(request.user, fields.pop("application"), write=True)
        created = service(application=application, actor=request.user, **fields)
        return Response(self.row(created.pk), status=status.HTTP_201_CREATED)


@extend_schema_view(
    list=extend_schema(
        summary="Mittelabrufe",
        description="Die Mittelabrufe der Anträge, die Sie sehen dürfen, neueste zuerst, mit "
        "Status, Prüfung (sachliche Richtigkeit), Anordnung und Auszahlung.",
    ),
    retrieve=extend_schema(summary="Ein Mittelabruf"),
)
@extend_schema(tags=["Förderung"])
class PaymentRequestViewSet(_FundingViewSet, mixins.ListModelMixin, mixins.RetrieveModelMixin):
    model = PaymentRequest
    row_serializer = PaymentRequestRowSerializer
    filterset_fields = ["application", "status", "year"]

    @extend_schema(
        summary="Mittel abrufen",
        description="Nur Koordinatorinnen und Koordinatoren der Kommune. Der Bescheid muss "
        "bestandskräftig sein, der Bedarf im Abrufzeitraum und im Förderjahr liegen, und alle "
        "offenen, angeordneten und ausgezahlten Abrufe des Jahres zusammen dürfen die "
        "Bewilligung nicht übersteigen.",
        request=PaymentRequestCreateSerializer,
        responses={201: PaymentRequestRowSerializer, 404: error_response(404), 409: REFUSED},
    )
    def create(self, request):
        return self.create_for_application(
            request, PaymentRequestCreateSerializer, payment_services.request_payment
        )

    @extend_schema(
        summary="Sachliche Richtigkeit bestätigen",
        description="Prüfung (state_reviewer); nur beantragte Abrufe.",
        request=None,
        responses={200: PaymentRequestRowSerializer, 404: error_response(404), 409: REFUSED},
    )
    @action(detail=True, methods=["post"])
    def check(self, request, pk=None):
        payment_services.check_payment(
            payment_request=access_payment_request(request.user, pk), actor=request.user
        )
        return Response(self.row(pk))

    @extend_schema(
        summary="Zahlung anordnen",
        description="Bewilligung (state_approver), nie wer die sachliche Richtigkeit bestätigt "
        "hat. Die Auszahlung läuft danach einmalig im Hintergrund.",
        request=None,
        responses={200: PaymentRequestRowSerializer, 404: error_response(404), 409: REFUSED},
    )
    @action(detail=True, methods=["post"])
    def approve(self, request, pk=None):
        payment_services.approve_payment(
            payment_request=access_payment_request(request.user, pk), actor=request.user
        )
        return Response(self.row(pk))

    @extend_schema(
        summary="Mittelabruf ablehnen",
        description="Prüfung oder Bewilligung; nur offene Abrufe, mit Begründung.",
        request=RejectSerializer,
        responses={200: PaymentRequestRowSerializer, 404: error_response(404), 409: REFUSED},
    )
    @action(detail=True, methods=["post"])
    def reject(self, request, pk=None):
        payment_request = access_payment_request(request.user, pk)
        data = RejectSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        payment_services.reject_payment(
            payment_request=payment_request,
            actor=request.user,
            reason=data.validated_data["reason"],
        )
        return Response(self.row(pk))


class PaymentFilter(filters.FilterSet):
    application = filters.NumberFilter(field_name="request__application", label="Antrag")
    year = filters.NumberFilter(field_name="request__year", label="Förderjahr")

    class Meta:
        model = Payment
        fields = ["application", "year"]


@extend_schema_view(
    list=extend_schema(
        summary="Auszahlungen",
        description="Die Auszahlungen der Anträge, die Sie sehen dürfen, mit Buchungszeichen.",
    ),
    retrieve=extend_schema(summary="Eine Auszahlung"),
)
@extend_schema(tags=["Förderung"])
class PaymentViewSet(_FundingViewSet, mixins.ListModelMixin, mixins.RetrieveModelMixin):
    model = Payment
    row_serializer = PaymentRowSerializer
    reach = "request__application__municipality_id"
    filterset_class = PaymentFilter


@extend_schema_view(
    list=extend_schema(
        summary="Weiterleitungen",
        description="Weiterleitungen von Zuwendungen an Dritte, die Sie sehen dürfen.",
    ),
    retrieve=extend_schema(summary="Eine Weiterleitung"),
    destroy=extend_schema(
        summary="Weiterleitung löschen",
        description="Nur Koordinatorinnen und Koordinatoren der Kommune; der Verlauf behält sie.",
    ),
)
@extend_schema(tags=["Förderung"])
class ForwardingViewSet(_FundingViewSet, mixins.ListModelMixin, mixins.RetrieveModelMixin):
    model = Forwarding
    row_serializer = ForwardingRowSerializer
    filterset_fields = ["application", "year"]

    @extend_schema(
        summary="Weiterleitung erfassen",
        description="Nur Koordinatorinnen und Koordinatoren der Kommune, nur wenn der geltende "
        "Bescheid die Weiterleitung erlaubt; die Weiterleitungen eines Jahres zusammen "
        "übersteigen nie dessen Bewilligung.",
        request=ForwardingCreateSerializer,
        responses={201: ForwardingRowSerializer, 404: error_response(404), 409: REFUSED},
    )
    def create(self, request):
        return self.create_for_application(
            request, ForwardingCreateSerializer, forwarding_services.record_forwarding
        )

    def destroy(self, request, pk=None):
        forwarding_services.delete_forwarding(
            forwarding=access_forwarding(request.user, pk, write=True), actor=request.user
        )
        return Response(status=status.HTTP_204_NO_CONTENT)


ROUTES = [
    ("funding/payment-requests", PaymentRequestViewSet, "api-payment-request"),
    ("funding/payments", PaymentViewSet, "api-payment"),
    ("funding/forwardings", ForwardingViewSet, "api-forwarding"),
]
