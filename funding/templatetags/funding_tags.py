from django import template

from funding import money

register = template.Library()


@register.filter
def euro(value):
    """29958 → „29.958,00 €“ (de-DE, always with cents)."""
    if value in (None, ""):
        return "–"
    return money.format_euro(value)
