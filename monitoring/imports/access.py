"""Who may import: the coordinators of the municipality, nobody else (the import carries raw
data and overwrites values). Everyone else gets 404, for missing and forbidden alike."""

from django.http import Http404

from accounts.roles import Role
from monitoring.models import ImportBatch
from municipalities.models import Municipality
from municipalities.permissions import roles_by_municipality


def access_import_municipality(user, slug) -> Municipality:
    municipality = Municipality.objects.filter(slug=slug).first()
    if municipality is None or Role.COORDINATOR not in roles_by_municipality(user).get(
        municipality.pk, frozenset()
    ):
        raise Http404
    return municipality


def access_import_batch(user, slug, batch_id) -> ImportBatch:
    municipality = access_import_municipality(user, slug)
    batch = (
        ImportBatch.objects.select_related("uploaded_by")
        .filter(pk=batch_id, municipality=municipality)
        .first()
    )
    if batch is None:
        raise Http404
    batch.municipality = municipality
    return batch
