"""The coordinator's side of an application (issue 3 §3): create, edit the financing plan,
attach documents, submit, resubmit and withdraw.

Every write locks the application row, re-checks its state inside the lock, refuses stale edits
(`Application.version`) and is attributed for the audit trail. Money is computed by funding.money
with the rule in force for each year; nothing here rounds or sums on its own terms.
"""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation
from uuid import uuid4

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from funding import money
from funding.models import (
    EDITABLE_STATUSES,
    REQUIRED_ATTACHMENTS,
    Application,
    ApplicationStatus,
    ApplicationYear,
    Attachment,
    AttachmentKind,
    Call,
    CostCategory,
    CostLine,
    Submission,
)
from funding.permissions import can_apply
from funding.services.audit import attributed
from funding.services.errors import FundingError, StaleEditError
from funding.services.notifications import REVIEWERS, notify
from funding.services.rules import terms_for
from municipalities.models import Municipality

WITHDRAWABLE_STATUSES = (
    ApplicationStatus.DRAFT,
    ApplicationStatus.SUBMITTED,
    ApplicationStatus.IN_REVIEW,
    ApplicationStatus.CHANGES_REQUESTED,
    ApplicationStatus.RECOMMENDED,
)

# Accepted attachment types, recognised by their first bytes – a name or a declared type
# costs an uploader nothing to fake.
FILE_SIGNATURES = (
    (b"%PDF-", "application/pdf", "pdf"),
    (b"\x89PNG\r\n\x1a\n", "image/png", "png"),
    (b"\xff\xd8\xff", "image/jpeg", "jpg"),
)


# --- reads ----------------------------------------------------------------------------------


def open_calls(today: date):
    """Calls whose application window includes `today`."""
    return Call.objects.filter(opens_on__lte=today, closes_on__gte=today).select_related(
        "programme"
    )


def window_open(call: Call, today: date) -> bool:
    return call.opens_on <= today <= call.closes_on


@dataclass(frozen=True)
class PlanFigures:
    """The figures of one year's financing plan, as the live preview and the checks use them."""

    total_costs: Decimal
    eligible_costs: Decimal
    grant: Decimal
    co_financing: Decimal
    minimum_own_share: Decimal
    own_funds: Decimal
    third_party_funds: Decimal
    # eligible costs − (grant + own funds + third-party funds); zero when the plan balances.
    difference: Decimal

    @property
    def other_income(self) -> Decimal:
        return self.own_funds + self.third_party_funds

    @property
    def shortfall(self) -> Decimal:
        return max(self.difference, money.ZERO)

    @property
    def excess(self) -> Decimal:
        return max(-self.difference, money.ZERO)

    @property
    def balances(self) -> bool:
        return self.difference == money.ZERO

    @property
    def own_share_sufficient(self) -> bool:
        return self.own_funds >= self.minimum_own_share


def line_amount(line: dict) -> Decimal:
    """A personnel line with monthly cost, FTE and months is priced by the money rules; any
    other line carries its amount."""
    if line.get("category") == CostCategory.PERSONNEL and all(
        line.get(key) not in (None, "") for key in ("monthly_cost", "fte", "months")
    ):
        return money.personnel_cost(
            monthly_cost=line["monthly_cost"], fte=line["fte"], months=int(line["months"])
        )
    return money.cents(line.get("amount") or money.ZERO)


def plan_figures(
    *,
    terms: money.Terms,
    lines: list[dict],
    own_funds: Decimal,
    third_party_funds: Decimal,
) -> PlanFigures:
    """What a plan adds up to under the rule: pure, so the preview can run it on every
    keystroke without touching the database."""
    amounts = [(line.get("category"), line_amount(line)) for line in lines]
    own = money.cents(own_funds or money.ZERO)
    third = money.cents(third_party_funds or money.ZERO)
    eligible = money.eligible_costs(amounts, terms)
    grant = money.grant(eligible=eligible, terms=terms, own_funds=own, third_party=third)
    return PlanFigures(
        total_costs=sum((amount for _category, amount in amounts), money.ZERO),
        eligible_costs=eligible,
        grant=grant,
        co_financing=money.co_financing(eligible=eligible, grant_amount=grant),
        minimum_own_share=money.minimum_own_share(eligible=eligible, terms=terms),
        own_funds=own,
        third_party_funds=third,
        difference=eligible - grant - own - third,
    )


def year_figures(application: Application, plan: ApplicationYear, lines=None) -> PlanFigures:
    """The figures of a stored year (lines as stored unless given)."""
    lines = plan.cost_lines.all() if lines is None else lines
    return plan_figures(
        terms=terms_for(application.call.programme, plan.year),
        lines=[{"category": line.category, "amount": line.amount} for line in lines],
        own_funds=plan.own_funds,
        third_party_funds=plan.third_party_funds,
    )


def submission_gaps(application: Application, *, today: date | None = None) -> list[str]:
    """Everything that keeps the application from being submitted, each said so that the
    coordinator knows what to do."""
    today = today or timezone.localdate()
    gaps = []
    if not application.purpose.strip():
        gaps.append(_("Beschreiben Sie das Vorhaben und den Zuwendungszweck."))
    if not application.contact_name.strip() or not application.contact_email.strip():
        gaps.append(_("Nennen Sie eine Ansprechperson mit E-Mail-Adresse."))
    if application.forwarding_requested and not application.forwarding_recipient.strip():
        gaps.append(_("Nennen Sie den Empfänger der beabsichtigten Weiterleitung."))
    for plan in application.years.prefetch_related("cost_lines").order_by("year"):
        gaps.extend(_year_gaps(application, plan))
    present = set(application.attachments.values_list("kind", flat=True))
    for kind in REQUIRED_ATTACHMENTS:
        if kind not in present:
            gaps.append(_("Die Anlage „%(kind)s“ fehlt.") % {"kind": AttachmentKind(kind).label})
    if application.status == ApplicationStatus.DRAFT and not window_open(application.call, today):
        gaps.append(
            _("Die Antragsfrist des Förderaufrufs (%(start)s bis %(end)s) ist nicht offen.")
            % {
                "start": application.call.opens_on.strftime("%d.%m.%Y"),
                "end": application.call.closes_on.strftime("%d.%m.%Y"),
            }
        )
    return gaps


def _year_gaps(application: Application, plan: ApplicationYear) -> list[str]:
    lines = list(plan.cost_lines.all())
    if not lines:
        return [
            _("Für %(year)s fehlen Ausgabenpositionen im Finanzierungsplan.") % {"year": plan.year}
        ]
    figures = year_figures(application, plan, lines)
    if figures.eligible_costs == money.ZERO:
        return [
            _(
                "Für %(year)s enthält der Finanzierungsplan keine zuwendungsfähigen Ausgaben; "
                "gefördert werden nur: %(categories)s."
            )
            % {"year": plan.year, "categories": _eligible_labels(application, plan.year)}
        ]
    gaps = []
    if not figures.balances:
        gaps.append(_balance_gap(plan.year, figures))
    if not figures.own_share_sufficient:
        gaps.append(
            _(
                "%(year)s: Die Eigenmittel (%(own)s) liegen unter dem Mindest-Eigenanteil von "
                "%(minimum)s."
            )
            % {
                "year": plan.year,
                "own": money.format_euro(figures.own_funds),
                "minimum": money.format_euro(figures.minimum_own_share),
            }
        )
    return gaps


def _balance_gap(year: int, figures: PlanFigures) -> str:
    values = {
        "year": year,
        "eligible": money.format_euro(figures.eligible_costs),
        "income": money.format_euro(figures.grant + figures.own_funds + figures.third_party_funds),
        "difference": money.format_euro(abs(figures.difference)),
    }
    if figures.difference > 0:
        return (
            _(
                "%(year)s: Der Finanzierungsplan ist nicht ausgeglichen – den "
                "zuwendungsfähigen Ausgaben von %(eligible)s stehen nur %(income)s gegenüber; "
                "es fehlen %(difference)s an Eigen- oder Drittmitteln."
            )
            % values
        )
    return (
        _(
            "%(year)s: Der Finanzierungsplan ist nicht ausgeglichen – Zuwendung, Eigen- und "
            "Drittmittel (%(income)s) übersteigen die zuwendungsfähigen Ausgaben von "
            "%(eligible)s um %(difference)s."
        )
        % values
    )


def _eligible_labels(application: Application, year: int) -> str:
    terms = terms_for(application.call.programme, year)
    return ", ".join(
        str(label) for value, label in CostCategory.choices if value in terms.eligible_categories
    )


def plan_data(plan: ApplicationYear) -> dict:
    """One year of the plan as JSON-ready data (money as decimal strings)."""
    return {
        "year": plan.year,
        "own_funds": str(plan.own_funds),
        "third_party_funds": str(plan.third_party_funds),
        "third_party_note": plan.third_party_note,
        "eligible_costs": str(plan.eligible_costs),
        "requested_grant": str(plan.requested_grant),
        "lines": [
            {
                "category": line.category,
                "description": line.description,
                "pay_grade": line.pay_grade,
                "fte": None if line.fte is None else str(line.fte),
                "months": line.months,
                "monthly_cost": None if line.monthly_cost is None else str(line.monthly_cost),
                "amount": str(line.amount),
            }
            for line in plan.cost_lines.all()
        ],
    }


def snapshot(application: Application) -> dict:
    """The application as submitted, JSON-serialisable (money as decimal strings), so a
    reviewer can compare a resubmission with what came before."""
    years = [
        plan_data(plan)
        for plan in application.years.prefetch_related("cost_lines").order_by("year")
    ]
    return {
        "purpose": application.purpose,
        "contact_name": application.contact_name,
        "contact_email": application.contact_email,
        "forwarding_requested": application.forwarding_requested,
        "forwarding_recipient": application.forwarding_recipient,
        "years": years,
        "attachments": [
            {"kind": kind, "name": name}
            for kind, name in application.attachments.order_by("kind", "uploaded_at").values_list(
                "kind", "original_name"
            )
        ],
    }


# --- writes ---------------------------------------------------------------------------------


def _require_coordinator(actor, municipality_id: int) -> None:
    # Views fetch through the permission module already; the service holds the rule itself so
    # the API, a task or the shell cannot bypass it.
    if not can_apply(actor, municipality_id):
        raise FundingError(_("Nur die Koordination der Kommune kann ihre Anträge bearbeiten."))


def _locked(application: Application, actor, expected_version: int | None = None) -> Application:
    """The application's row, locked for the rest of the transaction and re-read, so checks
    below see what is really stored."""
    _require_coordinator(actor, application.municipality_id)
    locked = (
        Application.objects.select_for_update(of=("self",))
        .select_related("call__programme", "municipality")
        .get(pk=application.pk)
    )
    if expected_version is not None and locked.version != expected_version:
        raise StaleEditError(
            _(
                "Der Antrag wurde inzwischen von jemand anderem geändert. Bitte laden Sie die "
                "Seite neu und übernehmen Sie Ihre Eingaben erneut."
            )
        )
    return locked


def _require_editable(application: Application) -> None:
    if application.status not in EDITABLE_STATUSES:
        raise FundingError(
            _(
                "Der Antrag ist %(status)s und kann nicht mehr geändert werden; Änderungen sind "
                "nur im Entwurf oder nach einer Nachbesserungsanforderung möglich."
            )
            % {"status": application.get_status_display()}
        )


def _bump(application: Application, *fields: str) -> None:
    application.version += 1
    application.save(update_fields=[*fields, "version"])


def _refresh_caller(original: Application, locked: Application) -> Application:
    # The caller's object reflects the change, so a view can render it without reloading.
    if original is not locked:
        original.__dict__.update(
            {k: v for k, v in locked.__dict__.items() if not k.startswith("_")}
        )
    return locked


@transaction.atomic
def create_application(
    *, call: Call, municipality: Municipality, actor, today: date | None = None
) -> Application:
    """A draft for the municipality in the call, with an empty plan for each year of it."""
    today = today or timezone.localdate()
    _require_coordinator(actor, municipality.pk)
    if not window_open(call, today):
        raise FundingError(
            _("Die Antragsfrist von „%(call)s“ läuft vom %(start)s bis %(end)s.")
            % {
                "call": call.title,
                "start": call.opens_on.strftime("%d.%m.%Y"),
                "end": call.closes_on.strftime("%d.%m.%Y"),
            }
        )
    # One writer per municipality at a time keeps the running number free of races.
    Municipality.objects.select_for_update().filter(pk=municipality.pk).first()
    prefix = f"{call.programme.short_name.replace(' ', '')}-{call.first_year}-{municipality.ags}-"
    taken = set(
        Application.objects.filter(number__startswith=prefix).values_list("number", flat=True)
    )
    sequence = len(taken) + 1
    while f"{prefix}{sequence}" in taken:  # a number freed by a deletion is never reused
        sequence += 1
    number = f"{prefix}{sequence}"
    try:
        with transaction.atomic(), attributed(actor=actor, action="application.create"):
            application = Application.objects.create(
                call=call,
                municipality=municipality,
                number=number,
                created_by=actor,
                contact_email=actor.email,
                contact_name=actor.get_full_name(),
            )
            ApplicationYear.objects.bulk_create(
                ApplicationYear(application=application, year=year) for year in call.years
            )
    except IntegrityError:
        raise FundingError(
            _(
                "%(municipality)s hat in „%(call)s“ bereits einen laufenden Antrag. Bearbeiten "
                "Sie diesen oder ziehen Sie ihn zurück, bevor Sie einen neuen stellen."
            )
            % {"municipality": municipality.short_name, "call": call.title}
        ) from None
    return application


@transaction.atomic
def update_application(
    *,
    application: Application,
    actor,
    expected_version: int,
    purpose: str,
    contact_name: str,
    contact_email: str,
    forwarding_requested: bool,
    forwarding_recipient: str,
) -> Application:
    locked = _locked(application, actor, expected_version)
    _require_editable(locked)
    locked.purpose = purpose.strip()
    locked.contact_name = contact_name.strip()
    locked.contact_email = contact_email.strip()
    locked.forwarding_requested = forwarding_requested
    locked.forwarding_recipient = forwarding_recipient.strip() if forwarding_requested else ""
    with attributed(actor=actor, action="application.update"):
        _bump(
            locked,
            "purpose",
            "contact_name",
            "contact_email",
            "forwarding_requested",
            "forwarding_recipient",
        )
    return _refresh_caller(application, locked)


def _clean_lines(lines: list[dict]) -> list[dict]:
    cleaned = []
    for index, line in enumerate(lines, start=1):
        if line.get("category") not in CostCategory.values:
            raise FundingError(_("Position %(n)s: Bitte eine Ausgabeart wählen.") % {"n": index})
        if not (line.get("description") or "").strip():
            raise FundingError(_("Position %(n)s: Bitte eine Bezeichnung angeben.") % {"n": index})
        try:
            amount = line_amount(line)
        except (InvalidOperation, TypeError, ValueError):
            raise FundingError(
                _("Position %(n)s: Betrag, Stellenanteil oder Monate sind keine Zahlen.")
                % {"n": index}
            ) from None
        if amount < 0:
            raise FundingError(
                _("Position %(n)s: Beträge dürfen nicht negativ sein.") % {"n": index}
            )
        cleaned.append(
            {
                "category": line["category"],
                "description": line["description"].strip(),
                "pay_grade": (line.get("pay_grade") or "").strip(),
                "fte": line.get("fte") or None,
                "months": line.get("months") or None,
                "monthly_cost": line.get("monthly_cost") or None,
                "amount": amount,
                "position": index,
            }
        )
    return cleaned


@transaction.atomic
def save_year_plan(
    *,
    application: Application,
    year: int,
    actor,
    expected_version: int,
    own_funds: Decimal,
    third_party_funds: Decimal,
    third_party_note: str,
    lines: list[dict],
) -> ApplicationYear:
    """Replace the year's cost lines and income; eligible costs and the requested grant are
    recomputed by the rule of that year."""
    locked = _locked(application, actor, expected_version)
    _require_editable(locked)
    plan = ApplicationYear.objects.filter(application=locked, year=year).first()
    if plan is None:
        raise FundingError(
            _("%(year)s gehört nicht zu den Förderjahren dieses Antrags.") % {"year": year}
        )
    if own_funds < 0 or third_party_funds < 0:
        raise FundingError(_("Eigen- und Drittmittel dürfen nicht negativ sein."))
    cleaned = _clean_lines(lines)
    figures = plan_figures(
        terms=terms_for(locked.call.programme, year),
        lines=cleaned,
        own_funds=own_funds,
        third_party_funds=third_party_funds,
    )
    with attributed(actor=actor, action="application.plan", reason=str(year)):
        plan.cost_lines.all().delete()
        CostLine.objects.bulk_create(CostLine(application_year=plan, **line) for line in cleaned)
        plan.own_funds = figures.own_funds
        plan.third_party_funds = figures.third_party_funds
        plan.third_party_note = third_party_note.strip()
        plan.eligible_costs = figures.eligible_costs
        plan.requested_grant = figures.grant
        plan.save()
        _bump(locked)
    _refresh_caller(application, locked)
    return plan


def _sniff(uploaded_file) -> tuple[str, str] | None:
    uploaded_file.seek(0)
    head = uploaded_file.read(16)
    uploaded_file.seek(0)
    for signature, content_type, extension in FILE_SIGNATURES:
        if head.startswith(signature):
            return content_type, extension
    return None


@transaction.atomic
def add_attachment(*, application: Application, kind: str, uploaded_file, actor) -> Attachment:
    """Store an attachment after checking what it really is (PDF, PNG or JPEG by content) and
    its size. Stored under a random name: the uploader's name is kept for display only."""
    if kind not in AttachmentKind.values:
        raise FundingError(_("Bitte wählen Sie die Art der Anlage."))
    limit = settings.FUNDING_ATTACHMENT_MAX_BYTES
    if uploaded_file.size > limit:
        raise FundingError(
            _("Die Datei ist %(size)s MB groß; erlaubt sind höchstens %(limit)s MB.")
            % {
                "size": f"{uploaded_file.size / 1024 / 1024:.1f}".replace(".", ","),
                "limit": limit // (1024 * 1024),
            }
        )
    if uploaded_file.size == 0:
        raise FundingError(_("Die Datei ist leer."))
    detected = _sniff(uploaded_file)
    if detected is None:
        raise FundingError(
            _(
                "„%(name)s“ ist kein PDF-, PNG- oder JPEG-Dokument. Bitte laden Sie die Anlage "
                "als PDF oder als Bild (PNG, JPEG) hoch."
            )
            % {"name": uploaded_file.name}
        )
    content_type, extension = detected
    locked = _locked(application, actor)
    _require_editable(locked)
    with attributed(actor=actor, action="application.attachment.add", reason=kind):
        attachment = Attachment(
            application=locked,
            kind=kind,
            original_name=(uploaded_file.name or "")[-200:] or f"anlage.{extension}",
            content_type=content_type,
            size=uploaded_file.size,
            uploaded_by=actor,
        )
        attachment.file.save(
            f"{uuid4().hex}.{extension}", ContentFile(uploaded_file.read()), save=False
        )
        try:
            attachment.save()
            _bump(locked)
        except Exception:
            # A refused row must not leave its file behind.
            attachment.file.delete(save=False)
            raise
    _refresh_caller(application, locked)
    return attachment


@transaction.atomic
def remove_attachment(*, attachment: Attachment, actor) -> None:
    locked = _locked(attachment.application, actor)
    _require_editable(locked)
    name, storage = attachment.file.name, attachment.file.storage
    with attributed(actor=actor, action="application.attachment.remove", reason=attachment.kind):
        Attachment.objects.filter(pk=attachment.pk, application=locked).delete()
        _bump(locked)
    # The file goes only once the row is gone for good.
    transaction.on_commit(lambda: storage.delete(name))
    _refresh_caller(attachment.application, locked)


@transaction.atomic
def submit(*, application: Application, actor, expected_version: int) -> Submission:
    """Submit a draft, or resubmit after the reviewer asked for changes. Refused with every gap
    listed; the snapshot keeps what was submitted for the reviewer's comparison."""
    locked = _locked(application, actor, expected_version)
    _require_editable(locked)
    gaps = submission_gaps(locked)
    if gaps:
        raise FundingError(gaps)
    resubmission = locked.status == ApplicationStatus.CHANGES_REQUESTED
    number = locked.submissions.count() + 1
    with attributed(
        actor=actor, action="application.resubmit" if resubmission else "application.submit"
    ):
        submission = Submission.objects.create(
            application=locked, number=number, snapshot=snapshot(locked), submitted_by=actor
        )
        locked.status = ApplicationStatus.SUBMITTED
        locked.submitted_at = timezone.now()
        _bump(locked, "status", "submitted_at")
    notify(
        event="application_resubmitted" if resubmission else "application_submitted",
        application=locked,
        audience=REVIEWERS,
        actor=actor,
        context={"submission": submission},
    )
    _refresh_caller(application, locked)
    return submission


@transaction.atomic
def withdraw(*, application: Application, actor, reason: str) -> Application:
    """Withdraw the application before a decision. The reason is kept in the audit trail."""
    locked = _locked(application, actor)
    if locked.status not in WITHDRAWABLE_STATUSES:
        raise FundingError(
            _("Der Antrag ist %(status)s und kann nicht mehr zurückgezogen werden.")
            % {"status": locked.get_status_display()}
        )
    reason = reason.strip()
    if not reason:
        raise FundingError(_("Bitte nennen Sie einen Grund für die Rücknahme."))
    was_submitted = locked.status != ApplicationStatus.DRAFT
    with attributed(actor=actor, action="application.withdraw", reason=reason):
        locked.status = ApplicationStatus.WITHDRAWN
        _bump(locked, "status")
    if was_submitted:
        notify(
            event="application_withdrawn",
            application=locked,
            audience=REVIEWERS,
            actor=actor,
            context={"reason": reason},
        )
    return _refresh_caller(application, locked)
