"""Run every benchmark on a scratch database filled with the NRW reference data."""

import importlib
import os
import pkgutil
import sys

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kekiz_portal.settings_test")
os.environ.setdefault("KEKIZ_TEST_DB", "test_kekiz_bench")


def main() -> int:
    import django

    django.setup()
    from django.core.management import call_command
    from django.test.utils import setup_databases, setup_test_environment, teardown_databases

    import benchmarks

    setup_test_environment()
    # KEKIZ_BENCH_KEEPDB=1 keeps the scratch database (and the worlds the benchmarks built in
    # it) for the next run: building NRW scale takes minutes, a re-run then takes seconds.
    keepdb = os.environ.get("KEKIZ_BENCH_KEEPDB") == "1"
    # No serialisation of the contents (that is for tests with serialized_rollback): with a
    # kept NRW-scale world it dumped millions of rows into memory before every run.
    old_config = setup_databases(
        verbosity=0, interactive=False, keepdb=keepdb, serialized_aliases=set()
    )
    failed = False
    try:
        call_command("load_reference_data", verbosity=0)
        print(f"{'Benchmark':<62} {'gemessen':>10} {'Basis':>10} {'Faktor':>7} {'Ziel':>6}")
        # `python -m benchmarks monitoring` runs only the benchmarks whose module name or
        # benchmark name contains one of the words (case-insensitive).
        wanted = [word.lower() for word in sys.argv[1:]]
        for module_info in pkgutil.iter_modules(benchmarks.__path__, "benchmarks."):
            short_name = module_info.name.split(".")[-1]
            if not short_name.startswith("bench_"):
                continue
            module = importlib.import_module(module_info.name)
            for benchmark in module.BENCHMARKS:
                label = f"{short_name} {benchmark.name}".lower()
                if wanted and not any(word in label for word in wanted):
                    continue
                result = benchmarks.run(benchmark)
                target = benchmark.target_ratio
                verdict = "" if target is None else ("ok" if result.within_target else "ZU LANGSAM")
                failed |= result.within_target is False
                print(
                    f"{benchmark.name:<62} {result.measured_s * 1000:>8.2f}ms"
                    f" {result.baseline_s * 1000:>8.2f}ms {result.ratio:>6.2f}x"
                    f" {'' if target is None else f'≤{target:g}x':>6} {verdict}"
                )
    finally:
        teardown_databases(old_config, verbosity=0, keepdb=keepdb)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
