"""Number formatting for the pages: grouped integers and percentages in the active language
(de: 1.234.567 and 77,3 %; en: 1,234,567 and 77.3%)."""

from django import template
from django.utils.formats import number_format
from django.utils.translation import get_language

register = template.Library()

# German puts a (non-breaking) space before the percent sign, English does not.
_PERCENT_SPACE = {"de": "\u00a0"}


@register.filter
def zahl(value):
    if value is None or value == "":
        return ""
    return number_format(value, force_grouping=True)


@register.filter
def prozent(value, decimals=1):
    if value is None or value == "":
        return ""
    formatted = number_format(
        round(float(value), int(decimals)), int(decimals), force_grouping=True
    )
    space = _PERCENT_SPACE.get((get_language() or "de")[:2], "")
    return f"{formatted}{space}%"


@register.simple_tag
def anteil(part, whole, decimals=1):
    """part as a percentage of whole; empty when whole is zero or unknown."""
    if not whole:
        return ""
    return prozent(100 * part / whole, decimals)


_WIDGET_CLASSES = {
    "checkbox": "kern-form-check__checkbox",
    "radioselect": "kern-form-check__radio",
    "select": "kern-form-input__select",
}


@register.filter
def kern_widget(bound_field):
    """The field's own widget (keeping its type, autocomplete, required …) with KERN classes
    and the ARIA links to its hint and error text, whose ids includes/field.html uses."""
    css = _WIDGET_CLASSES.get(bound_field.widget_type, "kern-form-input__input")
    described_by = []
    if bound_field.help_text:
        described_by.append(f"{bound_field.auto_id}-hinweis")
    attrs = {}
    if bound_field.errors:
        css = f"{css} {css}--error"
        described_by.append(f"{bound_field.auto_id}-fehler")
        attrs["aria-invalid"] = "true"
    existing = bound_field.field.widget.attrs.get("class")
    attrs["class"] = f"{existing} {css}" if existing else css
    if described_by:
        attrs["aria-describedby"] = " ".join(described_by)
    return bound_field.as_widget(attrs=attrs)
