"""The only way to fetch monitoring objects for a user (DESIGN.md §3); 404 for missing and
forbidden alike.

Reading a municipality's Sozialräume and the status of its data years: its members and the
state office. Raw values (entry, quality findings) and every write: its coordinators only – the
same people who have raw rights under disclosure control (monitoring.selectors), so that no
other role sees an unsuppressed count through a data page.
"""

from django.http import Http404

from accounts.roles import Role
from monitoring.models import Indicator, QualityFlag
from municipalities.models import Municipality, Sozialraum
from municipalities.permissions import can_read_internal, roles_by_municipality


def can_write_data(user, municipality_id: int) -> bool:
    """Raw rights and write rights on a municipality's monitoring data: its coordinators."""
    return Role.COORDINATOR in roles_by_municipality(user).get(municipality_id, frozenset())


def _municipality_by_slug(slug) -> Municipality:
    try:
        return Municipality.objects.select_related("parent").get(slug=slug)
    except Municipality.DoesNotExist:
        raise Http404 from None


def access_monitoring(user, slug, write=False) -> Municipality:
    """The municipality whose monitoring is asked for: members and state office read,
    coordinators write (and see raw values)."""
    municipality = _municipality_by_slug(slug)
    allowed = (
        can_write_data(user, municipality.pk) if write else can_read_internal(user, municipality.pk)
    )
    if not allowed:
        raise Http404
    return municipality


def access_sozialraum(user, sozialraum_id, write=False) -> Sozialraum:
    try:
        sozialraum = Sozialraum.objects.select_related("municipality", "parent").get(
            pk=sozialraum_id
        )
    except (Sozialraum.DoesNotExist, ValueError, TypeError):
        raise Http404 from None
    municipality_id = sozialraum.municipality_id
    allowed = (
        can_write_data(user, municipality_id) if write else can_read_internal(user, municipality_id)
    )
    if not allowed:
        raise Http404
    return sozialraum


def access_local_indicator(user, indicator_id, write=False) -> Indicator:
    """A municipality's own indicator (the catalogue's metadata is public and needs no check)."""
    try:
        indicator = Indicator.objects.select_related("municipality").get(
            pk=indicator_id, municipality__isnull=False
        )
    except (Indicator.DoesNotExist, ValueError, TypeError):
        raise Http404 from None
    municipality_id = indicator.municipality_id
    allowed = (
        can_write_data(user, municipality_id) if write else can_read_internal(user, municipality_id)
    )
    if not allowed:
        raise Http404
    return indicator


def access_quality_flag(user, flag_id) -> QualityFlag:
    """A finding shows raw values, so only those who may write the data see it."""
    try:
        flag = QualityFlag.objects.select_related(
            "observation__sozialraum__municipality", "observation__indicator"
        ).get(pk=flag_id)
    except (QualityFlag.DoesNotExist, ValueError, TypeError):
        raise Http404 from None
    if not can_write_data(user, flag.observation.sozialraum.municipality_id):
        raise Http404
    return flag
