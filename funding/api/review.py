"""Review endpoints (issue 3 §4): the state office's queue, comments on an application, and the
reviewer's actions. Thin: the permission modules decide what exists for the caller (404
otherwise), funding.services.review decides what is allowed, funding.api.errors answers its
refusals."""

from decimal import Decimal

from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import status
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound, PermissionDenied, ValidationError
from rest_framework.response import Response
from rest_framework.viewsets import GenericViewSet

from accounts.api.schema import error_response
from funding.api.errors import FundingApiViewMixin
from funding.api.pagination import CountingPagination
from funding.api.serializers_review import (
    ChecklistSerializer,
    CommentSerializer,
    QueueQuerySerializer,
    QueueRowSerializer,
    RecommendSerializer,
    RequestChangesSerializer,
    ReviewStateSerializer,
)
from funding.models import Application, Comment, Review
from funding.money import cents
from funding.permissions import access_application, is_state_office
from funding.permissions_review import access_for_review, can_comment
from funding.selectors_review import QueuePage, comments_for
from funding.services import review as services

APPLICATION_ID = OpenApiParameter(
    "id", OpenApiTypes.INT, OpenApiParameter.PATH, description="Kennung des Antrags."
)


@extend_schema(
    tags=["Förderung"],
    summary="Prüfliste der Anträge",
    description=(
        "Anträge zur Prüfung für die Landeskoordinierungsstelle (für alle anderen gibt es "
        "diese Liste nicht: 404). Ohne `status` die eingereichten, in Prüfung befindlichen, "
        "zur Nachbesserung zurückgegebenen und die mit Votum; älteste Einreichung zuerst."
    ),
    parameters=[QueueQuerySerializer],
)
class ReviewQueueViewSet(FundingApiViewMixin, GenericViewSet):
    serializer_class = QueueRowSerializer
    pagination_class = CountingPagination
    queryset = Application.objects.none()  # for the schema; rows come from the selector

    def list(self, request):
        if not is_state_office(request.user):
            raise NotFound
        query = QueueQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        rows = QueuePage(user=request.user, filters=query.filters())
        page = self.paginate_queryset(rows)
        return self.get_paginated_response([_queue_row(row) for row in page])


def _iso(moment) -> str:
    # As DRF's DateTimeField writes it: local time with offset, "Z" for UTC.
    text = timezone.localtime(moment).isoformat()
    return text[:-6] + "Z" if text.endswith("+00:00") else text


def _queue_row(row: dict) -> dict:
    """A queue row as QueueRowSerializer describes it, built directly: the serializer's field
    machinery cost more than the two queries of the page (issue 3 speed target)."""
    submitted_at = row["submitted_at"]
    return {
        "id": row["pk"],
        "number": row["number"],
        "status": row["status"],
        "municipality": row["municipality_id"],
        "municipality_name": row["municipality__short_name"],
        "regierungsbezirk": row["municipality__regierungsbezirk"],
        "call": row["call_id"],
        "years": row["years_applied"],
        "requested_total": str(cents(row["requested_total"])),
        "submitted_at": None if submitted_at is None else _iso(submitted_at),
        "reviewer": row["reviewer_id"],
    }


@extend_schema_view(
    list=extend_schema(
        summary="Kommentare zu einem Antrag",
        description=(
            "`application` ist Pflicht. Die Kommune liest die für sie sichtbaren Kommentare, "
            "die Landeskoordinierungsstelle auch die internen."
        ),
        parameters=[
            OpenApiParameter(
                "application", OpenApiTypes.INT, required=True, description="Kennung des Antrags."
            )
        ],
    ),
    create=extend_schema(
        summary="Kommentar schreiben",
        description=(
            "Die Landeskoordinierungsstelle schreibt intern (Standard) oder für die Kommune "
            "sichtbar; die Koordination der Kommune antwortet, immer sichtbar. Sichtbare "
            "Kommentare gehen per E-Mail an die andere Seite."
        ),
        responses={201: CommentSerializer, 400: error_response(400)},
    ),
)
@extend_schema(tags=["Förderung"])
class CommentViewSet(FundingApiViewMixin, GenericViewSet):
    serializer_class = CommentSerializer
    queryset = Comment.objects.none()  # for the schema; rows come from the selector

    def list(self, request):
        application_id = request.query_params.get("application")
        if not application_id:
            raise ValidationError({"application": [_("Bitte die Kennung des Antrags angeben.")]})
        application = access_application(request.user, application_id)
        page = self.paginate_queryset(comments_for(request.user, application))
        return self.get_paginated_response(CommentSerializer(page, many=True).data)

    def create(self, request):
        form = CommentSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        data = form.validated_data
        application = access_application(request.user, data["application_id"])
        if not can_comment(request.user, application):
            raise PermissionDenied(
                _("Kommentieren dürfen die Koordination der Kommune und die Prüfung.")
            )
        comment = services.add_comment(
            application=application,
            actor=request.user,
            text=data["text"],
            visibility=data.get("visibility"),
        )
        return Response(CommentSerializer(comment).data, status=status.HTTP_201_CREATED)


def _state(application) -> dict:
    review = Review.objects.filter(application=application).first()
    stored = review.checklist if review else {}
    return {
        "application": application.pk,
        "status": application.status,
        "version": application.version,
        "reviewer": application.reviewer_id,
        "checklist": stored.get("items", {}),
        "checklist_note": stored.get("note", ""),
        "recommendation": review.recommendation if review else "",
        "recommended_grants": {
            year: Decimal(amount)
            for year, amount in (review.recommended_grants if review else {}).items()
        },
        "note": review.note if review else "",
    }


ACTION_RESPONSES = {200: ReviewStateSerializer, 400: error_response(400)}


@extend_schema(tags=["Förderung"], parameters=[APPLICATION_ID])
class ReviewViewSet(FundingApiViewMixin, GenericViewSet):
    """The review of one application, addressed by the application's id; state office only."""

    serializer_class = ReviewStateSerializer
    queryset = Application.objects.none()  # for the schema; access_for_review fetches

    def _respond(self, request, pk):
        application = access_for_review(request.user, pk)
        return Response(ReviewStateSerializer(_state(application)).data)

    @extend_schema(summary="Stand der Prüfung", responses={200: ReviewStateSerializer})
    def retrieve(self, request, pk=None):
        return self._respond(request, pk)

    def _act(self, request, pk, serializer_class, run):
        application = access_for_review(request.user, pk)
        form = serializer_class(data=request.data) if serializer_class else None
        if form is not None:
            form.is_valid(raise_exception=True)
        run(application, form.validated_data if form is not None else {})
        return self._respond(request, pk)

    @extend_schema(summary="Prüfung beginnen", request=None, responses=ACTION_RESPONSES)
    @action(detail=True, methods=["post"])
    def start(self, request, pk=None):
        return self._act(
            request,
            pk,
            None,
            lambda application, data: services.start_review(
                application=application, actor=request.user
            ),
        )

    @extend_schema(
        summary="Prüfliste speichern", request=ChecklistSerializer, responses=ACTION_RESPONSES
    )
    @action(detail=True, methods=["post"])
    def checklist(self, request, pk=None):
        return self._act(
            request,
            pk,
            ChecklistSerializer,
            lambda application, data: services.save_checklist(
                application=application, actor=request.user, **data
            ),
        )

    @extend_schema(
        summary="Nachbesserung anfordern",
        request=RequestChangesSerializer,
        responses=ACTION_RESPONSES,
    )
    @action(detail=True, methods=["post"], url_path="request-changes")
    def request_changes(self, request, pk=None):
        return self._act(
            request,
            pk,
            RequestChangesSerializer,
            lambda application, data: services.request_changes(
                application=application, actor=request.user, **data
            ),
        )

    @extend_schema(summary="Votum abgeben", request=RecommendSerializer, responses=ACTION_RESPONSES)
    @action(detail=True, methods=["post"])
    def recommend(self, request, pk=None):
        return self._act(
            request,
            pk,
            RecommendSerializer,
            lambda application, data: services.recommend(
                application=application, actor=request.user, **data
            ),
        )


ROUTES = [
    ("funding/review-queue", ReviewQueueViewSet, "api-funding-review-queue"),
    ("funding/comments", CommentViewSet, "api-funding-comment"),
    ("funding/reviews", ReviewViewSet, "api-funding-review"),
]
