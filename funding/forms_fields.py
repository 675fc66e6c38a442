"""The one money input of every funding form: euro amounts as people in Germany type them."""

import re
from decimal import Decimal

from django import forms
from django.core.validators import MinValueValidator
from django.utils.translation import gettext_lazy as _

from funding.models import MONEY
from funding.money import format_euro

# 20000 · 20000,5 · 20.000,00 · 1.234.567,5 · and, as on a calculator, 50.5 or 50.50. A dot
# followed by exactly three digits groups thousands, so 50.000 is fifty thousand euros.
AMOUNT = re.compile(
    r"-?(?:\d+(?:,\d+)?|\d{1,3}(?:\.\d{3})+(?:,\d+)?|\d+\.\d{1,2})",
)
# The euro sign and every kind of space (also the no-break spaces format_euro writes).
IGNORED = re.compile(r"[€\s\u00a0\u202f]")
# 20.000,- and 20.000,– (whole euros, as on a cheque).
NO_CENTS = re.compile(r",[-–]{1,2}$")
INVALID = _("Bitte geben Sie einen Betrag in Euro ein, z. B. 29.958,00.")


class EuroField(forms.DecimalField):
    """An amount in euros and cents, at least `min_value` (0 € unless told otherwise)."""

    widget = forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"})
    default_error_messages = {
        "invalid": INVALID,
        "max_decimal_places": _("Bitte geben Sie höchstens zwei Nachkommastellen (Cent) an."),
        "max_digits": _("Der Betrag ist zu groß."),
        "max_whole_digits": _("Der Betrag ist zu groß."),
    }

    def __init__(self, *, min_value=Decimal("0"), localize=False, **kwargs):
        # Model fields hand in their digits; the form's own default is the money columns'.
        # Django's localisation would read 50.000 as fifty euros, so it is never switched on.
        kwargs.setdefault("max_digits", MONEY["max_digits"])
        kwargs.setdefault("decimal_places", MONEY["decimal_places"])
        super().__init__(**kwargs)
        self.min_value = min_value
        if min_value is not None:
            # The message names the limit as it is typed: 0,01 € rather than 0.01 €.
            message = _("Der Betrag muss mindestens %(limit)s € sein.") % {
                "limit": format_amount(min_value)
            }
            self.validators.append(MinValueValidator(min_value, message=message))

    def to_python(self, value):
        if isinstance(value, str):
            value = NO_CENTS.sub("", IGNORED.sub("", value))
            if not value:
                return None
            if not AMOUNT.fullmatch(value):
                raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
            if "," in value or re.search(r"\.\d{3}", value):
                value = value.replace(".", "").replace(",", ".")
        return super().to_python(value)

    def prepare_value(self, value):
        """Stored amounts show as 29.958,00; what the user typed stays as typed."""
        if isinstance(value, Decimal | int):
            return format_amount(value)
        return value

    def widget_attrs(self, widget):
        # No step or min attributes: they belong to number inputs, which refuse 20.000,00.
        return forms.Field.widget_attrs(self, widget)


def format_amount(value: Decimal | int) -> str:
    """29.958,00 – the euro format without the sign, for input fields."""
    return format_euro(Decimal(value)).removesuffix("\u00a0€")
