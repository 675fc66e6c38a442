"""The only way to fetch a municipality's objects for a user (DESIGN.md §3).

Reference data of a municipality (name, population, participation) is public. What belongs to a
municipality's own work is readable by its members and the state office, and writable by its
coordinators and the programme administration. Anything else answers 404, never 403, so that
nobody learns what exists outside their rights.
"""

from django.db import connection
from django.http import Http404

from accounts.roles import PROGRAMME_WIDE_ROLES, STATE_OFFICE_ROLES, Role
from municipalities.models import Membership, Municipality

WRITE_ROLES = frozenset({Role.COORDINATOR})


def roles_by_municipality(user) -> dict[int, frozenset[str]]:
    """{municipality_id: roles} of a user, read once per user object (i.e. per request)."""
    if not user.is_authenticated or not user.is_active:
        return {}
    cached = getattr(user, "_roles_by_municipality", None)
    if cached is None:
        # Every page and API request asks this first: a plain statement costs a third of the
        # ORM's (Membership.objects.filter(user=user), which tests hold it to).
        with connection.cursor() as cursor:
            cursor.execute(_MEMBERSHIPS, [user.pk])
            cached = {municipality_id: frozenset(roles) for municipality_id, roles in cursor}
        user._roles_by_municipality = cached
    return cached


_MEMBERSHIPS = f"""
    SELECT municipality_id, array_agg(role) FROM {Membership._meta.db_table}
     WHERE user_id = %s GROUP BY municipality_id
"""  # noqa: S608 – the model's own table name, the user as a parameter


def sees_all_municipalities(user) -> bool:
    """The state office and the evaluation team see every municipality's work."""
    return user.is_authenticated and user.has_programme_role(*PROGRAMME_WIDE_ROLES)


def can_read_internal(user, municipality_id: int) -> bool:
    """May the user see what belongs to the municipality's own work (members, drafts)?"""
    return bool(roles_by_municipality(user).get(municipality_id)) or (
        user.is_authenticated and user.has_programme_role(*STATE_OFFICE_ROLES)
    )


def can_write(user, municipality_id: int) -> bool:
    return bool(roles_by_municipality(user).get(municipality_id, frozenset()) & WRITE_ROLES) or (
        user.is_authenticated and user.has_programme_role(Role.STATE_ADMIN)
    )


def my_municipalities(user):
    """The municipalities a user holds a membership in (for start pages and navigation)."""
    return Municipality.objects.filter(pk__in=roles_by_municipality(user).keys())


def access_municipality(user, municipality_id, write=False) -> Municipality:
    """The municipality for reading (public reference data) or for changing (its coordinators,
    the programme administration); 404 for a missing one and a forbidden one alike."""
    try:
        municipality = Municipality.objects.select_related("parent").get(pk=municipality_id)
    except (Municipality.DoesNotExist, ValueError, TypeError):
        raise Http404 from None
    if write and not can_write(user, municipality.pk):
        raise Http404
    return municipality


def access_municipality_internal(user, municipality_id) -> Municipality:
    """The municipality for reading its internal work; 404 unless a member or state office."""
    municipality = access_municipality(user, municipality_id)
    if not can_read_internal(user, municipality.pk):
        raise Http404
    return municipality


def internal_municipality_by_ags(user, ags: str) -> Municipality | None:
    """The municipality with this AGS for reading its internal work, in one query; None if no
    municipality has the AGS (the caller says so), 404 if the user may not read it.

    For API requests: the ORM spent about 1 ms building this lookup, the database 0.1 ms. The
    boundaries (GeoJSON, hundreds of kilobytes for a Kreis) and the parent load only if used."""
    found = list(Municipality.objects.raw(_BY_AGS, [ags]))
    municipality = found[0] if found else None
    if municipality is not None and not can_read_internal(user, municipality.pk):
        raise Http404
    return municipality


_BY_AGS = """
    SELECT id, ags, name, short_name, slug, kind, regierungsbezirk, parent_id
      FROM municipalities_municipality WHERE ags = %s
"""
