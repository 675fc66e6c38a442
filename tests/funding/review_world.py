"""Submitted applications for the review tests, built with the funding factories the way the
application service leaves them (status SUBMITTED, a Submission with its snapshot)."""

from decimal import Decimal

from django.utils import timezone

from funding.models import ApplicationStatus, Submission
from funding.services.applications import snapshot
from tests.factories_funding import ApplicationFactory, CallFactory, planned_year


def submit(application, by) -> Submission:
    """What the application service's submit() leaves behind, without its completeness
    checks (attachments are not needed here)."""
    number = application.submissions.count() + 1
    application.status = ApplicationStatus.SUBMITTED
    application.submitted_at = timezone.now()
    application.save(update_fields=["status", "submitted_at"])
    return Submission.objects.create(
        application=application, number=number, snapshot=snapshot(application), submitted_by=by
    )


def submitted_application(municipality, coordinator, *, call=None, years=(2027, 2028)):
    application = ApplicationFactory(
        municipality=municipality,
        call=call or CallFactory(),
        created_by=coordinator,
        contact_email="",
    )
    for year in years:
        planned_year(application, year, eligible=Decimal("59916.00"))
    submit(application, coordinator)
    return application
