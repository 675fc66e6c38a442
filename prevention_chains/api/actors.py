"""API v1 endpoints of actors, networks, cooperation links, network figures and the four
taxonomies (issue 5 §2, §3); kekiz_portal.api registers ROUTES.

Thin: prevention_chains.permissions decides what exists for the caller (404 otherwise), the
services in services_actors and services_taxonomy write and refuse (409 or 400 through
DomainApiViewMixin). A municipality is named by its AGS or its short name (slug).
"""

from django.db.models import Prefetch, Q
from django.http import Http404
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    extend_schema,
    extend_schema_field,
    extend_schema_view,
)
from rest_framework import permissions, serializers, status
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied, ValidationError
from rest_framework.response import Response
from rest_framework.viewsets import GenericViewSet, ModelViewSet

from accounts.api.permissions import ReadOnlyTokenPermission
from accounts.api.refusals import DomainApiViewMixin
from municipalities.models import Municipality
from municipalities.permissions import roles_by_municipality
from prevention_chains import network_metrics
from prevention_chains import services_actors as services
from prevention_chains import services_taxonomy as taxonomy_services
from prevention_chains.models import (
    Actor,
    ActorType,
    CooperationKind,
    CooperationLink,
    FieldOfAction,
    LifePhase,
    Network,
    NetworkMembership,
    TargetGroup,
)
from prevention_chains.permissions import (
    access_actor,
    access_cooperation_link,
    access_network,
    can_maintain_taxonomies,
    can_read_chain,
    can_write_chain,
    is_state_office,
)

MUNICIPALITY_PARAMETER = OpenApiParameter(
    "municipality",
    OpenApiTypes.STR,
    description="AGS (z. B. `05766`) oder Kurzname (slug) einer Kommune.",
)
UNKNOWN_MUNICIPALITY = "Eine Kommune mit diesem AGS oder Kurznamen gibt es nicht."
WRITERS_ONLY = "Akteure, Netzwerke und Kooperationen pflegen die Koordination der Kommune."


def municipality_by_reference(reference: str) -> Municipality | None:
    return (
        Municipality.objects.filter(Q(ags=reference) | Q(slug=reference))
        .only("pk", "ags", "slug", "short_name")
        .first()
    )


def readable(queryset, user):
    """The rows of municipalities whose chain the user reads (members, state office)."""
    if is_state_office(user):
        return queryset
    return queryset.filter(municipality_id__in=list(roles_by_municipality(user)))


def require_writer(user, municipality_id: int) -> None:
    if not can_write_chain(user, municipality_id):
        raise PermissionDenied(WRITERS_ONLY)


@extend_schema_field(OpenApiTypes.STR)
class MunicipalityReference(serializers.RelatedField):
    """In: AGS or slug of a municipality whose chain the caller reads. Out: the AGS."""

    default_error_messages = {"unknown": UNKNOWN_MUNICIPALITY}

    def __init__(self, **kwargs):
        kwargs.setdefault("queryset", Municipality.objects.all())
        kwargs.setdefault("help_text", "AGS oder Kurzname (slug) der Kommune; danach fest.")
        super().__init__(**kwargs)

    def to_internal_value(self, data):
        municipality = municipality_by_reference(str(data))
        user = self.context["request"].user
        if municipality is None or not can_read_chain(user, municipality.pk):
            self.fail("unknown")
        return municipality

    def to_representation(self, value):
        return value.ags


def phase_slugs(**kwargs):
    return serializers.SlugRelatedField(
        slug_field="slug",
        queryset=LifePhase.objects.all(),
        many=True,
        required=False,
        help_text="Kennungen (slugs) der Lebensphasen, siehe `/life-phases/`.",
        **kwargs,
    )


class ChainListViewSet(DomainApiViewMixin, ModelViewSet):
    """Lists of one municipality's chain records: `?municipality=` narrows, rights decide.
    Writes go to the services named by the subclass; `object_name` is the keyword under
    which they take the record."""

    http_method_names = ["get", "post", "patch", "delete", "head", "options"]
    create_service = update_service = delete_service = None
    object_name = ""

    def perform_create(self, serializer):
        data = dict(serializer.validated_data)
        municipality = data.pop("municipality")
        require_writer(self.request.user, municipality.pk)
        serializer.instance = type(self).create_service(
            municipality=municipality, actor=self.request.user, **data
        )

    def perform_update(self, serializer):
        require_writer(self.request.user, serializer.instance.municipality_id)
        data = dict(serializer.validated_data)
        data.pop("municipality", None)  # fixed once created
        serializer.instance = type(self).update_service(
            **{self.object_name: serializer.instance}, actor=self.request.user, **data
        )

    def perform_destroy(self, instance):
        require_writer(self.request.user, instance.municipality_id)
        type(self).delete_service(**{self.object_name: instance}, actor=self.request.user)

    def filter_municipality(self, queryset):
        reference = self.request.query_params.get("municipality")
        if not reference:
            return queryset
        municipality = municipality_by_reference(reference)
        if municipality is None:
            raise ValidationError({"municipality": [UNKNOWN_MUNICIPALITY]})
        return queryset.filter(municipality=municipality)


# --- Akteure --------------------------------------------------------------------------------


class ActorSerializer(serializers.ModelSerializer):
    municipality = MunicipalityReference()
    actor_type = serializers.SlugRelatedField(
        slug_field="slug",
        queryset=ActorType.objects.all(),
        help_text="Kennung (slug) des Akteurstyps, siehe `/actor-types/`.",
    )
    life_phases = phase_slugs()

    class Meta:
        model = Actor
        fields = ("id", "municipality", *services.ACTOR_FIELDS, "life_phases")
        validators: list = []  # the service checks the name, with a message
        extra_kwargs = {
            "id": {"help_text": "Kennung des Akteurs."},
            "name": {"help_text": "Name des Akteurs, eindeutig in der Kommune."},
        }


@extend_schema_view(
    list=extend_schema(
        summary="Akteure",
        description="Akteure der Kommunen, deren Präventionskette Sie sehen. Filter: "
        "`municipality` (AGS oder slug), `actor_type` und `life_phase` (slugs), `search` "
        "(Name enthält).",
        parameters=[
            MUNICIPALITY_PARAMETER,
            OpenApiParameter("actor_type", OpenApiTypes.STR),
            OpenApiParameter("life_phase", OpenApiTypes.STR),
            OpenApiParameter("search", OpenApiTypes.STR),
        ],
    ),
    retrieve=extend_schema(summary="Ein Akteur"),
    create=extend_schema(summary="Akteur anlegen", description="Koordination der Kommune."),
    partial_update=extend_schema(summary="Akteur ändern"),
    destroy=extend_schema(
        summary="Akteur löschen",
        description="Mit Mitgliedschaften und Kooperationen. 409, solange er Träger von "
        "Angeboten ist (die Meldung nennt sie).",
    ),
)
@extend_schema(tags=["Präventionskette: Akteure und Netzwerke"])
class ActorViewSet(ChainListViewSet):
    serializer_class = ActorSerializer

    def get_queryset(self):
        actors = readable(
            Actor.objects.select_related("municipality", "actor_type").prefetch_related(
                Prefetch("life_phases", queryset=LifePhase.objects.only("pk", "slug"))
            ),
            self.request.user,
        )
        actors = self.filter_municipality(actors)
        params = self.request.query_params
        if params.get("actor_type"):
            actors = actors.filter(actor_type__slug=params["actor_type"])
        if params.get("life_phase"):
            actors = actors.filter(life_phases__slug=params["life_phase"])
        if params.get("search"):
            actors = actors.filter(name__icontains=params["search"])
        return actors.order_by("municipality__ags", "name", "pk")

    def get_object(self):
        return access_actor(self.request.user, self.kwargs["pk"])

    create_service = staticmethod(services.create_actor)
    update_service = staticmethod(services.update_actor)
    delete_service = staticmethod(services.delete_actor)
    object_name = "organisation"


# --- Netzwerke ------------------------------------------------------------------------------


class MemberSerializer(serializers.ModelSerializer):
    actor = serializers.PrimaryKeyRelatedField(
        queryset=Actor.objects.all(), help_text="Kennung des Akteurs (derselben Kommune)."
    )
    actor_name = serializers.CharField(
        source="actor.name", read_only=True, help_text="Name des Akteurs."
    )

    class Meta:
        model = NetworkMembership
        fields = ("actor", "actor_name", "role", "since")
        validators: list = []


class NetworkSerializer(serializers.ModelSerializer):
    municipality = MunicipalityReference()
    life_phases = phase_slugs()
    members = MemberSerializer(
        source="memberships",
        many=True,
        read_only=True,
        help_text="Mitglieder mit Funktion; aufnehmen und entfernen über `members/`.",
    )

    class Meta:
        model = Network
        fields = ("id", "municipality", *services.NETWORK_FIELDS, "life_phases", "members")
        validators: list = []
        extra_kwargs = {
            "id": {"help_text": "Kennung des Netzwerks oder Gremiums."},
            "name": {"help_text": "Name des Netzwerks oder Gremiums, eindeutig in der Kommune."},
        }


@extend_schema_view(
    list=extend_schema(
        summary="Netzwerke und Gremien",
        description="Mit ihren Mitgliedern. Filter: `municipality` (AGS oder slug).",
        parameters=[MUNICIPALITY_PARAMETER],
    ),
    retrieve=extend_schema(summary="Ein Netzwerk oder Gremium"),
    create=extend_schema(summary="Netzwerk oder Gremium anlegen"),
    partial_update=extend_schema(summary="Netzwerk oder Gremium ändern"),
    destroy=extend_schema(summary="Netzwerk oder Gremium löschen (die Akteure bleiben)"),
)
@extend_schema(tags=["Präventionskette: Akteure und Netzwerke"])
class NetworkViewSet(ChainListViewSet):
    serializer_class = NetworkSerializer

    def _networks(self):
        return Network.objects.select_related("municipality").prefetch_related(
            Prefetch("life_phases", queryset=LifePhase.objects.only("pk", "slug")),
            Prefetch(
                "memberships",
                queryset=NetworkMembership.objects.select_related("actor").order_by("actor__name"),
            ),
        )

    def get_queryset(self):
        networks = self.filter_municipality(readable(self._networks(), self.request.user))
        return networks.order_by("municipality__ags", "name", "pk")

    def get_object(self):
        network = access_network(self.request.user, self.kwargs["pk"])
        return self._networks().get(pk=network.pk)

    create_service = staticmethod(services.create_network)
    update_service = staticmethod(services.update_network)
    delete_service = staticmethod(services.delete_network)
    object_name = "network"

    @extend_schema(
        summary="Mitglied aufnehmen",
        request=MemberSerializer,
        responses={201: NetworkSerializer},
    )
    @action(detail=True, methods=["post"], url_path="members")
    def add_member(self, request, pk=None):
        network = self.get_object()
        require_writer(request.user, network.municipality_id)
        member = MemberSerializer(data=request.data)
        member.is_valid(raise_exception=True)
        organisation = member.validated_data["actor"]
        if not can_read_chain(request.user, organisation.municipality_id):
            raise ValidationError({"actor": [_("Einen Akteur mit dieser Kennung gibt es nicht.")]})
        services.add_member(
            network=network,
            organisation=organisation,
            actor=request.user,
            role=member.validated_data.get("role", ""),
            since=member.validated_data.get("since"),
        )
        return Response(self.get_serializer(self.get_object()).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        summary="Mitglied entfernen",
        parameters=[OpenApiParameter("actor_id", OpenApiTypes.INT, OpenApiParameter.PATH)],
        responses={204: None},
    )
    @action(detail=True, methods=["delete"], url_path=r"members/(?P<actor_id>\d+)")
    def remove_member(self, request, pk=None, actor_id=None):
        network = access_network(request.user, pk)
        require_writer(request.user, network.municipality_id)
        membership = NetworkMembership.objects.filter(network=network, actor_id=actor_id).first()
        if membership is None:
            raise Http404
        membership.network = network
        services.remove_member(membership=membership, actor=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)


# --- Kooperationen --------------------------------------------------------------------------


class CooperationLinkSerializer(serializers.ModelSerializer):
    municipality = serializers.SlugRelatedField(
        slug_field="ags", read_only=True, help_text="AGS der Kommune der beiden Akteure."
    )
    actor_a = serializers.PrimaryKeyRelatedField(
        queryset=Actor.objects.all(),
        help_text="Kennung eines der beiden Akteure. Gespeichert wird die kleinere Kennung "
        "als `actor_a`; die Reihenfolge beim Anlegen ist gleichgültig. Danach fest.",
    )
    actor_b = serializers.PrimaryKeyRelatedField(
        queryset=Actor.objects.all(), help_text="Kennung des anderen Akteurs; danach fest."
    )
    actor_a_name = serializers.CharField(
        source="actor_a.name", read_only=True, help_text="Name des Akteurs `actor_a`."
    )
    actor_b_name = serializers.CharField(
        source="actor_b.name", read_only=True, help_text="Name des Akteurs `actor_b`."
    )

    class Meta:
        model = CooperationLink
        fields = (
            "id",
            "municipality",
            "actor_a",
            "actor_a_name",
            "actor_b",
            "actor_b_name",
            *services.LINK_FIELDS,
        )
        validators: list = []
        extra_kwargs = {"id": {"help_text": "Kennung der Kooperation."}}


@extend_schema_view(
    list=extend_schema(
        summary="Kooperationen",
        description="Ungerichtete Kooperationen zwischen zwei Akteuren einer Kommune. Filter: "
        "`municipality` (AGS oder slug), `kind`, `actor` (Kennung; beide Richtungen).",
        parameters=[
            MUNICIPALITY_PARAMETER,
            OpenApiParameter("kind", OpenApiTypes.STR, enum=CooperationKind.values),
            OpenApiParameter("actor", OpenApiTypes.INT),
        ],
    ),
    retrieve=extend_schema(summary="Eine Kooperation"),
    create=extend_schema(
        summary="Kooperation anlegen",
        description="Zwei verschiedene Akteure derselben Kommune; dieselbe Art zwischen "
        "denselben beiden wird mit 409 abgelehnt.",
    ),
    partial_update=extend_schema(summary="Art, Beginn oder Hinweis ändern"),
    destroy=extend_schema(summary="Kooperation löschen"),
)
@extend_schema(tags=["Präventionskette: Akteure und Netzwerke"])
class CooperationLinkViewSet(ChainListViewSet):
    serializer_class = CooperationLinkSerializer
    delete_service = staticmethod(services.delete_link)
    object_name = "link"

    def get_queryset(self):
        links = readable(
            CooperationLink.objects.select_related("municipality", "actor_a", "actor_b"),
            self.request.user,
        )
        links = self.filter_municipality(links)
        params = self.request.query_params
        if params.get("kind"):
            links = links.filter(kind=params["kind"])
        if params.get("actor", "").isdigit():
            links = links.filter(Q(actor_a=params["actor"]) | Q(actor_b=params["actor"]))
        return links.order_by("municipality__ags", "actor_a__name", "actor_b__name", "pk")

    def get_object(self):
        link = access_cooperation_link(self.request.user, self.kwargs["pk"])
        return CooperationLink.objects.select_related("municipality", "actor_a", "actor_b").get(
            pk=link.pk
        )

    def perform_create(self, serializer):
        data = dict(serializer.validated_data)
        first, second = data.pop("actor_a"), data.pop("actor_b")
        for name, organisation in (("actor_a", first), ("actor_b", second)):
            if not can_read_chain(self.request.user, organisation.municipality_id):
                raise ValidationError({name: [_("Einen Akteur mit dieser Kennung gibt es nicht.")]})
        require_writer(self.request.user, first.municipality_id)
        serializer.instance = services.create_link(
            first=first, second=second, actor=self.request.user, **data
        )

    def perform_update(self, serializer):
        require_writer(self.request.user, serializer.instance.municipality_id)
        data = {k: v for k, v in serializer.validated_data.items() if k in services.LINK_FIELDS}
        services.update_link(link=serializer.instance, actor=self.request.user, **data)
        serializer.instance = self.get_object()


# --- Netzwerkkennzahlen ---------------------------------------------------------------------


class PhaseRefSerializer(serializers.Serializer):
    slug = serializers.CharField(help_text="Kennung (slug) der Lebensphase.")
    name = serializers.CharField(help_text="Name der Lebensphase.")


class ActorRefSerializer(serializers.Serializer):
    id = serializers.IntegerField(help_text="Kennung des Akteurs.")
    name = serializers.CharField(help_text="Name des Akteurs.")


class IsolatedSerializer(serializers.Serializer):
    actor = ActorRefSerializer(source="node")
    in_network = serializers.BooleanField(help_text="Immerhin Mitglied in einem Netzwerk.")


class BridgeSerializer(serializers.Serializer):
    actor = ActorRefSerializer(source="node")
    own_phases = PhaseRefSerializer(
        source="own", many=True, help_text="Eigene Lebensphasen und die seiner Angebote."
    )
    reached_phases = PhaseRefSerializer(
        source="reached",
        many=True,
        help_text="Lebensphasen seiner Partner, die er selbst nicht hat.",
    )


class TransitionSerializer(serializers.Serializer):
    transition = PhaseRefSerializer()
    before = PhaseRefSerializer()
    after = PhaseRefSerializer()
    missing = serializers.BooleanField(
        source="is_missing",
        help_text="`true`: keine Kooperation zwischen Akteuren der Phasen davor und danach.",
    )
    message = serializers.CharField(
        source="summary", help_text="Ergebnis der Prüfung in einem deutschen Satz."
    )
    closing_links = serializers.SerializerMethodField(
        help_text="Kennungen der Kooperationen, die den Übergang schließen."
    )

    def get_closing_links(self, check) -> list[int]:
        return [link.id for link in check.closing_links]


class DegreeSerializer(serializers.Serializer):
    actor = ActorRefSerializer(source="node")
    degree = serializers.IntegerField(help_text="Zahl der Kooperationspartner.")


class NetworkMetricsSerializer(serializers.Serializer):
    municipality = serializers.CharField(help_text="AGS der Kommune.")
    actor_count = serializers.IntegerField(help_text="Zahl der Akteure der Kommune.")
    link_count = serializers.IntegerField(help_text="Zahl der Kooperationen.")
    links_by_kind = serializers.DictField(
        child=serializers.IntegerField(),
        help_text="Zahl der Kooperationen je Art (Schlüssel: `kind` der Kooperation).",
    )
    density = serializers.DecimalField(
        max_digits=4,
        decimal_places=3,
        help_text="Anteil der kooperierenden Paare an allen möglichen Paaren (0 bis 1).",
    )
    top_degrees = DegreeSerializer(many=True, help_text="Die bis zu fünf am besten vernetzten.")
    isolated = IsolatedSerializer(many=True, help_text="Akteure ohne jede Kooperation.")
    bridges = BridgeSerializer(many=True, help_text="Akteure, die Lebensphasen verbinden.")
    transitions = TransitionSerializer(
        many=True, help_text="Jeder Übergang mit der Phase davor und danach."
    )


@extend_schema(tags=["Präventionskette: Akteure und Netzwerke"])
class NetworkMetricsViewSet(DomainApiViewMixin, GenericViewSet):
    queryset = Municipality.objects.none()  # computed, not a model; the schema asks for one
    serializer_class = NetworkMetricsSerializer
    lookup_field = "municipality"
    lookup_value_regex = "[^/]+"

    @extend_schema(
        summary="Kennzahlen des Kooperationsnetzes einer Kommune",
        description="Akteure ohne Kooperation, Akteure, die Lebensphasen verbinden, Übergänge "
        "ohne Kooperation zwischen den Phasen davor und danach, Zahl der Kooperationen je Art, "
        "Dichte und die am besten vernetzten Akteure. `municipality`: AGS oder slug.",
        parameters=[
            OpenApiParameter(
                "municipality", OpenApiTypes.STR, OpenApiParameter.PATH, description="AGS/slug"
            )
        ],
    )
    def retrieve(self, request, municipality=None):
        found = municipality_by_reference(municipality)
        if found is None or not can_read_chain(request.user, found.pk):
            raise Http404
        metrics = network_metrics.compute_metrics(network_metrics.load_network(found))
        return Response(NetworkMetricsSerializer({"municipality": found.ags, **vars(metrics)}).data)


# --- Begriffslisten -------------------------------------------------------------------------


class TaxonomyWrites(permissions.BasePermission):
    """Everyone reads the public reference data; the programme administration writes."""

    message = "Die Begriffslisten pflegt nur die Programmverwaltung."

    def has_permission(self, request, view):
        return request.method in permissions.SAFE_METHODS or can_maintain_taxonomies(request.user)


def term_serializer(model) -> type[serializers.ModelSerializer]:
    fields = ("slug", *taxonomy_services.taxonomy_of(model).fields)
    meta = type(
        "Meta",
        (),
        {
            "model": model,
            "fields": fields,
            "validators": [],
            "extra_kwargs": {
                "slug": {"validators": [], "help_text": "Dauerhafte Kennung; nicht änderbar."},
                "name": {"validators": []},
                "position": {"required": False},
            },
        },
    )
    return type(f"{model.__name__}Serializer", (serializers.ModelSerializer,), {"Meta": meta})


class TermViewSet(DomainApiViewMixin, ModelViewSet):
    permission_classes = [ReadOnlyTokenPermission, TaxonomyWrites]
    lookup_field = "slug"
    http_method_names = ["get", "post", "patch", "delete", "head", "options"]
    model = None

    def get_queryset(self):
        terms = self.model.objects.order_by("position", "name")
        active = self.request.query_params.get("active")
        if active in ("true", "false"):
            terms = terms.filter(is_active=active == "true")
        return terms

    def perform_create(self, serializer):
        serializer.instance = taxonomy_services.create_term(
            model=self.model, actor=self.request.user, **serializer.validated_data
        )

    def perform_update(self, serializer):
        data = dict(serializer.validated_data)
        data.pop("slug", None)  # stable identifier
        serializer.instance = taxonomy_services.update_term(
            term=serializer.instance, actor=self.request.user, **data
        )

    def perform_destroy(self, instance):
        taxonomy_services.delete_term(term=instance, actor=self.request.user)


def term_viewset(model, title: str) -> type[TermViewSet]:
    described = extend_schema_view(
        list=extend_schema(
            summary=title,
            description="Öffentliche Referenzdaten, ohne Anmeldung lesbar. Filter: "
            "`active=true|false`.",
            parameters=[OpenApiParameter("active", OpenApiTypes.BOOL)],
        ),
        retrieve=extend_schema(summary=f"{title}: ein Begriff"),
        create=extend_schema(summary=f"{title}: Begriff anlegen (Programmverwaltung)"),
        partial_update=extend_schema(
            summary=f"{title}: Begriff ändern", description="Die Kennung bleibt."
        ),
        destroy=extend_schema(
            summary=f"{title}: Begriff löschen",
            description="Nur unbenutzte Begriffe; ein verwendeter wird mit 409 abgelehnt "
            "(deaktivieren Sie ihn mit `is_active=false`).",
        ),
    )
    viewset = type(
        f"{model.__name__}ViewSet",
        (TermViewSet,),
        {"model": model, "serializer_class": term_serializer(model)},
    )
    return extend_schema(tags=["Präventionskette: Begriffslisten"])(described(viewset))


ROUTES = [
    ("actors", ActorViewSet, "api-actor"),
    ("networks", NetworkViewSet, "api-network"),
    ("cooperation-links", CooperationLinkViewSet, "api-cooperation-link"),
    ("network-metrics", NetworkMetricsViewSet, "api-network-metrics"),
    ("life-phases", term_viewset(LifePhase, "Lebensphasen"), "api-life-phase"),
    ("fields-of-action", term_viewset(FieldOfAction, "Handlungsfelder"), "api-field-of-action"),
    ("target-groups", term_viewset(TargetGroup, "Zielgruppen"), "api-target-group"),
    ("actor-types", term_viewset(ActorType, "Akteurstypen"), "api-actor-type"),
]
