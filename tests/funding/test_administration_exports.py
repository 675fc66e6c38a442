"""Exports for the state office: the rows, German CSV for Excel, XLSX with money as numbers."""

import io
from datetime import date
from decimal import Decimal

import openpyxl
import pytest
from django.urls import reverse

from funding.models import ApplicationStatus, Payment, PaymentRequest, PaymentStatus
from tests.factories_funding import ApplicationFactory, planned_year
from tests.funding.test_administration_services import promise

pytestmark = pytest.mark.django_db


@pytest.fixture
def granted(personas):
    application = ApplicationFactory(
        municipality=personas.municipality_a,
        number="A-2027-00042",
        status=ApplicationStatus.APPROVED,
    )
    planned_year(application, 2027)
    planned_year(application, 2028)
    promise(application, {2027: Decimal("29958.00"), 2028: Decimal("29958.00")})
    request = PaymentRequest.objects.create(
        application=application,
        year=2027,
        amount=Decimal("14979.00"),
        needed_on=date(2027, 2, 1),
        purpose="Personalkosten Januar bis Juni",
        status=PaymentStatus.PAID,
        requested_by=application.created_by,
    )
    Payment.objects.create(
        request=request,
        amount=Decimal("14979.00"),
        paid_on=date(2027, 1, 25),
        booking_reference="B-1",
    )
    return application


def download(client, inhalt, fmt):
    response = client.get(reverse("funding:export"), {"inhalt": inhalt, "format": fmt})
    assert response.status_code == 200, response.content[:500]
    assert response["Cache-Control"] == "private, no-store"
    return b"".join(response.streaming_content)


def test_applications_csv_is_german_excel_csv(client, personas, granted):
    client.force_login(personas.reviewer)
    body = download(client, "antraege", "csv")
    assert body.startswith("\ufeff".encode())
    lines = body.decode("utf-8-sig").splitlines()
    assert lines[0].startswith("Antragsnummer;Kommune;AGS;Regierungsbezirk;Förderaufruf;Status")
    row = lines[1].split(";")
    assert row[0] == "A-2027-00042"
    assert row[1] == "Kommune A"
    assert row[5] == "bewilligt"
    assert row[6] == "2027, 2028"
    assert row[7] == "59916,00"  # requested: 2 × 29,958
    assert row[8] == "59916,00"  # granted by the current decision


def test_decisions_csv_has_a_row_per_granted_year(client, personas, granted):
    client.force_login(personas.state_admin)
    lines = download(client, "bescheide", "csv").decode("utf-8-sig").splitlines()
    assert len(lines) == 3
    assert [line.split(";")[7] for line in lines[1:]] == ["2027", "2028"]
    assert all(";ja;" in line and ";29958,00;" in line for line in lines[1:])


def test_payments_csv_has_request_and_payout(client, personas, granted):
    client.force_login(personas.approver)
    lines = download(client, "zahlungen", "csv").decode("utf-8-sig").splitlines()
    row = lines[1].split(";")
    assert row[5] == "14979,00"
    assert row[6] == "01.02.2027"
    assert row[7] == "ausgezahlt"
    assert row[9:] == ["14979,00", "25.01.2027", "B-1"]


def test_csv_cells_cannot_start_a_formula(client, personas, granted):
    granted.call.title = "=HYPERLINK(1)"
    granted.call.save()
    client.force_login(personas.reviewer)
    body = download(client, "antraege", "csv").decode("utf-8-sig")
    assert ";'=HYPERLINK(1);" in body


def test_xlsx_opens_with_money_as_numbers(client, personas, granted):
    client.force_login(personas.reviewer)
    workbook = openpyxl.load_workbook(io.BytesIO(download(client, "bescheide", "xlsx")))
    sheet = workbook.active
    header = [cell.value for cell in sheet[1]]
    grant = sheet.cell(row=2, column=header.index("Zuwendung") + 1)
    assert grant.value == 29958
    assert grant.number_format == "#,##0.00 €"
    decided = sheet.cell(row=2, column=header.index("Datum") + 1)
    assert isinstance(decided.value, date)
    assert sheet.max_row == 3


def test_invalid_choice_is_explained(client, personas):
    client.force_login(personas.reviewer)
    response = client.get(reverse("funding:export"), {"inhalt": "alles", "format": "csv"})
    assert response.status_code == 400
    assert "kern-error" in response.content.decode()


def test_exports_are_for_the_state_office_only(client, personas, granted):
    for name in ("coordinator_a", "viewer_a", "researcher", "outsider"):
        client.force_login(getattr(personas, name))
        response = client.get(reverse("funding:export"), {"inhalt": "antraege", "format": "csv"})
        assert response.status_code == 404, name


def test_export_runs_constant_queries(client, personas, granted, django_assert_max_num_queries):
    for number in range(20):
        application = ApplicationFactory()
        planned_year(application, 2027)
        promise(application, {2027: Decimal("100.00")}, reference=f"AZ-{number}")
    client.force_login(personas.reviewer)
    for inhalt in ("antraege", "bescheide", "zahlungen"):
        with django_assert_max_num_queries(8):
            download(client, inhalt, "xlsx")
