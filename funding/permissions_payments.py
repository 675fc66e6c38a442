"""Lists of payment records for a user: the same rule as funding.permissions (members read
their municipality's, the state office reads all)."""

from funding.permissions import readable_municipality_ids


def within_reach(queryset, user, field: str = "application__municipality_id"):
    """Limit a list to the municipalities whose funding the user reads."""
    ids = readable_municipality_ids(user)
    return queryset if ids is None else queryset.filter(**{f"{field}__in": ids})
