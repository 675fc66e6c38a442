"""Pages of the programme administration, the coverage views and the status report: who
reaches what (404 otherwise), what the pages say, constant queries."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from funding.models import Budget, BudgetStatus, DocumentStatus, FundingDocument
from tests.factories_funding import (
    ApplicationFactory,
    BudgetFactory,
    CallFactory,
    FundingRuleFactory,
)
from tests.funding.test_administration_services import promise

pytestmark = pytest.mark.django_db

STATE_READERS = ("reviewer", "approver", "state_admin")
NOBODY = ("coordinator_a", "viewer_a", "companion_a", "researcher", "outsider")


@pytest.fixture
def world(personas):
    rule = FundingRuleFactory()
    call = CallFactory()
    budget = BudgetFactory(fiscal_year=2027)
    return {"rule": rule.pk, "call": call.pk, "budget": budget.pk}


def admin_pages(world):
    return [
        reverse("funding:administration"),
        reverse("funding:rule_list"),
        reverse("funding:call_list"),
        reverse("funding:budget_list"),
        reverse("funding:coverage"),
        reverse("funding:export"),
    ]


def write_pages(world):
    return [
        reverse("funding:rule_create"),
        reverse("funding:rule_edit", args=[world["rule"]]),
        reverse("funding:call_create"),
        reverse("funding:call_edit", args=[world["call"]]),
        reverse("funding:call_delete", args=[world["call"]]),
        reverse("funding:budget_create"),
        reverse("funding:budget_edit", args=[world["budget"]]),
        reverse("funding:budget_delete", args=[world["budget"]]),
    ]


def test_state_office_reads_the_administration_pages(client, personas, world):
    for name in STATE_READERS:
        client.force_login(getattr(personas, name))
        for url in admin_pages(world):
            assert client.get(url).status_code == 200, (name, url)


def test_municipal_users_and_outsiders_get_404_everywhere(client, personas, world):
    for name in NOBODY:
        client.force_login(getattr(personas, name))
        for url in admin_pages(world) + write_pages(world):
            assert client.get(url).status_code == 404, (name, url)


def test_reviewer_and_approver_cannot_write(client, personas, world):
    for name in ("reviewer", "approver"):
        client.force_login(getattr(personas, name))
        for url in write_pages(world):
            assert client.get(url).status_code == 404, (name, url)
        response = client.post(
            reverse("funding:budget_edit", args=[world["budget"]]),
            {"status": "planned", "amount": "1"},
        )
        assert response.status_code == 404
    assert Budget.objects.get(pk=world["budget"]).amount == Decimal("1000000.00")


def test_state_admin_reaches_every_write_page(client, personas, world):
    client.force_login(personas.state_admin)
    for url in write_pages(world):
        assert client.get(url).status_code == 200, url


def test_reader_sees_no_edit_links(client, personas, world):
    client.force_login(personas.reviewer)
    page = client.get(reverse("funding:budget_list")).content.decode()
    assert reverse("funding:budget_edit", args=[world["budget"]]) not in page
    client.force_login(personas.state_admin)
    page = client.get(reverse("funding:budget_list")).content.decode()
    assert reverse("funding:budget_edit", args=[world["budget"]]) in page


def test_budget_cut_below_commitments_is_refused_on_the_page(client, personas, world):
    promise(ApplicationFactory(), {2027: Decimal("29958.00")})
    client.force_login(personas.state_admin)
    response = client.post(
        reverse("funding:budget_edit", args=[world["budget"]]),
        {"status": "appropriated", "amount": "20000,00", "reference": "Kap. 07 050"},
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "9.958,00\u00a0€" in page
    assert 'value="20000,00"' in page or 'value="20000.00"' in page  # what was typed stays
    assert Budget.objects.get(pk=world["budget"]).amount == Decimal("1000000.00")


def test_budget_created_and_filtered(client, personas, world):
    client.force_login(personas.state_admin)
    response = client.post(
        reverse("funding:budget_create"),
        {
            "programme": Budget.objects.get().programme_id,
            "fiscal_year": "2028",
            "source": "esf",
            "status": "planned",
            "amount": "250000",
            "reference": "",
        },
    )
    assert response.status_code == 302
    page = client.get(reverse("funding:budget_list"), {"herkunft": "esf"}).content.decode()
    assert "250.000,00" in page
    assert "1.000.000,00" not in page


def test_rule_form_keeps_input_and_names_the_missing_rate(client, personas, world):
    client.force_login(personas.state_admin)
    response = client.post(
        reverse("funding:rule_edit", args=[world["rule"]]),
        {
            "valid_from_year": "2017",
            "financing_type": "anteil",
            "rate": "",
            "yearly_cap": "30000",
            "eligible_categories": ["personnel"],
            "min_own_share_rate": "0",
            "payment_window_months": "2",
            "proof_deadline_months": "6",
            "purpose": "Koordination – mein Text",
            "conditions": "ANBest-G",
        },
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "Fördersatz" in page
    assert "Koordination – mein Text" in page
    assert 'aria-invalid="true"' in page


def test_coverage_shows_an_unsecured_promised_year_as_not_financed(client, personas, world):
    application = ApplicationFactory(municipality=personas.municipality_a)
    promise(application, {2027: Decimal("29958.00"), 2028: Decimal("29958.00")})
    # 2028 has no secured budget at all; 2027's is turned back to planned behind the service's
    # back, as if the budget law had failed.
    BudgetFactory(fiscal_year=2028, status=BudgetStatus.PLANNED)
    Budget.objects.filter(fiscal_year=2027).update(status=BudgetStatus.PLANNED)
    client.force_login(personas.reviewer)
    page = client.get(reverse("funding:coverage")).content.decode()
    assert "NICHT finanziert" in page
    assert "nicht gedeckt" in page
    assert "Kommune A" in page
    Budget.objects.filter(fiscal_year=2027).update(status=BudgetStatus.APPROPRIATED)
    client.force_login(personas.coordinator_a)
    page = client.get(
        reverse("funding:municipality_coverage", args=[personas.municipality_a.slug])
    ).content.decode()
    rows = [row for row in page.split("<tr") if "KeKiz-2027-0001" in row]
    assert len(rows) == 2
    assert ">finanziert<" in rows[0]
    assert "NICHT finanziert" in rows[1]


def test_municipality_coverage_and_report_are_for_members_and_state_office(client, personas, world):
    slug = personas.municipality_a.slug
    urls = [
        reverse("funding:municipality_coverage", args=[slug]),
        reverse("funding:status_report", args=[slug]),
    ]
    for name in ("coordinator_a", "viewer_a", "companion_a", "reviewer", "state_admin"):
        client.force_login(getattr(personas, name))
        for url in urls:
            assert client.get(url).status_code == 200, (name, url)
    for name in ("coordinator_b", "researcher", "outsider"):
        client.force_login(getattr(personas, name))
        for url in urls:
            assert client.get(url).status_code == 404, (name, url)
        assert client.post(urls[1]).status_code == 404
    assert not FundingDocument.objects.exists()


def test_status_report_is_requested_rendered_and_downloaded(
    client, personas, world, django_capture_on_commit_callbacks
):
    application = ApplicationFactory(municipality=personas.municipality_a)
    promise(application, {2027: Decimal("29958.00")})
    slug = personas.municipality_a.slug
    client.force_login(personas.viewer_a)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("funding:status_report", args=[slug]))
    assert response.status_code == 302
    document = FundingDocument.objects.get()
    assert document.status == DocumentStatus.DONE, document.error
    row = client.get(reverse("funding:status_report_row", args=[slug, document.pk]))
    assert "PDF herunterladen" in row.content.decode()
    download = client.get(reverse("funding:status_report_download", args=[slug, document.pk]))
    assert download.status_code == 200
    assert b"".join(download.streaming_content).startswith(b"%PDF")
    client.force_login(personas.coordinator_b)
    url = reverse("funding:status_report_download", args=[slug, document.pk])
    assert client.get(url).status_code == 404


def test_open_calls_are_public_and_only_the_open_ones(client, world):
    today = timezone.localdate()
    CallFactory(title="Offener Aufruf", opens_on=today - timedelta(days=3), closes_on=today)
    CallFactory(
        title="Künftiger Aufruf",
        opens_on=today + timedelta(days=1),
        closes_on=today + timedelta(days=30),
    )
    page = client.get(reverse("funding:open_calls")).content.decode()
    assert "Offener Aufruf" in page
    assert "Künftiger Aufruf" not in page


def test_lists_and_coverage_run_constant_queries(
    client, personas, world, django_assert_max_num_queries
):
    for year in range(2020, 2032):
        BudgetFactory(fiscal_year=year + 20)
    for number in range(12):
        promise(
            ApplicationFactory(),
            {2027: Decimal("1000.00"), 2028: Decimal("1000.00")},
            reference=f"KeKiz-2027-{number:04d}",
        )
        CallFactory()
    client.force_login(personas.state_admin)
    for url in (
        reverse("funding:coverage"),
        reverse("funding:budget_list"),
        reverse("funding:call_list"),
        reverse("funding:rule_list"),
    ):
        with django_assert_max_num_queries(12):
            assert client.get(url).status_code == 200


def test_django_admin_shows_funding_records_read_only(client, personas, world):
    client.force_login(personas.state_admin)
    for name in ("budget", "call", "fundingrule", "budgetevent", "application", "decision"):
        response = client.get(reverse(f"admin:funding_{name}_changelist"))
        assert response.status_code == 200, name
    budget = reverse("admin:funding_budget_change", args=[world["budget"]])
    page = client.get(budget).content.decode()
    assert 'name="amount"' not in page  # shown, not editable
    assert client.get(reverse("admin:funding_budget_add")).status_code == 403
