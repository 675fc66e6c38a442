"""Read queries behind the public and internal pages of municipalities and programmes.

Every list here is built with a fixed number of queries (annotations, select_related,
prefetch_related), so a page costs the same with 3 rows as with 400.
"""

import hashlib
import re
from dataclasses import dataclass, field
from datetime import date

from django.contrib.postgres.aggregates import StringAgg
from django.db.models import Count, Exists, Func, OuterRef, Prefetch, Q, Subquery, TextField
from django.db.models.functions import Cast

from accounts.roles import MUNICIPAL_ROLES, PROGRAMME_WIDE_ROLES, STATE_OFFICE_ROLES, Role
from municipalities.models import (
    Membership,
    Municipality,
    Participation,
    PopulationFigure,
    Programme,
)
from municipalities.permissions import my_municipalities, roles_by_municipality

# ---------------------------------------------------------------------------------------------
# Programmes


def programmes():
    """Programmes with their phases, for the programme page and the home page."""
    return Programme.objects.prefetch_related("phases")


def first_programme_slug() -> str | None:
    """The programme the navigation points to (today there is one: KeKiz)."""
    return Programme.objects.order_by("pk").values_list("slug", flat=True).first()


def participants(programme: Programme, on: date) -> list[Participation]:
    """Participations active on a date, with what the participant table shows."""
    return list(
        Participation.objects.active_on(on)
        .filter(programme=programme)
        .select_related("municipality", "municipality__parent")
        .order_by("cohort", "municipality__short_name")
    )


def participant_count(programme: Programme, on: date) -> int:
    return Participation.objects.active_on(on).filter(programme=programme).count()


def kreis_level_boundaries() -> list[dict]:
    """The 53 Kreis-level units with their outline; only read when the map is drawn anew."""
    return list(
        Municipality.objects.kreis_level()
        .exclude(boundary__isnull=True)
        .order_by("ags")
        .values("pk", "ags", "short_name", "kind", "boundary")
    )


def map_data_version(programme: Programme, participations: list[Participation]) -> str:
    """A fingerprint of everything the map is drawn from, so a cached map never outlives a
    change of participants or of a boundary. The boundaries are hashed inside the database:
    that costs a millisecond, reading them would cost the time the cache saves."""
    boundaries = (
        Municipality.objects.kreis_level()
        .exclude(boundary__isnull=True)
        .aggregate(
            digest=Func(
                StringAgg(Cast("boundary", TextField()), delimiter="|", order_by="pk"),
                function="md5",
            )
        )["digest"]
    )
    digest = hashlib.sha256()
    digest.update(f"{programme.pk}|{boundaries}".encode())
    for p in participations:
        m = p.municipality
        digest.update(
            f"|{m.pk}:{m.short_name}:{m.kind}:{p.cohort}:{m.longitude}:{m.latitude}".encode()
        )
    return digest.hexdigest()[:16]


# ---------------------------------------------------------------------------------------------
# Municipality directory


@dataclass(frozen=True)
class DirectoryFilter:
    query: str = ""
    kind: str = ""
    regierungsbezirk: str = ""
    cohort: int | None = None
    participants_only: bool = False


# How names are typed on keyboards without umlauts: "Grossstadt", "Koeln", "Muenster".
_TRANSCRIPTIONS = (("ss", "ß"), ("ae", "ä"), ("oe", "ö"), ("ue", "ü"))


def spelling_variants(text: str) -> set[str]:
    """The text and every way of reading its transcriptions back as umlauts or ß."""
    variants = {text}
    for typed, letter in _TRANSCRIPTIONS:
        variants |= {re.sub(typed, letter, v, flags=re.IGNORECASE) for v in variants}
    return variants


def cohorts() -> list[int]:
    return list(
        Participation.objects.order_by("cohort").values_list("cohort", flat=True).distinct()
    )


def municipality_directory(filters: DirectoryFilter):
    """Municipalities matching the filters, each with its latest population figure and its
    participations; the queryset is lazy so the caller can paginate it."""
    latest = PopulationFigure.objects.filter(municipality=OuterRef("pk")).order_by(
        "-reference_date"
    )
    qs = (
        Municipality.objects.select_related("parent")
        .annotate(
            population=Subquery(latest.values("total")[:1]),
            population_date=Subquery(latest.values("reference_date")[:1]),
        )
        .prefetch_related(
            Prefetch(
                "participations",
                queryset=Participation.objects.select_related("programme").order_by(
                    "cohort", "programme__short_name"
                ),
                to_attr="participation_list",
            )
        )
        .order_by("short_name", "ags")
    )
    if filters.query:
        match = Q(ags__icontains=filters.query)
        for variant in spelling_variants(filters.query):
            match |= Q(short_name__icontains=variant) | Q(name__icontains=variant)
        qs = qs.filter(match)
    if filters.kind:
        qs = qs.filter(kind=filters.kind)
    if filters.regierungsbezirk:
        qs = qs.filter(regierungsbezirk=filters.regierungsbezirk)
    # Exists instead of a join: a municipality in two programmes must still be listed once.
    if filters.cohort is not None:
        qs = qs.filter(
            Exists(Participation.objects.filter(municipality=OuterRef("pk"), cohort=filters.cohort))
        )
    if filters.participants_only:
        qs = qs.filter(Exists(Participation.objects.filter(municipality=OuterRef("pk"))))
    return qs


# ---------------------------------------------------------------------------------------------
# Municipality detail


def municipality_id_for_slug(slug: str) -> int | None:
    return Municipality.objects.filter(slug=slug).values_list("pk", flat=True).first()


def municipality_slug(municipality_id: int) -> str | None:
    return Municipality.objects.filter(pk=municipality_id).values_list("slug", flat=True).first()


@dataclass
class MunicipalityPage:
    municipality: Municipality
    gemeinden: list[Municipality]
    population: list[PopulationFigure]
    participations: list[Participation]
    # Participations of the parent Kreis: a Gemeinde inside a participating Kreis is covered.
    covered_through_parent: list[Participation]
    members: list[Membership] | None  # None: the viewer may not see them

    @property
    def under_18_missing(self) -> bool:
        return any(figure.under_18 is None for figure in self.population)


def municipality_page(municipality: Municipality, *, show_members: bool) -> MunicipalityPage:
    participations = list(
        municipality.participations.select_related("programme").order_by("cohort")
    )
    own_programmes = {p.programme_id for p in participations}
    covered_through_parent = []
    if municipality.parent_id:
        covered_through_parent = [
            p
            for p in Participation.objects.filter(
                municipality_id=municipality.parent_id
            ).select_related("programme", "municipality")
            if p.programme_id not in own_programmes
        ]
    members = None
    if show_members:
        members = list(
            Membership.objects.filter(municipality=municipality, user__is_active=True)
            .select_related("user")
            .order_by("role", "user__full_name", "user__email")
        )
    return MunicipalityPage(
        municipality=municipality,
        gemeinden=list(municipality.gemeinden.order_by("short_name")),
        population=list(municipality.population_figures.order_by("-reference_date")),
        participations=participations,
        covered_through_parent=covered_through_parent,
        members=members,
    )


# ---------------------------------------------------------------------------------------------
# Start page


@dataclass
class MyMunicipality:
    municipality: Municipality
    roles: list[str]


@dataclass
class StartPage:
    my_municipalities: list[MyMunicipality] = field(default_factory=list)
    is_state_office: bool = False
    is_state_admin: bool = False
    is_researcher: bool = False
    programme: Programme | None = None
    participant_count: int | None = None

    @property
    def has_role(self) -> bool:
        return bool(self.my_municipalities or self.is_state_office or self.is_researcher)


def start_page(user, today: date) -> StartPage:
    page = StartPage(
        is_state_office=user.has_programme_role(*STATE_OFFICE_ROLES),
        is_state_admin=user.has_programme_role(Role.STATE_ADMIN),
        is_researcher=user.has_programme_role(Role.RESEARCHER),
    )
    roles = roles_by_municipality(user)
    role_order = [r for r in Role if r in MUNICIPAL_ROLES]
    for municipality in my_municipalities(user).order_by("short_name"):
        held = roles.get(municipality.pk, frozenset())
        page.my_municipalities.append(
            MyMunicipality(municipality, [r.label for r in role_order if r in held])
        )
    if user.has_programme_role(*PROGRAMME_WIDE_ROLES):
        page.programme = Programme.objects.order_by("pk").first()
        if page.programme and page.is_state_office:
            page.participant_count = participant_count(page.programme, today)
    return page


# ---------------------------------------------------------------------------------------------
# Home page


def home_programme_summary(today: date) -> tuple[Programme | None, int, dict[int, int]]:
    """The programme shown on the home page, its active participants and their cohorts."""
    programme = Programme.objects.prefetch_related("phases").order_by("pk").first()
    if programme is None:
        return None, 0, {}
    by_cohort = dict(
        Participation.objects.active_on(today)
        .filter(programme=programme)
        .values_list("cohort")
        .annotate(n=Count("pk"))
        .order_by("cohort")
    )
    return programme, sum(by_cohort.values()), by_cohort
