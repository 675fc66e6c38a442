"""Coverage figures of a programme at a reference date – computed, never stored.

Interface (used by pages and API):
    compute_coverage(programme, reference_date) -> Coverage
"""

from dataclasses import dataclass
from datetime import date


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
