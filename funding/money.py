"""The money rules of a grant – pure functions on Decimal, no database (DESIGN.md §4).

Rounding: every amount is a whole number of cents. A grant is rounded *down* to the cent, so it
never exceeds the rate or the cap; everything else (personnel cost lines, interest) is rounded
half up, as a cash office does. Sums are formed from rounded amounts, so the parts of a financing
plan always add up to its total to the cent.
"""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_CEILING, ROUND_DOWN, ROUND_HALF_UP, Decimal

CENT = Decimal("0.01")
ZERO = Decimal("0.00")
DAYS_PER_YEAR = Decimal(365)
# § 49a (3) VwVfG: five percentage points above the base rate per year.
CLAWBACK_INTEREST_MARGIN = Decimal(5)

ANTEIL = "anteil"
FEHLBEDARF = "fehlbedarf"
FESTBETRAG = "festbetrag"


def cents(value) -> Decimal:
    """Round half up to whole cents."""
    return Decimal(value).quantize(CENT, rounding=ROUND_HALF_UP)


def cents_down(value) -> Decimal:
    return Decimal(value).quantize(CENT, rounding=ROUND_DOWN)


@dataclass(frozen=True)
class Terms:
    """What a grant is computed from: a FundingRule, or a Decision that copied it."""

    financing_type: str
    rate: Decimal | None = None
    yearly_cap: Decimal | None = None
    fixed_amount: Decimal | None = None
    eligible_categories: frozenset[str] = frozenset()
    min_own_share_rate: Decimal = Decimal(0)

    @classmethod
    def of(cls, rule) -> "Terms":
        return cls(
            financing_type=rule.financing_type,
            rate=rule.rate,
            yearly_cap=rule.yearly_cap,
            fixed_amount=getattr(rule, "fixed_amount", None),
            eligible_categories=frozenset(getattr(rule, "eligible_categories", ()) or ()),
            min_own_share_rate=getattr(rule, "min_own_share_rate", Decimal(0)) or Decimal(0),
        )


def personnel_cost(*, monthly_cost: Decimal, fte: Decimal, months: int) -> Decimal:
    """A personnel line: monthly employer cost of a full-time post × FTE × months."""
    return cents(Decimal(monthly_cost) * Decimal(fte) * months)


def eligible_costs(lines: Iterable[tuple[str, Decimal]], terms: Terms) -> Decimal:
    """Sum of the lines whose category the rule counts as eligible (zuwendungsfähig)."""
    return sum(
        (cents(amount) for category, amount in lines if category in terms.eligible_categories),
        ZERO,
    )


def grant(
    *, eligible: Decimal, terms: Terms, own_funds: Decimal = ZERO, third_party: Decimal = ZERO
) -> Decimal:
    """The grant for one year.

    - Anteilfinanzierung: rate × eligible costs, at most the cap.
    - Fehlbedarfsfinanzierung: what remains after own funds and third-party money, at most the
      cap (and at most rate × eligible costs where the rule sets a rate).
    - Festbetragsfinanzierung: the fixed amount, but never more than the eligible costs.
    """
    eligible = cents(eligible)
    if eligible <= ZERO:
        return ZERO
    if terms.financing_type == ANTEIL:
        amount = cents_down(eligible * terms.rate)
    elif terms.financing_type == FEHLBEDARF:
        amount = max(ZERO, eligible - cents(own_funds) - cents(third_party))
        if terms.rate is not None:
            amount = min(amount, cents_down(eligible * terms.rate))
    elif terms.financing_type == FESTBETRAG:
        amount = min(cents(terms.fixed_amount), eligible)
    else:
        raise ValueError(f"Unbekannte Finanzierungsart {terms.financing_type!r}")
    if terms.yearly_cap is not None:
        amount = min(amount, cents(terms.yearly_cap))
    return amount


def co_financing(*, eligible: Decimal, grant_amount: Decimal) -> Decimal:
    """What the municipality (and third parties) must carry of the eligible costs."""
    return cents(eligible) - cents(grant_amount)


def minimum_own_share(*, eligible: Decimal, terms: Terms) -> Decimal:
    """Own funds the rule demands at least (rounded up, so the minimum is really reached)."""
    return (cents(eligible) * terms.min_own_share_rate).quantize(CENT, rounding=ROUND_CEILING)


def final_grant(
    *,
    terms: Terms,
    decided_grant: Decimal,
    actual_eligible: Decimal,
    actual_own_funds: Decimal = ZERO,
    actual_third_party: Decimal = ZERO,
) -> Decimal:
    """The grant after proof of use: the rule applied to the actual figures, never more than was
    decided. Lower actual costs reduce an Anteil grant pro rata; under Fehlbedarf, higher own or
    third-party income reduces the grant too (VV Nr. 2.2 zu § 44 LHO)."""
    recomputed = grant(
        eligible=actual_eligible,
        terms=terms,
        own_funds=actual_own_funds,
        third_party=actual_third_party,
    )
    return min(cents(decided_grant), recomputed)


def clawback(*, paid: Decimal, final: Decimal) -> Decimal:
    """What must be paid back: what was paid beyond the final grant."""
    return max(ZERO, cents(paid) - cents(final))


@dataclass(frozen=True)
class PaidAmount:
    paid_on: date
    amount: Decimal


def clawback_interest(
    *,
    amount: Decimal,
    payments: Sequence[PaidAmount],
    until: date,
    base_rate_percent: Decimal,
) -> Decimal:
    """Interest per § 49a (3) VwVfG on a clawback: 5 points above the base rate per year, from
    the day the money was paid out until `until` (actual days / 365).

    The repaid amount is taken from the latest payments first – the money paid last is the
    money that was not needed – so interest never runs on money the municipality did not yet
    hold. The result is rounded once, at the end, so splitting payments causes no drift."""
    remaining = cents(amount)
    if remaining <= ZERO:
        return ZERO
    yearly = (Decimal(base_rate_percent) + CLAWBACK_INTEREST_MARGIN) / 100
    total = Decimal(0)
    for payment in sorted(payments, key=lambda p: p.paid_on, reverse=True):
        if remaining <= ZERO:
            break
        portion = min(remaining, cents(payment.amount))
        days = max(0, (until - payment.paid_on).days)
        total += portion * yearly * days / DAYS_PER_YEAR
        remaining -= portion
    return cents(max(total, Decimal(0)))


def format_euro(value: Decimal | None) -> str:
    """de-DE money format: 29.958,00 €."""
    if value is None:
        return "–"
    sign = "-" if value < 0 else ""
    whole, fraction = f"{abs(cents(value)):.2f}".split(".")
    groups = []
    while whole:
        groups.insert(0, whole[-3:])
        whole = whole[:-3]
    return f"{sign}{'.'.join(groups)},{fraction}\u00a0€"
