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


def test_hand_written_queue_page_reads_what_the_selector_reads(personas):
    """The API's queue statement (selectors_review.QueuePage) against the ORM selector the HTML
    page uses, for every filter: same rows, same keys, same order, same count."""
    from datetime import timedelta

    from django.utils import timezone

    from funding.models import Application, ApplicationStatus
    from funding.selectors_review import MINE, UNASSIGNED, QueuePage
    from municipalities.models import Regierungsbezirk

    personas.municipality_b.regierungsbezirk = Regierungsbezirk.KOELN
    personas.municipality_b.save()
    first = submitted_application(personas.municipality_a, personas.coordinator_a)
    second = submitted_application(personas.municipality_b, personas.coordinator_b, years=(2027,))
    third = submitted_application(personas.municipality_a, personas.coordinator_a, years=(2028,))
    Application.objects.filter(pk=first.pk).update(
        status=ApplicationStatus.IN_REVIEW, reviewer=personas.reviewer
    )
    Application.objects.filter(pk=third.pk).update(
        number="Sonder_100%", submitted_at=timezone.now() - timedelta(days=3)
    )
    filter_sets = [
        QueueFilters(),
        QueueFilters(newest_first=True),
        QueueFilters(year=2028),
        QueueFilters(status=ApplicationStatus.IN_REVIEW),
        QueueFilters(regierungsbezirk=Regierungsbezirk.KOELN),
        QueueFilters(call=second.call_id),
        QueueFilters(assigned=MINE),
        QueueFilters(assigned=UNASSIGNED),
        QueueFilters(search="kommune b"),
        QueueFilters(search="_100%"),
        QueueFilters(search="%"),
    ]
    for filters in filter_sets:
        expected = list(review_queue(user=personas.reviewer, filters=filters, names=False))
        page = QueuePage(user=personas.reviewer, filters=filters)
        rows, total = page.page_with_total(0, 50)
        assert rows == expected, filters
        assert page.count() == len(expected), filters
        assert total == (len(expected) or None), filters
        assert page.page_with_total(1, 1)[0] == expected[1:2], filters
    assert len(list(review_queue(user=personas.reviewer, filters=QueueFilters()))) == 3


def test_hand_written_application_page_reads_what_the_orm_rows_read(personas):
    """The API's list statement (ApplicationListPage) against the ORM rows the CSV export
    uses, for every filter and for a municipal reader: same rows, keys, order and count."""
    from funding.models import Application, ApplicationStatus
    from funding.selectors_applications import ApplicationListPage, application_rows

    first = submitted_application(personas.municipality_a, personas.coordinator_a)
    second = submitted_application(personas.municipality_b, personas.coordinator_b, years=(2027,))
    submitted_application(personas.municipality_a, personas.coordinator_a, years=(2028,))
    Application.objects.filter(pk=first.pk).update(status=ApplicationStatus.IN_REVIEW)
    filter_sets = [
        {},
        {"status": ApplicationStatus.IN_REVIEW},
        {"year": 2028},
        {"call": second.call_id},
        {"municipality": personas.municipality_b.ags},
    ]
    for user in (personas.reviewer, personas.coordinator_a, personas.outsider):
        for filters in filter_sets:
            expected = list(application_rows(user, filters))
            page = ApplicationListPage(user=user, filters=filters)
            rows, total = page.page_with_total(0, 50)
            assert rows == expected, (user, filters)
            assert page.count() == len(expected), (user, filters)
            assert total == (len(expected) or None), (user, filters)
            assert page[1:2] == expected[1:2], (user, filters)
    assert len(list(application_rows(personas.coordinator_a, {}))) == 2
