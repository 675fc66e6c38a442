"""The chain PDF's content: build_context and the template rendered with render_pdf."""

import pytest
from django.template.loader import render_to_string

from accounts.pdf import render_pdf
from prevention_chains import chain_pdf
from prevention_chains.models import ChainDocument, DocumentKind
from tests.prevention_chains.chain_world import build, offering
from tests.prevention_chains.test_duplicates_detection import CAFE_A, CAFE_B

pytestmark = pytest.mark.django_db


@pytest.fixture
def document(personas):
    world = build(personas.municipality_a)
    phase = {"phases": [world.early], "fields": [world.family]}
    offering(world, "Elterncafé im Familienzentrum Nord", description=CAFE_A, **phase)
    offering(world, "Eltern-Café Familienzentrum Nord", description=CAFE_B, **phase)
    for n in range(chain_pdf.TITLES_PER_CELL + 2):
        offering(world, f"Kita-Sprachförderung {n:02d}", phases=[world.kita], fields=[world.family])
    return ChainDocument.objects.create(
        municipality=world.municipality,
        kind=DocumentKind.CHAIN,
        requested_by=personas.coordinator_a,
    ), world


def test_context_holds_titles_gaps_and_duplicates(document):
    chain_document, world = document
    steps = []
    context = chain_pdf.build_context(chain_document, steps.append)
    assert steps == sorted(steps)
    assert steps[-1] <= 80
    matrix = context["matrix"]
    early = next(c for c in matrix.cells if c.phase == world.early and c.field == world.family)
    assert early.titles == [
        "Eltern-Café Familienzentrum Nord",
        "Elterncafé im Familienzentrum Nord",
    ]
    kita = next(c for c in matrix.cells if c.phase == world.kita and c.field == world.family)
    assert len(kita.titles) == chain_pdf.TITLES_PER_CELL
    assert kita.more_titles == 2
    # the café twins; the 14 Kita offerings share title and text, so they are twins as well
    titles = {(p.first.title, p.second.title) for p in context["pairs"]}
    assert ("Elterncafé im Familienzentrum Nord", "Eltern-Café Familienzentrum Nord") in titles
    assert len(titles) == 1 + 14 * 13 // 2


def test_template_renders_the_report(document):
    chain_document, _world = document
    context = chain_pdf.build_context(chain_document, lambda percent: None)
    html = render_to_string("prevention_chains/pdf/chain.html", context)
    assert "Präventionskette Kommune A" in html
    assert "Elterncafé im Familienzentrum Nord" in html
    assert "und 2 weitere" in html
    assert "keine Angebote" in html  # the reason of the gaps
    assert "gleiche Lebensphase „0–3 Frühe Hilfen“" in html
    pdf = render_pdf("prevention_chains/pdf/chain.html", context)
    assert pdf.startswith(b"%PDF")
