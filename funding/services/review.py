"""Review by the state office (issue 3 §4): the reviewer takes a submitted application into
review, works through the checklist, comments (internally or to the municipality), sends it
back for changes or gives the recommendation (Votum) the approver decides on.

Every transition locks the application row and re-checks its state inside the lock, so two
reviewers clicking at once cannot both act on the same state. Whoever reviews is recorded on the
application and the review (and in their append-only history); the decision stage asks
`reviewers_of` so that none of them may approve (four-eyes)."""

from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.models import User
from funding.models import (
    Application,
    ApplicationEvent,
    ApplicationStatus,
    AttachmentKind,
    Comment,
    CommentVisibility,
    Recommendation,
    Review,
    ReviewEvent,
)
from funding.money import cents, format_euro
from funding.permissions import can_apply, is_reviewer, is_state_office
from funding.services.audit import attributed
from funding.services.errors import FundingError, StaleEditError
from funding.services.notifications import APPROVERS, MUNICIPALITY, REVIEWERS, notify

# The reviewer's checklist (Prüfliste). Keys are stored in Review.checklist["items"]; changing a
# label is harmless, renaming a key orphans the answers already given under it.
CHECKLIST = (
    (
        "eligible_municipality",
        gettext_lazy("Kommune ist antragsberechtigt, ihre Teilnahme am Programm besteht"),
    ),
    ("within_call", gettext_lazy("Förderjahre und Einreichung liegen im Förderaufruf")),
    (
        "financing_plan",
        gettext_lazy("Finanzierungsplan ist plausibel und ausgeglichen (Ausgaben = Einnahmen)"),
    ),
    (
        "personnel_costs",
        gettext_lazy("Personalausgaben sind zuwendungsfähig und zur Entgeltgruppe plausibel"),
    ),
    ("co_financing", gettext_lazy("Kofinanzierung ist erklärt und gesichert")),
    ("council_resolution", gettext_lazy("Rats- bzw. Kreistagsbeschluss liegt vor")),
    (
        "forwarding",
        gettext_lazy("Empfänger einer Weiterleitung ist benannt (falls beabsichtigt)"),
    ),
    ("purpose", gettext_lazy("Vorhaben entspricht dem Zuwendungszweck")),
)
CHECKLIST_LABELS = dict(CHECKLIST)

# What the review queue shows unless a status is chosen: everything waiting for the state office
# or back with the municipality for changes.
REVIEW_STATUSES = (
    ApplicationStatus.SUBMITTED,
    ApplicationStatus.IN_REVIEW,
    ApplicationStatus.CHANGES_REQUESTED,
    ApplicationStatus.RECOMMENDED,
)
REQUEST_CHANGES_FROM = (ApplicationStatus.IN_REVIEW, ApplicationStatus.RECOMMENDED)


def _locked(application: Application) -> Application:
    return (
        Application.objects.select_for_update()
        .select_related("municipality")
        .get(pk=application.pk)
    )


def _require_reviewer(actor) -> None:
    if not is_reviewer(actor):
        raise FundingError(_("Nur die Prüfung der Landeskoordinierungsstelle darf das."))


def _require_status(application: Application, *allowed: str) -> None:
    if application.status not in allowed:
        raise FundingError(
            _(
                "Der Antrag ist „%(status)s“; dieser Schritt ist dann nicht möglich. Laden Sie "
                "die Seite neu, um den aktuellen Stand zu sehen."
            )
            % {"status": application.get_status_display()}
        )


def _last_editor(application: Application) -> str:
    event = (
        ApplicationEvent.objects.filter(pgh_obj_id=application.pk)
        .select_related("pgh_context")
        .order_by("-pgh_id")
        .first()
    )
    user_id = event and event.pgh_context and event.pgh_context.metadata.get("user")
    user = User.objects.filter(pk=user_id).first() if user_id else None
    return (user.get_full_name() or user.email) if user else _("jemand anderem")


def _check_version(application: Application, version: int | None) -> None:
    if version is not None and version != application.version:
        raise StaleEditError(
            _(
                "Der Antrag wurde inzwischen von %(name)s geändert. Bitte laden Sie die Seite "
                "neu und prüfen Sie Ihre Eingaben noch einmal."
            )
            % {"name": _last_editor(application)}
        )


def _take_over(application: Application, actor) -> Review:
    """Make the actor the application's reviewer of record and bump its version."""
    application.reviewer = actor
    application.version += 1
    application.save(update_fields=["reviewer", "version"])
    review, created = Review.objects.get_or_create(
        application=application, defaults={"reviewer": actor}
    )
    if not created and review.reviewer_id != actor.pk:
        review.reviewer = actor
        review.save(update_fields=["reviewer", "updated_at"])
    return review


@transaction.atomic
def start_review(*, application: Application, actor) -> Review:
    """A submitted (or resubmitted) application goes into review with the actor as reviewer."""
    _require_reviewer(actor)
    with attributed(actor=actor, action="review.start"):
        application = _locked(application)
        _require_status(application, ApplicationStatus.SUBMITTED)
        application.status = ApplicationStatus.IN_REVIEW
        application.save(update_fields=["status"])
        review = _take_over(application, actor)
    notify(event="review_started", application=application, audience=MUNICIPALITY, actor=actor)
    return review


def _checklist_items(checklist: dict) -> dict[str, bool]:
    unknown = sorted(set(checklist) - set(CHECKLIST_LABELS))
    if unknown:
        raise FundingError(_("Unbekannte Prüfpunkte: %(keys)s.") % {"keys": ", ".join(unknown)})
    if any(not isinstance(value, bool) for value in checklist.values()):
        raise FundingError(_("Jeder Prüfpunkt ist erfüllt (ja) oder nicht erfüllt (nein)."))
    return {key: bool(checklist.get(key, False)) for key in CHECKLIST_LABELS}


@transaction.atomic
def save_checklist(
    *,
    application: Application,
    actor,
    checklist: dict[str, bool],
    note: str = "",
    version: int | None = None,
) -> Review:
    """Save the checklist answers (missing items count as not met) and the reviewer's note."""
    _require_reviewer(actor)
    items = _checklist_items(checklist)
    with attributed(actor=actor, action="review.checklist"):
        application = _locked(application)
        _require_status(application, ApplicationStatus.IN_REVIEW)
        _check_version(application, version)
        review = _take_over(application, actor)
        review.checklist = {"items": items, "note": note.strip()}
        review.save(update_fields=["checklist", "updated_at"])
    return review


def _comment_visibility(application: Application, actor, visibility: str | None) -> str:
    if is_state_office(actor):
        return visibility or CommentVisibility.INTERNAL
    if can_apply(actor, application.municipality_id):
        if visibility == CommentVisibility.INTERNAL:
            raise FundingError(
                _("Kommentare der Kommune sind immer für die Landeskoordinierungsstelle sichtbar.")
            )
        return CommentVisibility.MUNICIPALITY
    raise FundingError(
        _("Kommentieren dürfen die Koordination der Kommune und die Landeskoordinierungsstelle.")
    )


@transaction.atomic
def add_comment(
    *, application: Application, actor, text: str, visibility: str | None = None
) -> Comment:
    """A comment on a submitted application. The state office writes internally (the default)
    or to the municipality; the municipality's coordinators always write to the state office.
    A comment the other side may read is mailed to it."""
    if visibility not in (None, *CommentVisibility.values):
        raise FundingError(_("Unbekannte Sichtbarkeit %(value)s.") % {"value": visibility})
    visibility = _comment_visibility(application, actor, visibility)
    text = text.strip()
    if not text:
        raise FundingError(_("Bitte schreiben Sie einen Kommentar."))
    with attributed(actor=actor, action="review.comment"):
        application = _locked(application)
        if application.status == ApplicationStatus.DRAFT:
            raise FundingError(_("Kommentare sind möglich, sobald der Antrag eingereicht ist."))
        comment = Comment.objects.create(
            application=application, author=actor, visibility=visibility, text=text
        )
    if visibility == CommentVisibility.MUNICIPALITY:
        from_state_office = is_state_office(actor)
        notify(
            event="review_comment",
            application=application,
            audience=MUNICIPALITY if from_state_office else REVIEWERS,
            actor=actor,
            context={"comment": comment, "from_state_office": from_state_office},
        )
    return comment


@transaction.atomic
def request_changes(
    *, application: Application, actor, message: str, version: int | None = None
) -> Comment:
    """Send the application back to the municipality; the message says what to change and is
    kept as a comment the municipality reads. A recommendation already given is withdrawn: it
    was about the old version."""
    _require_reviewer(actor)
    message = message.strip()
    if not message:
        raise FundingError(_("Bitte schreiben Sie, was die Kommune nachbessern soll."))
    with attributed(actor=actor, action="review.request_changes", reason=message):
        application = _locked(application)
        _require_status(application, *REQUEST_CHANGES_FROM)
        _check_version(application, version)
        application.status = ApplicationStatus.CHANGES_REQUESTED
        application.save(update_fields=["status"])
        review = _take_over(application, actor)
        review.recommendation, review.recommended_grants, review.note = "", {}, ""
        review.save(update_fields=["recommendation", "recommended_grants", "note", "updated_at"])
        comment = Comment.objects.create(
            application=application,
            author=actor,
            visibility=CommentVisibility.MUNICIPALITY,
            text=message,
        )
    notify(
        event="review_changes_requested",
        application=application,
        audience=MUNICIPALITY,
        actor=actor,
        context={"message": message},
    )
    return comment


def _amounts_by_year(recommended_grants: dict, requested: dict[int, Decimal]) -> dict[int, Decimal]:
    amounts = {}
    for key, value in recommended_grants.items():
        try:
            year, amount = int(key), Decimal(str(value))
        except (InvalidOperation, ValueError, TypeError):
            raise FundingError(
                _("%(year)s: Bitte einen Betrag in Euro angeben.") % {"year": key}
            ) from None
        if year not in requested:
            raise FundingError(_("%(year)s ist kein Förderjahr dieses Antrags.") % {"year": year})
        if not amount.is_finite() or amount < 0 or amount > requested[year]:
            raise FundingError(
                _("%(year)s: Der empfohlene Betrag muss zwischen 0 und %(max)s liegen.")
                % {"year": year, "max": format_euro(requested[year])}
            )
        amounts[year] = cents(amount)
    missing = sorted(set(requested) - set(amounts))
    if missing:
        raise FundingError(
            _("Bitte für jedes Förderjahr einen Betrag empfehlen; es fehlt: %(years)s.")
            % {"years": ", ".join(map(str, missing))}
        )
    if amounts == requested:
        raise FundingError(
            _(
                "Die Beträge entsprechen dem Antrag. Empfehlen Sie dann die Bewilligung in "
                "voller Höhe."
            )
        )
    return amounts


@transaction.atomic
def recommend(
    *,
    application: Application,
    actor,
    recommendation: str,
    recommended_grants: dict | None = None,
    note: str = "",
    version: int | None = None,
) -> Review:
    """The Votum: approve in full (the requested grants), in part (an amount per year, none
    above what was requested) or reject. A partial approval and a rejection need reasons, since
    the Bescheid has to give them."""
    _require_reviewer(actor)
    if recommendation not in Recommendation.values:
        raise FundingError(_("Bitte wählen Sie ein Votum."))
    note = note.strip()
    if recommendation != Recommendation.APPROVE and not note:
        raise FundingError(
            _("Bitte begründen Sie, warum nicht in voller Höhe bewilligt werden soll.")
        )
    with attributed(actor=actor, action="review.recommend", reason=note):
        application = _locked(application)
        _require_status(application, ApplicationStatus.IN_REVIEW)
        _check_version(application, version)
        requested = dict(application.years.values_list("year", "requested_grant"))
        if recommendation == Recommendation.APPROVE:
            amounts = requested
        elif recommendation == Recommendation.PARTIAL:
            amounts = _amounts_by_year(recommended_grants or {}, requested)
        else:
            amounts = dict.fromkeys(requested, Decimal("0.00"))
        application.status = ApplicationStatus.RECOMMENDED
        application.save(update_fields=["status"])
        review = _take_over(application, actor)
        review.recommendation = recommendation
        review.recommended_grants = {str(year): str(amounts[year]) for year in sorted(amounts)}
        review.note = note
        review.save(update_fields=["recommendation", "recommended_grants", "note", "updated_at"])
    notify(
        event="review_recommended",
        application=application,
        audience=APPROVERS,
        actor=actor,
        context={"review": review, "grants": sorted(amounts.items())},
    )
    return review


def reviewers_of(application: Application) -> set[int]:
    """Everyone who ever was the application's reviewer of record: none of them may approve it
    (four-eyes). Read from the append-only history, so a reviewer handing over to a colleague
    stays excluded."""
    on_application = ApplicationEvent.objects.filter(
        pgh_obj_id=application.pk, reviewer__isnull=False
    ).values_list("reviewer_id", flat=True)
    on_review = ReviewEvent.objects.filter(application_id=application.pk).values_list(
        "reviewer_id", flat=True
    )
    return set(on_application.union(on_review))


@dataclass(frozen=True)
class Change:
    label: str
    before: str
    after: str


def _text(value) -> str:
    if value is None or value == "":
        return "–"
    if isinstance(value, bool):
        return _("ja") if value else _("nein")
    return str(value)


def _euro(value) -> str:
    return "–" if value in (None, "") else format_euro(Decimal(str(value)))


# (snapshot key, label, formatter) of the application's own fields, of a year and of a cost line.
APPLICATION_FIELDS = (
    ("purpose", gettext_lazy("Vorhaben und Zuwendungszweck"), _text),
    ("contact_name", gettext_lazy("Ansprechperson"), _text),
    ("contact_email", gettext_lazy("E-Mail der Ansprechperson"), _text),
    ("forwarding_requested", gettext_lazy("Weiterleitung beabsichtigt"), _text),
    ("forwarding_recipient", gettext_lazy("Empfänger der Weiterleitung"), _text),
)
YEAR_FIELDS = (
    ("own_funds", gettext_lazy("Eigenmittel"), _euro),
    ("third_party_funds", gettext_lazy("Drittmittel"), _euro),
    ("third_party_note", gettext_lazy("Drittmittel von"), _text),
    ("eligible_costs", gettext_lazy("zuwendungsfähige Ausgaben"), _euro),
    ("requested_grant", gettext_lazy("beantragte Zuwendung"), _euro),
)
ATTACHMENT_LABELS = dict(AttachmentKind.choices)
COST_LINE_FIELDS = (
    ("pay_grade", gettext_lazy("Entgeltgruppe"), _text),
    ("fte", gettext_lazy("Stellenanteil (VZÄ)"), _text),
    ("months", gettext_lazy("Monate"), _text),
    ("monthly_cost", gettext_lazy("Arbeitgeberkosten je Monat"), _euro),
    ("amount", gettext_lazy("Betrag"), _euro),
)


def _field_changes(prefix: str, fields, older: dict, newer: dict) -> list[Change]:
    changes = []
    for key, label, show in fields:
        before, after = show(older.get(key)), show(newer.get(key))
        if before != after:
            changes.append(Change(f"{prefix}{label}", before, after))
    return changes


def _years(snapshot: dict) -> dict[int, dict]:
    return {int(year["year"]): year for year in snapshot.get("years", [])}


def _cost_lines(year: dict) -> dict[tuple, dict]:
    """Cost lines keyed by category and description (and their order among equal ones), so a
    line inserted above another does not make every line below look changed."""
    keyed, seen = {}, {}
    for line in year.get("lines", []):
        name = (line.get("category", ""), line.get("description", ""))
        seen[name] = seen.get(name, 0) + 1
        keyed[(*name, seen[name])] = line
    return keyed


def _line_label(key: tuple) -> str:
    _category, description, occurrence = key
    return description if occurrence == 1 else f"{description} ({occurrence})"


def _year_changes(year: int, older: dict | None, newer: dict | None) -> list[Change]:
    if older is None or newer is None:
        present, absent = _("beantragt"), _("nicht beantragt")
        return [
            Change(
                _("Förderjahr %(year)s") % {"year": year},
                absent if older is None else present,
                absent if newer is None else present,
            )
        ]
    changes = _field_changes(f"{year}: ", YEAR_FIELDS, older, newer)
    old_lines, new_lines = _cost_lines(older), _cost_lines(newer)
    for key in [*old_lines, *(k for k in new_lines if k not in old_lines)]:
        prefix = f"{year}, {_line_label(key)}: "
        if key not in new_lines:
            changes.append(Change(f"{prefix}{_('Betrag')}", _euro(old_lines[key]["amount"]), "–"))
        elif key not in old_lines:
            changes.append(Change(f"{prefix}{_('Betrag')}", "–", _euro(new_lines[key]["amount"])))
        else:
            changes += _field_changes(prefix, COST_LINE_FIELDS, old_lines[key], new_lines[key])
    return changes


def submission_diff(older_snapshot: dict, newer_snapshot: dict) -> list[Change]:
    """What changed between two submissions of an application, for the reviewer: the
    application's fields, each year's financing plan and cost lines, the attachments.

    Snapshots are the JSON the application service stores at submission: the fields of
    APPLICATION_FIELDS, `years` (a list of {year, YEAR_FIELDS…, cost_lines: [{category,
    description, COST_LINE_FIELDS…}]}) and `attachments` (a list of {kind, name}); see
    funding.services.applications.snapshot."""
    changes = _field_changes("", APPLICATION_FIELDS, older_snapshot, newer_snapshot)
    old_years, new_years = _years(older_snapshot), _years(newer_snapshot)
    for year in sorted(set(old_years) | set(new_years)):
        changes += _year_changes(year, old_years.get(year), new_years.get(year))
    old_files, new_files = _attachments(older_snapshot), _attachments(newer_snapshot)
    for kind, name in sorted(old_files - new_files):
        changes.append(Change(ATTACHMENT_LABELS.get(kind, _("Anlage")), name, "–"))
    for kind, name in sorted(new_files - old_files):
        changes.append(Change(ATTACHMENT_LABELS.get(kind, _("Anlage")), "–", name))
    return changes


def _attachments(snapshot: dict) -> set[tuple[str, str]]:
    return {(item.get("kind", ""), item["name"]) for item in snapshot.get("attachments", [])}
