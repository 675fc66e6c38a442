"""Submitted applications for the review tests, built with the funding factories the way the
application service leaves them (status SUBMITTED, a Submission with its snapshot)."""

from decimal import Decimal

from django.utils import timezone

from funding.models import ApplicationStatus, Submission
from tests.factories_funding import ApplicationFactory, CallFactory, planned_year


def snapshot_of(application) -> dict:
    return {
        "purpose": application.purpose,
        "contact_name": application.contact_name,
        "contact_email": application.contact_email,
        "forwarding_requested": application.forwarding_requested,
        "forwarding_recipient": application.forwarding_recipient,
        "years": [
            {
                "year": plan.year,
                "own_funds": str(plan.own_funds),
                "third_party_funds": str(plan.third_party_funds),
                "third_party_note": plan.third_party_note,
                "eligible_costs": str(plan.eligible_costs),
                "requested_grant": str(plan.requested_grant),
                "lines": [
                    {
                        "category": line.category,
                        "description": line.description,
                        "pay_grade": line.pay_grade,
                        "fte": str(line.fte),
                        "months": line.months,
                        "monthly_cost": str(line.monthly_cost),
                        "amount": str(line.amount),
                    }
                    for line in plan.cost_lines.all()
                ],
            }
            for plan in application.years.order_by("year")
        ],
        "attachments": [{"kind": "council_resolution", "name": "ratsbeschluss.pdf"}],
    }


def submit(application, by) -> Submission:
    """What the application service's submit() leaves behind."""
    number = application.submissions.count() + 1
    application.status = ApplicationStatus.SUBMITTED
    application.submitted_at = timezone.now()
    application.save(update_fields=["status", "submitted_at"])
    return Submission.objects.create(
        application=application, number=number, snapshot=snapshot_of(application), submitted_by=by
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
