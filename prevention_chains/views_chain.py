"""The chain view (issue 5 §5): the municipality's start page of its prevention chain with the
matrix, gaps and possible duplicates; the list of possible duplicates; need vs supply.

Readers of the chain only (members and the state office; 404 otherwise). Thin: the numbers
come from prevention_chains.chain, .duplicates and .supply, each page in a constant number of
queries.
"""

from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import render
from django.views.decorators.http import require_GET

from prevention_chains import chain as chain_matrix
from prevention_chains.duplicates import SIMILARITY_THRESHOLD, find_duplicates
from prevention_chains.forms_chain import ChainFilterForm, NeedIndexChoiceForm
from prevention_chains.models import TargetGroup
from prevention_chains.permissions import access_chain, can_write_chain
from prevention_chains.selectors_offerings import RUNNING
from prevention_chains.supply import build_supply, visible_need_indices

PAIRS_PER_PAGE = 50
PAIRS_ON_HUB = 5


def _context(request, municipality, **extra) -> dict:
    return {
        "municipality": municipality,
        "writable": can_write_chain(request.user, municipality.pk),
        "threshold_percent": int(SIMILARITY_THRESHOLD * 100),
        **extra,
    }


def _chain(request, slug):
    """The municipality (404 unless the user reads its chain), its areas and the taxonomy."""
    municipality = access_chain(request.user, slug)
    phases, fields = chain_matrix.taxonomy()
    return municipality, chain_matrix.current_areas(municipality), phases, fields


@login_required
@require_GET
def chain(request, slug):
    municipality, areas, phases, fields = _chain(request, slug)
    target_groups = list(TargetGroup.objects.filter(is_active=True))
    form = ChainFilterForm(request.GET or None, areas=areas.all, target_groups=target_groups)
    sozialraum, target_group = form.chosen()
    matrix = chain_matrix.build_matrix(
        municipality,
        areas=areas,
        sozialraum=sozialraum,
        target_group=target_group,
        phases=phases,
        fields=fields,
    )
    pairs = find_duplicates(municipality, areas=areas, phases=phases, fields=fields)
    # The offerings list takes the same filters; each count links to its cell there, narrowed
    # to the running offerings the matrix counts, so that the list shows as many as the cell.
    chosen = {"status": RUNNING}
    if sozialraum is not None:
        chosen["sozialraum"] = sozialraum.pk
    if target_group is not None:
        chosen["zielgruppe"] = target_group.slug
    return render(
        request,
        "prevention_chains/chain/hub.html",
        _context(
            request,
            municipality,
            form=form,
            matrix=matrix,
            filter_query=f"&{urlencode(chosen)}",
            pairs=pairs[:PAIRS_ON_HUB],
            pair_count=len(pairs),
            thin_floor=chain_matrix.THIN_FLOOR_PER_1000,
        ),
    )


@login_required
@require_GET
def chain_duplicates(request, slug):
    municipality, areas, phases, fields = _chain(request, slug)
    pairs = find_duplicates(municipality, areas=areas, phases=phases, fields=fields)
    page = Paginator(pairs, PAIRS_PER_PAGE).get_page(request.GET.get("seite"))
    return render(
        request,
        "prevention_chains/chain/duplicates.html",
        _context(request, municipality, page=page, pair_count=len(pairs)),
    )


@login_required
@require_GET
def chain_supply(request, slug):
    municipality = access_chain(request.user, slug)
    indices = visible_need_indices(request.user, municipality)
    form = NeedIndexChoiceForm(request.GET or None, indices=indices)
    areas = chain_matrix.current_areas(municipality)
    supply = build_supply(municipality, areas=areas, user=request.user, need_index=form.chosen())
    return render(
        request,
        "prevention_chains/chain/supply.html",
        _context(request, municipality, form=form, supply=supply, indices=indices),
    )
