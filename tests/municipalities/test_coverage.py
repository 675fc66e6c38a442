"""compute_coverage against figures computed by hand from the CSV files.

The expected numbers were computed once, independently of the portal's code, with a few lines
of Python over municipalities/reference_data/*.csv (csv.DictReader, sums of columns); each test
says which columns. Abbreviations below: K = nrw_kreise.csv, G = nrw_gemeinden.csv,
P = kekiz_participants.csv.
"""

from datetime import date

import pytest
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from municipalities.coverage import Bounds, Share, compute_coverage
from municipalities.models import MunicipalityKind, Participation
from tests.factories import (
    GemeindeFactory,
    MunicipalityFactory,
    ParticipationFactory,
    PopulationFigureFactory,
    ProgrammeFactory,
)

# NRW at 31.12.2017: sum of K.population_2017 / K.population_u18_2017 over the 53 rows.
NRW_2017 = 17_912_134
NRW_UNDER_18_2017 = 2_987_834
# NRW at 31.12.2023: sum of K.population_2023_sum_of_gemeinden (= sum of G.population).
NRW_2023 = 18_190_422

# Under 18 of the 40, all at 31.12.2017:
# exact part = sum of P.population_u18_2017 (the 17 kreisfreie Städte and 11 Kreise) = 1,563,912.
# The 10 kreisangehörige participants outside a participating Kreis, per parent Kreis with
# P = their G.population_2017, T/U = the Kreis' K.population_2017/K.population_u18_2017:
#   upper += min(P, U):  Mettmann 40,598 (Monheim), Rhein-Kreis Neuss 77,085 (Dormagen + Neuss),
#   Wesel 72,539 (Moers + Dinslaken), StädteRegion Aachen 85,946 (Aachen), Rhein-Erft-Kreis
#   44,144 (Brühl), Oberbergischer Kreis 47,856 (Gummersbach), Ennepe-Ruhr-Kreis 49,740 (Witten),
#   Hochsauerlandkreis 43,389 (Arnsberg)  → 461,297
#   lower += max(0, U − (T − P)) = 0 in every one of these Kreise
#   estimate += P·U/T → 152,764.44
ALL_40_UNDER_18 = Bounds(lower=1_563_912, upper=1_563_912 + 461_297, estimate=1_716_676)


def test_all_40_at_end_of_2017(kekiz):
    coverage = compute_coverage(kekiz, date(2017, 12, 31))

    assert coverage.programme_slug == "kekiz"
    assert coverage.participants == 40
    # P.type: 10 kreisfreie Städte of 2012 + 7 of 2017 (Aachen is not kreisfrei).
    assert coverage.kreisfreie_staedte == Share(17, 22)
    # P.type kreis: Düren, Unna, Warendorf + 8 of 2017; of 30 Kreise + StädteRegion.
    assert coverage.kreise == Share(11, 31)
    # 138 Gemeinden with G.kreis_ags in the 11 Kreise + 17 kreisfreie Städte + 10 kreisangehörige
    # participants outside them (Gladbeck and Ahlen are among the 138).
    assert coverage.gemeinden == Share(165, 396)
    # sum of P.population_2017 over all 40 = 10,536,729, minus Gladbeck 75,689 and Ahlen 52,530
    assert coverage.population == Bounds(10_408_510, 10_408_510)
    assert (coverage.population_total, coverage.population_date) == (NRW_2017, date(2017, 12, 31))
    assert coverage.population_under_18 == ALL_40_UNDER_18
    assert coverage.population_under_18_total == NRW_UNDER_18_2017
    assert coverage.population_under_18_date == date(2017, 12, 31)
    assert any("Spanne" in note for note in coverage.notes)


def test_all_40_today(kekiz):
    coverage = compute_coverage(kekiz, date(2026, 11, 21))

    assert coverage.participants == 40
    assert coverage.kreisfreie_staedte == Share(17, 22)
    assert coverage.kreise == Share(11, 31)
    assert coverage.gemeinden == Share(165, 396)
    # latest total figures are 31.12.2023: sum of P.population_2023 = 10,689,998, minus
    # Gladbeck 75,799 and Ahlen 53,278
    assert coverage.population == Bounds(10_560_921, 10_560_921)
    assert (coverage.population_total, coverage.population_date) == (NRW_2023, date(2023, 12, 31))
    # Gemeinde totals exist for 2017 and 2023, Kreis age data for 2015–2020: 2017 is the latest
    # Stichtag with both, so the under-18 figure stays that of 31.12.2017.
    assert coverage.population_under_18 == ALL_40_UNDER_18
    assert coverage.population_under_18_date == date(2017, 12, 31)
    assert coverage.population_under_18_total == NRW_UNDER_18_2017
    assert any("31.12.2017" in note for note in coverage.notes)


def test_gladbeck_and_ahlen_are_counted_once_through_their_kreis(kekiz):
    coverage = compute_coverage(kekiz, date(2017, 12, 31))

    assert coverage.counted_through_kreis == ("Ahlen", "Gladbeck")
    assert "Gladbeck" not in coverage.under_18_estimated_for
    own_figures_of_all_40 = 10_536_729  # sum of P.population_2017
    assert coverage.population.lower == own_figures_of_all_40 - 75_689 - 52_530
    assert any(n.startswith("Gladbeck liegt") and "Recklinghausen" in n for n in coverage.notes)
    assert any(n.startswith("Ahlen liegt") and "Warendorf" in n for n in coverage.notes)


def test_gladbeck_counts_itself_once_its_kreis_has_left(kekiz):
    Participation.objects.filter(programme=kekiz, municipality__ags="05562").update(
        left_on=date(2017, 6, 30)
    )

    coverage = compute_coverage(kekiz, date(2017, 12, 31))

    assert coverage.participants == 39
    assert coverage.kreise == Share(10, 31)
    assert coverage.counted_through_kreis == ("Ahlen",)
    # 10,408,510 − Kreis Recklinghausen 616,824 + Gladbeck 75,689 (P.population_2017)
    assert coverage.population == Bounds(9_867_375, 9_867_375)
    # Recklinghausen's exact 98,742 under 18 (K.population_u18_2017) drop out; Gladbeck gets a
    # range of its own: lower 0, upper min(75,689, 98,742), estimate 75,689 · 98,742 / 616,824.
    assert coverage.population_under_18 == Bounds(1_465_170, 2_002_156, 1_630_051)
    assert "Gladbeck" in coverage.under_18_estimated_for


def test_in_2014_only_the_18_of_2012_and_figures_of_the_next_stichtag(kekiz):
    coverage = compute_coverage(kekiz, date(2014, 6, 30))

    assert coverage.participants == 18
    assert coverage.kreisfreie_staedte == Share(10, 22)
    assert coverage.kreise == Share(3, 31)
    # 10 kreisfreie Städte + K.n_gemeinden of Düren 15, Unna 10, Warendorf 13 + Arnsberg,
    # Dormagen, Gladbeck, Moers, Witten
    assert coverage.gemeinden == Share(53, 396)
    # Gladbeck's Kreis Recklinghausen joins only in 2017, so Gladbeck counts for itself.
    assert coverage.counted_through_kreis == ()
    # No Gemeinde figure before 31.12.2017 exists, so the earliest later Stichtag is used:
    # sum of P.population_2017 over the 18 of cohort 2012.
    assert coverage.population == Bounds(4_963_266, 4_963_266)
    assert coverage.population_date == date(2017, 12, 31)
    # exact: sum of P.population_u18_2017 of cohort 2012 = 752,378; plus for Arnsberg (HSK),
    # Dormagen (Rhein-Kreis Neuss), Gladbeck (Recklinghausen), Moers (Wesel), Witten (EN):
    # upper + 43,389 + 64,177 + 75,689 + 72,539 + 49,740, lower + 0, estimate + 66,529.92
    assert coverage.population_under_18 == Bounds(752_378, 1_057_912, 818_908)
    assert coverage.population_under_18_date == date(2017, 12, 31)
    assert any("nächste spätere Stichtag, der 31.12.2017" in note for note in coverage.notes)


def test_population_stichtag_needs_every_figure(kekiz):
    # Kreis figures exist for 31.12.2018, Gemeinde figures do not: 2017 is the latest Stichtag
    # at which the kreisangehörige participants have figures too.
    coverage = compute_coverage(kekiz, date(2019, 6, 30))
    assert coverage.population_date == date(2017, 12, 31)
    assert coverage.population == Bounds(10_408_510, 10_408_510)
    assert any(
        note.startswith("Die Bevölkerungszahlen beziehen sich auf den 31.12.2017")
        for note in coverage.notes
    ), "the reader must learn why an older Stichtag is shown"


def test_no_stichtag_note_when_the_latest_figures_are_used(kekiz):
    coverage = compute_coverage(kekiz, date(2017, 12, 31))
    assert not any(note.startswith("Die Bevölkerungszahlen") for note in coverage.notes)


def test_before_the_programme_nobody_is_covered(kekiz):
    coverage = compute_coverage(kekiz, date(2012, 2, 29))
    assert coverage.participants == 0
    assert coverage.population == Bounds(0, 0)
    assert coverage.gemeinden == Share(0, 396)
    # earliest Stichtag is 31.12.2015: sum of K.population_2015
    assert (coverage.population_total, coverage.population_date) == (17_865_516, date(2015, 12, 31))


def test_a_constant_number_of_queries(kekiz, django_assert_num_queries):
    with django_assert_num_queries(3):
        compute_coverage(kekiz, date(2017, 12, 31))


STICHTAG = date(2017, 12, 31)


def _unit(total, under_18=None, **kwargs):
    factory = GemeindeFactory if "parent" in kwargs else MunicipalityFactory
    unit = factory(**kwargs)
    PopulationFigureFactory(
        municipality=unit, reference_date=STICHTAG, total=total, under_18=under_18
    )
    return unit


def test_lower_bound_above_zero_when_the_rest_of_the_kreis_is_small(db):
    # Kreis of 100 people, 80 of them under 18; the participant has 50 of the 100, so at
    # least 80 − 50 = 30 and at most 50 of its people are under 18; estimate 50 · 80/100.
    programme = ProgrammeFactory(slug="klein")
    kreis = _unit(100, 80, kind=MunicipalityKind.KREIS)
    participant = _unit(50, parent=kreis, kind=MunicipalityKind.KREISANGEHOERIGE_STADT)
    _unit(50, parent=kreis)
    ParticipationFactory(programme=programme, municipality=participant)

    coverage = compute_coverage(programme, date(2018, 1, 1))

    assert coverage.population == Bounds(50, 50)
    assert coverage.population_under_18 == Bounds(30, 50, 40)
    assert (coverage.population_total, coverage.population_under_18_total) == (100, 80)
    assert coverage.gemeinden == Share(1, 2)


def test_queries_do_not_grow_with_the_world(db, django_assert_num_queries):
    programme = ProgrammeFactory(slug="klein")
    kreis = _unit(100, 20, kind=MunicipalityKind.KREIS)
    ParticipationFactory(programme=programme, municipality=_unit(40, parent=kreis))
    with django_assert_num_queries(3):
        compute_coverage(programme, STICHTAG)


def test_without_figures_the_population_is_zero_and_said_so(db):
    programme = ProgrammeFactory(slug="leer")
    ParticipationFactory(programme=programme, municipality=MunicipalityFactory())

    coverage = compute_coverage(programme, STICHTAG)

    assert coverage.participants == 1
    assert coverage.population == Bounds(0, 0)
    assert coverage.population_date == STICHTAG
    assert any("keine vollständigen Bevölkerungszahlen" in note for note in coverage.notes)


_gemeinde = st.tuples(
    st.integers(0, 5_000), st.floats(0, 1), st.booleans()
)  # total, share under 18, participates
_kreis = st.tuples(st.lists(_gemeinde, min_size=1, max_size=4), st.booleans())
_kreisfreie_stadt = st.tuples(st.integers(1, 5_000), st.floats(0, 1), st.booleans())


@pytest.mark.django_db
@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    kreise=st.lists(_kreis, min_size=1, max_size=3),
    kreisfreie=st.lists(_kreisfreie_stadt, max_size=2),
)
def test_the_true_under_18_figure_lies_within_the_bounds(kreise, kreisfreie):
    """Random worlds where the under-18 people of every Gemeinde are known to the test but
    not to the portal (only Kreis-level figures are stored, as in the real data)."""
    with transaction.atomic():
        programme = ProgrammeFactory(slug="zufall")
        true_total = true_under_18 = 0
        for total, share, participates in kreisfreie:
            under_18 = round(total * share)
            city = _unit(total, under_18, kind=MunicipalityKind.KREISFREIE_STADT)
            if participates:
                ParticipationFactory(programme=programme, municipality=city)
                true_total, true_under_18 = true_total + total, true_under_18 + under_18
        for members, kreis_participates in kreise:
            people = [(total, round(total * share), flag) for total, share, flag in members]
            kreis = _unit(
                max(1, sum(t for t, _, _ in people)),
                sum(u for _, u, _ in people),
                kind=MunicipalityKind.KREIS,
            )
            if kreis_participates:
                ParticipationFactory(programme=programme, municipality=kreis)
                true_total += kreis.population_figures.get().total
                true_under_18 += sum(u for _, u, _ in people)
            for total, under_18, participates in people:
                gemeinde = _unit(total, parent=kreis)
                if participates:
                    ParticipationFactory(programme=programme, municipality=gemeinde)
                    if not kreis_participates:
                        true_total, true_under_18 = true_total + total, true_under_18 + under_18

        coverage = compute_coverage(programme, STICHTAG)

        assert coverage.population == Bounds(true_total, true_total)
        bounds = coverage.population_under_18
        assert bounds.lower <= true_under_18 <= bounds.upper
        if bounds.is_exact:
            assert bounds.estimate is None
        else:
            assert bounds.lower <= bounds.estimate <= bounds.upper
        transaction.set_rollback(True)
