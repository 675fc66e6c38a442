"""The only way to fetch a municipality's objects for a user (DESIGN.md §3).

Reference data of a municipality (name, population, participation) is public. What belongs to a
municipality's own work is readable by its members and the state office, and writable by its
coordinators and the programme administration. Anything else answers 404, never 403, so that
nobody learns what exists outside their rights.
"""

import json

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
    boundaries (GeoJSON, hundreds of kilobytes for a Kreis) and the parent load only if used.
    The same statement reads the user's memberships when the request has not yet: every
    statement saved is a round trip saved on each API page."""
    needs_roles = (
        user.is_authenticated
        and user.is_active
        and getattr(user, "_roles_by_municipality", None) is None
    )
    with connection.cursor() as cursor:
        if needs_roles:
            cursor.execute(_BY_AGS_WITH_ROLES, [user.pk, ags])
        else:
            cursor.execute(_BY_AGS, [ags])
        row = cursor.fetchone()
    if needs_roles and row is not None:
        # Django has psycopg hand jsonb over as text (its JSONField decodes it itself).
        user._roles_by_municipality = {
            int(municipality_id): frozenset(names)
            for municipality_id, names in json.loads(row[-1]).items()
        }
        row = row[:-1]
    municipality = Municipality.from_db("default", _BY_AGS_FIELDS, row) if row else None
    if municipality is not None and not can_read_internal(user, municipality.pk):
        raise Http404
    return municipality


# In the model's field order (Model.from_db expects it); the rest stays deferred.
_BY_AGS_FIELDS = [
    f.attname
    for f in Municipality._meta.concrete_fields
    if f.attname
    in {"id", "ags", "name", "short_name", "slug", "kind", "regierungsbezirk", "parent_id"}
]
_BY_AGS = f"""
    SELECT {", ".join(_BY_AGS_FIELDS)} FROM {Municipality._meta.db_table}
     WHERE ags = %s
"""  # noqa: S608 – the model's own names, the values as parameters
_BY_AGS_WITH_ROLES = f"""
    SELECT {", ".join(_BY_AGS_FIELDS)},
           (SELECT coalesce(jsonb_object_agg(municipality_id, roles), '{{}}'::jsonb)
              FROM (SELECT municipality_id, jsonb_agg(role) AS roles
                      FROM {Membership._meta.db_table} WHERE user_id = %s
                     GROUP BY municipality_id) AS memberships)
      FROM {Municipality._meta.db_table} WHERE ags = %s
"""  # noqa: S608 – the models' own names, the values as parameters
