"""Decisions (Bescheide, issue 3 §5): approval in full or in part, rejection, amendment, and the
waiver of legal remedy.

Rules enforced here, whatever interface asks:
- only the granting authority decides (state_approver), never someone who reviewed the same
  application (four-eyes, DESIGN.md §4);
- a decision needs the reviewer's recommendation (Votum): the application is RECOMMENDED;
- a grant for a year is only possible against that year's *secured* budget, and the sum of
  current grants never exceeds it (DESIGN.md §1: the 2017 failure must not happen again);
- two approvers deciding at once produce exactly one decision: the application row is locked,
  its state re-checked inside the lock, and the budget rows are locked before the coverage is
  read, so the second approver sees the first one's grant.
"""

import calendar
from datetime import date, timedelta
from decimal import Decimal

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from funding import coverage
from funding.models import (
    Application,
    ApplicationStatus,
    Decision,
    DecisionKind,
    DecisionYear,
    DocumentKind,
    FileReferenceCounter,
)
from funding.money import ZERO, cents, format_euro
from funding.permissions import can_apply, is_approver
from funding.services import documents
from funding.services.audit import attributed
from funding.services.errors import FundingError, StaleEditError
from funding.services.notifications import APPROVERS, MUNICIPALITY, REVIEWERS, notify
from funding.services.proofs import proof_due_on
from funding.services.review import reviewers_of
from funding.services.rules import rule_for

# § 41 Abs. 2 VwVfG NRW: a Bescheid sent by post counts as made known on the fourth day after
# posting; the action (Klage) must be brought within one month of that (§ 74 VwGO).
NOTICE_DAYS = 4
REMEDY_MONTHS = 1

KIND_STATUS = {
    DecisionKind.APPROVAL: ApplicationStatus.APPROVED,
    DecisionKind.PARTIAL_APPROVAL: ApplicationStatus.PARTIALLY_APPROVED,
    DecisionKind.REJECTION: ApplicationStatus.REJECTED,
}


def may_decide(application, actor) -> bool:
    """Whether the actor may decide this application at all: an approver who did not review
    it. (Whether its state allows a decision now is checked under the lock.)"""
    return is_approver(actor) and actor.pk not in reviewers_of(application)


def add_months(day: date, months: int) -> date:
    """The same day `months` later; the month's last day where it has none (§ 188 Abs. 3 BGB)."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def final_on(decided_on: date) -> date:
    """When a Bescheid becomes final (bestandskräftig) unless an action is brought."""
    return add_months(decided_on + timedelta(days=NOTICE_DAYS), REMEDY_MONTHS)


def _check_approver(application, actor) -> None:
    if not is_approver(actor):
        raise FundingError(_("Nur die Bewilligungsbehörde kann über Anträge entscheiden."))
    if actor.pk in reviewers_of(application):
        raise FundingError(
            _(
                "Sie haben diesen Antrag geprüft und dürfen deshalb nicht über ihn entscheiden "
                "(Vier-Augen-Prinzip). Bitte übergeben Sie die Entscheidung an eine andere "
                "Person der Bewilligungsbehörde."
            )
        )


def _locked_application(application) -> Application:
    return (
        Application.objects.select_for_update(of=("self",))
        .select_related("call__programme", "municipality")
        .get(pk=application.pk)
    )


def _check_version(application, version: int | None) -> None:
    if version is not None and version != application.version:
        raise StaleEditError(
            _(
                "Der Antrag wurde inzwischen geändert. Bitte laden Sie die Seite neu und "
                "prüfen Sie die Entscheidung erneut."
            )
        )


def check_coverage(
    *, programme, grants: dict[int, Decimal], released: dict[int, Decimal] | None = None
) -> None:
    """Refuse grants that no secured budget covers, naming every year and amount at once.

    Locks the years' budget rows first, so the committed sums read here cannot change until
    the caller's transaction ends. `released` are the grants of a decision being replaced."""
    years = sorted(year for year, amount in grants.items() if amount > ZERO)
    if not years:
        return
    coverage.lock_budgets(programme.pk, years)
    by_year = coverage.year_coverage(programme.pk, years)
    released = released or {}
    problems = []
    for year in years:
        entry = by_year[year]
        if not entry.is_secured:
            problems.append(
                _(
                    "Für %(year)s sind keine Haushaltsmittel gesichert – nur geplant "
                    "(%(planned)s). Eine Bewilligung ist erst möglich, wenn die Mittel "
                    "veranschlagt oder durch eine Verpflichtungsermächtigung gedeckt sind."
                )
                % {"year": year, "planned": format_euro(entry.planned)}
            )
            continue
        committed = entry.committed - released.get(year, ZERO)
        excess = committed + grants[year] - entry.secured
        if excess > ZERO:
            problems.append(
                _(
                    "Die Zuwendung für %(year)s (%(grant)s) würde die gesicherten Mittel "
                    "%(year)s um %(excess)s überschreiten (gesichert %(secured)s, bereits "
                    "bewilligt %(committed)s)."
                )
                % {
                    "year": year,
                    "grant": format_euro(grants[year]),
                    "excess": format_euro(excess),
                    "secured": format_euro(entry.secured),
                    "committed": format_euro(committed),
                }
            )
    if problems:
        raise FundingError(" ".join(problems))


def _plan(application) -> dict[int, object]:
    return {plan.year: plan for plan in application.years.all()}


def _checked_grants(plan: dict, grants: dict | None) -> dict[int, Decimal]:
    """Grants per year as given for a partial approval or an amendment: every year one of the
    application, none above what was applied for, at least one year with money."""
    grants = grants or {}
    unknown = sorted(set(grants) - set(plan))
    if unknown:
        raise FundingError(
            _("Für %(years)s wurde keine Zuwendung beantragt.")
            % {"years": ", ".join(str(year) for year in unknown)}
        )
    result = {}
    for year in sorted(plan):
        amount = cents(grants.get(year) or ZERO)
        if amount < ZERO:
            raise FundingError(
                _("Die Zuwendung für %(year)s darf nicht negativ sein.") % {"year": year}
            )
        if amount > plan[year].requested_grant:
            raise FundingError(
                _(
                    "Die Zuwendung für %(year)s (%(grant)s) übersteigt die beantragte "
                    "Zuwendung (%(requested)s)."
                )
                % {
                    "year": year,
                    "grant": format_euro(amount),
                    "requested": format_euro(plan[year].requested_grant),
                }
            )
        result[year] = amount
    if not any(result.values()):
        raise FundingError(_("Bitte geben Sie für mindestens ein Jahr eine Zuwendung über 0 € an."))
    return result


def _grants_for(kind: str, plan: dict, grants: dict | None) -> dict[int, Decimal]:
    if kind == DecisionKind.APPROVAL:
        return {year: plan[year].requested_grant for year in sorted(plan)}
    if kind == DecisionKind.REJECTION:
        return {}
    checked = _checked_grants(plan, grants)
    if all(checked[year] == plan[year].requested_grant for year in plan):
        raise FundingError(
            _(
                "Die Zuwendungen entsprechen in jedem Jahr dem Antrag. Bitte wählen Sie "
                "„Bewilligung in voller Höhe“."
            )
        )
    return checked


def _file_reference(application, first_year: int) -> str:
    """The next Aktenzeichen of the programme and year, e.g. KeKiz-2027/0042."""
    programme = application.call.programme
    counter, _created = FileReferenceCounter.objects.select_for_update().get_or_create(
        programme=programme, year=first_year
    )
    counter.last_number += 1
    counter.save(update_fields=["last_number"])
    return f"{programme.short_name}-{first_year}/{counter.last_number:04d}"


def _period(grants: dict[int, Decimal]) -> tuple[date | None, date | None]:
    years = [year for year, amount in grants.items() if amount > ZERO]
    if not years:
        return None, None
    return date(min(years), 1, 1), date(max(years), 12, 31)


def _create(*, application, plan, grants, actor, reasons, **fields) -> Decision:
    now = timezone.now()
    period_start, period_end = _period(grants)
    try:
        with transaction.atomic():
            decision = Decision.objects.create(
                application=application,
                decided_by=actor,
                decided_at=now,
                reasons=reasons,
                period_start=period_start,
                period_end=period_end,
                final_on=final_on(timezone.localdate(now)),
                **fields,
            )
    except IntegrityError:
        raise FundingError(
            _(
                "Über diesen Antrag wurde soeben von einer anderen Person entschieden. Bitte "
                "laden Sie die Seite neu."
            )
        ) from None
    DecisionYear.objects.bulk_create(
        DecisionYear(
            decision=decision,
            year=year,
            eligible_costs=plan[year].eligible_costs,
            grant=amount,
        )
        for year, amount in sorted(grants.items())
        if amount > ZERO
    )
    return decision


def _close(application, *, status: str) -> None:
    application.status = status
    application.decided_at = timezone.now()
    application.version += 1
    application.save(update_fields=["status", "decided_at", "version"])


def _announce(decision, *, event: str, actor) -> None:
    application = decision.application
    context = {"decision": decision}
    notify(
        event=event, application=application, audience=MUNICIPALITY, actor=actor, context=context
    )
    notify(event=event, application=application, audience=REVIEWERS, actor=actor, context=context)
    documents.request_document(
        kind=DocumentKind.BESCHEID,
        municipality=application.municipality,
        actor=actor,
        decision=decision,
    )


@transaction.atomic
def decide(
    *,
    application,
    actor,
    kind: str,
    grants: dict[int, Decimal] | None,
    reasons: str,
    forwarding_allowed: bool,
    version: int | None = None,
) -> Decision:
    """Decide a recommended application: approval in full (the requested grant of every year),
    partial approval (`grants` per year) or rejection. `version` is the application's version
    the approver saw; a stale one is refused."""
    if kind not in KIND_STATUS:
        raise FundingError(_("Bitte wählen Sie Bewilligung, Teilbewilligung oder Ablehnung."))
    reasons = (reasons or "").strip()
    application = _locked_application(application)
    _check_approver(application, actor)
    _check_version(application, version)
    if application.status != ApplicationStatus.RECOMMENDED:
        raise FundingError(
            _(
                "Über den Antrag kann erst entschieden werden, wenn das Votum der Prüfung "
                "vorliegt (Status jetzt: %(status)s)."
            )
            % {"status": application.get_status_display()}
        )
    if kind != DecisionKind.APPROVAL and not reasons:
        raise FundingError(
            _(
                "Bitte begründen Sie die Entscheidung: Eine Teilbewilligung oder Ablehnung "
                "muss begründet werden (§ 39 VwVfG NRW)."
            )
        )
    plan = _plan(application)
    if not plan:
        raise FundingError(_("Der Antrag enthält kein Förderjahr."))
    grants = _grants_for(kind, plan, grants)
    programme = application.call.programme
    check_coverage(programme=programme, grants=grants)
    first_year = min(plan)
    rule = rule_for(programme, first_year)
    with attributed(actor=actor, action=f"decision.{kind}", reason=reasons):
        decision = _create(
            application=application,
            plan=plan,
            grants=grants,
            actor=actor,
            reasons=reasons,
            kind=kind,
            file_reference=_file_reference(application, first_year),
            financing_type=rule.financing_type,
            rate=rule.rate,
            yearly_cap=rule.yearly_cap,
            purpose=application.purpose or rule.purpose,
            conditions=rule.conditions,
            payment_window_months=rule.payment_window_months,
            proof_deadline_months=rule.proof_deadline_months,
            forwarding_allowed=forwarding_allowed and kind != DecisionKind.REJECTION,
        )
        _close(application, status=KIND_STATUS[kind])
    _announce(decision, event="decision_made", actor=actor)
    return decision


@transaction.atomic
def amend(*, decision, actor, grants: dict[int, Decimal], reasons: str) -> Decision:
    """An Änderungsbescheid: new grants per year replace those of the current approval. The
    old decision stays as it was (no longer current), the coverage is checked on the new
    amounts with the old ones released."""
    reasons = (reasons or "").strip()
    application = _locked_application(decision.application)
    _check_approver(application, actor)
    old = Decision.objects.select_for_update().filter(pk=decision.pk).first()
    if old is None or not old.is_current or not old.grants_money:
        raise FundingError(
            _(
                "Nur die geltende Bewilligung eines Antrags kann geändert werden. Bitte "
                "laden Sie die Seite neu."
            )
        )
    if not reasons:
        raise FundingError(_("Bitte begründen Sie die Änderung des Bescheides."))
    plan = _plan(application)
    grants = _checked_grants(plan, grants)
    current = dict(old.years.values_list("year", "grant"))
    if all(grants[year] == current.get(year, ZERO) for year in grants):
        raise FundingError(
            _("Die Zuwendungen sind dieselben wie im geltenden Bescheid. Es gibt nichts zu ändern.")
        )
    check_coverage(programme=application.call.programme, grants=grants, released=current)
    amendments = Decision.objects.filter(
        application=application, kind=DecisionKind.AMENDMENT
    ).count()
    root = old
    while root.supersedes_id is not None:
        root = root.supersedes
    with attributed(actor=actor, action="decision.amendment", reason=reasons):
        old.is_current = False
        old.save(update_fields=["is_current"])
        new = _create(
            application=application,
            plan=plan,
            grants=grants,
            actor=actor,
            reasons=reasons,
            kind=DecisionKind.AMENDMENT,
            supersedes=old,
            file_reference=f"{root.file_reference}-Ä{amendments + 1}",
            financing_type=old.financing_type,
            rate=old.rate,
            yearly_cap=old.yearly_cap,
            purpose=old.purpose,
            conditions=old.conditions,
            payment_window_months=old.payment_window_months,
            proof_deadline_months=old.proof_deadline_months,
            forwarding_allowed=old.forwarding_allowed,
        )
        in_full = all(grants[year] == plan[year].requested_grant for year in plan)
        _close(
            application,
            status=ApplicationStatus.APPROVED if in_full else ApplicationStatus.PARTIALLY_APPROVED,
        )
    _announce(new, event="decision_amended", actor=actor)
    return new


@transaction.atomic
def declare_remedy_waiver(*, decision, actor) -> Decision:
    """The municipality waives its legal remedy (Rechtsbehelfsverzicht): the Bescheid is final
    from today instead of after the one-month period."""
    decision = (
        Decision.objects.select_for_update(of=("self",))
        .select_related("application__municipality", "application__call__programme")
        .get(pk=decision.pk)
    )
    application = decision.application
    if not can_apply(actor, application.municipality_id):
        raise FundingError(_("Den Rechtsbehelfsverzicht erklärt die Koordination der Kommune."))
    if not decision.is_current:
        raise FundingError(_("Dieser Bescheid gilt nicht mehr; er wurde geändert."))
    if decision.remedy_waived_at is not None:
        raise FundingError(
            _("Für diesen Bescheid wurde der Rechtsbehelfsverzicht bereits erklärt.")
        )
    today = timezone.localdate()
    if decision.final_on is not None and decision.final_on <= today:
        raise FundingError(
            _("Der Bescheid ist seit %(day)s bestandskräftig; ein Verzicht ist nicht mehr nötig.")
            % {"day": decision.final_on.strftime("%d.%m.%Y")}
        )
    with attributed(actor=actor, action="decision.remedy_waiver"):
        decision.remedy_waived_at = timezone.now()
        decision.final_on = today
        decision.save(update_fields=["remedy_waived_at", "final_on"])
    notify(
        event="decision_remedy_waived",
        application=application,
        audience=APPROVERS,
        actor=actor,
        context={"decision": decision},
    )
    return decision


def _percent(rate: Decimal | None) -> str:
    if rate is None:
        return ""
    return f"{rate * 100:.2f}".rstrip("0").rstrip(".").replace(".", ",")


def bescheid_context(decision) -> dict:
    """Everything the Bescheid PDF shows, read in a handful of queries."""
    decision = Decision.objects.select_related(
        "application__municipality", "application__call__programme", "supersedes", "decided_by"
    ).get(pk=decision.pk)
    application = decision.application
    programme = application.call.programme
    years = list(decision.years.all())
    plan = _plan(application)
    granted = {entry.year: entry for entry in years}
    previous = (
        dict(decision.supersedes.years.values_list("year", "grant")) if decision.supersedes else {}
    )
    rows = [
        {
            "year": year,
            "requested": plan[year].requested_grant,
            "eligible": granted[year].eligible_costs
            if year in granted
            else plan[year].eligible_costs,
            "grant": granted[year].grant if year in granted else ZERO,
            "previous": previous.get(year, ZERO),
        }
        for year in sorted(set(plan) | set(granted))
    ]
    return {
        "decision": decision,
        "application": application,
        "municipality": application.municipality,
        "programme": programme,
        "rows": rows,
        "total_grant": sum((row["grant"] for row in rows), ZERO),
        "total_eligible": sum((entry.eligible_costs for entry in years), ZERO),
        "total_requested": sum((row["requested"] for row in rows), ZERO),
        "total_previous": sum(previous.values(), ZERO),
        "rate_percent": _percent(decision.rate),
        "proof_due": [(entry.year, proof_due_on(decision, entry.year)) for entry in years],
        "payment_window_months": decision.payment_window_months,
        "decided_on": timezone.localdate(decision.decided_at),
        "authority_name": settings.FUNDING_AUTHORITY_NAME,
        "authority_address": settings.FUNDING_AUTHORITY_ADDRESS,
        "superseded": decision.supersedes,
    }
