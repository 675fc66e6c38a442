"""Good-practice endpoints (issue 5 §6, §9): the library for everyone (anonymous reading
allowed), and propose, publish, reject, withdraw and adopt with the pages' permissions.

Thin: the selector decides which entries exist for the caller (404 otherwise), the services
decide what is allowed and refuse with 409 (accounts.api.refusals). An entry the caller sees
but may not act on answers 403."""

from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import permissions, serializers, status
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied
from rest_framework.response import Response
from rest_framework.viewsets import GenericViewSet

from accounts.api.permissions import ReadOnlyTokenPermission
from accounts.api.refusals import DomainApiViewMixin
from accounts.api.schema import error_response
from municipalities.permissions import access_municipality
from prevention_chains import selectors_good_practice as selectors
from prevention_chains import services_good_practice as services
from prevention_chains.models import (
    FieldOfAction,
    GoodPractice,
    GoodPracticeStatus,
    LifePhase,
    TargetGroup,
)
from prevention_chains.permissions import (
    access_offering,
    can_decide_good_practice,
    can_read_chain,
    can_write_chain,
)

TAG = ["Präventionskette"]


def _slugs_field(model, help_text: str, *, required: bool):
    return serializers.SlugRelatedField(
        slug_field="slug",
        queryset=model.objects.filter(is_active=True),
        many=True,
        required=required,
        help_text=help_text,
    )


class GoodPracticeQuerySerializer(serializers.Serializer):
    phase = serializers.SlugField(required=False, help_text="Kennung einer Lebensphase.")
    field = serializers.SlugField(required=False, help_text="Kennung eines Handlungsfelds.")
    target_group = serializers.SlugField(required=False, help_text="Kennung einer Zielgruppe.")
    q = serializers.CharField(
        required=False, max_length=100, help_text="Suchbegriff (deutsche Volltextsuche, Titel)."
    )
    status = serializers.ChoiceField(
        required=False,
        choices=GoodPracticeStatus.choices,
        help_text="Nur Einträge in diesem Status; unveröffentlichte sehen nur die Mitglieder "
        "der Herkunftskommune und die Landeskoordinierungsstelle.",
    )


class GoodPracticeOriginSerializer(serializers.Serializer):
    id = serializers.IntegerField(help_text="Kennung der Kommune (nicht der AGS).")
    name = serializers.CharField(help_text="Name der Kommune (Kurzname).")
    slug = serializers.CharField(help_text="Kürzel der Kommune in Adressen des Portals.")


class GoodPracticeSerializer(serializers.Serializer):
    """The documented shape of an entry; rows are built by _entry_row (no queries per row)."""

    id = serializers.IntegerField(help_text="Kennung des Eintrags.")
    title = serializers.CharField(help_text="Titel des Eintrags.")
    summary = serializers.CharField(help_text="Kurzbeschreibung des Angebots.")
    why_it_works = serializers.CharField(help_text="Was gut funktioniert.")
    requirements = serializers.CharField(
        help_text="Was eine Kommune zum Übernehmen braucht (Personal, Räume, Partner); "
        "kann leer sein."
    )
    status = serializers.ChoiceField(choices=GoodPracticeStatus.choices)
    municipality = GoodPracticeOriginSerializer(help_text="Herkunftskommune.")
    offering = serializers.IntegerField(help_text="Kennung des Ursprungsangebots.")
    life_phases = serializers.ListField(child=serializers.CharField(), help_text="Kennungen.")
    fields_of_action = serializers.ListField(child=serializers.CharField(), help_text="Kennungen.")
    target_groups = serializers.ListField(child=serializers.CharField(), help_text="Kennungen.")
    adoption_count = serializers.IntegerField(help_text="Wie viele Kommunen übernommen haben.")
    proposed_at = serializers.DateTimeField(help_text="Vorgeschlagen am (ISO 8601).")
    decided_at = serializers.DateTimeField(
        allow_null=True,
        help_text="Veröffentlicht oder abgelehnt am (ISO 8601); `null`, solange offen.",
    )
    decision_note = serializers.CharField(
        allow_null=True,
        help_text="Begründung der Entscheidung; nur für die Herkunftskommune und die "
        "Landeskoordinierungsstelle, sonst `null`.",
    )


class GoodPracticeProposeSerializer(serializers.Serializer):
    offering = serializers.IntegerField(help_text="Kennung des Angebots der eigenen Kommune.")
    title = serializers.CharField(required=False, max_length=200, help_text="Ohne: des Angebots.")
    summary = serializers.CharField(
        required=False, help_text="Ohne: die Beschreibung des Angebots."
    )
    why_it_works = serializers.CharField(help_text="Was gut funktioniert.")
    requirements = serializers.CharField(
        required=False,
        allow_blank=True,
        default="",
        help_text="Was eine Kommune zum Übernehmen braucht (Personal, Räume, Partner).",
    )
    life_phases = _slugs_field(LifePhase, "Ohne: die aktiven des Angebots.", required=False)
    fields_of_action = _slugs_field(
        FieldOfAction, "Ohne: die aktiven des Angebots.", required=False
    )
    target_groups = _slugs_field(TargetGroup, "Ohne: die aktiven des Angebots.", required=False)


class GoodPracticePublishSerializer(serializers.Serializer):
    note = serializers.CharField(
        required=False, allow_blank=True, default="", help_text="Hinweis an die Kommune."
    )


class GoodPracticeRejectSerializer(serializers.Serializer):
    reason = serializers.CharField(help_text="Begründung; die Kommune erhält sie.")


class GoodPracticeAdoptSerializer(serializers.Serializer):
    municipality = serializers.IntegerField(
        help_text="Kennung der eigenen Kommune, in deren Kette übernommen wird."
    )


class GoodPracticeAdoptedSerializer(serializers.Serializer):
    offering = serializers.IntegerField(help_text="Kennung des neuen Angebotsentwurfs.")
    municipality = serializers.IntegerField(help_text="Kennung der übernehmenden Kommune.")
    adopted_from = serializers.IntegerField(help_text="Kennung des Eintrags guter Praxis.")
    status = serializers.CharField(help_text="Immer `draft`.")


def _active(terms) -> list:
    """The offering's terms still in use, for what a proposal leaves out."""
    return list(terms.filter(is_active=True))


def _entry_row(entry: GoodPractice, user) -> dict:
    internal = can_read_chain(user, entry.municipality_id)
    municipality = entry.municipality
    return {
        "id": entry.pk,
        "title": entry.title,
        "summary": entry.summary,
        "why_it_works": entry.why_it_works,
        "requirements": entry.requirements,
        "status": entry.status,
        "municipality": {
            "id": municipality.pk,
            "name": municipality.short_name,
            "slug": municipality.slug,
        },
        "offering": entry.offering_id,
        "life_phases": [term.slug for term in entry.life_phases.all()],
        "fields_of_action": [term.slug for term in entry.fields_of_action.all()],
        "target_groups": [term.slug for term in entry.target_groups.all()],
        "adoption_count": entry.adoption_count,
        "proposed_at": entry.proposed_at,
        "decided_at": entry.decided_at,
        "decision_note": entry.decision_note if internal else None,
    }


ENTRY_ID = OpenApiParameter(
    "id", OpenApiTypes.INT, OpenApiParameter.PATH, description="Kennung des Eintrags."
)
ACTION_RESPONSES = {
    200: GoodPracticeSerializer,
    400: error_response(400),
    403: error_response(403),
}


@extend_schema_view(
    list=extend_schema(
        summary="Bibliothek guter Praxis",
        description="Veröffentlichte Einträge für alle (auch ohne Anmeldung), dazu für "
        "Mitglieder einer Kommune deren unveröffentlichte Einträge und für die "
        "Landeskoordinierungsstelle alle. Mit der Zahl der Kommunen, die übernommen haben.",
        parameters=[GoodPracticeQuerySerializer],
    ),
    retrieve=extend_schema(
        summary="Ein Eintrag guter Praxis",
        description="Unveröffentlichte Einträge gibt es nur für die Herkunftskommune und "
        "die Landeskoordinierungsstelle (sonst 404).",
        parameters=[ENTRY_ID],
    ),
)
@extend_schema(tags=TAG)
class GoodPracticeViewSet(DomainApiViewMixin, GenericViewSet):
    serializer_class = GoodPracticeSerializer
    queryset = GoodPractice.objects.none()  # for the schema; rows come from the selector
    permission_classes = [permissions.IsAuthenticatedOrReadOnly, ReadOnlyTokenPermission]

    def list(self, request):
        query = GoodPracticeQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        data = query.validated_data
        entries = selectors.filtered(
            selectors.visible_to(request.user),
            selectors.LibraryFilters(
                phase=data.get("phase", ""),
                field=data.get("field", ""),
                target_group=data.get("target_group", ""),
                text=data.get("q", ""),
            ),
        )
        if data.get("status"):
            entries = entries.filter(status=data["status"])
        entries = selectors.with_listing(entries).order_by("-proposed_at", "-pk")
        page = self.paginate_queryset(entries)
        return self.get_paginated_response(
            GoodPracticeSerializer([_entry_row(e, request.user) for e in page], many=True).data
        )

    def retrieve(self, request, pk=None):
        entry = selectors.entry_for(request.user, pk)
        return Response(GoodPracticeSerializer(_entry_row(entry, request.user)).data)

    def _respond(self, request, entry, status_code=status.HTTP_200_OK):
        entry = selectors.entry_for(request.user, entry.pk)
        return Response(
            GoodPracticeSerializer(_entry_row(entry, request.user)).data, status=status_code
        )

    def _entry_allowing(self, request, pk, allowed) -> GoodPractice:
        """The entry if the caller sees it (404 otherwise) and may act on it (403 otherwise)."""
        entry = selectors.entry_for(request.user, pk)
        if not allowed(entry):
            raise PermissionDenied(_("Diesen Schritt dürfen Sie bei diesem Eintrag nicht gehen."))
        return entry

    @staticmethod
    def _valid(serializer_class, request) -> dict:
        form = serializer_class(data=request.data)
        form.is_valid(raise_exception=True)
        return form.validated_data

    def _decide(self, request, pk, serializer_class, service):
        """The state office's decision; the serializer's fields are the service's arguments."""
        entry = self._entry_allowing(request, pk, lambda e: can_decide_good_practice(request.user))
        service(entry=entry, actor=request.user, **self._valid(serializer_class, request))
        return self._respond(request, entry)

    @extend_schema(
        summary="Angebot als gute Praxis vorschlagen",
        description="Die Koordination der Kommune schlägt eines ihrer veröffentlichten oder "
        "pausierten Angebote vor. Fehlende Angaben kommen aus dem Angebot. 404 für Angebote "
        "anderer Kommunen; 409, wenn schon ein offener Eintrag besteht oder das Angebot ein "
        "Entwurf oder beendet ist.",
        request=GoodPracticeProposeSerializer,
        responses={201: GoodPracticeSerializer, 400: error_response(400)},
    )
    @action(detail=False, methods=["post"])
    def propose(self, request):
        data = self._valid(GoodPracticeProposeSerializer, request)
        offering = access_offering(request.user, data["offering"], write=True)
        entry = services.propose_good_practice(
            offering=offering,
            actor=request.user,
            title=data.get("title") or offering.title,
            summary=data.get("summary") or offering.description,
            why_it_works=data["why_it_works"],
            requirements=data["requirements"],
            life_phases=data.get("life_phases") or _active(offering.life_phases),
            fields_of_action=data.get("fields_of_action") or _active(offering.fields_of_action),
            target_groups=data.get("target_groups") or _active(offering.target_groups),
        )
        return self._respond(request, entry, status.HTTP_201_CREATED)

    @extend_schema(
        summary="Vorschlag veröffentlichen",
        description="Nur die Landeskoordinierungsstelle; 409, wenn der Eintrag nicht "
        "(mehr) vorgeschlagen ist.",
        parameters=[ENTRY_ID],
        request=GoodPracticePublishSerializer,
        responses=ACTION_RESPONSES,
    )
    @action(detail=True, methods=["post"])
    def publish(self, request, pk=None):
        return self._decide(
            request, pk, GoodPracticePublishSerializer, services.publish_good_practice
        )

    @extend_schema(
        summary="Vorschlag ablehnen",
        description="Nur die Landeskoordinierungsstelle, mit Begründung.",
        parameters=[ENTRY_ID],
        request=GoodPracticeRejectSerializer,
        responses=ACTION_RESPONSES,
    )
    @action(detail=True, methods=["post"])
    def reject(self, request, pk=None):
        return self._decide(
            request, pk, GoodPracticeRejectSerializer, services.reject_good_practice
        )

    @extend_schema(
        summary="Eintrag zurückziehen",
        description="Die Koordination der Herkunftskommune, solange vorgeschlagen oder "
        "veröffentlicht.",
        parameters=[ENTRY_ID],
        request=None,
        responses=ACTION_RESPONSES,
    )
    @action(detail=True, methods=["post"])
    def withdraw(self, request, pk=None):
        entry = self._entry_allowing(
            request, pk, lambda e: can_write_chain(request.user, e.municipality_id)
        )
        services.withdraw_good_practice(entry=entry, actor=request.user)
        return self._respond(request, entry)

    @extend_schema(
        summary="In die eigene Präventionskette übernehmen",
        description="Legt in der genannten Kommune einen Angebotsentwurf an (Titel, "
        "Beschreibung aus dem Eintrag, Lebensphasen, Handlungsfelder, Zielgruppen, Alter, "
        "Sprachen, Kosten; nicht Träger, Sozialräume, Orte, Kontakt) und zählt die "
        "Übernahme. Nur die Koordination der Kommune (sonst 404 für die Kommune); 409 für "
        "unveröffentlichte Einträge, die eigene Herkunftskommune oder eine zweite Übernahme.",
        parameters=[ENTRY_ID],
        request=GoodPracticeAdoptSerializer,
        responses={201: GoodPracticeAdoptedSerializer, 400: error_response(400)},
    )
    @action(detail=True, methods=["post"])
    def adopt(self, request, pk=None):
        entry = selectors.entry_for(request.user, pk)
        data = self._valid(GoodPracticeAdoptSerializer, request)
        municipality = access_municipality(request.user, data["municipality"], write=True)
        offering = services.adopt_good_practice(
            entry=entry, actor=request.user, municipality=municipality
        )
        body = {
            "offering": offering.pk,
            "municipality": municipality.pk,
            "adopted_from": entry.pk,
            "status": offering.status,
        }
        return Response(GoodPracticeAdoptedSerializer(body).data, status=status.HTTP_201_CREATED)


ROUTES = [("good-practices", GoodPracticeViewSet, "api-good-practice")]
