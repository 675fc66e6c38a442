"""Fetching decisions, their documents and document batches for a user (404 for missing and
forbidden alike). A decision and its Bescheid are read by whoever reads the application: the
municipality's members and the state office. Batches are the state office's tool."""

from django.http import Http404

from funding.models import Decision, DocumentBatch, FundingDocument
from funding.permissions import can_read_funding, is_state_office, readable_municipality_ids


def decisions_for(user):
    """Decisions the user may read, for lists."""
    queryset = Decision.objects.all()
    ids = readable_municipality_ids(user)
    if ids is None:
        return queryset
    return queryset.filter(application__municipality_id__in=ids)


def documents_for(user):
    queryset = FundingDocument.objects.all()
    ids = readable_municipality_ids(user)
    if ids is None:
        return queryset
    return queryset.filter(municipality_id__in=ids)


def _get(queryset, object_id):
    try:
        return queryset.get(pk=object_id)
    except (queryset.model.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def access_decision(user, decision_id) -> Decision:
    decision = _get(
        Decision.objects.select_related(
            "application__municipality", "application__call__programme", "decided_by"
        ),
        decision_id,
    )
    if not can_read_funding(user, decision.application.municipality_id):
        raise Http404
    return decision


def access_document(user, document_id) -> FundingDocument:
    document = _get(FundingDocument.objects.select_related("decision", "municipality"), document_id)
    if not can_read_funding(user, document.municipality_id):
        raise Http404
    return document


def access_batch(user, batch_id) -> DocumentBatch:
    if not is_state_office(user):
        raise Http404
    return _get(DocumentBatch.objects.select_related("requested_by"), batch_id)
