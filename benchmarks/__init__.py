"""`make bench`: speed figures as ratios against a baseline measured in the same run.

Each benchmark module exposes `BENCHMARKS`, a list of `Benchmark`s. A benchmark times the
portal's way of doing something against the cheapest honest way to get the same result (raw
SQL of the same rows, say) and reports the ratio. Absolute times depend on the machine;
ratios from one run do not, so they are what we compare and what an issue's target names.
"""

import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class Benchmark:
    name: str
    measured: Callable[[], object]
    baseline: Callable[[], object]
    target_ratio: float | None = None  # the limit, if it names one
    repeat: int = 15
    # Heavy benchmarks (a million-row import) skip the warm-up call: it would cost as much as
    # a measurement, and their cost is not in caches and connections.
    warmup: bool = True
    # Untimed preparation before every timed call (e.g. delete what the last import wrote).
    setup: Callable[[], object] | None = None


@dataclass(frozen=True)
class Result:
    benchmark: Benchmark
    measured_s: float
    baseline_s: float

    @property
    def ratio(self) -> float:
        return self.measured_s / self.baseline_s

    @property
    def within_target(self) -> bool | None:
        target = self.benchmark.target_ratio
        return None if target is None else self.ratio <= target


def _median_seconds(benchmark: Benchmark, func: Callable[[], object]) -> float:
    if benchmark.warmup:
        if benchmark.setup is not None:
            benchmark.setup()
        func()  # warm caches and connections; the first call is not what users wait for
    timings = []
    for _ in range(benchmark.repeat):
        if benchmark.setup is not None:
            benchmark.setup()
        start = time.perf_counter()
        func()
        timings.append(time.perf_counter() - start)
    return statistics.median(timings)


def run(benchmark: Benchmark) -> Result:
    # Interleave measured and baseline so that machine noise hits both alike.
    measured, baseline = [], []
    for _ in range(3):
        measured.append(_median_seconds(benchmark, benchmark.measured))
        baseline.append(_median_seconds(benchmark, benchmark.baseline))
    return Result(benchmark, min(measured), min(baseline))
