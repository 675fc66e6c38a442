"""The one money input of the funding forms: what people in Germany type is what is stored."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from hypothesis import given
from hypothesis import strategies as st

from funding.forms_administration import BudgetForm, RuleForm
from funding.forms_applications import CostLineForm, YearPlanForm
from funding.forms_fields import EuroField
from funding.forms_payments import PaymentRequestForm
from funding.forms_proofs import CheckForm
from funding.money import format_euro

INVALID = "Bitte geben Sie einen Betrag in Euro ein, z. B. 29.958,00."


@pytest.mark.parametrize(
    ("typed", "amount"),
    [
        ("20.000,00", Decimal("20000.00")),
        ("20000,00", Decimal("20000.00")),
        ("20000", Decimal("20000")),
        ("1.234.567,5", Decimal("1234567.5")),
        ("50.000", Decimal("50000")),
        ("50.000,5", Decimal("50000.5")),
        ("50.5", Decimal("50.5")),
        ("50.25", Decimal("50.25")),
        ("12,5", Decimal("12.5")),
        ("29.958,00 €", Decimal("29958")),
        (" 7 489,50 € ", Decimal("7489.50")),
        ("29.958,00\u00a0€", Decimal("29958")),
        ("20.000,-", Decimal("20000")),
        ("0", Decimal("0")),
    ],
)
def test_amounts_as_typed_in_germany(typed, amount):
    assert EuroField(label="Betrag").clean(typed) == amount


@pytest.mark.parametrize(
    "typed", ["viel", "50.5000", "1.2345,00", "1.234.56", "12,3,4", "1234.567", "5 Euro"]
)
def test_what_is_no_amount_gets_one_clear_message(typed):
    with pytest.raises(ValidationError) as error:
        EuroField(label="Betrag").clean(typed)
    assert error.value.messages == [INVALID]


def test_more_than_cents_is_refused():
    with pytest.raises(ValidationError) as error:
        EuroField(label="Betrag").clean("12,345")
    assert "zwei Nachkommastellen" in error.value.messages[0]


def test_minimum_is_configurable_and_named_in_german():
    assert EuroField(label="Betrag").clean("0") == 0
    with pytest.raises(ValidationError) as error:
        EuroField(label="Betrag", min_value=Decimal("0.01")).clean("0")
    assert error.value.messages == ["Der Betrag muss mindestens 0,01 € sein."]
    with pytest.raises(ValidationError):
        EuroField(label="Betrag").clean("-1")


def test_empty_optional_amount_is_none():
    assert EuroField(label="Betrag", required=False).clean(" ") is None
    assert EuroField(label="Betrag", required=False).clean("€") is None


@given(st.decimals(min_value=0, max_value=Decimal("9999999999.99"), places=2))
def test_the_euro_format_reads_back(amount):
    field = EuroField(label="Betrag")
    assert field.clean(format_euro(amount)) == amount
    assert field.clean(field.prepare_value(amount)) == amount


def test_stored_amounts_show_in_german_and_typed_input_stays():
    form = YearPlanForm(initial={"version": 1, "own_funds": Decimal("29958.00")})
    assert 'value="29.958,00"' in str(form["own_funds"])
    assert 'inputmode="decimal"' in str(form["own_funds"])
    typed = YearPlanForm(data={"version": 1, "own_funds": "50.000,0,0"})
    assert not typed.is_valid()
    assert 'value="50.000,0,0"' in str(typed["own_funds"])
    assert typed.errors["own_funds"] == [INVALID]


def test_every_funding_form_reads_thousands_the_german_way():
    plan = YearPlanForm(
        data={"version": 1, "own_funds": "20.000,00", "third_party_funds": "50.000"}
    )
    assert plan.is_valid(), plan.errors
    assert plan.cleaned_data["own_funds"] == Decimal("20000")
    assert plan.cleaned_data["third_party_funds"] == Decimal("50000")

    line = CostLineForm(data={"category": "material", "description": "Flyer", "amount": "1.500"})
    assert line.is_valid(), line.errors
    assert line.cleaned_data["amount"] == Decimal("1500")

    check = CheckForm(
        data={"check_note": "ok", "recognised_eligible": "50.000", "interest_until": "2030-01-01"}
    )
    assert check.is_valid(), check.errors
    assert check.cleaned_data["recognised_eligible"] == Decimal("50000")

    payment = PaymentRequestForm(
        data={"year": 2027, "amount": "50.000", "needed_on": "2027-02-01", "purpose": "Personal"},
        years=[2027],
    )
    assert payment.is_valid(), payment.errors
    assert payment.cleaned_data["amount"] == Decimal("50000")
    nothing = PaymentRequestForm(
        data={"year": 2027, "amount": "0", "needed_on": "2027-02-01", "purpose": "Personal"},
        years=[2027],
    )
    assert not nothing.is_valid()


def test_administration_forms_use_the_euro_field():
    assert isinstance(BudgetForm().fields["amount"], EuroField)
    rule = RuleForm()
    assert isinstance(rule.fields["yearly_cap"], EuroField)
    assert isinstance(rule.fields["fixed_amount"], EuroField)
    assert not rule.fields["yearly_cap"].required
