"""load_reference_data: what it loads from municipalities/reference_data/, that a second run
changes nothing, and that broken files are refused as a whole."""

from datetime import date
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db.models import Count

from municipalities.models import (
    KREIS_LEVEL_KINDS,
    Municipality,
    MunicipalityKind,
    Participation,
    PopulationFigure,
    Programme,
)
from municipalities.reference_data_loader import ReferenceDataError, load_reference_data
from municipalities.reference_data_loader.naming import short_name, slugify_de, unique_slugs
from tests.factories import MunicipalityFactory
from tests.municipalities.conftest import table_checksums


def test_loads_53_kreis_level_units_and_374_kreisangehoerige_gemeinden(reference_data):
    assert Municipality.objects.count() == 53 + 374
    kinds = dict(Municipality.objects.kreis_level().values_list("kind").annotate(n=Count("id")))
    assert kinds == {
        MunicipalityKind.KREISFREIE_STADT: 22,
        MunicipalityKind.KREIS: 30,
        MunicipalityKind.STAEDTEREGION: 1,
    }
    assert Municipality.objects.gemeinden().count() == 396
    kreisangehoerige = Municipality.objects.exclude(kind__in=KREIS_LEVEL_KINDS)
    assert kreisangehoerige.count() == 374
    assert not kreisangehoerige.filter(parent__isnull=True).exists()
    assert not kreisangehoerige.exclude(parent__kind__in=KREIS_LEVEL_KINDS).exists()
    assert not Municipality.objects.kreis_level().filter(parent__isnull=False).exists()


def test_boundaries_for_exactly_the_53_kreis_level_units(reference_data):
    with_boundary = Municipality.objects.filter(boundary__isnull=False)
    assert with_boundary.count() == 53
    assert set(with_boundary.values_list("kind", flat=True)) == KREIS_LEVEL_KINDS
    geometry = Municipality.objects.get(ags="05111").boundary
    # geometry only: a Feature or its properties would not be a valid geometry object
    assert set(geometry) == {"type", "coordinates"}
    assert geometry["type"] in ("Polygon", "MultiPolygon")


def test_a_kreisfreie_stadt_is_one_record(reference_data):
    duesseldorf = Municipality.objects.get(gemeinde_ags="05111000")
    assert duesseldorf.ags == "05111"
    assert not Municipality.objects.filter(ags="05111000").exists()
    assert duesseldorf.kind == MunicipalityKind.KREISFREIE_STADT
    assert duesseldorf.name == "Düsseldorf, Stadt"
    assert duesseldorf.short_name == "Düsseldorf"
    assert duesseldorf.slug == "duesseldorf"
    assert duesseldorf.ars == "051110000000"
    assert duesseldorf.regierungsbezirk == "051"
    assert duesseldorf.postcode == "40213"
    assert str(duesseldorf.area_km2) == "217.41"
    # nrw_kreise.csv, row 05111: 2015, 2016, 2017, 2020 (+ 2018, 2019 from the age groups) and
    # the 2023 Gemeinde figure, which for a kreisfreie Stadt is the same unit – once per date.
    figures = {
        f.reference_date: (f.total, f.under_18) for f in duesseldorf.population_figures.all()
    }
    assert sorted(figures) == [date(y, 12, 31) for y in (2015, 2016, 2017, 2018, 2019, 2020, 2023)]
    assert figures[date(2017, 12, 31)] == (617280, 98303)
    assert figures[date(2020, 12, 31)] == (620523, 100035)
    assert figures[date(2023, 12, 31)] == (631217, None)


def test_gemeinden_and_kreise_have_their_figures(reference_data):
    assert PopulationFigure.objects.count() == 53 * 7 + 374 * 2
    ahlen = Municipality.objects.get(ags="05570004")
    assert ahlen.parent.short_name == "Kreis Warendorf"
    assert {(f.reference_date, f.total, f.under_18) for f in ahlen.population_figures.all()} == {
        (date(2017, 12, 31), 52530, None),
        (date(2023, 12, 31), 53278, None),
    }
    warendorf = {f.reference_date: f for f in ahlen.parent.population_figures.all()}
    assert (warendorf[date(2017, 12, 31)].total, warendorf[date(2017, 12, 31)].under_18) == (
        277458,
        49591,
    )
    assert "12411-0018" in warendorf[date(2017, 12, 31)].source
    assert (warendorf[date(2023, 12, 31)].total, warendorf[date(2023, 12, 31)].under_18) == (
        283295,
        None,
    )
    assert not PopulationFigure.objects.filter(
        municipality__kind__in=[
            MunicipalityKind.KREISANGEHOERIGE_STADT,
            MunicipalityKind.KREISANGEHOERIGE_GEMEINDE,
        ],
        under_18__isnull=False,
    ).exists()


@pytest.mark.parametrize(
    ("ags", "short", "slug"),
    [
        ("05358", "Kreis Düren", "kreis-dueren"),
        ("05358008", "Düren", "dueren"),
        ("05958", "Hochsauerlandkreis", "hochsauerlandkreis"),
        ("05162", "Rhein-Kreis Neuss", "rhein-kreis-neuss"),
        ("05962", "Märkischer Kreis", "maerkischer-kreis"),
        ("05334", "StädteRegion Aachen", "staedteregion-aachen"),
        ("05334002", "Aachen", "aachen"),
        ("05315", "Köln", "koeln"),
        ("05158004", "Erkrath", "erkrath"),  # "Erkrath, Fundort des Neanderthalers, Stadt"
        ("05914", "Hagen", "hagen"),  # "Hagen, Stadt der FernUniversität"
        ("05770036", "Preußisch Oldendorf", "preussisch-oldendorf"),
    ],
)
def test_display_names_and_slugs(reference_data, ags, short, slug):
    municipality = Municipality.objects.get(ags=ags)
    assert (municipality.short_name, municipality.slug) == (short, slug)


def test_naming_rules():
    assert slugify_de("Mönchengladbach") == "moenchengladbach"
    assert slugify_de("Übach-Palenberg") == "uebach-palenberg"
    assert short_name("Kleve", MunicipalityKind.KREIS) == "Kreis Kleve"
    assert short_name("Ennepe-Ruhr-Kreis", MunicipalityKind.KREIS) == "Ennepe-Ruhr-Kreis"
    assert short_name("Meschede, Kreis- und  Hochschulstadt", "kreisangehoerige_stadt") == (
        "Meschede"
    )
    # The smaller AGS keeps the plain slug, whatever order the names come in.
    assert unique_slugs({"05999002": "Köln", "05315": "Koeln"}) == {
        "05315": "koeln",
        "05999002": "koeln-05999002",
    }


def test_programme_phases_and_participations(reference_data):
    programme = Programme.objects.get(slug="kekiz")
    assert (programme.name, programme.short_name) == ("Kein Kind zurücklassen!", "KeKiz")
    assert "Präventionsketten" in programme.description
    assert [(p.start_date, p.end_date) for p in programme.phases.order_by("start_date")] == [
        (date(2012, 3, 1), date(2015, 12, 31)),
        (date(2017, 1, 1), date(2018, 12, 31)),
        (date(2019, 1, 1), date(2020, 12, 31)),
    ]
    participations = Participation.objects.filter(programme=programme)
    assert participations.count() == 40
    assert participations.filter(cohort=2012, joined_on=date(2012, 3, 1)).count() == 18
    assert participations.filter(cohort=2017, joined_on=date(2017, 1, 1)).count() == 22
    assert not participations.filter(left_on__isnull=False).exists()
    aachen = participations.get(municipality__short_name="Aachen").municipality
    assert (aachen.ags, aachen.kind) == ("05334002", MunicipalityKind.KREISANGEHOERIGE_STADT)
    assert not participations.filter(municipality__ags="05334").exists()
    gladbeck = participations.get(municipality__ags="05562014")
    assert gladbeck.sources == "S1;S2;S3"
    assert "Recklinghausen" in gladbeck.note


def test_second_run_changes_nothing(reference_data):
    first = reference_data
    assert (first.created, first.updated, first.unchanged) == (1590, 0, 0)
    before = table_checksums()

    second = load_reference_data()

    assert table_checksums() == before
    assert not second.changed
    assert (second.created, second.updated, second.unchanged) == (0, 0, 1590)
    assert "0 neu, 0 geändert, 1.590 unverändert" in second.summary()


def test_second_run_repairs_what_was_changed_by_hand(reference_data):
    Municipality.objects.filter(ags="05111").update(short_name="Dusseldorf", boundary=None)
    PopulationFigure.objects.filter(
        municipality__ags="05570004", reference_date=date(2017, 12, 31)
    ).update(total=1)
    Participation.objects.filter(municipality__ags="05562014").delete()

    report = load_reference_data()

    assert (report.kreis_level.updated, report.population_figures.updated) == (1, 1)
    assert report.participations.created == 1
    assert report.updated + report.created == 3
    assert Municipality.objects.get(ags="05111").short_name == "Düsseldorf"
    assert Municipality.objects.get(ags="05111").boundary is not None
    assert (
        PopulationFigure.objects.get(
            municipality__ags="05570004", reference_date=date(2017, 12, 31)
        ).total
        == 52530
    )


def test_load_needs_a_fixed_number_of_queries(db, django_assert_max_num_queries):
    # 1,590 rows; one query per row would be far above this (measured: 20 and 12).
    with django_assert_max_num_queries(22):
        load_reference_data()
    with django_assert_max_num_queries(14):
        load_reference_data()


def _replace_in(path, old, new):
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_unknown_participant_ags_loads_nothing(db, data_copy):
    _replace_in(data_copy / "kekiz_participants.csv", ",05958004,", ",05958999,")

    with pytest.raises(ReferenceDataError) as error:
        load_reference_data(data_dir=data_copy)

    assert error.value.messages == [
        "kekiz_participants.csv, Zeile 2: Den AGS „05958999“ (Arnsberg) gibt es weder in "
        "nrw_kreise.csv noch in nrw_gemeinden.csv. Bitte den Gemeindeschlüssel prüfen."
    ]
    assert Municipality.objects.count() == 0
    assert PopulationFigure.objects.count() == 0
    assert Programme.objects.count() == 0


def test_broken_files_leave_loaded_data_untouched(reference_data, data_copy):
    before = table_checksums()
    gemeinden = data_copy / "nrw_gemeinden.csv"
    lines = gemeinden.read_text(encoding="utf-8").splitlines(keepends=True)
    gemeinden.write_text("".join(lines[:-1]), encoding="utf-8")  # drop the last Gemeinde
    _replace_in(data_copy / "nrw_kreise.csv", "Düsseldorf,051,1,620523", "Düsseldorf,051,1,6205x3")

    with pytest.raises(ReferenceDataError) as error:
        load_reference_data(data_dir=data_copy)

    messages = "\n".join(error.value.messages)
    assert "Erwartet werden 396 Gemeinden, die Datei enthält 395." in messages
    assert "nrw_kreise.csv, Zeile 2: „6205x3“ in Spalte population ist keine ganze Zahl." in (
        messages
    )
    assert table_checksums() == before


def test_inconsistent_figures_are_refused(db, data_copy):
    # Düsseldorf's 2017 total in nrw_kreise.csv no longer matches the age-group cells.
    _replace_in(data_copy / "nrw_kreise.csv", ",617280,98303,", ",617281,98303,")

    with pytest.raises(ReferenceDataError, match="weichen von nrw_kreise_age_groups"):
        load_reference_data(data_dir=data_copy)
    assert Municipality.objects.count() == 0


def test_a_slug_taken_by_another_municipality_is_reported(db):
    MunicipalityFactory(ags="05999", slug="koeln", short_name="Köln (Test)")

    with pytest.raises(ReferenceDataError) as error:
        load_reference_data()

    assert error.value.messages == [
        "Der Slug „koeln“ gehört schon Köln (Test) (05999), die nicht in den Referenzdaten "
        "steht. Bitte deren Slug ändern."
    ]
    assert Municipality.objects.count() == 1


def test_command_prints_a_german_summary(db):
    out = StringIO()
    call_command("load_reference_data", stdout=out)
    assert out.getvalue().startswith(
        "53 Kreis-Ebene, 374 kreisangehörige Gemeinden, 1.119 Bevölkerungszahlen, 1 Programm, "
        "3 Programmphasen, 40 Teilnahmen: 1.590 neu, 0 geändert, 0 unverändert."
    )
    out = StringIO()
    call_command("load_reference_data", stdout=out)
    assert "0 neu, 0 geändert, 1.590 unverändert." in out.getvalue()
    assert "bereits auf dem Stand" in out.getvalue()


def test_command_reports_broken_files(db, data_copy):
    (data_copy / "nrw_kreise_vg5000_2021.geojson").unlink()
    with pytest.raises(CommandError, match="nichts wurde geändert") as error:
        call_command("load_reference_data", data_dir=data_copy, stdout=StringIO())
    assert "nrw_kreise_vg5000_2021.geojson: Die Datei fehlt." in str(error.value)
