"""factory_boy factories of the monitoring (shared by all monitoring tests: add, never rewrite)."""

from datetime import date
from decimal import Decimal

import factory
from django.utils import timezone

from monitoring.models import (
    DataApproval,
    Direction,
    ImportBatch,
    ImportStatus,
    Indicator,
    MonitoringReport,
    NeedIndex,
    NeedIndexComponent,
    Observation,
    PeriodType,
    SpatialReference,
)
from municipalities.models import Sozialraum
from tests.factories import MunicipalityFactory, UserFactory


class IndicatorFactory(factory.django.DjangoModelFactory):
    """A catalogue indicator (municipality=None); pass municipality= for a local one."""

    class Meta:
        model = Indicator

    municipality = None
    code = factory.Sequence(lambda n: f"IND_{n}")
    name = factory.Sequence(lambda n: f"Testindikator {n}")
    theme = "Soziale Lage"
    life_phase = "alle"
    definition = "Anteil der Kinder mit dem Merkmal an allen Kindern der Altersgruppe."
    numerator = "Kinder mit dem Merkmal"
    denominator = "Kinder der Altersgruppe"
    factor = Decimal(100)
    unit = "%"
    period_type = PeriodType.CALENDAR_YEAR
    period_note = "Stichtag 31.12."
    spatial_reference = SpatialReference.RESIDENCE
    source = "Testquelle"
    direction = Direction.LOWER_IS_BETTER
    min_cases = 3


class SozialraumFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Sozialraum

    municipality = factory.SubFactory(MunicipalityFactory)
    code = factory.Sequence(lambda n: f"{n + 1:03d}")
    name = factory.Sequence(lambda n: f"Sozialraum {n + 1}")
    valid_from = date(2010, 1, 1)


class ObservationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Observation

    indicator = factory.SubFactory(IndicatorFactory)
    sozialraum = factory.SubFactory(SozialraumFactory)
    period = 2022
    numerator = Decimal(50)
    denominator = Decimal(400)


class DataApprovalFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = DataApproval

    municipality = factory.SubFactory(MunicipalityFactory)
    period = 2022
    approved_at = factory.LazyFunction(timezone.now)
    approved_by = factory.SubFactory(UserFactory)
    released_to_state_office = False


class MonitoringReportFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = MonitoringReport

    municipality = factory.SubFactory(MunicipalityFactory)
    period = 2022
    requested_by = factory.SubFactory(UserFactory)


class NeedIndexFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = NeedIndex

    municipality = factory.SubFactory(MunicipalityFactory)
    name = factory.Sequence(lambda n: f"Bedarfsindex {n}")
    period = 2022
    created_by = factory.SubFactory(UserFactory)


class NeedIndexComponentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = NeedIndexComponent

    need_index = factory.SubFactory(NeedIndexFactory)
    indicator = factory.SubFactory(IndicatorFactory)
    weight = Decimal(1)


class ImportBatchFactory(factory.django.DjangoModelFactory):
    """An import that has run (file name only; its content is not read)."""

    class Meta:
        model = ImportBatch

    municipality = factory.SubFactory(MunicipalityFactory)
    uploaded_by = factory.SubFactory(UserFactory)
    file = factory.Sequence(lambda n: f"monitoring/imports/test/lieferung-{n}.csv")
    original_name = factory.Sequence(lambda n: f"lieferung-{n}.csv")
    status = ImportStatus.DONE
    total_rows = 10
    valid_rows = 10
    rows_created = 10
    progress = 100
