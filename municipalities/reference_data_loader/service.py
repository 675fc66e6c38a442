"""The service that brings the database in line with the reference data files."""

import logging
from collections.abc import Callable, Hashable
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

from django.db import connection, models, transaction

from municipalities.models import (
    Municipality,
    Participation,
    PopulationFigure,
    Programme,
    ProgrammePhase,
)

from . import kekiz
from .files import DEFAULT_DATA_DIR, MunicipalityRecord, ReferenceDataError, read_reference_data

if TYPE_CHECKING:
    from accounts.models import User

logger = logging.getLogger(__name__)

# Two loads at once would both see "missing" and both insert; the second would then fail on a
# unique constraint after doing all its work. An advisory lock makes the second wait instead.
_ADVISORY_LOCK_ID = 0x4B654B69  # "KeKi"

K = TypeVar("K", bound=Hashable)


@dataclass
class SyncCount:
    created: int = 0
    updated: int = 0
    unchanged: int = 0

    @property
    def total(self) -> int:
        return self.created + self.updated + self.unchanged


@dataclass
class LoadReport:
    kreis_level: SyncCount = field(default_factory=SyncCount)
    gemeinden: SyncCount = field(default_factory=SyncCount)
    population_figures: SyncCount = field(default_factory=SyncCount)
    programmes: SyncCount = field(default_factory=SyncCount)
    phases: SyncCount = field(default_factory=SyncCount)
    participations: SyncCount = field(default_factory=SyncCount)

    _LABELS = {
        "kreis_level": "Kreis-Ebene",
        "gemeinden": "kreisangehörige Gemeinden",
        "population_figures": "Bevölkerungszahlen",
        "programmes": "Programm",
        "phases": "Programmphasen",
        "participations": "Teilnahmen",
    }

    def _counts(self) -> list[tuple[str, SyncCount]]:
        return [(self._LABELS[f.name], getattr(self, f.name)) for f in fields(self)]

    @property
    def created(self) -> int:
        return sum(count.created for _, count in self._counts())

    @property
    def updated(self) -> int:
        return sum(count.updated for _, count in self._counts())

    @property
    def unchanged(self) -> int:
        return sum(count.unchanged for _, count in self._counts())

    @property
    def changed(self) -> bool:
        return bool(self.created or self.updated)

    def summary(self) -> str:
        """Plain-German account for the command line, e.g. after `make run`."""
        lines = [
            ", ".join(f"{_de(count.total)} {label}" for label, count in self._counts())
            + f": {_de(self.created)} neu, {_de(self.updated)} geändert, "
            f"{_de(self.unchanged)} unverändert."
        ]
        if not self.changed:
            lines.append("Die Datenbank war bereits auf dem Stand der Referenzdaten.")
        else:
            lines.extend(
                f"  {label}: {_de(count.created)} neu, {_de(count.updated)} geändert"
                for label, count in self._counts()
                if count.created or count.updated
            )
        return "\n".join(lines)


def _de(number: int) -> str:
    return f"{number:,}".replace(",", ".")


@transaction.atomic
def load_reference_data(
    *, actor: "User | None" = None, data_dir: Path | str = DEFAULT_DATA_DIR
) -> LoadReport:
    """Create or update municipalities, population figures, the programme KeKiz, its phases and
    participations from the files in `data_dir`, keyed on AGS. Running it again changes nothing.

    Raises ReferenceDataError (German messages, nothing written) if the files are inconsistent.
    Rows that are not in the files are left alone: municipalities are referenced by memberships
    and grants, and an end date of a participation (left_on) is set by people, not by the files.
    """
    data = read_reference_data(Path(data_dir))
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_ADVISORY_LOCK_ID])
    _check_slugs_are_free(data.kreis_level + data.gemeinden)

    report = LoadReport()
    report.kreis_level = _sync(
        Municipality.objects.filter(ags__in=[r.ags for r in data.kreis_level]),
        key=lambda obj: obj.ags,
        wanted={r.ags: _municipality_values(r, parent_id=None) for r in data.kreis_level},
        build=lambda ags, values: Municipality(ags=ags, **values),
    )
    id_by_ags = dict(
        Municipality.objects.filter(ags__in=[r.ags for r in data.kreis_level]).values_list(
            "ags", "id"
        )
    )
    report.gemeinden = _sync(
        Municipality.objects.filter(ags__in=[r.ags for r in data.gemeinden]),
        key=lambda obj: obj.ags,
        wanted={
            r.ags: _municipality_values(r, parent_id=id_by_ags[r.parent_ags])
            for r in data.gemeinden
        },
        build=lambda ags, values: Municipality(ags=ags, **values),
    )
    id_by_ags.update(
        Municipality.objects.filter(ags__in=[r.ags for r in data.gemeinden]).values_list(
            "ags", "id"
        )
    )

    report.population_figures = _sync(
        PopulationFigure.objects.filter(municipality_id__in=id_by_ags.values()),
        key=lambda obj: (obj.municipality_id, obj.reference_date),
        wanted={
            (id_by_ags[f.ags], f.reference_date): {
                "total": f.total,
                "under_18": f.under_18,
                "source": f.source,
            }
            for f in data.figures
        },
        build=lambda key, values: PopulationFigure(
            municipality_id=key[0], reference_date=key[1], **values
        ),
    )

    report.programmes = _sync(
        Programme.objects.filter(slug=kekiz.PROGRAMME_SLUG),
        key=lambda obj: obj.slug,
        wanted={kekiz.PROGRAMME_SLUG: kekiz.PROGRAMME},
        build=lambda slug, values: Programme(slug=slug, **values),
    )
    programme = Programme.objects.get(slug=kekiz.PROGRAMME_SLUG)
    report.phases = _sync(
        programme.phases.all(),
        key=lambda obj: obj.name,
        wanted={p["name"]: {k: v for k, v in p.items() if k != "name"} for p in kekiz.PHASES},
        build=lambda name, values: ProgrammePhase(programme=programme, name=name, **values),
    )
    report.participations = _sync(
        programme.participations.all(),
        key=lambda obj: obj.municipality_id,
        wanted={
            id_by_ags[p.ags]: {
                "cohort": p.cohort,
                "joined_on": p.joined_on,
                "sources": p.sources,
                "note": p.note,
            }
            for p in data.participants
        },
        build=lambda municipality_id, values: Participation(
            programme=programme, municipality_id=municipality_id, **values
        ),
    )
    logger.info(
        "Referenzdaten geladen (%s): %s neu, %s geändert, %s unverändert",
        actor or "System",
        report.created,
        report.updated,
        report.unchanged,
    )
    return report


def _check_slugs_are_free(records: list[MunicipalityRecord]) -> None:
    """A municipality entered by hand may already use a slug the files need; say which one
    instead of failing on the unique constraint halfway through."""
    clashes = (
        Municipality.objects.filter(slug__in=[r.slug for r in records])
        .exclude(ags__in=[r.ags for r in records])
        .order_by("slug")
        .values_list("slug", "short_name", "ags")
    )
    if clashes:
        raise ReferenceDataError(
            [
                f"Der Slug „{slug}“ gehört schon {name} ({ags}), die nicht in den Referenzdaten "
                "steht. Bitte deren Slug ändern."
                for slug, name, ags in clashes
            ]
        )


def _municipality_values(record: MunicipalityRecord, *, parent_id: int | None) -> dict:
    return {
        "gemeinde_ags": record.gemeinde_ags,
        "ars": record.ars,
        "name": record.name,
        "short_name": record.short_name,
        "slug": record.slug,
        "kind": record.kind,
        "go_nrw_status": record.go_nrw_status,
        "regierungsbezirk": record.regierungsbezirk,
        "parent_id": parent_id,
        "area_km2": record.area_km2,
        "postcode": record.postcode,
        "longitude": record.longitude,
        "latitude": record.latitude,
        "boundary": record.boundary,
    }


def _sync(
    queryset: models.QuerySet,
    *,
    key: Callable[[models.Model], K],
    wanted: dict[K, dict],
    build: Callable[[K, dict], models.Model],
) -> SyncCount:
    """Make the rows in `queryset` match `wanted` with one read and at most one bulk insert and
    one bulk update, comparing first so that an unchanged row is not written at all."""
    existing = {key(obj): obj for obj in queryset}
    to_create, to_update = [], []
    for row_key, values in wanted.items():
        obj = existing.get(row_key)
        if obj is None:
            to_create.append(build(row_key, values))
            continue
        changed = [name for name, value in values.items() if getattr(obj, name) != value]
        for name in changed:
            setattr(obj, name, values[name])
        if changed:
            to_update.append(obj)
    model = queryset.model
    if to_create:
        model.objects.bulk_create(to_create, batch_size=500)
    if to_update:
        update_fields = sorted({name for values in wanted.values() for name in values})
        model.objects.bulk_update(to_update, update_fields, batch_size=500)
    return SyncCount(
        created=len(to_create),
        updated=len(to_update),
        unchanged=len(wanted) - len(to_create) - len(to_update),
    )
