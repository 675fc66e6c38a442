"""The money rules (issue 3 checks): KeKiz figures, caps, rates, rounding, clawback interest."""

from datetime import date
from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from funding import money
from funding.money import PaidAmount, Terms

KEKIZ = Terms(
    financing_type=money.ANTEIL,
    rate=Decimal("0.5"),
    yearly_cap=Decimal("30000.00"),
    eligible_categories=frozenset({"personnel"}),
)
amounts = st.decimals(min_value=0, max_value=Decimal("10000000"), places=2)
rates = st.decimals(min_value=Decimal("0.0001"), max_value=1, places=4)


def test_kekiz_grant_is_half_of_the_eligible_costs():
    grant = money.grant(eligible=Decimal("59916"), terms=KEKIZ)
    assert grant == Decimal("29958.00")
    assert money.co_financing(eligible=Decimal("59916"), grant_amount=grant) == Decimal("29958.00")


def test_kekiz_grant_stops_at_the_cap():
    assert money.grant(eligible=Decimal("70000"), terms=KEKIZ) == Decimal("30000.00")


def test_only_eligible_categories_count():
    lines = [("personnel", Decimal("59916")), ("material", Decimal("5000"))]
    assert money.eligible_costs(lines, KEKIZ) == Decimal("59916.00")


def test_personnel_line_is_monthly_cost_times_fte_times_months():
    assert money.personnel_cost(
        monthly_cost=Decimal("4993.00"), fte=Decimal("1"), months=12
    ) == Decimal("59916.00")
    assert money.personnel_cost(
        monthly_cost=Decimal("5000.00"), fte=Decimal("0.75"), months=7
    ) == Decimal("26250.00")


def test_fehlbedarf_funds_the_gap_up_to_the_cap():
    terms = Terms(financing_type=money.FEHLBEDARF, yearly_cap=Decimal("30000"))
    assert money.grant(
        eligible=Decimal("50000"),
        own_funds=Decimal("25000"),
        third_party=Decimal("5000"),
        terms=terms,
    ) == Decimal("20000.00")
    assert money.grant(eligible=Decimal("50000"), own_funds=Decimal("60000"), terms=terms) == 0


def test_festbetrag_never_exceeds_the_costs():
    terms = Terms(financing_type=money.FESTBETRAG, fixed_amount=Decimal("10000"))
    assert money.grant(eligible=Decimal("25000"), terms=terms) == Decimal("10000.00")
    assert money.grant(eligible=Decimal("8000"), terms=terms) == Decimal("8000.00")


@given(eligible=amounts, rate=rates, cap=amounts)
def test_anteil_grant_never_above_rate_or_cap_and_exact_to_the_cent(eligible, rate, cap):
    terms = Terms(financing_type=money.ANTEIL, rate=rate, yearly_cap=cap)
    grant = money.grant(eligible=eligible, terms=terms)
    assert grant <= cap
    assert grant <= eligible * rate
    assert grant == grant.quantize(Decimal("0.01"))
    # Never more than a cent below what the rate gives (rounded down, not truncated further).
    assert grant >= min(cap, eligible * rate) - Decimal("0.01")
    assert grant + money.co_financing(eligible=eligible, grant_amount=grant) == eligible


@given(lines=st.lists(amounts, max_size=20))
def test_sum_of_lines_has_no_rounding_drift(lines):
    total = money.eligible_costs([("personnel", a) for a in lines], KEKIZ)
    assert total == sum(lines, Decimal("0.00"))


@given(decided=amounts, actual=amounts)
def test_final_grant_never_exceeds_the_decision(decided, actual):
    final = money.final_grant(terms=KEKIZ, decided_grant=decided, actual_eligible=actual)
    assert final <= decided
    assert final <= money.grant(eligible=actual, terms=KEKIZ)


def test_lower_actual_costs_reduce_the_grant_pro_rata():
    final = money.final_grant(
        terms=KEKIZ, decided_grant=Decimal("29958.00"), actual_eligible=Decimal("50000")
    )
    assert final == Decimal("25000.00")
    assert money.clawback(paid=Decimal("29958.00"), final=final) == Decimal("4958.00")


def test_clawback_interest_is_five_points_above_base_rate_from_the_latest_payments():
    payments = [
        PaidAmount(date(2027, 1, 15), Decimal("14979.00")),
        PaidAmount(date(2027, 7, 15), Decimal("14979.00")),
    ]
    interest = money.clawback_interest(
        amount=Decimal("4958.00"),
        payments=payments,
        until=date(2028, 7, 14),
        base_rate_percent=Decimal("1.27"),
    )
    # 4,958.00 € of the July payment, 365 days, 6.27 % a year.
    assert interest == Decimal("310.87")


def test_clawback_larger_than_the_last_payment_reaches_back_to_the_earlier_one():
    payments = [
        PaidAmount(date(2027, 1, 1), Decimal("1000.00")),
        PaidAmount(date(2027, 12, 31), Decimal("1000.00")),
    ]
    interest = money.clawback_interest(
        amount=Decimal("1500.00"),
        payments=payments,
        until=date(2027, 12, 31),
        base_rate_percent=Decimal("0"),
    )
    # Only the 500 € of the first payment ran for 364 days at 5 %.
    assert interest == Decimal("24.93")


def test_euro_format_is_german():
    assert money.format_euro(Decimal("29958")) == "29.958,00\u00a0€"
    assert money.format_euro(Decimal("-1234567.5")) == "-1.234.567,50\u00a0€"
    assert money.format_euro(Decimal("0")) == "0,00\u00a0€"
