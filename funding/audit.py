"""The timeline of an application (issue 3 §11), read from the append-only event tables that the
database triggers of django-pghistory write for every insert, update and delete.

Each tracked model of an application's tree is read with one query (its events joined with
their context), so the number of queries depends on the number of models, never on the number
of events. Before/after is computed here, per object, against the object's previous event.
"""

import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from django.contrib.postgres.fields import ArrayField
from django.db import models
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.models import User
from funding import models as funding
from funding.models import MONEY, CommentVisibility
from funding.money import format_euro

KINDS = {
    "antrag": gettext_lazy("Antrag und Finanzierungsplan"),
    "kommentar": gettext_lazy("Kommentare"),
    "pruefung": gettext_lazy("Prüfung"),
    "bescheid": gettext_lazy("Bescheide"),
    "zahlung": gettext_lazy("Mittelabrufe, Auszahlungen und Weiterleitungen"),
    "nachweis": gettext_lazy("Verwendungsnachweise"),
}
# Kinds only the state office reads: the review (checklist, Votum) is its internal work.
INTERNAL_KINDS = frozenset({"pruefung"})

LABELS = {
    "insert": gettext_lazy("angelegt"),
    "update": gettext_lazy("geändert"),
    "delete": gettext_lazy("gelöscht"),
}

# What the services name their writes (`attributed(action=…)`), as the timeline says it.
ACTIONS = {
    "application.create": gettext_lazy("Antrag angelegt"),
    "application.update": gettext_lazy("Antragsangaben geändert"),
    "application.plan": gettext_lazy("Finanzierungsplan geändert"),
    "application.attachment.add": gettext_lazy("Anlage hochgeladen"),
    "application.attachment.remove": gettext_lazy("Anlage gelöscht"),
    "application.submit": gettext_lazy("Antrag eingereicht"),
    "application.resubmit": gettext_lazy("Antrag erneut eingereicht"),
    "application.withdraw": gettext_lazy("Antrag zurückgezogen"),
    "review.start": gettext_lazy("Prüfung begonnen"),
    "review.checklist": gettext_lazy("Prüfliste bearbeitet"),
    "review.comment": gettext_lazy("Kommentar geschrieben"),
    "review.request_changes": gettext_lazy("Nachbesserung angefordert"),
    "review.recommend": gettext_lazy("Votum abgegeben"),
    "decision.approval": gettext_lazy("Bewilligt"),
    "decision.partial_approval": gettext_lazy("Teilweise bewilligt"),
    "decision.rejection": gettext_lazy("Abgelehnt"),
    "decision.amendment": gettext_lazy("Bescheid geändert"),
    "decision.remedy_waiver": gettext_lazy("Rechtsbehelfsverzicht erklärt"),
    "decision.terms_copied": gettext_lazy("Fristen der Förderregel in den Bescheid übernommen"),
    "payment_requested": gettext_lazy("Mittelabruf gestellt"),
    "payment_checked": gettext_lazy("Mittelabruf sachlich geprüft"),
    "payment_approved": gettext_lazy("Auszahlung angeordnet"),
    "payment_rejected": gettext_lazy("Mittelabruf abgelehnt"),
    "payout": gettext_lazy("Ausgezahlt"),
    "forwarding_recorded": gettext_lazy("Weiterleitung erfasst"),
    "forwarding_deleted": gettext_lazy("Weiterleitung gelöscht"),
    "proof_opened": gettext_lazy("Verwendungsnachweis begonnen"),
    "proof_saved": gettext_lazy("Verwendungsnachweis gespeichert"),
    "proof_submitted": gettext_lazy("Verwendungsnachweis eingereicht"),
    "proof_checked": gettext_lazy("Verwendungsnachweis geprüft"),
    "proof_returned": gettext_lazy("Verwendungsnachweis zur Nachbesserung zurückgegeben"),
    "rule_created": gettext_lazy("Förderregel angelegt"),
    "rule_changed": gettext_lazy("Förderregel geändert"),
    "call_created": gettext_lazy("Förderaufruf angelegt"),
    "call_changed": gettext_lazy("Förderaufruf geändert"),
    "call_deleted": gettext_lazy("Förderaufruf gelöscht"),
    "budget_created": gettext_lazy("Haushaltsmittel angelegt"),
    "budget_changed": gettext_lazy("Haushaltsmittel geändert"),
    "budget_deleted": gettext_lazy("Haushaltsmittel gelöscht"),
    "demo.seed": gettext_lazy("Demodaten angelegt"),
}
# An action this list does not know yet is still shown, in words rather than as a code.
OTHER_ACTION = gettext_lazy("Bearbeitung")

# Bookkeeping columns and the links to the parent object: they say nothing a reader needs.
HIDDEN_FIELDS = frozenset(
    {
        "id",
        "version",
        "position",
        "updated_at",
        "application",
        "application_year",
        "decision",
        "request",
        "proof",
        "call",
        "municipality",
        "supersedes",
    }
)
PERCENT_FIELDS = frozenset({"rate", "min_own_share_rate"})
# Which snapshot field names an object in the timeline ("Förderjahr 2027"), first one present.
NAMING_FIELDS = ("number", "file_reference", "year", "description", "original_name", "kind")


@dataclass(frozen=True)
class Change:
    field: str
    before: str
    after: str


@dataclass(frozen=True)
class Entry:
    when: datetime
    kind: str
    subject: str  # the object: "Förderjahr des Antrags 2027"
    label: str  # angelegt / geändert / gelöscht
    who: str
    action: str  # what was done, in words: „Mittelabruf gestellt“
    reason: str
    changes: tuple[Change, ...]


@dataclass(frozen=True)
class _Source:
    kind: str
    event_model: type[models.Model]
    # The events of one application: a filter on the snapshot columns. Children are found
    # through their parent's events, so deleted children stay in the timeline.
    lookup: Callable[[int], models.Q]


def _under(parent_event_model, parent_column):
    def lookup(application_id):
        parents = parent_event_model.objects.filter(application_id=application_id).values("id")
        return models.Q(**{f"{parent_column}__in": parents})

    return lookup


def _own(application_id):
    return models.Q(application_id=application_id)


SOURCES = (
    _Source("antrag", funding.Application.pgh_event_model, lambda pk: models.Q(id=pk)),
    _Source("antrag", funding.ApplicationYear.pgh_event_model, _own),
    _Source(
        "antrag",
        funding.CostLine.pgh_event_model,
        _under(funding.ApplicationYear.pgh_event_model, "application_year_id"),
    ),
    _Source("antrag", funding.Attachment.pgh_event_model, _own),
    _Source("kommentar", funding.Comment.pgh_event_model, _own),
    _Source("pruefung", funding.Review.pgh_event_model, _own),
    _Source("bescheid", funding.Decision.pgh_event_model, _own),
    _Source(
        "bescheid",
        funding.DecisionYear.pgh_event_model,
        _under(funding.Decision.pgh_event_model, "decision_id"),
    ),
    _Source("zahlung", funding.PaymentRequest.pgh_event_model, _own),
    _Source(
        "zahlung",
        funding.Payment.pgh_event_model,
        _under(funding.PaymentRequest.pgh_event_model, "request_id"),
    ),
    _Source("zahlung", funding.Forwarding.pgh_event_model, _own),
    _Source("nachweis", funding.ProofOfUse.pgh_event_model, _own),
    _Source(
        "nachweis",
        funding.ProofLine.pgh_event_model,
        _under(funding.ProofOfUse.pgh_event_model, "proof_id"),
    ),
)


def application_timeline(application, *, internal: bool = False, kind: str = "") -> list[Entry]:
    """Every change of the application and its children, newest first.

    `internal` (state office only) adds internal comments and the review; `kind` (a key of
    KINDS) narrows the timeline to one part of the application."""
    rows = []  # (source, shown fields, event values, previous values or None)
    for position, source in enumerate(SOURCES):
        if (kind and source.kind != kind) or (source.kind in INTERNAL_KINDS and not internal):
            continue
        fields = _shown_fields(source.event_model)
        events = source.event_model.objects.filter(source.lookup(application.pk))
        if source.event_model is funding.Comment.pgh_event_model and not internal:
            events = events.exclude(visibility=CommentVisibility.INTERNAL)
        previous = {}
        for event in events.order_by("pgh_id").values(
            "id", "pgh_id", "pgh_label", "pgh_created_at", "pgh_context__metadata", *fields
        ):
            rows.append((position, source, fields, event, previous.get(event["id"])))
            previous[event["id"]] = event
    users = _user_names(rows)
    # Newest first; events of one transaction share their time: parents before children, and
    # of one object the later event first.
    rows.sort(key=lambda row: (-row[3]["pgh_created_at"].timestamp(), row[0], -row[3]["pgh_id"]))
    entries = (_entry(users, *row[1:]) for row in rows)
    return [entry for entry in entries if entry is not None]


def _shown_fields(event_model) -> dict[str, models.Field]:
    tracked = event_model.pgh_tracked_model._meta
    return {
        field.attname: field
        for field in tracked.concrete_fields
        if field.name not in HIDDEN_FIELDS
        and not (field.is_relation and field.related_model is not User)
    }


def _user_names(rows) -> dict[int, str]:
    ids = set()
    for _position, _source, fields, event, _previous in rows:
        ids.add((event["pgh_context__metadata"] or {}).get("user"))
        ids.update(event[name] for name, field in fields.items() if field.is_relation)
    ids.discard(None)
    return {
        user.pk: f"{user.full_name} ({user.email})" if user.full_name else user.email
        for user in User.objects.filter(pk__in=ids).only("pk", "email", "full_name")
    }


def _entry(users, source, fields, event, previous) -> Entry | None:
    label = event["pgh_label"]
    changes = []
    for name, field in fields.items():
        after = event[name]
        if label == "update" and previous is not None:
            before = previous[name]
            if before == after:
                continue
        else:
            before = None
        if label == "delete":
            before, after = after, None
        if before in (None, "", [], {}) and after in (None, "", [], {}):
            continue
        changes.append(
            Change(
                str(field.verbose_name),
                _format(field, before, users),
                _format(field, after, users),
            )
        )
    if label == "update" and not changes:
        return None  # only bookkeeping columns changed (version, updated_at)
    context = event["pgh_context__metadata"] or {}
    user_id = context.get("user")
    return Entry(
        when=event["pgh_created_at"],
        kind=source.kind,
        subject=_subject(source.event_model, event),
        label=str(LABELS.get(label, label)),
        who=users.get(user_id, _("unbekannt")) if user_id else _("System"),
        action=action_label(context.get("action", "")),
        reason=context.get("reason", ""),
        changes=tuple(changes),
    )


def action_label(action: str) -> str:
    """The German words for an action name of the services; none for a write without one."""
    if not action:
        return ""
    return str(ACTIONS.get(action, OTHER_ACTION))


def _subject(event_model, event) -> str:
    name = str(event_model.pgh_tracked_model._meta.verbose_name)
    for field in NAMING_FIELDS:
        if event.get(field) not in (None, ""):
            return f"{name} {event[field]}"
    return name


def _format(field: models.Field, value, users) -> str:
    if value in (None, "", [], {}):
        return "–"
    if field.is_relation:
        return users.get(value, str(value))
    if field.choices:
        return str(dict(field.flatchoices).get(value, value))
    if isinstance(field, ArrayField):
        return ", ".join(_format(field.base_field, item, users) for item in value)
    if isinstance(value, bool):
        return _("ja") if value else _("nein")
    if isinstance(value, Decimal):
        if field.name in PERCENT_FIELDS:
            return f"{formats.number_format(value * 100, decimal_pos=2, use_l10n=True)} %"
        if field.max_digits == MONEY["max_digits"] and field.decimal_places == 2:
            return format_euro(value)
        return formats.number_format(value, use_l10n=True)
    if isinstance(value, datetime):
        return formats.date_format(timezone.localtime(value), "SHORT_DATETIME_FORMAT")
    if isinstance(value, date):
        return formats.date_format(value, "SHORT_DATE_FORMAT")
    if isinstance(value, (dict, list)):
        return json.dumps(value, ensure_ascii=False, sort_keys=True)
    return str(value)
