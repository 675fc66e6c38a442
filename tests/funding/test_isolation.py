"""A coordinator of municipality B can neither see nor change anything of A (issue 3): every
funding page and every funding API address that names one of A's objects answers 404 to B's
coordinator, for reading and for writing. The URL list is read from the URLconf, so a new page
without an entry here fails until someone decides which of A's objects it shows."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.files.base import ContentFile
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from funding.models import (
    Attachment,
    AttachmentKind,
    Comment,
    CommentVisibility,
    DocumentBatch,
    DocumentKind,
    Forwarding,
    FundingDocument,
    Payment,
    PaymentRequest,
    PaymentStatus,
    ProofOfUse,
)
from tests.factories import make_api_token
from tests.factories_funding import ApplicationFactory, FundingRuleFactory, planned_year
from tests.funding.test_payments_world import grant_decision

# Pages that name no object of a municipality: lists and forms whose content is filtered by
# the user's rights (tested in each stage's own tests).
UNNAMED = {
    "administration", "application_create", "application_list", "budget_create", "budget_list",
    "call_create", "call_list", "coverage", "document_batch_create", "export", "open_calls",
    "payment_queue", "review_queue", "rule_create", "rule_list",
}  # fmt: skip


@pytest.fixture
def world_a(personas):
    """Every kind of funding record, all belonging to municipality A."""
    rule = FundingRuleFactory()
    application = ApplicationFactory(
        municipality=personas.municipality_a, call__programme=rule.programme
    )
    planned_year(application, 2027)
    planned_year(application, 2028)
    decision = grant_decision(application, personas.approver)
    attachment = Attachment.objects.create(
        application=application,
        kind=AttachmentKind.COUNCIL_RESOLUTION,
        file=ContentFile(b"%PDF-1.4 test", name="beschluss.pdf"),
        original_name="beschluss.pdf",
        content_type="application/pdf",
        size=13,
        uploaded_by=personas.coordinator_a,
    )
    Comment.objects.create(
        application=application,
        author=personas.reviewer,
        visibility=CommentVisibility.MUNICIPALITY,
        text="Bitte den Ratsbeschluss nachreichen.",
    )
    request = PaymentRequest.objects.create(
        application=application,
        year=2027,
        amount=Decimal("1000.00"),
        needed_on=date(2027, 3, 1),
        purpose="Personal",
        status=PaymentStatus.PAID,
        requested_by=personas.coordinator_a,
    )
    Payment.objects.create(
        request=request, amount=request.amount, paid_on=date(2027, 3, 1), booking_reference="KKZ-1"
    )
    forwarding = Forwarding.objects.create(
        application=application,
        year=2027,
        recipient_name="Träger e. V.",
        recipient_address="Hauptstraße 1, 32756 Detmold",
        amount=Decimal("500.00"),
        contract_date=date(2027, 1, 2),
        created_by=personas.coordinator_a,
    )
    proof = ProofOfUse.objects.create(application=application, year=2027, due_on=date(2028, 6, 30))
    batch = DocumentBatch.objects.create(requested_by=personas.approver, title="Stapel")
    document = FundingDocument.objects.create(
        kind=DocumentKind.BESCHEID,
        decision=decision,
        municipality=personas.municipality_a,
        requested_by=personas.approver,
        batch=batch,
    )
    report = FundingDocument.objects.create(
        kind=DocumentKind.STATUS_REPORT,
        municipality=personas.municipality_a,
        requested_by=personas.coordinator_a,
        finished_at=timezone.now(),
    )
    return {
        "application": application,
        "decision": decision,
        "attachment": attachment,
        "request": request,
        "forwarding": forwarding,
        "proof": proof,
        "batch": batch,
        "document": document,
        "report": report,
        "rule": rule,
        "call": application.call,
    }


def _kwargs(name: str, world, municipality) -> dict:
    """The URL arguments that point at A's object for a funding page."""
    app = world["application"].pk
    by_name = {
        "attachment_download": {"pk": app, "attachment_pk": world["attachment"].pk},
        "attachment_delete": {"pk": app, "attachment_pk": world["attachment"].pk},
        "application_plan": {"pk": app, "year": 2027},
        "application_plan_preview": {"pk": app, "year": 2027},
        "proof_open": {"pk": app, "year": 2028},
        "forwarding_create": {"pk": app},
        "review_request_changes": {"pk": app},
        "decision_pdf": {"pk": world["decision"].pk},
        "decision_waiver": {"pk": world["decision"].pk},
        "document_download": {"pk": world["document"].pk},
        "document_status": {"pk": world["document"].pk},
        "forwarding_delete": {"pk": world["forwarding"].pk},
        "municipality_coverage": {"slug": municipality.slug},
        "status_report": {"slug": municipality.slug},
        "status_report_row": {"slug": municipality.slug, "pk": world["report"].pk},
        "status_report_download": {"slug": municipality.slug, "pk": world["report"].pk},
    }
    if name in by_name:
        return by_name[name]
    prefixes = {
        "application_": app,
        "payment_": world["request"].pk,
        "proof_": world["proof"].pk,
        "document_batch_": world["batch"].pk,
        "rule_": world["rule"].pk,
        "call_": world["call"].pk,
        "budget_": None,
    }
    for prefix, pk in prefixes.items():
        if name.startswith(prefix):
            return {"pk": pk}
    raise AssertionError(f"funding:{name} names an object; add it to _kwargs or UNNAMED")


def funding_url_names() -> list[str]:
    names = []
    for entry in get_resolver().url_patterns:
        if isinstance(entry, URLResolver) and entry.namespace == "funding":
            stack = list(entry.url_patterns)
            while stack:
                pattern = stack.pop()
                if isinstance(pattern, URLResolver):
                    stack.extend(pattern.url_patterns)
                elif isinstance(pattern, URLPattern) and pattern.name:
                    names.append(pattern.name)
    return sorted(set(names))


def test_every_funding_page_of_a_is_404_for_the_coordinator_of_b(client, personas, world_a):
    client.force_login(personas.coordinator_b)
    checked = 0
    for name in funding_url_names():
        if name in UNNAMED:
            continue
        kwargs = _kwargs(name, world_a, personas.municipality_a)
        if None in kwargs.values():
            continue  # budgets are programme-wide, not a municipality's: no object of A
        url = reverse(f"funding:{name}", kwargs=kwargs)
        assert client.get(url).status_code in (404, 405), f"GET {url}"
        # 405: a page refuses a method it has no use for before it looks at the object.
        assert client.post(url, {}).status_code in (404, 405), f"POST {url}"
        checked += 1
    assert checked >= 35


def _api_urls(world) -> list[str]:
    base = "/api/v1/funding"
    return [
        f"{base}/applications/{world['application'].pk}/",
        f"{base}/decisions/{world['decision'].pk}/",
        f"{base}/documents/{world['document'].pk}/",
        f"{base}/payment-requests/{world['request'].pk}/",
        f"{base}/payments/{world['request'].payment.pk}/",
        f"{base}/forwardings/{world['forwarding'].pk}/",
        f"{base}/proofs/{world['proof'].pk}/",
        f"{base}/reviews/{world['application'].pk}/",
    ]


def test_every_funding_endpoint_hides_a_from_the_coordinator_of_b(client, personas, world_a):
    key = make_api_token(personas.coordinator_b, read_only=False)
    headers = {"HTTP_AUTHORIZATION": f"Token {key}"}
    for url in _api_urls(world_a):
        assert client.get(url, **headers).status_code == 404, f"GET {url}"
        response = client.patch(url, {}, content_type="application/json", **headers)
        assert response.status_code in (404, 405), f"PATCH {url}"
    lists = [
        "applications", "decisions", "documents", "payment-requests", "payments",
        "forwardings", "proofs", "comments",
    ]  # fmt: skip
    application = world_a["application"]
    for name in lists:
        url = f"/api/v1/funding/{name}/?application={application.pk}"
        response = client.get(url, **headers)
        assert response.status_code in (200, 404), url
        if response.status_code == 200:
            assert response.json()["results"] == [], url
    coverage = client.get(
        f"/api/v1/funding/coverage/?municipality={personas.municipality_a.ags}", **headers
    )
    assert coverage.status_code == 404
