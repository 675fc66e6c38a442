"""Finding one's way around funding: every page of an application carries its heading and the
sections, all of them under /foerderung/antraege/<pk>/…, and the entry pages of the state office
and the municipality link what each of them works with."""

from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from funding.models import AttachmentKind
from funding.services import applications as services
from tests.factories_funding import CallFactory, FundingRuleFactory

pytestmark = pytest.mark.django_db

SECTIONS_NAV = 'aria-label="Bereiche des Antrags"'


@pytest.fixture
def application(personas):
    today = timezone.localdate()
    call = CallFactory(opens_on=today - timedelta(days=5), closes_on=today + timedelta(days=5))
    FundingRuleFactory(programme=call.programme)
    application = services.create_application(
        call=call, municipality=personas.municipality_a, actor=personas.coordinator_a
    )
    services.add_attachment(
        application=application,
        kind=AttachmentKind.COUNCIL_RESOLUTION,
        uploaded_file=SimpleUploadedFile("beschluss.pdf", b"%PDF-1.7\n1 0 obj\n<<>>\nendobj\n"),
        actor=personas.coordinator_a,
    )
    return application


def test_review_comments_and_history_live_under_the_application():
    assert reverse("funding:application_review", args=[7]) == "/foerderung/antraege/7/pruefung/"
    assert (
        reverse("funding:review_request_changes", args=[7])
        == "/foerderung/antraege/7/pruefung/nachbesserung/"
    )
    assert reverse("funding:application_comments", args=[7]) == "/foerderung/antraege/7/kommentare/"
    assert reverse("funding:application_history", args=[7]) == "/foerderung/antraege/7/verlauf/"


APPLICATION_PAGES = [
    ("funding:application_detail", ()),
    ("funding:application_plan", (2027,)),
    ("funding:application_attachments", ()),
    ("funding:application_submit", ()),
    ("funding:application_withdraw", ()),
    ("funding:application_comments", ()),
    ("funding:application_decisions", ()),
    ("funding:application_payments", ()),
    ("funding:application_proofs", ()),
    ("funding:application_history", ()),
]


@pytest.mark.parametrize(("name", "extra"), APPLICATION_PAGES)
def test_every_application_page_shows_heading_and_sections(
    client, personas, application, name, extra
):
    client.force_login(personas.coordinator_a)
    url = reverse(name, args=[application.pk, *extra])
    response = client.get(url)
    assert response.status_code == 200
    html = response.content.decode()
    assert SECTIONS_NAV in html
    assert f"Antrag {application.number}" in html
    comments = reverse("funding:application_comments", args=[application.pk])
    assert f'href="{comments}"' in html
    # The municipality does not see the state office's review.
    assert reverse("funding:application_review", args=[application.pk]) not in html


def test_state_office_sections_put_comments_after_the_review(client, personas, application):
    client.force_login(personas.reviewer)
    response = client.get(reverse("funding:application_review", args=[application.pk]))
    assert response.status_code == 200
    labels = [section.label for section in response.context["sections"]]
    assert labels[:3] == ["Antrag", "Prüfung", "Kommentare"]
    assert SECTIONS_NAV in response.content.decode()


STATE_OFFICE_LINKS = (
    "funding:payment_queue",
    "funding:document_batch_create",
    "funding:coverage",
    "funding:export",
)


@pytest.mark.parametrize(
    ("page", "also"),
    [
        ("funding:review_queue", "funding:administration"),
        ("funding:administration", "funding:review_queue"),
    ],
)
def test_state_office_reaches_its_work_from_its_entry_pages(client, personas, page, also):
    client.force_login(personas.reviewer)
    html = client.get(reverse(page)).content.decode()
    for name in (*STATE_OFFICE_LINKS, also):
        assert f'href="{reverse(name)}"' in html, name
        # Every linked page opens for the state office.
        assert client.get(reverse(name)).status_code == 200, name


def test_municipality_reaches_its_coverage_and_report_from_the_list(
    client, personas, django_assert_max_num_queries
):
    client.force_login(personas.viewer_a)
    with django_assert_max_num_queries(12):
        html = client.get(reverse("funding:application_list")).content.decode()
    own = personas.municipality_a.slug
    for name in ("funding:municipality_coverage", "funding:status_report"):
        url = reverse(name, args=[own])
        assert f'href="{url}"' in html
        assert client.get(url).status_code == 200
        assert reverse(name, args=[personas.municipality_b.slug]) not in html


def test_state_office_list_links_no_municipality(client, personas):
    client.force_login(personas.reviewer)
    html = client.get(reverse("funding:application_list")).content.decode()
    assert "/deckung/" not in html
