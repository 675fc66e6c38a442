"""API v1 endpoints of offerings (issue 5 §4); kekiz_portal.api registers ROUTES.

Thin: prevention_chains.permissions decides what exists for the caller (404 otherwise; a
reader who may not write gets 403), services_offerings writes and refuses – 400 naming the
fields, 409 `stale` for an outdated `version` (DomainApiViewMixin). The list filters are those
of the offering page (selectors_offerings), with English names.
"""

from django.db.models import Q
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied, ValidationError
from rest_framework.renderers import BrowsableAPIRenderer, JSONRenderer
from rest_framework.response import Response
from rest_framework.reverse import reverse
from rest_framework.viewsets import GenericViewSet

from accounts.api.refusals import DomainApiViewMixin
from accounts.api.renderers import CSVRenderer
from municipalities.models import Municipality, Sozialraum
from prevention_chains import services_offerings as services
from prevention_chains.models import (
    Actor,
    FieldOfAction,
    LifePhase,
    Offering,
    OfferingStatus,
    TargetGroup,
)
from prevention_chains.permissions import access_offering, can_read_chain, can_write_chain
from prevention_chains.selectors_offerings import (
    OfferingFilters,
    filter_offerings,
    full_offering_prefetches,
    offerings_for,
)

CSV_COLUMNS = [
    "id",
    "municipality",
    "title",
    "status",
    "provider",
    "life_phases",
    "fields_of_action",
    "target_groups",
    "age_from",
    "age_to",
    "sozialraeume",
    "is_free",
    "languages",
    "last_confirmed_on",
    "is_stale",
]
LIST_DESCRIPTION = """
Die Angebote der Kommunen, deren Präventionskette Sie sehen: Mitglieder einer Kommune deren
eigene, die Landeskoordinierungsstelle alle. `is_stale`: seit mehr als
`OFFERING_STALE_AFTER_DAYS` Tagen (oder nie) bestätigt.

**CSV-Export:** `?format=csv` liefert alle gefilterten Angebote ohne Seitenaufteilung mit den
Spalten id, municipality (AGS), title, status, provider, life_phases, fields_of_action,
target_groups (Kennungen, getrennt durch `|`), age_from, age_to, sozialraeume (Kennungen),
is_free, languages, last_confirmed_on, is_stale.
"""
ID_PARAMETER = OpenApiParameter(
    "id", OpenApiTypes.INT, OpenApiParameter.PATH, description="Kennung des Angebots."
)
WRITERS_ONLY = "Angebote pflegen die Koordination der Kommune und die Programmverwaltung."


def _municipality(reference: str) -> Municipality | None:
    return Municipality.objects.filter(Q(ags=reference) | Q(slug=reference)).first()


class ListQuerySerializer(serializers.Serializer):
    municipality = serializers.CharField(
        required=False, help_text="AGS (z. B. `05766`) oder Kurzname (slug) einer Kommune."
    )
    status = serializers.ChoiceField(choices=OfferingStatus.choices, required=False)
    phase = serializers.CharField(required=False, help_text="Kennung (slug) einer Lebensphase.")
    field = serializers.CharField(required=False, help_text="Kennung (slug) eines Handlungsfelds.")
    target_group = serializers.CharField(
        required=False, help_text="Kennung (slug) einer Zielgruppe."
    )
    sozialraum = serializers.IntegerField(
        required=False,
        help_text="Id eines Sozialraums; Angebote ohne Sozialraum (ganze Kommune) zählen mit, "
        "ebenso die für den Stadtbezirk darüber oder die Sozialräume darunter.",
    )
    stale = serializers.BooleanField(
        required=False, help_text="`true`: nur nicht mehr bestätigte; `false`: nur bestätigte."
    )
    q = serializers.CharField(
        required=False, help_text="Volltextsuche in Titel und Beschreibung (deutsch, websearch)."
    )


def _text(max_length: int, help_text: str, **kwargs):
    return serializers.CharField(
        max_length=max_length, required=False, allow_blank=True, help_text=help_text, **kwargs
    )


def _age(min_value: int, help_text: str):
    return serializers.IntegerField(
        min_value=min_value, max_value=100, required=False, allow_null=True, help_text=help_text
    )


class LocationSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=200, help_text="Ort oder Einrichtung.")
    street = _text(150, "Straße und Hausnummer.", default="")
    postcode = _text(5, "Postleitzahl.", default="")
    city = _text(100, "Ort.", default="")


def _terms(model, help_text: str, required: bool = True):
    return serializers.SlugRelatedField(
        slug_field="slug",
        queryset=model.objects.all(),
        many=True,
        required=required,
        help_text=help_text,
    )


class OfferingWriteSerializer(serializers.Serializer):
    """What a client sends; PATCH may leave out anything, the rest stays as it is."""

    municipality = serializers.CharField(
        required=False, help_text="Nur beim Anlegen: AGS oder Kurzname (slug) der Kommune."
    )
    version = serializers.IntegerField(
        required=False, help_text="Beim Ändern Pflicht: die zuletzt gelesene Version."
    )
    title = serializers.CharField(max_length=200, help_text="Titel des Angebots.")
    description = serializers.CharField(
        required=False, allow_blank=True, help_text="Beschreibung für Familien und Fachkräfte."
    )
    provider = serializers.PrimaryKeyRelatedField(
        queryset=Actor.objects.all(),
        required=False,
        allow_null=True,
        help_text="Id eines Akteurs derselben Kommune (Träger).",
    )
    life_phases = _terms(LifePhase, "Kennungen der Lebensphasen (mindestens eine).")
    fields_of_action = _terms(FieldOfAction, "Kennungen der Handlungsfelder (mindestens eines).")
    target_groups = _terms(TargetGroup, "Kennungen der Zielgruppen.", required=False)
    age_from = _age(0, "Alter ab (Jahre); `null`: ohne Untergrenze.")
    age_to = _age(1, "Alter bis unter (Jahre), größer als age_from.")
    sozialraeume = serializers.PrimaryKeyRelatedField(
        queryset=Sozialraum.objects.all(),
        many=True,
        required=False,
        help_text="Ids heute gültiger Sozialräume der Kommune; leer: ganze Kommune.",
    )
    schedule = _text(300, "Zeiten")
    is_free = serializers.BooleanField(required=False, help_text="Kostenfrei für Familien.")
    cost_note = _text(300, "Kosten; Pflicht, wenn is_free false ist.")
    languages = serializers.ListField(
        child=serializers.ChoiceField(choices=list(services.LANGUAGES)),
        required=False,
        help_text="ISO-639-1-Kennungen: " + ", ".join(services.LANGUAGES) + ".",
    )
    accessibility = _text(300, "Barrierefreiheit (Zugang, Sprache, Hilfen).")
    contact_name = _text(150, "Ansprechperson.")
    contact_email = serializers.EmailField(
        required=False, allow_blank=True, help_text="E-Mail-Adresse der Ansprechperson."
    )
    contact_phone = _text(40, "Telefonnummer der Ansprechperson.")
    website = serializers.URLField(
        required=False, allow_blank=True, help_text="Webseite des Angebots (https://…)."
    )
    status = serializers.ChoiceField(choices=OfferingStatus.choices, required=False)
    locations = LocationSerializer(
        many=True,
        required=False,
        help_text="Orte des Angebots; beim Ändern ersetzt die Liste alle.",
    )


def _current_input(offering: Offering) -> dict:
    """The offering as it is, in the names of OfferingInput (the base of a PATCH)."""
    values = {name: getattr(offering, name) for name in services.SCALAR_FIELDS}
    for relation in ("life_phases", "fields_of_action", "target_groups", "sozialraeume"):
        values[relation] = list(getattr(offering, relation).all())
    values["languages"] = list(offering.languages)
    values["locations"] = [
        services.LocationInput(place.name, place.street, place.postcode, place.city)
        for place in offering.locations.all()
    ]
    return values


def _input(validated: dict, base: dict) -> services.OfferingInput:
    values = dict(base)
    for name, value in validated.items():
        if name in ("municipality", "version"):
            continue
        if name == "locations":
            value = [services.LocationInput(**place) for place in value]
        values[name] = value
    return services.OfferingInput(**values)


def _names(terms) -> list[str]:
    return [term.slug for term in terms]


def offering_data(offering: Offering, base_url: str) -> dict:
    """One offering as every endpoint answers; needs offerings_for()'s joins and the
    prefetches of full_offering_prefetches()."""
    return {
        "id": offering.pk,
        "version": offering.version,
        "municipality": offering.municipality.ags,
        "title": offering.title,
        "description": offering.description,
        "provider": (
            {"id": offering.provider_id, "name": offering.provider.name}
            if offering.provider
            else None
        ),
        "life_phases": _names(offering.life_phases.all()),
        "fields_of_action": _names(offering.fields_of_action.all()),
        "target_groups": _names(offering.target_groups.all()),
        "age_from": offering.age_from,
        "age_to": offering.age_to,
        "sozialraeume": [
            {"id": area.pk, "code": area.code, "name": area.name}
            for area in offering.sozialraeume.all()
        ],
        "locations": [
            {"name": p.name, "street": p.street, "postcode": p.postcode, "city": p.city}
            for p in offering.locations.all()
        ],
        "schedule": offering.schedule,
        "is_free": offering.is_free,
        "cost_note": offering.cost_note,
        "languages": list(offering.languages),
        "accessibility": offering.accessibility,
        "contact_name": offering.contact_name,
        "contact_email": offering.contact_email,
        "contact_phone": offering.contact_phone,
        "website": offering.website,
        "status": offering.status,
        "last_confirmed_on": (
            offering.last_confirmed_on.isoformat() if offering.last_confirmed_on else None
        ),
        "is_stale": offering.is_stale,
        "external_key": offering.import_key.key if hasattr(offering, "import_key") else None,
        "url": f"{base_url}{offering.pk}/",
    }


def _csv_row(data: dict) -> dict:
    return {
        **data,
        "provider": data["provider"]["name"] if data["provider"] else "",
        "life_phases": "|".join(data["life_phases"]),
        "fields_of_action": "|".join(data["fields_of_action"]),
        "target_groups": "|".join(data["target_groups"]),
        "sozialraeume": "|".join(area["code"] for area in data["sozialraeume"]),
        "languages": "|".join(data["languages"]),
    }


def _require_writer(user, municipality_id: int) -> None:
    if not can_write_chain(user, municipality_id):
        raise PermissionDenied(WRITERS_ONLY)


@extend_schema(tags=["Präventionskette: Angebote"])
class OfferingViewSet(DomainApiViewMixin, GenericViewSet):
    filter_backends: list = []
    csv_columns = CSV_COLUMNS
    serializer_class = OfferingWriteSerializer

    def get_renderers(self):
        if self.action_map.get("get") == "list":
            return [JSONRenderer(), BrowsableAPIRenderer(), CSVRenderer()]
        return super().get_renderers()

    def get_queryset(self):
        return offerings_for(self.request.user).prefetch_related(*full_offering_prefetches())

    def _base_url(self) -> str:
        return self.request.build_absolute_uri(reverse("api-offering-list"))

    def _answer(self, pk, status_code=status.HTTP_200_OK) -> Response:
        offering = self.get_queryset().get(pk=pk)
        return Response(offering_data(offering, self._base_url()), status=status_code)

    def _filters(self) -> tuple[OfferingFilters, Municipality | None]:
        query = ListQuerySerializer(data=self.request.query_params.dict())
        query.is_valid(raise_exception=True)
        values = query.validated_data
        municipality = None
        if values.get("municipality"):
            municipality = _municipality(values["municipality"])
            if municipality is None:
                raise ValidationError(
                    {
                        "municipality": [
                            _("Eine Kommune mit diesem AGS oder Kurznamen gibt es nicht.")
                        ]
                    }
                )
        filters = OfferingFilters(
            q=values.get("q", ""),
            status=values.get("status", ""),
            phase=values.get("phase", ""),
            field=values.get("field", ""),
            target_group=values.get("target_group", ""),
            sozialraum=values.get("sozialraum"),
            stale=values.get("stale"),
        )
        return filters, municipality

    @extend_schema(
        summary="Angebote",
        description=LIST_DESCRIPTION,
        parameters=[ListQuerySerializer],
        responses={
            (200, "application/json"): OpenApiResponse(OpenApiTypes.OBJECT),
            (200, "text/csv"): OpenApiResponse(OpenApiTypes.STR, description="CSV-Export."),
        },
    )
    def list(self, request):
        filters, municipality = self._filters()
        offerings = filter_offerings(self.get_queryset(), filters)
        if municipality is not None:
            offerings = offerings.filter(municipality=municipality)
        offerings = offerings.order_by("municipality__ags", "title", "pk")
        base = self._base_url()
        if isinstance(getattr(request, "accepted_renderer", None), CSVRenderer):
            return Response(
                [_csv_row(offering_data(offering, base)) for offering in offerings],
                headers={"Content-Disposition": 'attachment; filename="angebote.csv"'},
            )
        page = self.paginate_queryset(offerings)
        return self.get_paginated_response([offering_data(offering, base) for offering in page])

    @extend_schema(summary="Ein Angebot", parameters=[ID_PARAMETER])
    def retrieve(self, request, pk=None):
        offering = access_offering(request.user, pk)
        return self._answer(offering.pk)

    @extend_schema(
        summary="Angebot anlegen",
        description="Koordination der Kommune und Programmverwaltung. Gilt ab heute als bestätigt.",
        request=OfferingWriteSerializer,
    )
    def create(self, request):
        data = OfferingWriteSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        reference = data.validated_data.get("municipality", "")
        municipality = _municipality(reference) if reference else None
        if municipality is None or not can_read_chain(request.user, municipality.pk):
            raise ValidationError(
                {
                    "municipality": [
                        _("Bitte eine Kommune angeben, deren Präventionskette Sie sehen.")
                    ]
                }
            )
        _require_writer(request.user, municipality.pk)
        offering = services.create_offering(
            actor=request.user,
            municipality=municipality,
            data=_input(data.validated_data, {}),
        )
        return self._answer(offering.pk, status.HTTP_201_CREATED)

    def _update(self, request, pk, partial: bool) -> Response:
        offering = access_offering(request.user, pk)
        _require_writer(request.user, offering.municipality_id)
        data = OfferingWriteSerializer(data=request.data, partial=partial)
        data.is_valid(raise_exception=True)
        if "version" not in data.validated_data:
            raise ValidationError({"version": [_("Bitte die zuletzt gelesene Version angeben.")]})
        current = self.get_queryset().get(pk=offering.pk)
        base = _current_input(current) if partial else {}
        updated = services.update_offering(
            actor=request.user,
            offering=current,
            data=_input(data.validated_data, base),
            expected_version=data.validated_data["version"],
        )
        return self._answer(updated.pk)

    @extend_schema(
        summary="Angebot ersetzen",
        description="Alle Angaben; `version` muss die zuletzt gelesene sein, sonst 409 `stale`.",
        parameters=[ID_PARAMETER],
        request=OfferingWriteSerializer,
    )
    def update(self, request, pk=None):
        return self._update(request, pk, partial=False)

    @extend_schema(
        summary="Angebot ändern",
        description="Nur die gesendeten Angaben; `version` muss die zuletzt gelesene sein, "
        "sonst 409 `stale`.",
        parameters=[ID_PARAMETER],
        request=OfferingWriteSerializer,
    )
    def partial_update(self, request, pk=None):
        return self._update(request, pk, partial=True)

    @extend_schema(
        summary="Angebot löschen",
        description="409, solange es als gute Praxis vorgeschlagen oder veröffentlicht ist.",
        parameters=[ID_PARAMETER],
        responses={204: None},
    )
    def destroy(self, request, pk=None):
        offering = access_offering(request.user, pk)
        _require_writer(request.user, offering.municipality_id)
        services.delete_offering(actor=request.user, offering=offering)
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(
        summary="Angaben sind aktuell",
        description="Bestätigt das Angebot mit dem heutigen Tag.",
        parameters=[ID_PARAMETER],
        request=None,
    )
    @action(detail=True, methods=["post"])
    def confirm(self, request, pk=None):
        offering = access_offering(request.user, pk)
        _require_writer(request.user, offering.municipality_id)
        services.confirm_offering(actor=request.user, offering=offering)
        return self._answer(offering.pk)


ROUTES = [("offerings", OfferingViewSet, "api-offering")]
