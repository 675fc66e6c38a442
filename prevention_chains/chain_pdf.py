"""Content of the prevention-chain PDF (issue 5 §8): the municipality's chain as a report –
life phases as columns, the titles of the current offerings per field of action in the cells,
gaps and thin cells with their reason, and the possible duplicates.

The same numbers as the chain hub without filters (prevention_chains.chain, .duplicates); the
document machinery (prevention_chains.documents) renders prevention_chains/pdf/chain.html."""

from django.utils import timezone

from prevention_chains import chain
from prevention_chains.duplicates import SIMILARITY_THRESHOLD, find_duplicates

# A cell lists this many titles, then says how many more there are (a cell of a large chain
# can hold hundreds; the offerings list is the place to read them all).
TITLES_PER_CELL = 12


def cell_titles(municipality) -> dict[tuple[int, int], list[str]]:
    """{(phase id, field id): titles of the current offerings, alphabetical} in one query."""
    titles: dict[tuple[int, int], list[str]] = {}
    rows = (
        chain.current_offerings(municipality)
        .filter(life_phases__isnull=False, fields_of_action__isnull=False)
        .order_by("title", "pk")
        .values_list("life_phases", "fields_of_action", "title")
    )
    for phase_id, field_id, title in rows:
        titles.setdefault((phase_id, field_id), []).append(title)
    return titles


def build_context(document, progress) -> dict:
    municipality = document.municipality
    areas = chain.current_areas(municipality)
    phases, fields = chain.taxonomy()
    matrix = chain.build_matrix(municipality, areas=areas, phases=phases, fields=fields)
    progress(20)
    titles = cell_titles(municipality)
    for cell in matrix.cells:
        listed = titles.get((cell.phase.pk, cell.field.pk), [])
        cell.titles = listed[:TITLES_PER_CELL]
        cell.more_titles = len(listed) - len(cell.titles)
    progress(40)
    pairs = find_duplicates(municipality, areas=areas, phases=phases, fields=fields)
    progress(60)
    return {
        "document": document,
        "municipality": municipality,
        "matrix": matrix,
        "pairs": pairs,
        "threshold_percent": int(SIMILARITY_THRESHOLD * 100),
        "thin_floor": chain.THIN_FLOOR_PER_1000,
        "generated_at": timezone.now(),
    }
