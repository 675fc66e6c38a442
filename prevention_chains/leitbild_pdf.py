"""Content of the Leitbild PDF (issue 5 §1): title, council decision, text, goals and
sub-goals, and each goal indicator with baseline, target, current value and traffic light.

The values are disclosure-controlled for readers without raw rights whoever asked (the PDF is
forwarded; see prevention_chains.documents)."""

from django.utils import timezone

from prevention_chains.selectors_leitbild import goal_tree


def build_context(document, progress) -> dict:
    leitbild = document.leitbild
    progress(10)
    goals = goal_tree(leitbild, user=document.requested_by, strict=True)
    progress(60)
    return {
        "document": document,
        "municipality": leitbild.municipality,
        "leitbild": leitbild,
        "goals": goals,
        "generated_at": timezone.now(),
    }
