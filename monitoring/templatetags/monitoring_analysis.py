"""Links into the monitoring from pages of other apps, shown only to those who may follow them."""

from django import template
from django.urls import reverse

from monitoring import selectors

register = template.Library()


@register.simple_tag
def monitoring_url(user, municipality) -> str:
    """The municipality's analysis overview, or "" if the user would get a 404 there."""
    allowed = selectors.readable_periods(user, municipality.pk)
    if allowed is not None and not allowed:
        return ""
    return reverse("monitoring:analysis_overview", args=[municipality.slug])
