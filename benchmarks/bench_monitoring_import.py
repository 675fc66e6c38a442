"""Import of a 1-million-row CSV (issue 4, "Speed": at least 25 % of the rate of COPY, i.e. at
most 4× its time).

The file is what a statistics office delivers: UTF-8 with BOM, `;`, a title line, thousands
dots, „-“ and „.“ marks; 22 catalogue indicators × 4,546 Sozialräume × 10 years = 1,000,120
rows, written into var/bench/ at the start of the run. Every import writes all rows as new
values (the setup deletes what the previous run wrote).

Baselines: PostgreSQL COPY of the same rows, already in database form (ids, plain numbers),
into a table built like monitoring_observation – same columns, constraints, indexes and foreign
keys, so the same integrity work – and, for information, into a bare table without any.
"""

import io
import random
from datetime import date
from pathlib import Path

from django.conf import settings
from django.core.files import File
from django.core.files.storage import default_storage
from django.db import connection, transaction
from django.utils import timezone

from accounts.models import User
from benchmarks import Benchmark
from monitoring.catalogue import load_catalogue
from monitoring.imports import checking, loading
from monitoring.models import ImportBatch, ImportStatus, Indicator
from municipalities.models import Municipality, MunicipalityKind, Regierungsbezirk, Sozialraum

AREAS = 4546
YEARS = range(2014, 2024)
CSV_PATH = Path(settings.BASE_DIR) / "var" / "bench" / "monitoring_import_1m.csv"


class _World:
    def __init__(self):
        if not Indicator.objects.catalogue().exists():
            load_catalogue()
        self.indicators = list(Indicator.objects.catalogue().order_by("code"))
        self.user, _ = User.objects.get_or_create(email="bench-import@example.org")
        self.municipality, created = Municipality.objects.get_or_create(
            slug="benchmark-importstadt",
            defaults={
                "ags": "05999",
                "name": "Benchmark-Importstadt, Stadt",
                "short_name": "Benchmark-Importstadt",
                "kind": MunicipalityKind.KREISFREIE_STADT,
                "regierungsbezirk": Regierungsbezirk.DUESSELDORF,
            },
        )
        if created:
            Sozialraum.objects.bulk_create(
                Sozialraum(
                    municipality=self.municipality,
                    code=f"B{n:05d}",
                    name=f"Benchmark-Sozialraum {n}",
                    valid_from=date(2000, 1, 1),
                )
                for n in range(1, AREAS + 1)
            )
        self.area_ids = dict(
            Sozialraum.objects.filter(municipality=self.municipality).values_list("code", "pk")
        )
        self.batch = ImportBatch.objects.create(
            municipality=self.municipality,
            uploaded_by=self.user,
            original_name=CSV_PATH.name,
            status=ImportStatus.CHECKED,
        )
        self._write_files()
        with connection.cursor() as cursor:
            cursor.execute("DROP TABLE IF EXISTS bench_observation_like, bench_observation_bare")
            cursor.execute(
                "CREATE TABLE bench_observation_like (LIKE monitoring_observation INCLUDING ALL)"
            )
            for column, target in (
                ("indicator_id", "monitoring_indicator"),
                ("sozialraum_id", "municipalities_sozialraum"),
                ("import_batch_id", "monitoring_importbatch"),
                ("updated_by_id", "accounts_user"),
            ):
                cursor.execute(
                    f"ALTER TABLE bench_observation_like ADD FOREIGN KEY ({column}) "
                    f"REFERENCES {target} (id) DEFERRABLE INITIALLY DEFERRED"
                )
            cursor.execute(
                """CREATE TABLE bench_observation_bare (
                       indicator_id integer, sozialraum_id integer, period smallint,
                       numerator numeric(14, 3), denominator numeric(14, 3), status varchar(16),
                       import_batch_id bigint, updated_by_id bigint,
                       updated_at timestamptz)"""
            )

    def _write_files(self):
        """The delivered CSV (once, on disk) and the same rows in database form (memory)."""
        rng = random.Random(25)  # noqa: S311 – reproducible test data, not secret
        now = timezone.now().isoformat()
        database_rows = []
        delivered = ["Monitoring-Lieferung der Statistikstelle (Benchmark)\r\n"]
        delivered.append("Indikator;Sozialraum;Name;Jahr;Zähler;Nenner\r\n")
        for indicator in self.indicators:
            for n in range(1, AREAS + 1):
                code = f"B{n:05d}"
                area_id = self.area_ids[code]
                for year in YEARS:
                    draw = rng.random()
                    denominator = rng.randint(20, 4000)
                    numerator = 0 if draw < 0.005 else rng.randint(0, denominator)
                    if draw > 0.99:
                        delivered.append(f"{indicator.code};{code};Raum {n};{year};.;.\r\n")
                        database_rows.append(
                            f"{indicator.pk}\t{area_id}\t{year}\t\\N\t\\N\tsecret\t"
                            f"{self.batch.pk}\t{self.user.pk}\t{now}\n"
                        )
                        continue
                    shown_num = "-" if numerator == 0 else f"{numerator:,}".replace(",", ".")
                    shown_den = f"{denominator:,}".replace(",", ".")
                    delivered.append(
                        f"{indicator.code};{code};Raum {n};{year};{shown_num};{shown_den}\r\n"
                    )
                    database_rows.append(
                        f"{indicator.pk}\t{area_id}\t{year}\t{numerator}\t{denominator}\t"
                        f"reported\t{self.batch.pk}\t{self.user.pk}\t{now}\n"
                    )
        delivered.append("Quelle: Benchmark\r\n")
        CSV_PATH.parent.mkdir(parents=True, exist_ok=True)
        CSV_PATH.write_bytes("".join(delivered).encode("utf-8-sig"))
        self.rows = len(database_rows)
        self.database_form = "".join(database_rows)
        with CSV_PATH.open("rb") as stream:
            self.batch.file = default_storage.save(
                f"monitoring/imports/bench/{CSV_PATH.name}", File(stream)
            )
        self.batch.save(update_fields=["file"])

    def reset(self):
        """Before every timed call: no values of the benchmark town, empty copy tables, and
        the batch waiting for its import again."""
        with connection.cursor() as cursor:
            cursor.execute(
                """DELETE FROM monitoring_qualityflag f USING monitoring_observation o,
                          municipalities_sozialraum a
                    WHERE f.observation_id = o.id AND o.sozialraum_id = a.id
                      AND a.municipality_id = %s""",
                [self.municipality.pk],
            )
            cursor.execute(
                """DELETE FROM monitoring_observation o USING municipalities_sozialraum a
                    WHERE o.sozialraum_id = a.id AND a.municipality_id = %s""",
                [self.municipality.pk],
            )
            cursor.execute("TRUNCATE bench_observation_like, bench_observation_bare")
        ImportBatch.objects.filter(pk=self.batch.pk).update(
            status=ImportStatus.IMPORTING, only_valid_rows=False, progress=0
        )

    def import_file(self):
        loading.import_batch(batch_id=self.batch.pk, actor_id=self.user.pk, check_quality=False)
        batch = ImportBatch.objects.get(pk=self.batch.pk)
        assert batch.status == ImportStatus.DONE, batch.summary
        assert batch.rows_created == self.rows, (batch.rows_created, self.rows)

    def check_file(self):
        ImportBatch.objects.filter(pk=self.batch.pk).update(status=ImportStatus.UPLOADED)
        checking.check_batch(batch_id=self.batch.pk)
        batch = ImportBatch.objects.get(pk=self.batch.pk)
        assert batch.status == ImportStatus.CHECKED, batch.summary
        assert batch.summary["preview"]["created"] == self.rows

    def copy_like(self):
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.copy_expert(
                """COPY bench_observation_like (indicator_id, sozialraum_id, period, numerator,
                       denominator, status, import_batch_id, updated_by_id, updated_at)
                   FROM STDIN""",
                io.StringIO(self.database_form),
            )

    def copy_bare(self):
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.copy_expert(
                "COPY bench_observation_bare FROM STDIN", io.StringIO(self.database_form)
            )


_world: _World | None = None


def _get() -> _World:
    global _world
    if _world is None:
        _world = _World()
    return _world


BENCHMARKS = [
    Benchmark(
        "Import 1 Mio. CSV-Zeilen vs. COPY in gleich gebaute Tabelle",
        lambda: _get().import_file(),
        lambda: _get().copy_like(),
        target_ratio=4.0,
        repeat=1,
        warmup=False,
        setup=lambda: _get().reset(),
    ),
    Benchmark(
        "Import 1 Mio. CSV-Zeilen vs. COPY in nackte Tabelle (Info)",
        lambda: _get().import_file(),
        lambda: _get().copy_bare(),
        repeat=1,
        warmup=False,
        setup=lambda: _get().reset(),
    ),
    Benchmark(
        "Prüfung/Vorschau 1 Mio. CSV-Zeilen vs. COPY (Info)",
        lambda: _get().check_file(),
        lambda: _get().copy_like(),
        repeat=1,
        warmup=False,
        setup=lambda: _get().reset(),
    ),
]
