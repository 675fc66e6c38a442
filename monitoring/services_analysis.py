"""Writes of the analysis pages: comments on an area, indicator and year."""

from django.db import transaction

from monitoring.models import Comment, Indicator
from municipalities.models import Sozialraum


@transaction.atomic
def add_comment(
    *, actor, sozialraum: Sozialraum, indicator: Indicator | None, period: int | None, text: str
) -> Comment:
    return Comment.objects.create(
        sozialraum=sozialraum, indicator=indicator, period=period, text=text.strip(), author=actor
    )
