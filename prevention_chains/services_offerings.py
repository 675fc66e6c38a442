"""Offerings (Angebote) of a municipality's prevention chain: create, change, delete, confirm,
and the reminder about offerings nobody has confirmed for a long time.

Every write of an offering – the form, the API and the bulk import – goes through
`check_offering` and `write_offering`, so the same rules hold everywhere: provider and
Sozialräume of the offering's own municipality, at least one life phase and one field of
action, only active taxonomy terms and Sozialräume valid today for new choices (what an
offering already has may stay), a non-empty age band, ISO 639-1 language codes.
"""

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import EmailMessage
from django.core.validators import URLValidator, validate_email
from django.db import transaction
from django.db.models import F, Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.models import User
from accounts.roles import Role
from accounts.tasks import enqueue_mail
from municipalities.models import Municipality, Sozialraum
from prevention_chains.errors import ChainError, StaleEditError
from prevention_chains.models import (
    ACTIVE_OFFERING_STATUSES,
    Actor,
    FieldOfAction,
    LifePhase,
    Offering,
    OfferingLocation,
    OfferingStatus,
    TargetGroup,
)

# ISO 639-1 codes the portal offers, with their German names (the languages families in NRW
# most often speak besides German). The order is the order of the choice list.
LANGUAGES: dict[str, str] = {
    "de": gettext_lazy("Deutsch"),
    "en": gettext_lazy("Englisch"),
    "tr": gettext_lazy("Türkisch"),
    "ar": gettext_lazy("Arabisch"),
    "ru": gettext_lazy("Russisch"),
    "pl": gettext_lazy("Polnisch"),
    "uk": gettext_lazy("Ukrainisch"),
    "ro": gettext_lazy("Rumänisch"),
    "bg": gettext_lazy("Bulgarisch"),
    "fa": gettext_lazy("Persisch (Farsi)"),
    "ku": gettext_lazy("Kurdisch"),
    "ti": gettext_lazy("Tigrinya"),
    "so": gettext_lazy("Somali"),
    "fr": gettext_lazy("Französisch"),
    "es": gettext_lazy("Spanisch"),
    "it": gettext_lazy("Italienisch"),
    "el": gettext_lazy("Griechisch"),
    "sq": gettext_lazy("Albanisch"),
    "sr": gettext_lazy("Serbisch"),
    "hr": gettext_lazy("Kroatisch"),
}


@dataclass
class LocationInput:
    name: str
    street: str = ""
    postcode: str = ""
    city: str = ""


@dataclass
class OfferingInput:
    """What a user, an API client or an import row says about an offering. The names are the
    model's field names, so a refusal naming fields lands on the right form field."""

    title: str
    life_phases: Sequence[LifePhase]
    fields_of_action: Sequence[FieldOfAction]
    description: str = ""
    provider: Actor | None = None
    target_groups: Sequence[TargetGroup] = ()
    age_from: int | None = None
    age_to: int | None = None
    sozialraeume: Sequence[Sozialraum] = ()
    schedule: str = ""
    is_free: bool = True
    cost_note: str = ""
    languages: Sequence[str] = ()
    accessibility: str = ""
    contact_name: str = ""
    contact_email: str = ""
    contact_phone: str = ""
    website: str = ""
    status: str = OfferingStatus.DRAFT
    locations: Sequence[LocationInput] = field(default_factory=list)


SCALAR_FIELDS = (
    "title",
    "description",
    "provider",
    "age_from",
    "age_to",
    "schedule",
    "is_free",
    "cost_note",
    "accessibility",
    "contact_name",
    "contact_email",
    "contact_phone",
    "website",
    "status",
)
_TERM_FIELDS = ("life_phases", "fields_of_action", "target_groups")
# The provider is checked against the municipality above; the rest are not the user's input.
_NOT_PROBED = [f.name for f in Offering._meta.fields if f.name not in SCALAR_FIELDS] + ["provider"]


def stale_cutoff(today: date | None = None) -> date:
    """Offerings last confirmed before this day (or never) are „nicht mehr bestätigt“."""
    today = today or timezone.localdate()
    return today - timedelta(days=settings.OFFERING_STALE_AFTER_DAYS)


def stale_q(today: date | None = None) -> Q:
    return Q(last_confirmed_on__isnull=True) | Q(last_confirmed_on__lt=stale_cutoff(today))


def is_stale(offering: Offering, today: date | None = None) -> bool:
    return offering.last_confirmed_on is None or offering.last_confirmed_on < stale_cutoff(today)


def _kept_ids(current: Offering | None, relation: str) -> set[int]:
    """Ids an offering already has: they may stay even when inactive or no longer valid."""
    if current is None or current.pk is None:
        return set()
    return set(getattr(current, relation).values_list("pk", flat=True))


def _check_relations(
    errors: dict, municipality: Municipality, data: OfferingInput, current, today
) -> None:
    if not data.life_phases:
        errors.setdefault("life_phases", []).append(_("Bitte mindestens eine Lebensphase wählen."))
    if not data.fields_of_action:
        errors.setdefault("fields_of_action", []).append(
            _("Bitte mindestens ein Handlungsfeld wählen.")
        )
    for relation in _TERM_FIELDS:
        kept = _kept_ids(current, relation)
        inactive = [t.name for t in getattr(data, relation) if not t.is_active and t.pk not in kept]
        if inactive:
            errors.setdefault(relation, []).append(
                _("Nicht mehr in Gebrauch und daher nicht wählbar: %(names)s.")
                % {"names": ", ".join(inactive)}
            )
    if data.provider is not None and data.provider.municipality_id != municipality.pk:
        errors.setdefault("provider", []).append(
            _("Der Träger muss ein Akteur der Kommune %(name)s sein.")
            % {"name": municipality.short_name}
        )
    kept = _kept_ids(current, "sozialraeume")
    for area in data.sozialraeume:
        if area.municipality_id != municipality.pk:
            message = _("Der Sozialraum %(code)s gehört nicht zur Kommune %(name)s.")
        elif area.pk not in kept and (
            area.valid_from > today or (area.valid_to is not None and area.valid_to < today)
        ):
            message = _("Der Sozialraum %(code)s ist heute nicht gültig.")
        else:
            continue
        errors.setdefault("sozialraeume", []).append(
            message % {"code": area.code, "name": municipality.short_name}
        )


def check_offering(
    *, municipality: Municipality, data: OfferingInput, current: Offering | None = None
) -> None:
    """Raise ChainError naming each field that breaks a rule; nothing is written."""
    today = timezone.localdate()
    errors: dict[str, list] = {}
    if not data.title.strip():
        errors["title"] = [_("Bitte einen Titel angeben.")]
    _check_relations(errors, municipality, data, current, today)
    if data.age_from is not None and data.age_to is not None and data.age_to <= data.age_from:
        errors.setdefault("age_to", []).append(
            _("„Alter bis unter“ muss größer sein als „Alter von“ (Jahre, z. B. von 0 bis 3).")
        )
    unknown = [code for code in data.languages if code not in LANGUAGES]
    if unknown:
        errors.setdefault("languages", []).append(
            _("Unbekannte Sprachkennung: %(codes)s. Erlaubt sind ISO-639-1-Kennungen wie de, tr.")
            % {"codes": ", ".join(unknown)}
        )
    if not data.is_free and not data.cost_note.strip():
        errors.setdefault("cost_note", []).append(
            _("Das Angebot ist nicht kostenfrei: bitte die Kosten nennen.")
        )
    if data.contact_email:
        try:
            validate_email(data.contact_email)
        except ValidationError:
            errors["contact_email"] = [
                _("Bitte eine gültige E-Mail-Adresse angeben, z. B. name@example.org.")
            ]
    if data.website:
        try:
            URLValidator(schemes=["http", "https"])(data.website)
        except ValidationError:
            errors["website"] = [
                _("Bitte eine vollständige Webadresse angeben, z. B. https://www.example.org.")
            ]
    probe = Offering(
        municipality=municipality, **{name: getattr(data, name) for name in SCALAR_FIELDS}
    )
    try:
        # Lengths, e-mail, web address and status as the model defines them.
        probe.clean_fields(exclude=_NOT_PROBED)
    except ValidationError as error:
        for name, messages in error.message_dict.items():
            errors.setdefault(name, messages)  # an own, clearer message comes first
    for position, location in enumerate(data.locations, start=1):
        if not location.name.strip():
            errors.setdefault("locations", []).append(
                _("Ort %(n)d: bitte den Namen des Ortes oder der Einrichtung angeben.")
                % {"n": position}
            )
        if location.postcode and not (location.postcode.isdigit() and len(location.postcode) == 5):
            errors.setdefault("locations", []).append(
                _("Ort %(n)d: die PLZ hat fünf Ziffern.") % {"n": position}
            )
    if errors:
        raise ChainError(errors)


def write_offering(offering: Offering, data: OfferingInput) -> Offering:
    """Store checked input on an offering (new or locked by the caller), with its relations."""
    for name in SCALAR_FIELDS:
        setattr(offering, name, getattr(data, name))
    offering.title = offering.title.strip()
    offering.languages = list(dict.fromkeys(data.languages))
    offering.save()
    offering.life_phases.set(data.life_phases)
    offering.fields_of_action.set(data.fields_of_action)
    offering.target_groups.set(data.target_groups)
    offering.sozialraeume.set(data.sozialraeume)
    # Locations carry no identity of their own for the user: the list is replaced.
    offering.locations.all().delete()
    OfferingLocation.objects.bulk_create(
        OfferingLocation(
            offering=offering,
            name=location.name.strip(),
            street=location.street,
            postcode=location.postcode,
            city=location.city,
        )
        for location in data.locations
    )
    return offering


@transaction.atomic
def create_offering(*, actor, municipality: Municipality, data: OfferingInput) -> Offering:
    """A new offering; whoever enters it confirms its details as of today."""
    check_offering(municipality=municipality, data=data)
    offering = Offering(
        municipality=municipality,
        created_by=actor,
        last_confirmed_on=timezone.localdate(),
        confirmed_by=actor,
    )
    return write_offering(offering, data)


def _locked(offering: Offering, expected_version: int | None) -> Offering:
    locked = Offering.objects.select_for_update().get(pk=offering.pk)
    if expected_version is not None and locked.version != expected_version:
        raise StaleEditError(
            _(
                "Jemand hat das Angebot „%(title)s“ geändert, nachdem Sie es geöffnet haben. "
                "Ihre Eingaben sind noch da: bitte laden Sie die Seite neu, prüfen Sie die "
                "aktuellen Angaben und tragen Sie Ihre Änderungen erneut ein."
            )
            % {"title": locked.title}
        )
    return locked


@transaction.atomic
def update_offering(
    *, actor, offering: Offering, data: OfferingInput, expected_version: int
) -> Offering:
    """Change an offering. Editing is no confirmation: „Angaben sind aktuell“ is its own step."""
    locked = _locked(offering, expected_version)
    check_offering(municipality=locked.municipality, data=data, current=locked)
    locked.version = F("version") + 1
    write_offering(locked, data)
    locked.refresh_from_db()
    return locked


@transaction.atomic
def delete_offering(*, actor, offering: Offering) -> None:
    locked = _locked(offering, None)
    if locked.good_practice_entries.exists():
        raise ChainError(
            _(
                "Das Angebot ist als gute Praxis vorgeschlagen oder veröffentlicht und kann "
                "nicht gelöscht werden. Setzen Sie es stattdessen auf „beendet“."
            )
        )
    locked.delete()


@transaction.atomic
def confirm_offering(*, actor, offering: Offering) -> Offering:
    """„Angaben sind aktuell“: confirmed today by the actor; a later reminder may follow."""
    locked = _locked(offering, None)
    locked.last_confirmed_on = timezone.localdate()
    locked.confirmed_by = actor
    locked.stale_reminder_sent_on = None
    locked.save(update_fields=["last_confirmed_on", "confirmed_by", "stale_reminder_sent_on"])
    return locked


# ---------------------------------------------------------------------------------------------
# Reminder about stale offerings (beat task, daily)


def _coordinator_addresses(municipality_id: int) -> list[str]:
    users = User.objects.filter(
        is_active=True,
        memberships__municipality_id=municipality_id,
        memberships__role=Role.COORDINATOR,
    )
    return sorted(set(users.values_list("email", flat=True)))


def remind_stale_offerings(*, today: date | None = None) -> int:
    """Mail the coordinators of every municipality with published or paused offerings that are
    stale and not yet reminded about, once, listing them; returns how many mails were queued.

    Each municipality runs in its own transaction with its offerings locked, so two runs at
    once or a run after a crash never remind twice (the mail leaves on commit)."""
    today = today or timezone.localdate()
    due = Offering.objects.filter(stale_q(today), status__in=ACTIVE_OFFERING_STATUSES).filter(
        Q(stale_reminder_sent_on__isnull=True)
        | Q(last_confirmed_on__isnull=False, stale_reminder_sent_on__lt=F("last_confirmed_on"))
    )
    municipality_ids = sorted(set(due.values_list("municipality_id", flat=True)))
    sent = 0
    for municipality_id in municipality_ids:
        addresses = _coordinator_addresses(municipality_id)
        if not addresses:
            continue  # reminded once a coordinator is there
        with transaction.atomic():
            offerings = list(
                due.filter(municipality_id=municipality_id)
                .select_for_update(of=("self",))
                .select_related("municipality")
                .order_by("title", "pk")
            )
            if not offerings:
                continue
            _mail_stale_offerings(offerings, addresses)
            Offering.objects.filter(pk__in=[o.pk for o in offerings]).update(
                stale_reminder_sent_on=today
            )
            sent += 1
    return sent


def _mail_stale_offerings(offerings: list[Offering], addresses: list[str]) -> None:
    municipality = offerings[0].municipality
    base = settings.PORTAL_BASE_URL
    with translation.override(settings.LANGUAGE_CODE):
        text = render_to_string(
            "prevention_chains/mail/stale_offerings.txt",
            {
                "municipality": municipality,
                "days": settings.OFFERING_STALE_AFTER_DAYS,
                "offerings": [
                    {
                        "title": offering.title,
                        "last_confirmed_on": offering.last_confirmed_on,
                        "url": base
                        + reverse("prevention_chains:offering_detail", args=[offering.pk]),
                    }
                    for offering in offerings
                ],
                "list_url": base
                + reverse("prevention_chains:offering_list", args=[municipality.slug])
                + "?veraltet=1",
            },
        )
    subject, _newline, body = text.strip().partition("\n")
    enqueue_mail(EmailMessage(subject=subject.strip(), body=body.strip() + "\n", to=addresses))
