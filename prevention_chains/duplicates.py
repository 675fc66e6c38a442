"""Possible duplicates in a municipality's chain (issue 5 §5): pairs of current offerings that
share a life phase, a field of action and the area, and whose texts are similar.

Area: the two offerings name a common Sozialraum (a Stadtbezirk counts as naming each of its
Sozialräume), or at least one of them serves the whole municipality (names none).

Similarity, computed by PostgreSQL from the German full-text configuration (stemming, stop
words; no pg_trgm needed): the mean of two Jaccard indices over lexemes (shared ÷ all)

    similarity = ½ · J(title lexemes) + ½ · J(lexemes of title and description)

The text lexemes are the stored `search_vector`; the title's are taken with hyphens removed, so
„Eltern-Café“ and „Elterncafé“ are the same word. A pair is a possible duplicate from
SIMILARITY_THRESHOLD on. One statement for the whole municipality.
"""

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.db import connection
from django.utils.translation import gettext as _

from municipalities.models import Municipality
from prevention_chains.chain import Areas, german_number
from prevention_chains.models import ACTIVE_OFFERING_STATUSES, FieldOfAction, LifePhase

SIMILARITY_THRESHOLD = Decimal("0.50")

_PAIRS = """
WITH offers AS MATERIALIZED (
    SELECT o.id, o.title, strip(o.search_vector) AS words,
           strip(to_tsvector('german', replace(o.title, '-', ''))) AS title_words,
           ARRAY(SELECT s.sozialraum_id FROM prevention_chains_offering_sozialraeume s
                  WHERE s.offering_id = o.id) AS named
      FROM prevention_chains_offering o
     WHERE o.municipality_id = %(municipality)s AND o.status = ANY(%(statuses)s)
),
areas AS MATERIALIZED (
    -- a Stadtbezirk serves each Sozialraum in it
    SELECT c.id,
           c.named || ARRAY(SELECT z.id FROM municipalities_sozialraum z
                             WHERE z.parent_id = ANY(c.named)) AS served
      FROM offers c
),
cells AS MATERIALIZED (
    -- one row per offering and cell of the matrix, with what the comparison needs
    SELECT p.offering_id AS id, p.lifephase_id AS phase, f.fieldofaction_id AS field,
           c.words, c.title_words, a.served
      FROM prevention_chains_offering_life_phases p
      JOIN prevention_chains_offering_fields_of_action f ON f.offering_id = p.offering_id
      JOIN offers c ON c.id = p.offering_id
      JOIN areas a ON a.id = p.offering_id
),
candidates AS (
    -- |A ∩ B| = |A| + |B| − |A ∪ B|, and a tsvector concatenation is the union of lexemes
    SELECT x.id AS a, y.id AS b,
           (((length(x.title_words) + length(y.title_words)
              - length(x.title_words || y.title_words))::numeric
             / NULLIF(length(x.title_words || y.title_words), 0))
            + ((length(x.words) + length(y.words) - length(x.words || y.words))::numeric
               / NULLIF(length(x.words || y.words), 0))) / 2 AS similarity
      FROM cells x
      JOIN cells y ON y.phase = x.phase AND y.field = x.field AND y.id > x.id
     WHERE cardinality(x.served) = 0 OR cardinality(y.served) = 0 OR x.served && y.served
),
rated AS MATERIALIZED (
    -- a pair sharing several cells was compared in each
    SELECT DISTINCT a, b, similarity FROM candidates
     WHERE round(similarity, 2) >= %(threshold)s
)
SELECT r.a, ca.title, r.b, cb.title,
       ARRAY(SELECT x.lifephase_id FROM prevention_chains_offering_life_phases x
              JOIN prevention_chains_offering_life_phases y
                ON y.lifephase_id = x.lifephase_id AND y.offering_id = r.b
             WHERE x.offering_id = r.a),
       ARRAY(SELECT x.fieldofaction_id FROM prevention_chains_offering_fields_of_action x
              JOIN prevention_chains_offering_fields_of_action y
                ON y.fieldofaction_id = x.fieldofaction_id AND y.offering_id = r.b
             WHERE x.offering_id = r.a),
       ARRAY(SELECT unnest(aa.served) INTERSECT SELECT unnest(ab.served)),
       cardinality(aa.served) = 0 OR cardinality(ab.served) = 0,
       round(r.similarity, 2) AS similarity
  FROM rated r
  JOIN offers ca ON ca.id = r.a
  JOIN offers cb ON cb.id = r.b
  JOIN areas aa ON aa.id = r.a
  JOIN areas ab ON ab.id = r.b
 ORDER BY similarity DESC, ca.title, r.a, r.b
"""


@dataclass(frozen=True)
class OfferingRef:
    id: int
    title: str


@dataclass(frozen=True)
class DuplicatePair:
    first: OfferingRef
    second: OfferingRef
    phases: list[LifePhase]
    fields: list[FieldOfAction]
    area_names: list[str]  # shared Sozialräume; empty with whole_municipality
    whole_municipality: bool
    similarity: Decimal  # 0..1

    @property
    def percent(self) -> int:
        return int((self.similarity * 100).quantize(Decimal(1), ROUND_HALF_UP))

    @property
    def reason(self) -> str:
        parts = [
            _("gleiche Lebensphase %(names)s") % {"names": _quoted(p.name for p in self.phases)},
            _("gleiches Handlungsfeld %(names)s") % {"names": _quoted(f.name for f in self.fields)},
        ]
        if self.area_names:
            parts.append(_("gleicher Sozialraum %(names)s") % {"names": _quoted(self.area_names)})
        if self.whole_municipality:
            parts.append(_("mindestens eines für die ganze Kommune"))
        parts.append(
            _("%(percent)s %% gleiche Begriffe") % {"percent": german_number(self.percent)}
        )
        return ", ".join(parts)


def _quoted(names) -> str:
    return ", ".join(f"„{name}“" for name in names)


def find_duplicates(
    municipality: Municipality,
    *,
    areas: Areas,
    phases: list[LifePhase],
    fields: list[FieldOfAction],
    threshold: Decimal = SIMILARITY_THRESHOLD,
) -> list[DuplicatePair]:
    """All possible duplicates, most similar first (one query; names from the loaded terms)."""
    area_by_id = {a.pk: a for a in areas.all}
    with connection.cursor() as cursor:
        cursor.execute(
            _PAIRS,
            {
                "municipality": municipality.pk,
                "statuses": list(ACTIVE_OFFERING_STATUSES),
                "threshold": threshold,
            },
        )
        rows = cursor.fetchall()
    pairs = []
    for a, title_a, b, title_b, phase_ids, field_ids, area_ids, whole, similarity in rows:
        shown_areas = [area_by_id[i] for i in sorted(set(area_ids)) if i in area_by_id]
        # A Stadtbezirk and its Sozialräume: name the Sozialräume the two offerings share.
        parents = {area.parent_id for area in shown_areas}
        pairs.append(
            DuplicatePair(
                first=OfferingRef(a, title_a),
                second=OfferingRef(b, title_b),
                phases=[p for p in phases if p.pk in set(phase_ids)],
                fields=[f for f in fields if f.pk in set(field_ids)],
                area_names=[a.name for a in shown_areas if a.pk not in parents],
                whole_municipality=whole,
                similarity=similarity,
            )
        )
    # Inactive terms are not in the matrix; a pair sharing only those is not shown either.
    return [p for p in pairs if p.phases and p.fields]
