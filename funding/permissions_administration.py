"""Who reaches the administration, coverage and report pages (issue 3 §1, §2, §6, §12).

The state office reads rules, calls, budgets, coverage and exports; only the programme
administration changes them. A municipality's coverage and status report belong to its members
and the state office. Everyone else gets 404, as everywhere in funding.
"""

from django.http import Http404

from funding.models import Budget, Call, FundingRule
from funding.permissions import can_read_funding, is_funding_admin, is_state_office
from municipalities.models import Municipality


def require_state_office(user, write: bool = False) -> None:
    if not (is_funding_admin(user) if write else is_state_office(user)):
        raise Http404


def _admin_object(queryset, user, object_id, write: bool):
    require_state_office(user, write)
    try:
        return queryset.get(pk=object_id)
    except (queryset.model.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def access_rule(user, rule_id, write=False) -> FundingRule:
    return _admin_object(FundingRule.objects.select_related("programme"), user, rule_id, write)


def access_call(user, call_id, write=False) -> Call:
    return _admin_object(Call.objects.select_related("programme"), user, call_id, write)


def access_budget(user, budget_id, write=False) -> Budget:
    return _admin_object(Budget.objects.select_related("programme"), user, budget_id, write)


def access_funding_municipality(user, slug=None, *, ags=None) -> Municipality:
    """A municipality (by slug or AGS) whose funding the user reads: its members and the
    state office."""
    lookup = {"slug": slug} if ags is None else {"ags": ags}
    municipality = Municipality.objects.filter(**lookup).first()
    if municipality is None or not can_read_funding(user, municipality.pk):
        raise Http404
    return municipality
