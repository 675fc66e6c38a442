"""Which funding rule applies to a year of a programme."""

from django.utils.translation import gettext as _

from funding.models import FundingRule
from funding.money import Terms
from funding.services.errors import FundingError


def rule_for(programme, year: int) -> FundingRule:
    """The rule in force for a funding year: the newest one valid from that year or earlier."""
    rule = (
        FundingRule.objects.filter(programme=programme, valid_from_year__lte=year)
        .order_by("-valid_from_year")
        .first()
    )
    if rule is None:
        raise FundingError(
            _("Für %(programme)s gibt es für %(year)s keine Förderregel.")
            % {"programme": programme.short_name, "year": year}
        )
    return rule


def terms_for(programme, year: int) -> Terms:
    return Terms.of(rule_for(programme, year))
