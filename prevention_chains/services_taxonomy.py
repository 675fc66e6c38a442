"""Maintenance of the programme-wide taxonomies (issue 5 §2) by the programme administration.

Slugs are stable identifiers (API clients and imports use them): set once, never changed. A
term that anything refers to is deactivated, never deleted – forms then stop offering it, while
what already uses it keeps it. Only a term nothing refers to can be deleted.
"""

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.core.validators import validate_slug
from django.db import transaction
from django.db.models import Max, Model, Q, QuerySet
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from prevention_chains.errors import ChainError
from prevention_chains.models import ActorType, FieldOfAction, LifePhase, TargetGroup
from prevention_chains.permissions import can_maintain_taxonomies

TERM_FIELDS = ("name", "description", "position", "is_active")
LIFE_PHASE_FIELDS = ("age_from", "age_to", "is_transition")


@dataclass(frozen=True)
class Taxonomy:
    kind: str  # the path segment of its pages
    model: type
    title: str

    @property
    def fields(self) -> tuple[str, ...]:
        return TERM_FIELDS + (LIFE_PHASE_FIELDS if self.model is LifePhase else ())


TAXONOMIES = {
    taxonomy.kind: taxonomy
    for taxonomy in (
        Taxonomy("lebensphasen", LifePhase, gettext_lazy("Lebensphasen")),
        Taxonomy("handlungsfelder", FieldOfAction, gettext_lazy("Handlungsfelder")),
        Taxonomy("zielgruppen", TargetGroup, gettext_lazy("Zielgruppen")),
        Taxonomy("akteurstypen", ActorType, gettext_lazy("Akteurstypen")),
    )
}


def taxonomy_of(model) -> Taxonomy:
    return next(taxonomy for taxonomy in TAXONOMIES.values() if taxonomy.model is model)


def active_terms(model) -> QuerySet:
    """The terms a form may offer for new choices, in their maintained order."""
    return model.objects.filter(is_active=True).order_by("position", "name")


def offered_terms(model, current=()) -> QuerySet:
    """Active terms plus those an existing record already uses (kept when it is edited)."""
    current_ids = [term.pk for term in current]
    return model.objects.filter(Q(is_active=True) | Q(pk__in=current_ids)).order_by(
        "position", "name"
    )


def _require_maintainer(actor) -> None:
    if not can_maintain_taxonomies(actor):
        raise ChainError(_("Die Begriffslisten pflegt nur die Programmverwaltung."))


def _check(term, *, new_slug: bool) -> None:
    errors = {}
    model = type(term)
    if new_slug:
        try:
            validate_slug(term.slug)
        except ValidationError:  # its own message does not say what to type
            errors["slug"] = _(
                "Die Kennung darf nur Kleinbuchstaben, Ziffern und Bindestriche enthalten, "
                "z. B. „fruehe-hilfen“."
            )
        else:
            if model.objects.filter(slug=term.slug).exists():
                errors["slug"] = _(
                    "Die Kennung „%(slug)s“ ist schon vergeben. Bitte wählen Sie eine andere."
                ) % {"slug": term.slug}
    if not term.name.strip():
        errors["name"] = _("Bitte geben Sie eine Bezeichnung an.")
    elif model.objects.filter(name__iexact=term.name.strip()).exclude(pk=term.pk).exists():
        errors["name"] = _(
            "Die Bezeichnung „%(name)s“ gibt es in dieser Liste schon. Bitte wählen Sie eine "
            "andere oder bearbeiten Sie den vorhandenen Begriff."
        ) % {"name": term.name.strip()}
    if model is LifePhase and term.age_to is not None and term.age_to <= term.age_from:
        errors["age_to"] = _(
            "„Alter bis unter“ muss größer sein als „Alter von“ (z. B. von 3 bis unter 6)."
        )
    if errors:
        raise ChainError(errors)


@transaction.atomic
def create_term(*, model, actor, slug: str, name: str, **values) -> Model:
    """A new term; without a position it goes to the end of its list."""
    _require_maintainer(actor)
    fields = taxonomy_of(model).fields
    term = model(slug=slug.strip(), name=name, **{k: v for k, v in values.items() if k in fields})
    if values.get("position") is None:
        last = model.objects.aggregate(last=Max("position"))["last"]
        term.position = (last or 0) + 1
    _check(term, new_slug=True)
    term.name = term.name.strip()
    term.save()
    return term


@transaction.atomic
def update_term(*, term, actor, **values) -> Model:
    """Rename, describe, reorder, (de)activate; the slug stays."""
    _require_maintainer(actor)
    model = type(term)
    term = model.objects.select_for_update().get(pk=term.pk)
    for name in taxonomy_of(model).fields:
        if name in values and values[name] is not None:
            setattr(term, name, values[name])
    _check(term, new_slug=False)
    term.name = term.name.strip()
    term.save()
    return term


@transaction.atomic
def move_term(*, term, actor, up: bool) -> None:
    """Swap a term with its neighbour in the list (positions are renumbered 1..n first, so
    equal or missing positions from older data do not block the move)."""
    _require_maintainer(actor)
    model = type(term)
    terms = list(model.objects.select_for_update().order_by("position", "name", "pk"))
    index = next(i for i, other in enumerate(terms) if other.pk == term.pk)
    neighbour = index - 1 if up else index + 1
    if 0 <= neighbour < len(terms):
        terms[index], terms[neighbour] = terms[neighbour], terms[index]
    for position, other in enumerate(terms, 1):
        other.position = position
    model.objects.bulk_update(terms, ["position"])


def term_usages(term) -> list[tuple[str, int]]:
    """What refers to the term: (what, how many) for every kind of record that does."""
    usages = []
    for relation in type(term)._meta.get_fields(include_hidden=True):
        if not (relation.auto_created and relation.is_relation and not relation.concrete):
            continue
        related = relation.related_model
        if related._meta.auto_created:  # a many-to-many table; its owner counts instead
            continue
        count = related._default_manager.filter(**{relation.field.name: term}).count()
        if count:
            usages.append((capfirst(str(related._meta.verbose_name_plural)), count))
    return usages


@transaction.atomic
def delete_term(*, term, actor) -> None:
    """Delete a term nothing refers to; a term in use is refused (deactivate it instead)."""
    _require_maintainer(actor)
    term = type(term).objects.select_for_update().get(pk=term.pk)
    usages = term_usages(term)
    if usages:
        used_by = ", ".join(f"{what}: {count}" for what, count in usages)
        raise ChainError(
            _(
                "„%(name)s“ wird noch verwendet (%(used_by)s) und kann nicht gelöscht werden. "
                "Deaktivieren Sie den Begriff stattdessen: dann wird er nicht mehr angeboten, "
                "bleibt aber dort erhalten, wo er schon steht."
            )
            % {"name": term.name, "used_by": used_by}
        )
    term.delete()
