"""Actors, networks and cooperation links of a municipality (issue 5 §3).

`actor` is, as in every service, the user who acts; the organisation an Actor record stands
for is called `organisation` here. Writers are the municipality's coordinators and the
programme administration (prevention_chains.permissions). Links are undirected and stored with
the smaller actor id first (the model's check constraint); callers may pass the two actors in
any order.
"""

from datetime import date

from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from municipalities.models import Municipality
from prevention_chains.errors import ChainError
from prevention_chains.models import (
    Actor,
    ActorType,
    CooperationLink,
    LifePhase,
    Network,
    NetworkMembership,
)
from prevention_chains.permissions import can_write_chain

ACTOR_FIELDS = (
    "name",
    "actor_type",
    "description",
    "contact_person",
    "email",
    "phone",
    "website",
    "street",
    "postcode",
    "city",
)
NETWORK_FIELDS = ("name", "kind", "description", "meeting_rhythm")
LINK_FIELDS = ("kind", "since", "note")
# How many offerings a refused deletion names before it only counts the rest.
NAMED_OFFERINGS = 5


def _require_writer(actor, municipality_id: int) -> None:
    if not can_write_chain(actor, municipality_id):
        raise ChainError(
            _("Akteure, Netzwerke und Kooperationen pflegen die Koordination der Kommune.")
        )


def _check_new_terms(current, chosen, label: str) -> None:
    """Deactivated terms stay on records that have them, but are not chosen anew."""
    current_ids = {term.pk for term in current}
    retired = [t.name for t in chosen if not t.is_active and t.pk not in current_ids]
    if retired:
        raise ChainError(
            {
                label: _(
                    "„%(names)s“ wird nicht mehr verwendet (deaktiviert). Bitte wählen Sie "
                    "einen aktiven Begriff."
                )
                % {"names": "“, „".join(retired)}
            }
        )


# --- Akteure --------------------------------------------------------------------------------


def _check_actor_name(municipality_id: int, name: str, exclude_pk=None) -> None:
    if not name.strip():
        raise ChainError({"name": _("Bitte geben Sie den Namen des Akteurs an.")})
    taken = Actor.objects.filter(municipality_id=municipality_id, name__iexact=name.strip())
    if taken.exclude(pk=exclude_pk).exists():
        raise ChainError(
            {
                "name": _(
                    "Einen Akteur „%(name)s“ gibt es in dieser Kommune schon. Bitte ergänzen Sie "
                    "den Namen (z. B. um den Standort) oder bearbeiten Sie den vorhandenen."
                )
                % {"name": name.strip()}
            }
        )


def _apply_actor(organisation: Actor, values: dict, life_phases) -> None:
    old_type = organisation.actor_type if organisation.actor_type_id else None
    for name in ACTOR_FIELDS:
        if name in values:
            setattr(organisation, name, values[name])
    organisation.name = organisation.name.strip()
    if not organisation.actor_type_id:
        raise ChainError({"actor_type": _("Bitte wählen Sie die Art des Akteurs.")})
    new_type: ActorType = organisation.actor_type
    _check_new_terms([old_type] if old_type else [], [new_type], "actor_type")
    _check_actor_name(organisation.municipality_id, organisation.name, organisation.pk)
    current = list(organisation.life_phases.all()) if organisation.pk else []
    if life_phases is not None:
        _check_new_terms(current, life_phases, "life_phases")


@transaction.atomic
def create_actor(
    *, municipality: Municipality, actor, life_phases: list[LifePhase] | None = None, **values
) -> Actor:
    _require_writer(actor, municipality.pk)
    organisation = Actor(municipality=municipality)
    _apply_actor(organisation, values, life_phases)
    organisation.save()
    organisation.life_phases.set(life_phases or [])
    return organisation


@transaction.atomic
def update_actor(
    *, organisation: Actor, actor, life_phases: list[LifePhase] | None = None, **values
) -> Actor:
    """Change an actor; life_phases=None leaves its phases as they are."""
    _require_writer(actor, organisation.municipality_id)
    organisation = Actor.objects.select_for_update().get(pk=organisation.pk)
    _apply_actor(organisation, values, life_phases)
    organisation.save()
    if life_phases is not None:
        organisation.life_phases.set(life_phases)
    return organisation


@transaction.atomic
def delete_actor(*, organisation: Actor, actor) -> None:
    """Delete an actor with its memberships and links; refused while it provides offerings
    (they would lose their provider – Offering.provider protects it)."""
    _require_writer(actor, organisation.municipality_id)
    organisation = Actor.objects.select_for_update().get(pk=organisation.pk)
    titles = list(organisation.offerings.order_by("title").values_list("title", flat=True))
    if titles:
        named = "„" + "“, „".join(titles[:NAMED_OFFERINGS]) + "“"
        more = len(titles) - NAMED_OFFERINGS
        if more > 0:
            named += " " + ngettext("und %(n)d weiteres", "und %(n)d weitere", more) % {"n": more}
        raise ChainError(
            _(
                "„%(name)s“ ist Träger von Angeboten (%(offerings)s) und kann nicht gelöscht "
                "werden. Tragen Sie bei diesen Angeboten zuerst einen anderen Träger ein."
            )
            % {"name": organisation.name, "offerings": named}
        )
    organisation.delete()  # its memberships and links go with it (CASCADE)


# --- Netzwerke und Gremien ------------------------------------------------------------------


def _check_network_name(network: Network) -> None:
    if not network.name.strip():
        raise ChainError({"name": _("Bitte geben Sie den Namen des Netzwerks an.")})
    taken = Network.objects.filter(
        municipality_id=network.municipality_id, name__iexact=network.name.strip()
    ).exclude(pk=network.pk)
    if taken.exists():
        raise ChainError(
            {
                "name": _("Ein Netzwerk oder Gremium „%(name)s“ gibt es in dieser Kommune schon.")
                % {"name": network.name.strip()}
            }
        )


@transaction.atomic
def create_network(
    *, municipality: Municipality, actor, life_phases: list[LifePhase] | None = None, **values
) -> Network:
    _require_writer(actor, municipality.pk)
    network = Network(
        municipality=municipality, **{k: values[k] for k in NETWORK_FIELDS if k in values}
    )
    network.name = network.name.strip()
    _check_network_name(network)
    _check_new_terms([], life_phases or [], "life_phases")
    network.save()
    network.life_phases.set(life_phases or [])
    return network


@transaction.atomic
def update_network(
    *, network: Network, actor, life_phases: list[LifePhase] | None = None, **values
) -> Network:
    _require_writer(actor, network.municipality_id)
    network = Network.objects.select_for_update().get(pk=network.pk)
    for name in NETWORK_FIELDS:
        if name in values:
            setattr(network, name, values[name])
    network.name = network.name.strip()
    _check_network_name(network)
    if life_phases is not None:
        _check_new_terms(network.life_phases.all(), life_phases, "life_phases")
        network.life_phases.set(life_phases)
    network.save()
    return network


@transaction.atomic
def delete_network(*, network: Network, actor) -> None:
    """Delete a network and its memberships; the actors stay."""
    _require_writer(actor, network.municipality_id)
    network.delete()


@transaction.atomic
def add_member(
    *,
    network: Network,
    organisation: Actor,
    actor,
    role: str = "",
    since: date | None = None,
) -> NetworkMembership:
    _require_writer(actor, network.municipality_id)
    if organisation.municipality_id != network.municipality_id:
        raise ChainError({"actor": _("Mitglied kann nur ein Akteur derselben Kommune werden.")})
    if NetworkMembership.objects.filter(network=network, actor=organisation).exists():
        raise ChainError(
            {
                "actor": _("„%(actor)s“ ist schon Mitglied in „%(network)s“.")
                % {"actor": organisation.name, "network": network.name}
            }
        )
    return NetworkMembership.objects.create(
        network=network, actor=organisation, role=role.strip(), since=since
    )


@transaction.atomic
def remove_member(*, membership: NetworkMembership, actor) -> None:
    _require_writer(actor, membership.network.municipality_id)
    membership.delete()


# --- Kooperationen --------------------------------------------------------------------------


@transaction.atomic
def create_link(
    *,
    first: Actor,
    second: Actor,
    actor,
    kind: str,
    since: date | None = None,
    note: str = "",
) -> CooperationLink:
    """A cooperation between two actors of one municipality (in either order)."""
    _require_writer(actor, first.municipality_id)
    if first.pk == second.pk:
        raise ChainError({"second": _("Eine Kooperation verbindet zwei verschiedene Akteure.")})
    if first.municipality_id != second.municipality_id:
        raise ChainError({"second": _("Kooperieren können nur Akteure derselben Kommune.")})
    actor_a, actor_b = sorted((first, second), key=lambda organisation: organisation.pk)
    # Lock the pair's lower actor so that two requests for the same link cannot both pass.
    Actor.objects.select_for_update().filter(pk=actor_a.pk).exists()
    if CooperationLink.objects.filter(actor_a=actor_a, actor_b=actor_b, kind=kind).exists():
        raise ChainError(
            _(
                "Zwischen „%(a)s“ und „%(b)s“ ist diese Kooperation schon erfasst. Bearbeiten "
                "Sie die vorhandene oder wählen Sie eine andere Art."
            )
            % {"a": actor_a.name, "b": actor_b.name}
        )
    return CooperationLink.objects.create(
        municipality_id=first.municipality_id,
        actor_a=actor_a,
        actor_b=actor_b,
        kind=kind,
        since=since,
        note=note.strip(),
    )


@transaction.atomic
def update_link(*, link: CooperationLink, actor, **values) -> CooperationLink:
    """Change a link's kind, start or note; its two actors stay."""
    _require_writer(actor, link.municipality_id)
    link = CooperationLink.objects.select_for_update().get(pk=link.pk)
    for name in LINK_FIELDS:
        if name in values:
            setattr(link, name, values[name])
    duplicate = CooperationLink.objects.filter(
        actor_a_id=link.actor_a_id, actor_b_id=link.actor_b_id, kind=link.kind
    ).exclude(pk=link.pk)
    if duplicate.exists():
        raise ChainError(
            {"kind": _("Eine Kooperation dieser Art gibt es zwischen den beiden schon.")}
        )
    link.save()
    return link


@transaction.atomic
def delete_link(*, link: CooperationLink, actor) -> None:
    _require_writer(actor, link.municipality_id)
    link.delete()
