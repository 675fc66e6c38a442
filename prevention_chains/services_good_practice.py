"""Good practice shared between municipalities (issue 5 §6): a coordinator proposes one of the
municipality's offerings, the state office publishes or rejects it, the municipality may
withdraw it, and other municipalities adopt a published entry into their chain as a draft.

Each transition locks the entry's row and re-checks its state inside the lock, so two clicks at
once cannot both act on the same state. Mail leaves after the transaction commits (a refused
action mails nobody); the actor is never told about their own action."""

from collections.abc import Iterable

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from accounts.models import User
from accounts.roles import Role
from accounts.tasks import enqueue_mail
from municipalities.models import Municipality
from prevention_chains.errors import ChainError
from prevention_chains.models import (
    Adoption,
    FieldOfAction,
    GoodPractice,
    GoodPracticeStatus,
    LifePhase,
    Offering,
    OfferingStatus,
    TargetGroup,
)
from prevention_chains.permissions import can_decide_good_practice, can_write_chain

OPEN_STATUSES = (GoodPracticeStatus.PROPOSED, GoodPracticeStatus.PUBLISHED)
# A draft is not yet part of the chain, an ended offering no longer is: neither can show others
# that it works.
NOT_PROPOSABLE = (OfferingStatus.DRAFT, OfferingStatus.ENDED)


# ---------------------------------------------------------------------------------------------
# Checks shared by the services and the pages (which explain a refusal before the form)


def proposal_refusal(offering: Offering) -> str | None:
    """Why the offering cannot be proposed now, or None."""
    if offering.status in NOT_PROPOSABLE:
        return _(
            "Ein Angebot im Status „%(status)s“ kann nicht als gute Praxis vorgeschlagen werden. "
            "Veröffentlichen Sie es zuerst in Ihrer Präventionskette."
        ) % {"status": offering.get_status_display()}
    open_entry = (
        GoodPractice.objects.filter(offering=offering, status__in=OPEN_STATUSES)
        .only("status")
        .first()
    )
    if open_entry is not None:
        return _(
            "Dieses Angebot ist bereits als gute Praxis %(status)s. Ziehen Sie den Eintrag "
            "zurück, bevor Sie es erneut vorschlagen."
        ) % {"status": open_entry.get_status_display()}
    return None


def adoption_refusal(entry: GoodPractice, municipality: Municipality) -> str | None:
    """Why the municipality cannot adopt the entry now, or None."""
    if entry.status != GoodPracticeStatus.PUBLISHED:
        return _("Nur veröffentlichte gute Praxis kann übernommen werden.")
    if entry.municipality_id == municipality.pk:
        return _(
            "Diese gute Praxis stammt aus Ihrer eigenen Kommune; sie ist schon Teil Ihrer "
            "Präventionskette."
        )
    existing = (
        Offering.objects.filter(adoption__good_practice=entry, municipality=municipality)
        .only("title")
        .first()
    )
    if existing is not None:
        return _(
            "%(municipality)s hat diese gute Praxis bereits übernommen: „%(title)s“. Bearbeiten "
            "Sie dieses Angebot, statt ein zweites anzulegen."
        ) % {"municipality": municipality.short_name, "title": existing.title}
    return None


# ---------------------------------------------------------------------------------------------
# Mail


def _coordinator_addresses(municipality_id: int, *, exclude) -> list[str]:
    users = User.objects.filter(
        is_active=True,
        memberships__municipality_id=municipality_id,
        memberships__role=Role.COORDINATOR,
    )
    return sorted(set(users.exclude(pk=exclude.pk).values_list("email", flat=True)))


def _reviewer_addresses(*, exclude) -> list[str]:
    users = User.objects.filter(is_active=True, state_roles__role=Role.STATE_REVIEWER)
    return sorted(set(users.exclude(pk=exclude.pk).values_list("email", flat=True)))


def _notify(*, event: str, entry: GoodPractice, to: list[str], url: str, context=None) -> None:
    """Queue templates/prevention_chains/mail/good_practice_<event>.txt (first line: subject)."""
    if not to:
        return
    with translation.override(settings.LANGUAGE_CODE):
        text = render_to_string(
            f"prevention_chains/mail/good_practice_{event}.txt",
            {"entry": entry, "url": settings.PORTAL_BASE_URL + url, **(context or {})},
        )
    subject, _newline, body = text.strip().partition("\n")
    enqueue_mail(EmailMessage(subject=subject.strip(), body=body.strip() + "\n", to=to))


def _detail_url(entry: GoodPractice) -> str:
    return reverse("prevention_chains:good_practice_detail", args=[entry.pk])


def _mine_url(entry: GoodPractice) -> str:
    return reverse("prevention_chains:good_practice_mine", args=[entry.municipality.slug])


# ---------------------------------------------------------------------------------------------
# Transitions


def _require_terms(life_phases, fields_of_action, target_groups) -> None:
    if not life_phases:
        raise ChainError(_("Bitte wählen Sie mindestens eine Lebensphase."))
    if not fields_of_action:
        raise ChainError(_("Bitte wählen Sie mindestens ein Handlungsfeld."))
    inactive = [
        term.name
        for term in (*life_phases, *fields_of_action, *target_groups)
        if not term.is_active
    ]
    if inactive:
        raise ChainError(
            _("Diese Begriffe werden nicht mehr verwendet; bitte wählen Sie andere: %(terms)s.")
            % {"terms": ", ".join(inactive)}
        )


def _locked_entry(entry: GoodPractice) -> GoodPractice:
    return (
        GoodPractice.objects.select_for_update(of=("self",))
        .select_related("municipality")
        .defer("municipality__boundary")
        .get(pk=entry.pk)
    )


def _require_status(entry: GoodPractice, *allowed: str) -> None:
    if entry.status not in allowed:
        raise ChainError(
            _(
                "Der Eintrag ist „%(status)s“; dieser Schritt ist dann nicht möglich. Laden Sie "
                "die Seite neu, um den aktuellen Stand zu sehen."
            )
            % {"status": entry.get_status_display()}
        )


@transaction.atomic
def propose_good_practice(
    *,
    offering: Offering,
    actor,
    title: str,
    summary: str,
    why_it_works: str,
    requirements: str = "",
    life_phases: Iterable[LifePhase],
    fields_of_action: Iterable[FieldOfAction],
    target_groups: Iterable[TargetGroup] = (),
) -> GoodPractice:
    """The offering's municipality proposes it to the state office as good practice."""
    if not can_write_chain(actor, offering.municipality_id):
        raise ChainError(_("Nur die Koordination der Kommune kann ihre Angebote vorschlagen."))
    # The offering's row lock serialises proposals of the same offering (one open entry each).
    offering = Offering.objects.select_for_update().get(pk=offering.pk)
    refusal = proposal_refusal(offering)
    if refusal:
        raise ChainError(refusal)
    life_phases, fields_of_action = list(life_phases), list(fields_of_action)
    target_groups = list(target_groups)
    _require_terms(life_phases, fields_of_action, target_groups)
    if not title.strip() or not summary.strip() or not why_it_works.strip():
        raise ChainError(
            _("Titel, Kurzbeschreibung und „Was gut funktioniert“ dürfen nicht leer sein.")
        )
    entry = GoodPractice.objects.create(
        offering=offering,
        municipality_id=offering.municipality_id,
        title=title.strip(),
        summary=summary.strip(),
        why_it_works=why_it_works.strip(),
        requirements=requirements.strip(),
        proposed_by=actor,
    )
    entry.life_phases.set(life_phases)
    entry.fields_of_action.set(fields_of_action)
    entry.target_groups.set(target_groups)
    _notify(
        event="proposed",
        entry=entry,
        to=_reviewer_addresses(exclude=actor),
        url=reverse("prevention_chains:good_practice_decide", args=[entry.pk]),
        context={"municipality": offering.municipality},
    )
    return entry


def _decide(entry: GoodPractice, actor, status: str, note: str) -> GoodPractice:
    if not can_decide_good_practice(actor):
        raise ChainError(_("Über gute Praxis entscheidet die Landeskoordinierungsstelle."))
    entry = _locked_entry(entry)
    _require_status(entry, GoodPracticeStatus.PROPOSED)
    entry.status = status
    entry.decided_by = actor
    entry.decided_at = timezone.now()
    entry.decision_note = note.strip()
    entry.save(update_fields=["status", "decided_by", "decided_at", "decision_note"])
    _notify(
        event=status,
        entry=entry,
        to=_coordinator_addresses(entry.municipality_id, exclude=actor),
        url=_detail_url(entry) if status == GoodPracticeStatus.PUBLISHED else _mine_url(entry),
    )
    return entry


@transaction.atomic
def publish_good_practice(*, entry: GoodPractice, actor, note: str = "") -> GoodPractice:
    """The state office publishes a proposed entry in the library (no four-eyes here: it is
    an editorial decision, not money)."""
    return _decide(entry, actor, GoodPracticeStatus.PUBLISHED, note)


@transaction.atomic
def reject_good_practice(*, entry: GoodPractice, actor, reason: str) -> GoodPractice:
    """The state office rejects a proposed entry; the municipality is told why."""
    if not reason.strip():
        raise ChainError(
            _("Bitte begründen Sie die Ablehnung; die Kommune erfährt die Begründung.")
        )
    return _decide(entry, actor, GoodPracticeStatus.REJECTED, reason)


@transaction.atomic
def withdraw_good_practice(*, entry: GoodPractice, actor) -> GoodPractice:
    """The municipality takes its entry back (proposed or published); it leaves the library,
    adoptions already made stay counted."""
    if not can_write_chain(actor, entry.municipality_id):
        raise ChainError(_("Nur die Koordination der Kommune kann ihre Einträge zurückziehen."))
    entry = _locked_entry(entry)
    _require_status(entry, *OPEN_STATUSES)
    entry.status = GoodPracticeStatus.WITHDRAWN
    entry.save(update_fields=["status"])
    return entry


def adopted_description(entry: GoodPractice) -> str:
    """The draft's description: the entry's own texts, not the origin offering's description.
    The entry is what the state office published and what others chose; the origin offering
    may have changed since or describe local details (places, people) that do not travel."""
    parts = [entry.summary]
    if entry.why_it_works:
        parts.append(_("Was gut funktioniert:") + "\n" + entry.why_it_works)
    if entry.requirements:
        parts.append(_("Voraussetzungen und Aufwand:") + "\n" + entry.requirements)
    return "\n\n".join(parts)


@transaction.atomic
def adopt_good_practice(*, entry: GoodPractice, actor, municipality: Municipality) -> Offering:
    """Copy a published entry into the municipality's chain as a draft offering that keeps the
    link to its origin, and record the adoption (kept when the draft is deleted later).

    Copied: title, description (see adopted_description), the entry's active phases, fields
    and target groups, and from the origin offering age range, languages and cost. Not copied:
    provider, Sozialräume, locations, times, accessibility, contact and website – they are
    local."""
    if not can_write_chain(actor, municipality.pk):
        raise ChainError(
            _("Nur die Koordination einer Kommune kann gute Praxis in deren Kette übernehmen.")
        )
    # Locks out a withdrawal between the check and the copy.
    entry = _locked_entry(entry)
    refusal = adoption_refusal(entry, municipality)
    if refusal:
        raise ChainError(refusal)
    origin = Offering.objects.get(pk=entry.offering_id)
    offering = Offering.objects.create(
        municipality=municipality,
        title=entry.title,
        description=adopted_description(entry),
        age_from=origin.age_from,
        age_to=origin.age_to,
        languages=list(origin.languages),
        is_free=origin.is_free,
        cost_note=origin.cost_note,
        status=OfferingStatus.DRAFT,
        adopted_from=entry,
        created_by=actor,
    )
    offering.life_phases.set(entry.life_phases.filter(is_active=True))
    offering.fields_of_action.set(entry.fields_of_action.filter(is_active=True))
    offering.target_groups.set(entry.target_groups.filter(is_active=True))
    Adoption.objects.create(
        good_practice=entry, municipality=municipality, offering=offering, adopted_by=actor
    )
    _notify(
        event="adopted",
        entry=entry,
        to=_coordinator_addresses(entry.municipality_id, exclude=actor),
        url=_mine_url(entry),
        context={"adopter": municipality},
    )
    return offering
