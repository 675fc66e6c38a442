"""List rows built without DRF serializers (for the speed target of issue 3) must look exactly
as the serializer the schema documents would write them."""

import pytest

from funding.api.serializers_review import QueueRowSerializer
from funding.selectors_review import QueueFilters, review_queue
from tests.api.conftest import token_client
from tests.funding.review_world import submitted_application

pytestmark = pytest.mark.django_db


def test_queue_rows_are_what_the_documented_serializer_writes(personas):
    submitted_application(personas.municipality_a, personas.coordinator_a)
    submitted_application(personas.municipality_b, personas.coordinator_b, years=(2027,))
    response = token_client(personas.reviewer).get("/api/v1/funding/review-queue/")
    assert response.status_code == 200
    rows = review_queue(user=personas.reviewer, filters=QueueFilters())
    expected = QueueRowSerializer(rows, many=True).data
    results = response.json()["results"]
    assert len(results) == 2
    assert results == [dict(row) for row in expected]
    # Local time with its offset, as DRF writes it – not the database's UTC.
    assert results[0]["submitted_at"][-6:] in ("+01:00", "+02:00")
