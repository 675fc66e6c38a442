"""Coverage figures of a programme at a reference date – computed, never stored.

Interface (used by pages and API):
    compute_coverage(programme, reference_date) -> Coverage

How every figure is computed, and why the under-18 figure is a range: docs/coverage.md.
Three queries, whatever the number of municipalities or participants.
"""

from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from fractions import Fraction

from municipalities.models import (
    KREIS_LEVEL_KINDS,
    Municipality,
    MunicipalityKind,
    Participation,
    PopulationFigure,
    Programme,
)


@dataclass(frozen=True)
class Bounds:
    """An exact figure has lower == upper; otherwise the truth lies within [lower, upper]."""

    lower: int
    upper: int
    estimate: int | None = None  # clearly marked estimate where not exact; None when exact

    @property
    def is_exact(self) -> bool:
        return self.lower == self.upper


@dataclass(frozen=True)
class Share:
    covered: int
    total: int

    @property
    def percent(self) -> float:
        return 100 * self.covered / self.total if self.total else 0.0


@dataclass(frozen=True)
class Coverage:
    programme_slug: str
    reference_date: date
    participants: int
    kreisfreie_staedte: Share  # participating kreisfreie Städte / all 22
    kreise: Share  # participating Kreise (incl. StädteRegion) / all 31
    gemeinden: Share  # Gemeinden covered (own participation or through their Kreis) / all 396
    population: Bounds
    population_total: int  # NRW population at population_date
    population_date: date  # the Stichtag of the population figures used
    population_under_18: Bounds
    population_under_18_total: int
    population_under_18_date: date
    notes: tuple[str, ...]  # plain-German explanations, e.g. why a figure is a range
    # Participants whose people are already counted through their participating Kreis
    # (e.g. Gladbeck in Kreis Recklinghausen): short names, sorted.
    counted_through_kreis: tuple[str, ...] = ()
    # Participants without under-18 figures of their own, the reason the under-18 figure is a
    # range (kreisangehörige participants outside a participating Kreis): short names, sorted.
    under_18_estimated_for: tuple[str, ...] = ()


_KREISE = frozenset({MunicipalityKind.KREIS, MunicipalityKind.STAEDTEREGION})


@dataclass(frozen=True)
class _Unit:
    kind: str
    parent_id: int | None
    short_name: str


def compute_coverage(programme: Programme, reference_date: date) -> Coverage:
    """Coverage of `programme` by the participations active on `reference_date`."""
    active_ids = set(
        Participation.objects.active_on(reference_date)
        .filter(programme=programme)
        .values_list("municipality_id", flat=True)
    )
    units = {
        pk: _Unit(kind, parent_id, name)
        for pk, kind, parent_id, name in Municipality.objects.values_list(
            "id", "kind", "parent_id", "short_name"
        )
    }
    kreis_level = {pk for pk, unit in units.items() if unit.kind in KREIS_LEVEL_KINDS}
    gemeinden = {pk for pk, unit in units.items() if unit.kind not in _KREISE}
    kreisfreie = {pk for pk, u in units.items() if u.kind == MunicipalityKind.KREISFREIE_STADT}
    kreise = {pk for pk, unit in units.items() if unit.kind in _KREISE}

    # A kreisangehörige participant inside a participating Kreis adds no one: the Kreis
    # figures already contain its people. Only those outside need figures of their own.
    kreisangehoerige = active_ids - kreis_level
    through_kreis = {pk for pk in kreisangehoerige if units[pk].parent_id in active_ids}
    own_figures = kreisangehoerige - through_kreis
    by_parent: dict[int, set[int]] = defaultdict(set)
    for pk in own_figures:
        by_parent[units[pk].parent_id].add(pk)

    figures: dict[date, dict[int, tuple[int, int | None]]] = defaultdict(dict)
    for municipality_id, stichtag, total, under_18 in PopulationFigure.objects.filter(
        municipality_id__in=kreis_level | own_figures
    ).values_list("municipality_id", "reference_date", "total", "under_18"):
        figures[stichtag][municipality_id] = (total, under_18)

    notes: list[str] = []
    covered_kreis_level = active_ids & kreis_level

    # Population: the Kreis-level units give the NRW total and the participating units; the
    # kreisangehörige participants outside a participating Kreis add their own total.
    population_date = _stichtag(
        figures,
        reference_date,
        lambda at: all(pk in at for pk in kreis_level | own_figures),
    )
    if population_date is None:
        population, population_total = Bounds(0, 0), 0
        notes.append(_NO_FIGURES)
    else:
        at = figures[population_date]
        covered = sum(at[pk][0] for pk in covered_kreis_level | own_figures)
        population = Bounds(covered, covered)
        population_total = sum(at[pk][0] for pk in kreis_level)
        if population_date > reference_date:
            notes.append(_later_stichtag("Bevölkerungszahlen", reference_date, population_date))
        elif population_date < max(d for d in figures if d <= reference_date):
            # Newer Kreis figures exist but not for every participating Gemeinde: say why the
            # page shows an older Stichtag than the reader might expect.
            notes.append(
                f"Die Bevölkerungszahlen beziehen sich auf den {population_date:%d.%m.%Y}, den "
                "letzten Stichtag bis zum gewählten Datum, zu dem Zahlen für alle teilnehmenden "
                "Kommunen vorliegen (für einzelne Gemeinden gibt es Einwohnerzahlen nicht zu "
                "jedem Stichtag)."
            )

    # Under 18: known for Kreis-level units only. For participants outside a participating
    # Kreis it is bounded by their own total and by their Kreis' figures at the same Stichtag.
    under_18_date = _stichtag(
        figures,
        reference_date,
        lambda at: (
            all(pk in at and at[pk][1] is not None for pk in kreis_level)
            and all(pk in at for pk in own_figures)
        ),
    )
    if under_18_date is None:
        under_18, under_18_total = Bounds(0, 0), 0
        notes.append(
            "Es liegen keine vollständigen Zahlen zu unter 18-Jährigen vor; die Zahl der "
            "erreichten Kinder und Jugendlichen wird deshalb als 0 angegeben."
        )
    else:
        at = figures[under_18_date]
        exact = sum(at[pk][1] for pk in covered_kreis_level)
        lower = upper = exact
        estimate = Fraction(exact)
        for kreis_id, members in by_parent.items():
            member_totals = [at[pk][0] for pk in members]
            if kreis_id in at:
                low, high, guess = _under_18_bounds(at[kreis_id], member_totals)
            else:
                # Only test worlds have a kreisangehörige Gemeinde without a Kreis; all that
                # is known then is its total, and NRW's share is the best guess.
                low, high = 0, sum(member_totals)
                guess = Fraction(
                    high * sum(at[pk][1] for pk in kreis_level),
                    sum(at[pk][0] for pk in kreis_level) or 1,
                )
                guess = min(guess, Fraction(high))
            lower, upper, estimate = lower + low, upper + high, estimate + guess
        under_18 = Bounds(lower, upper, None if lower == upper else round(estimate))
        under_18_total = sum(at[pk][1] for pk in kreis_level)
        if under_18_date > reference_date:
            notes.append(
                _later_stichtag("Zahlen zu unter 18-Jährigen", reference_date, under_18_date)
            )
        elif population_date is not None and under_18_date != population_date:
            notes.append(
                f"Die Zahlen zu unter 18-Jährigen beziehen sich auf den {under_18_date:%d.%m.%Y}, "
                "den letzten Stichtag bis zum gewählten Datum, zu dem alle dafür nötigen Zahlen "
                "vorliegen (Altersangaben gibt es nur für Kreise und kreisfreie Städte und nicht "
                "für jeden Stichtag)."
            )

    counted_through_kreis = tuple(sorted(units[pk].short_name for pk in through_kreis))
    for pk in sorted(through_kreis, key=lambda pk: units[pk].short_name):
        notes.append(
            f"{units[pk].short_name} liegt in einem ebenfalls teilnehmenden Kreis "
            f"({units[units[pk].parent_id].short_name}); die Einwohnerinnen und Einwohner "
            "werden nur einmal gezählt, über den Kreis."
        )
    under_18_estimated_for = tuple(sorted(units[pk].short_name for pk in own_figures))
    if under_18_estimated_for and not under_18.is_exact:
        notes.append(
            "Die Zahl der erreichten Kinder und Jugendlichen (unter 18 Jahre) ist eine Spanne, "
            "weil es Altersangaben nur für Kreise und kreisfreie Städte gibt, nicht für einzelne "
            f"kreisangehörige Gemeinden. Für {_enumerate_de(under_18_estimated_for)} ist daher "
            "nur sicher: Dort leben höchstens so viele unter 18-Jährige, wie die Kommune "
            "Einwohner hat und wie ihr Kreis unter 18-Jährige hat, und mindestens so viele, wie "
            "nicht auf die übrigen Einwohner des Kreises entfallen können. Der Schätzwert nimmt "
            "an, dass der Anteil der unter 18-Jährigen dort so hoch ist wie im ganzen Kreis."
        )

    return Coverage(
        programme_slug=programme.slug,
        reference_date=reference_date,
        participants=len(active_ids),
        kreisfreie_staedte=Share(len(active_ids & kreisfreie), len(kreisfreie)),
        kreise=Share(len(active_ids & kreise), len(kreise)),
        gemeinden=Share(
            sum(1 for pk in gemeinden if pk in active_ids or units[pk].parent_id in active_ids),
            len(gemeinden),
        ),
        population=population,
        population_total=population_total,
        population_date=population_date or reference_date,
        population_under_18=under_18,
        population_under_18_total=under_18_total,
        population_under_18_date=under_18_date or reference_date,
        notes=tuple(notes),
        counted_through_kreis=counted_through_kreis,
        under_18_estimated_for=under_18_estimated_for,
    )


_NO_FIGURES = (
    "Es liegen keine vollständigen Bevölkerungszahlen vor; die erreichte Bevölkerung wird "
    "deshalb als 0 angegeben."
)


def _stichtag(figures, reference_date: date, complete) -> date | None:
    """The latest Stichtag up to the reference date at which every needed figure exists;
    failing that the earliest one after it (the caller says so in a note)."""
    usable = sorted(stichtag for stichtag, at in figures.items() if complete(at))
    before = [stichtag for stichtag in usable if stichtag <= reference_date]
    if before:
        return before[-1]
    return usable[0] if usable else None


def _under_18_bounds(
    kreis: tuple[int, int | None], member_totals: list[int]
) -> tuple[int, int, Fraction]:
    """Exact bounds for the under-18 people among some Gemeinden of one Kreis, knowing only
    the Kreis' total and under-18 figures and the Gemeinden's totals at the same Stichtag.

    At most: all their people, and no more than the Kreis has. At least: what does not fit
    into the rest of the Kreis. Estimate: the Kreis' share applied to their people.
    """
    kreis_total, kreis_under_18 = kreis
    assert kreis_under_18 is not None
    covered = sum(member_totals)
    # Guard against inconsistent figures (members more than the Kreis): keep lower ≤ upper.
    rest = max(0, kreis_total - covered)
    lower = max(0, kreis_under_18 - rest)
    upper = min(covered, kreis_under_18)
    estimate = Fraction(covered * kreis_under_18, kreis_total) if kreis_total else Fraction(0)
    return lower, upper, min(max(estimate, Fraction(lower)), Fraction(upper))


def _later_stichtag(what: str, reference_date: date, used: date) -> str:
    return (
        f"Für den {reference_date:%d.%m.%Y} und davor liegen keine vollständigen {what} vor; "
        f"verwendet wird der nächste spätere Stichtag, der {used:%d.%m.%Y}."
    )


def _enumerate_de(names: tuple[str, ...]) -> str:
    return names[0] if len(names) == 1 else f"{', '.join(names[:-1])} und {names[-1]}"
