"""PDF document pages: request, list, status (polled by htmx), download; who sees what."""

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse

from accounts.models import DocumentStatus
from prevention_chains.models import ChainDocument, DocumentKind
from tests.prevention_chains import leitbild_world

pytestmark = pytest.mark.django_db

# The world's fixtures, by name for pytest.
lworld = leitbild_world.lworld
mworld = leitbild_world.mworld


def done_document(personas, lworld, requester):
    document = ChainDocument.objects.create(
        municipality=personas.municipality_a,
        kind=DocumentKind.LEITBILD,
        leitbild=lworld.leitbild,
        requested_by=requester,
        status=DocumentStatus.DONE,
        progress=100,
    )
    document.file.save(f"leitbild-{document.pk}.pdf", ContentFile(b"%PDF-1.7 Probe"))
    return document


def list_url(personas):
    return reverse("prevention_chains:document_list", args=[personas.municipality_a.slug])


def request_url(personas):
    return reverse("prevention_chains:document_request", args=[personas.municipality_a.slug])


@pytest.mark.parametrize("persona", ["coordinator_a", "viewer_a", "companion_a"])
def test_members_see_list_detail_and_download(client, personas, lworld, persona):
    document = done_document(personas, lworld, personas.coordinator_a)
    client.force_login(getattr(personas, persona))
    page = client.get(list_url(personas))
    assert page.status_code == 200
    assert "Leitbild – Fassung 1" in page.content.decode()
    detail = client.get(reverse("prevention_chains:document_detail", args=[document.pk]))
    assert "PDF herunterladen" in detail.content.decode()
    download = client.get(reverse("prevention_chains:document_download", args=[document.pk]))
    assert download.status_code == 200
    assert download["Content-Type"] == "application/pdf"
    assert "leitbild-fassung-1-" in download["Content-Disposition"]
    assert b"".join(download.streaming_content).startswith(b"%PDF")


@pytest.mark.parametrize("persona", ["coordinator_b", "outsider", "researcher"])
def test_others_get_404(client, personas, lworld, persona):
    document = done_document(personas, lworld, personas.coordinator_a)
    client.force_login(getattr(personas, persona))
    assert client.get(list_url(personas)).status_code == 404
    for name in ("document_detail", "document_download"):
        assert (
            client.get(reverse(f"prevention_chains:{name}", args=[document.pk])).status_code == 404
        )
    response = client.post(
        request_url(personas), {"kind": "leitbild", "leitbild": lworld.leitbild.pk}
    )
    assert response.status_code == 404


def test_state_office_sees_only_the_state_offices_documents(client, personas, lworld):
    # A member's PDF is read with the member's rights (all years); the state office may only
    # read years the municipality released, so it does not see that file.
    members = done_document(personas, lworld, personas.coordinator_a)
    own = done_document(personas, lworld, personas.reviewer)
    client.force_login(personas.reviewer)
    page = client.get(list_url(personas))
    assert [d.pk for d in page.context["page"].object_list] == [own.pk]
    detail = reverse("prevention_chains:document_detail", args=[members.pk])
    assert client.get(detail).status_code == 404
    client.force_login(personas.viewer_a)
    assert len(client.get(list_url(personas)).context["page"].object_list) == 2


def test_anonymous_is_sent_to_login(client, personas, lworld):
    response = client.get(list_url(personas))
    assert response.status_code == 302
    assert reverse("account_login") in response["Location"]


def test_request_from_the_page_renders_and_shows_the_status(
    client,
    personas,
    lworld,
    django_capture_on_commit_callbacks,
):
    client.force_login(personas.viewer_a)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = client.post(
            request_url(personas), {"kind": "leitbild", "leitbild": lworld.leitbild.pk}
        )
    document = ChainDocument.objects.get()
    detail = reverse("prevention_chains:document_detail", args=[document.pk])
    assert response["Location"] == detail
    # While queued the status block polls itself.
    html = client.get(detail).content.decode()
    assert 'hx-trigger="every 2s"' in html
    assert "<progress" in html
    partial = client.get(detail, headers={"HX-Request": "true"}).content.decode()
    assert partial.lstrip().startswith('<div id="dokument-stand"')
    for callback in callbacks:
        callback()
    html = client.get(detail, headers={"HX-Request": "true"}).content.decode()
    assert "every 2s" not in html
    assert "PDF herunterladen" in html


def test_refused_request_shows_the_reason(client, personas, lworld):
    client.force_login(personas.viewer_a)
    response = client.post(request_url(personas), {"kind": "chain-xyz"}, follow=True)
    assert "konnte nicht angefordert werden" in response.content.decode()
    response = client.post(request_url(personas), {"kind": "leitbild"}, follow=True)
    assert "Bitte wählen Sie eine Fassung" in response.content.decode()
    assert not ChainDocument.objects.exists()


def test_download_of_an_unfinished_document_is_404(client, personas, lworld):
    document = ChainDocument.objects.create(
        municipality=personas.municipality_a,
        kind=DocumentKind.LEITBILD,
        leitbild=lworld.leitbild,
        requested_by=personas.viewer_a,
    )
    client.force_login(personas.viewer_a)
    url = reverse("prevention_chains:document_download", args=[document.pk])
    assert client.get(url).status_code == 404


def test_list_queries_do_not_grow(client, personas, lworld, django_assert_max_num_queries):
    client.force_login(personas.viewer_a)
    for _ in range(3):
        done_document(personas, lworld, personas.coordinator_a)
    client.get(list_url(personas))
    with django_assert_max_num_queries(10) as few:
        client.get(list_url(personas))
    for _ in range(15):
        done_document(personas, lworld, personas.viewer_a)
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(list_url(personas))
