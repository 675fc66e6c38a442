"""The shared PDF building block: renders A4 PDFs and fetches nothing but own static files."""

import io

import pytest
from django.template import engines
from pypdf import PdfReader

from accounts import pdf
from accounts.pdf import PDF_ORIGIN, StaticFilesOnlyFetcher, render_pdf


def pdf_text(data: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


def test_render_pdf_makes_an_a4_pdf_with_the_text(monkeypatch):
    template = engines["django"].from_string(
        '{% extends "pdf/base.html" %}{% block title %}Probe{% endblock %}'
        '{% block content %}<h1 class="document-title">{{ heading }}</h1>{% endblock %}'
    )
    monkeypatch.setattr(pdf, "render_to_string", lambda name, context: template.render(context))
    data = render_pdf("ignored.html", {"heading": "Sozialraumprofil Nordstadt"})
    assert data.startswith(b"%PDF-")
    reader = PdfReader(io.BytesIO(data))
    width, height = reader.pages[0].mediabox.width, reader.pages[0].mediabox.height
    # A4 is 595 × 842 points.
    assert (round(float(width)), round(float(height))) == (595, 842)
    assert "Sozialraumprofil Nordstadt" in pdf_text(data)
    assert "Seite 1 von 1" in pdf_text(data)


def test_fetcher_serves_the_print_stylesheet():
    response = StaticFilesOnlyFetcher()(f"{PDF_ORIGIN}/static/css/print.css")
    assert response.content_type == "text/css"
    assert b"@page" in response.read()


def test_fetcher_serves_the_kern_fonts():
    url = f"{PDF_ORIGIN}/static/vendor/kern/fonts/fira-sans/FiraSans-Regular.woff2"
    assert len(StaticFilesOnlyFetcher()(url).read()) > 1000


@pytest.mark.parametrize(
    "url",
    [
        "http://example.org/",
        "https://example.org/static/css/print.css",
        "file:///etc/passwd",
        f"{PDF_ORIGIN}/media/monitoring/reports/2024/bericht.pdf",
        f"{PDF_ORIGIN}/static/../kekiz_portal/settings.py",
        f"{PDF_ORIGIN}/static/%2e%2e/kekiz_portal/settings.py",
        f"{PDF_ORIGIN}/static/css/missing.css",
        "data:text/plain,hallo",
    ],
)
def test_fetcher_refuses_everything_else(url):
    with pytest.raises(ValueError, match=r"(?i)statische Datei"):
        StaticFilesOnlyFetcher()(url)


def test_a_link_to_another_host_is_not_fetched_while_rendering(monkeypatch):
    fetched = []
    original = StaticFilesOnlyFetcher.fetch

    def spy(self, url, headers=None):
        fetched.append(url)
        return original(self, url, headers)

    monkeypatch.setattr(StaticFilesOnlyFetcher, "fetch", spy)
    template = engines["django"].from_string(
        '{% extends "pdf/base.html" %}{% block content %}'
        '<img src="http://example.org/tracker.png" alt="">'
        '<img src="file:///etc/passwd" alt="">'
        "<p>Inhalt</p>{% endblock %}"
    )
    monkeypatch.setattr(pdf, "render_to_string", lambda name, context: template.render(context))
    data = render_pdf("ignored.html", {})
    assert "Inhalt" in pdf_text(data)
    # Both were asked for and refused by our fetcher; the stylesheet was served.
    assert "http://example.org/tracker.png" in fetched
    assert "file:///etc/passwd" in fetched
    assert f"{PDF_ORIGIN}/static/css/print.css" in fetched
