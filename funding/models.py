"""Grants under NRW grant law (VV zu § 44 LHO NRW, ANBest-G): rules, calls, budgets,
applications, decisions (Bescheide), payments, forwarding and proof of use.

Money is stored in euros with two decimal places (cent-exact) and computed with Decimal only
(funding.money). Every model here is tracked by django-pghistory: database triggers write an
append-only event row for every insert, update and delete, so no code path – service, admin,
shell or raw SQL – can change funding records without leaving a trace (DESIGN.md §4).
"""

from decimal import Decimal

import pghistory
from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from municipalities.models import Municipality, Programme

MONEY = {"max_digits": 12, "decimal_places": 2}
# Deadlines of a rule unless the programme administration sets others.
PAYMENT_WINDOW_MONTHS = 2
PROOF_DEADLINE_MONTHS = 6
ZERO = Decimal("0.00")


def audited(model):
    """Track every insert, update and delete of the model in an append-only event table.
    Trackers keep per-model state, so each model gets its own."""
    return pghistory.track(
        pghistory.InsertEvent(), pghistory.UpdateEvent(), pghistory.DeleteEvent(), append_only=True
    )(model)


def money_field(verbose_name, **kwargs):
    kwargs.setdefault("validators", [MinValueValidator(ZERO)])
    return models.DecimalField(verbose_name, **MONEY, **kwargs)


class FinancingType(models.TextChoices):
    """Finanzierungsart (VV Nr. 2.2 zu § 44 LHO)."""

    ANTEIL = "anteil", _("Anteilfinanzierung")
    FEHLBEDARF = "fehlbedarf", _("Fehlbedarfsfinanzierung")
    FESTBETRAG = "festbetrag", _("Festbetragsfinanzierung")


class CostCategory(models.TextChoices):
    PERSONNEL = "personnel", _("Personalausgaben")
    MATERIAL = "material", _("Sachausgaben")
    FEES = "fees", _("Honorare und Dienstleistungen")
    TRAVEL = "travel", _("Reisekosten")
    OTHER = "other", _("Sonstige Ausgaben")


@audited
class FundingRule(models.Model):
    """How a programme funds, from a year on (a new rule for later years keeps the old ones)."""

    programme = models.ForeignKey(Programme, on_delete=models.PROTECT, related_name="funding_rules")
    valid_from_year = models.PositiveSmallIntegerField(
        _("gilt ab Förderjahr"), validators=[MinValueValidator(2000), MaxValueValidator(2100)]
    )
    financing_type = models.CharField(
        _("Finanzierungsart"), max_length=16, choices=FinancingType.choices
    )
    rate = models.DecimalField(
        _("Fördersatz"),
        max_digits=5,
        decimal_places=4,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0.0001")), MaxValueValidator(Decimal("1"))],
        help_text=_("Anteil an den zuwendungsfähigen Ausgaben, z. B. 0,5 für 50 %."),
    )
    yearly_cap = money_field(_("Höchstbetrag je Jahr"), null=True, blank=True)
    fixed_amount = money_field(
        _("Festbetrag je Jahr"),
        null=True,
        blank=True,
        help_text=_("Nur bei Festbetragsfinanzierung."),
    )
    eligible_categories = ArrayField(
        models.CharField(max_length=16, choices=CostCategory.choices),
        verbose_name=_("zuwendungsfähige Ausgabearten"),
    )
    min_own_share_rate = models.DecimalField(
        _("Mindest-Eigenanteil"),
        max_digits=5,
        decimal_places=4,
        default=Decimal("0"),
        validators=[MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("1"))],
        help_text=_("Mindestanteil eigener Mittel an den zuwendungsfähigen Ausgaben."),
    )
    payment_window_months = models.PositiveSmallIntegerField(
        _("Mittelabruf für Bedarf innerhalb von (Monaten)"), default=PAYMENT_WINDOW_MONTHS
    )
    proof_deadline_months = models.PositiveSmallIntegerField(
        _("Verwendungsnachweis fällig nach Ende des Förderjahres (Monate)"),
        default=PROOF_DEADLINE_MONTHS,
    )
    forwarding_allowed = models.BooleanField(_("Weiterleitung an Dritte zulässig"), default=True)
    purpose = models.TextField(_("Zuwendungszweck"))
    conditions = models.TextField(
        _("Nebenbestimmungen"),
        help_text=_("Erscheinen im Bewilligungsbescheid, z. B. die Geltung der ANBest-G."),
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("Förderregel")
        verbose_name_plural = _("Förderregeln")
        ordering = ["programme", "-valid_from_year"]
        constraints = [
            models.UniqueConstraint(
                fields=["programme", "valid_from_year"], name="unique_rule_per_year"
            ),
            models.CheckConstraint(
                condition=~Q(financing_type="anteil") | Q(rate__isnull=False),
                name="anteil_needs_rate",
            ),
            models.CheckConstraint(
                condition=~Q(financing_type="festbetrag") | Q(fixed_amount__isnull=False),
                name="festbetrag_needs_amount",
            ),
        ]

    def __str__(self):
        kind = self.get_financing_type_display()
        return f"{self.programme.short_name} ab {self.valid_from_year}: {kind}"


@audited
class Call(models.Model):
    """A Förderaufruf: who may apply for which years, and until when."""

    programme = models.ForeignKey(Programme, on_delete=models.PROTECT, related_name="calls")
    title = models.CharField(_("Titel"), max_length=200)
    description = models.TextField(_("Beschreibung"), blank=True)
    first_year = models.PositiveSmallIntegerField(_("erstes Förderjahr"))
    last_year = models.PositiveSmallIntegerField(_("letztes Förderjahr"))
    opens_on = models.DateField(_("Antragsfrist beginnt"))
    closes_on = models.DateField(_("Antragsfrist endet"))
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("Förderaufruf")
        verbose_name_plural = _("Förderaufrufe")
        ordering = ["-first_year", "title"]
        constraints = [
            models.CheckConstraint(
                condition=Q(last_year__gte=F("first_year")), name="call_years_ordered"
            ),
            models.CheckConstraint(
                condition=Q(closes_on__gte=F("opens_on")), name="call_window_ordered"
            ),
        ]

    def __str__(self):
        return self.title

    @property
    def years(self) -> range:
        return range(self.first_year, self.last_year + 1)


class BudgetSource(models.TextChoices):
    LAND = "land", _("Land NRW")
    ESF = "esf", _("Europäischer Sozialfonds (ESF)")


class BudgetStatus(models.TextChoices):
    PLANNED = "planned", _("geplant")
    APPROPRIATED = "appropriated", _("durch Haushaltsgesetz veranschlagt")
    COMMITMENT = "commitment", _("durch Verpflichtungsermächtigung gedeckt")


SECURED_BUDGET_STATUSES = (BudgetStatus.APPROPRIATED, BudgetStatus.COMMITMENT)


@audited
class Budget(models.Model):
    """Money of one fiscal year from one source. Only secured budget may back an approval."""

    programme = models.ForeignKey(Programme, on_delete=models.PROTECT, related_name="budgets")
    fiscal_year = models.PositiveSmallIntegerField(_("Haushaltsjahr"))
    source = models.CharField(_("Mittelherkunft"), max_length=8, choices=BudgetSource.choices)
    status = models.CharField(_("Status"), max_length=16, choices=BudgetStatus.choices)
    amount = money_field(_("Betrag"))
    reference = models.CharField(_("Haushaltsstelle / Fundstelle"), max_length=200, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("Haushaltsmittel")
        verbose_name_plural = _("Haushaltsmittel")
        ordering = ["programme", "fiscal_year", "source"]
        constraints = [
            models.UniqueConstraint(
                fields=["programme", "fiscal_year", "source"], name="unique_budget_per_source"
            )
        ]

    def __str__(self):
        return f"{self.programme.short_name} {self.fiscal_year} {self.get_source_display()}"

    @property
    def is_secured(self) -> bool:
        return self.status in SECURED_BUDGET_STATUSES


class ApplicationStatus(models.TextChoices):
    DRAFT = "draft", _("Entwurf")
    SUBMITTED = "submitted", _("eingereicht")
    IN_REVIEW = "in_review", _("in Prüfung")
    CHANGES_REQUESTED = "changes_requested", _("Nachbesserung angefordert")
    RECOMMENDED = "recommended", _("Votum liegt vor")
    APPROVED = "approved", _("bewilligt")
    PARTIALLY_APPROVED = "partially_approved", _("teilweise bewilligt")
    REJECTED = "rejected", _("abgelehnt")
    WITHDRAWN = "withdrawn", _("zurückgezogen")


EDITABLE_STATUSES = (ApplicationStatus.DRAFT, ApplicationStatus.CHANGES_REQUESTED)
OPEN_REVIEW_STATUSES = (
    ApplicationStatus.SUBMITTED,
    ApplicationStatus.IN_REVIEW,
    ApplicationStatus.RECOMMENDED,
)
DECIDED_STATUSES = (
    ApplicationStatus.APPROVED,
    ApplicationStatus.PARTIALLY_APPROVED,
    ApplicationStatus.REJECTED,
)
GRANTED_STATUSES = (ApplicationStatus.APPROVED, ApplicationStatus.PARTIALLY_APPROVED)


@audited
class Application(models.Model):
    """A municipality's application (Antrag) in a call, for one or more years.

    `version` is the optimistic lock: every change through funding services increments it, and
    a form that shows version n may only save while it is still n."""

    call = models.ForeignKey(Call, on_delete=models.PROTECT, related_name="applications")
    municipality = models.ForeignKey(
        Municipality, on_delete=models.PROTECT, related_name="funding_applications"
    )
    number = models.CharField(_("Antragsnummer"), max_length=40, unique=True)
    status = models.CharField(
        _("Status"),
        max_length=20,
        choices=ApplicationStatus.choices,
        default=ApplicationStatus.DRAFT,
    )
    purpose = models.TextField(_("Vorhaben und Zuwendungszweck"), blank=True)
    contact_name = models.CharField(_("Ansprechperson"), max_length=200, blank=True)
    contact_email = models.EmailField(_("E-Mail der Ansprechperson"), blank=True)
    forwarding_requested = models.BooleanField(
        _("Weiterleitung an einen Dritten beabsichtigt"), default=False
    )
    forwarding_recipient = models.CharField(
        _("Empfänger der Weiterleitung"), max_length=200, blank=True
    )
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("Prüfung durch"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    submitted_at = models.DateTimeField(_("eingereicht am"), null=True, blank=True)
    decided_at = models.DateTimeField(_("entschieden am"), null=True, blank=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        verbose_name = _("Antrag")
        verbose_name_plural = _("Anträge")
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["status", "call"]),
            models.Index(fields=["municipality", "-created_at"]),
        ]
        constraints = [
            # One live application per municipality and call; withdrawn or rejected ones may
            # be followed by a new one.
            models.UniqueConstraint(
                fields=["call", "municipality"],
                condition=~Q(status__in=["withdrawn", "rejected"]),
                name="one_live_application_per_call",
            )
        ]

    def __str__(self):
        return f"{self.number} – {self.municipality}"

    @property
    def is_editable(self) -> bool:
        return self.status in EDITABLE_STATUSES


@audited
class ApplicationYear(models.Model):
    """The financing plan of one year: cost lines (below) and income.

    `eligible_costs` and `requested_grant` are derived by funding.money from the cost lines and
    the rule; services keep them current so lists and coverage sums need no recomputation."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="years")
    year = models.PositiveSmallIntegerField(_("Förderjahr"))
    own_funds = money_field(_("Eigenmittel"), default=ZERO)
    third_party_funds = money_field(_("Drittmittel"), default=ZERO)
    third_party_note = models.CharField(_("Drittmittel von"), max_length=200, blank=True)
    eligible_costs = money_field(_("zuwendungsfähige Ausgaben"), default=ZERO)
    requested_grant = money_field(_("beantragte Zuwendung"), default=ZERO)

    class Meta:
        verbose_name = _("Förderjahr des Antrags")
        verbose_name_plural = _("Förderjahre des Antrags")
        ordering = ["application", "year"]
        constraints = [
            models.UniqueConstraint(fields=["application", "year"], name="unique_application_year")
        ]

    def __str__(self):
        return f"{self.application.number} {self.year}"


@audited
class CostLine(models.Model):
    """One line of expenditure. Personnel lines carry pay grade, FTE and months; their amount is
    monthly employer cost × FTE × months. Other lines carry the amount directly."""

    application_year = models.ForeignKey(
        ApplicationYear, on_delete=models.CASCADE, related_name="cost_lines"
    )
    category = models.CharField(_("Ausgabeart"), max_length=16, choices=CostCategory.choices)
    description = models.CharField(_("Bezeichnung"), max_length=200)
    pay_grade = models.CharField(_("Entgeltgruppe"), max_length=20, blank=True)
    fte = models.DecimalField(
        _("Stellenanteil (VZÄ)"),
        max_digits=4,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0.01")), MaxValueValidator(Decimal("10"))],
    )
    months = models.PositiveSmallIntegerField(
        _("Monate"), null=True, blank=True, validators=[MaxValueValidator(12)]
    )
    monthly_cost = money_field(_("Arbeitgeberkosten je Monat (Vollzeit)"), null=True, blank=True)
    amount = money_field(_("Betrag"))
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("Ausgabenposition")
        verbose_name_plural = _("Ausgabenpositionen")
        ordering = ["application_year", "position", "id"]

    def __str__(self):
        return self.description


class AttachmentKind(models.TextChoices):
    COUNCIL_RESOLUTION = "council_resolution", _("Ratsbeschluss / Kreistagsbeschluss")
    COFINANCING = "cofinancing", _("Erklärung zur Kofinanzierung")
    OTHER = "other", _("Sonstige Unterlage")


REQUIRED_ATTACHMENTS = (AttachmentKind.COUNCIL_RESOLUTION, AttachmentKind.COFINANCING)


def attachment_path(instance, filename):
    return f"funding/applications/{instance.application_id}/{filename}"


@audited
class Attachment(models.Model):
    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="attachments"
    )
    kind = models.CharField(_("Art"), max_length=24, choices=AttachmentKind.choices)
    file = models.FileField(_("Datei"), upload_to=attachment_path, max_length=300)
    original_name = models.CharField(_("Dateiname"), max_length=200)
    content_type = models.CharField(_("Dateityp"), max_length=40)
    size = models.PositiveIntegerField(_("Größe (Byte)"))
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("Anlage")
        verbose_name_plural = _("Anlagen")
        ordering = ["application", "kind", "uploaded_at"]

    def __str__(self):
        return self.original_name


class Submission(models.Model):
    """What the application looked like when it was (re)submitted, for the reviewer's diff.
    Immutable by construction: services only create these."""

    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="submissions"
    )
    number = models.PositiveSmallIntegerField()
    snapshot = models.JSONField()
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    submitted_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["application", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["application", "number"], name="unique_submission_number"
            )
        ]

    def __str__(self):
        return f"{self.application_id} #{self.number}"


class CommentVisibility(models.TextChoices):
    INTERNAL = "internal", _("intern (nur Landeskoordinierungsstelle)")
    MUNICIPALITY = "municipality", _("für die Kommune sichtbar")


@audited
class Comment(models.Model):
    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    visibility = models.CharField(
        _("Sichtbarkeit"), max_length=16, choices=CommentVisibility.choices
    )
    text = models.TextField(_("Kommentar"))
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("Kommentar")
        verbose_name_plural = _("Kommentare")
        ordering = ["application", "created_at"]

    def __str__(self):
        return self.text[:60]


class Recommendation(models.TextChoices):
    APPROVE = "approve", _("Bewilligung in voller Höhe")
    PARTIAL = "partial", _("teilweise Bewilligung")
    REJECT = "reject", _("Ablehnung")


@audited
class Review(models.Model):
    """The reviewer's checklist and recommendation (Votum) for one application."""

    application = models.OneToOneField(Application, on_delete=models.CASCADE, related_name="review")
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    checklist = models.JSONField(_("Prüfliste"), default=dict)
    recommendation = models.CharField(
        _("Votum"), max_length=16, choices=Recommendation.choices, blank=True
    )
    recommended_grants = models.JSONField(
        _("empfohlene Zuwendung je Jahr"), default=dict, blank=True
    )
    note = models.TextField(_("Begründung des Votums"), blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("Prüfung")
        verbose_name_plural = _("Prüfungen")

    def __str__(self):
        return f"Prüfung {self.application_id}"


class DecisionKind(models.TextChoices):
    APPROVAL = "approval", _("Bewilligung")
    PARTIAL_APPROVAL = "partial_approval", _("Teilbewilligung")
    REJECTION = "rejection", _("Ablehnung")
    AMENDMENT = "amendment", _("Änderungsbescheid")


@audited
class Decision(models.Model):
    """A Bescheid. An amendment supersedes the current decision of the application; the old one
    stays, so the history of what was promised when is never lost."""

    application = models.ForeignKey(Application, on_delete=models.PROTECT, related_name="decisions")
    kind = models.CharField(_("Art"), max_length=20, choices=DecisionKind.choices)
    file_reference = models.CharField(_("Aktenzeichen"), max_length=60, unique=True)
    supersedes = models.OneToOneField(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="superseded_by",
        verbose_name=_("ändert"),
    )
    is_current = models.BooleanField(default=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(_("entschieden am"))
    reasons = models.TextField(_("Begründung"))
    # The rule as it was applied, copied so a later change of the rule never alters a Bescheid.
    financing_type = models.CharField(
        _("Finanzierungsart"), max_length=16, choices=FinancingType.choices
    )
    rate = models.DecimalField(max_digits=5, decimal_places=4, null=True, blank=True)
    yearly_cap = money_field(_("Höchstbetrag je Jahr"), null=True, blank=True)
    purpose = models.TextField(_("Zuwendungszweck"), blank=True)
    conditions = models.TextField(_("Nebenbestimmungen"), blank=True)
    period_start = models.DateField(_("Bewilligungszeitraum von"), null=True, blank=True)
    period_end = models.DateField(_("Bewilligungszeitraum bis"), null=True, blank=True)
    forwarding_allowed = models.BooleanField(_("Weiterleitung zulässig"), default=False)
    # The rule's deadlines as they were when the Bescheid was made: a later change of the rule
    # never moves a promised deadline.
    payment_window_months = models.PositiveSmallIntegerField(
        _("Mittelabruf für Bedarf innerhalb von (Monaten)"), default=PAYMENT_WINDOW_MONTHS
    )
    proof_deadline_months = models.PositiveSmallIntegerField(
        _("Verwendungsnachweis fällig nach Ende des Förderjahres (Monate)"),
        default=PROOF_DEADLINE_MONTHS,
    )
    remedy_waived_at = models.DateTimeField(
        _("Rechtsbehelfsverzicht erklärt am"), null=True, blank=True
    )
    final_on = models.DateField(_("bestandskräftig ab"), null=True, blank=True)

    class Meta:
        verbose_name = _("Bescheid")
        verbose_name_plural = _("Bescheide")
        ordering = ["application", "decided_at"]
        constraints = [
            # Two approvers deciding at once: the database lets only one current decision stand.
            models.UniqueConstraint(
                fields=["application"],
                condition=Q(is_current=True),
                name="one_current_decision_per_application",
            )
        ]

    def __str__(self):
        return f"{self.get_kind_display()} {self.file_reference}"

    @property
    def grants_money(self) -> bool:
        return self.kind != DecisionKind.REJECTION


@audited
class DecisionYear(models.Model):
    """What a decision grants for one year; the sum over current decisions is what the year's
    secured budget must cover."""

    decision = models.ForeignKey(Decision, on_delete=models.PROTECT, related_name="years")
    year = models.PositiveSmallIntegerField(_("Förderjahr"))
    eligible_costs = money_field(_("zuwendungsfähige Ausgaben"))
    grant = money_field(_("Zuwendung"))

    class Meta:
        verbose_name = _("Bewilligung je Jahr")
        verbose_name_plural = _("Bewilligungen je Jahr")
        ordering = ["decision", "year"]
        constraints = [
            models.UniqueConstraint(fields=["decision", "year"], name="unique_decision_year")
        ]

    def __str__(self):
        return f"{self.year}: {self.grant} €"


class FileReferenceCounter(models.Model):
    """Running number for Aktenzeichen per programme and year, taken under a row lock."""

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="+")
    year = models.PositiveSmallIntegerField()
    last_number = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["programme", "year"], name="unique_reference_counter")
        ]

    def __str__(self):
        return f"{self.programme_id}/{self.year}: {self.last_number}"


class PaymentStatus(models.TextChoices):
    REQUESTED = "requested", _("beantragt")
    CHECKED = "checked", _("sachlich richtig")
    APPROVED = "approved", _("zur Zahlung angeordnet")
    PAID = "paid", _("ausgezahlt")
    REJECTED = "rejected", _("abgelehnt")


@audited
class PaymentRequest(models.Model):
    """A Mittelabruf: money needed within the payment window, against the current decision.

    Four-eyes: a reviewer confirms it is correct (sachliche Richtigkeit), an approver – another
    person – orders the payment (Anordnung); then the payout task pays it exactly once."""

    application = models.ForeignKey(
        Application, on_delete=models.PROTECT, related_name="payment_requests"
    )
    year = models.PositiveSmallIntegerField(_("Förderjahr"))
    amount = money_field(_("Betrag"), validators=[MinValueValidator(Decimal("0.01"))])
    needed_on = models.DateField(_("Mittel benötigt ab"))
    purpose = models.CharField(_("Verwendung"), max_length=300)
    status = models.CharField(
        _("Status"),
        max_length=12,
        choices=PaymentStatus.choices,
        default=PaymentStatus.REQUESTED,
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    requested_at = models.DateTimeField(auto_now_add=True)
    checked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    checked_at = models.DateTimeField(null=True, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    approved_at = models.DateTimeField(null=True, blank=True)
    rejection_reason = models.TextField(_("Ablehnungsgrund"), blank=True)

    class Meta:
        verbose_name = _("Mittelabruf")
        verbose_name_plural = _("Mittelabrufe")
        ordering = ["-requested_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(approved_by__isnull=True) | ~Q(approved_by=F("checked_by")),
                name="payment_four_eyes",
            )
        ]

    def __str__(self):
        return f"Mittelabruf {self.pk}: {self.amount} €"


@audited
class Payment(models.Model):
    """The payout of one approved request. The one-to-one key means a request is paid once,
    however often the payout task runs."""

    request = models.OneToOneField(PaymentRequest, on_delete=models.PROTECT, related_name="payment")
    amount = money_field(_("Betrag"))
    paid_on = models.DateField(_("ausgezahlt am"))
    booking_reference = models.CharField(_("Buchungszeichen"), max_length=60, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("Auszahlung")
        verbose_name_plural = _("Auszahlungen")
        ordering = ["-paid_on"]

    def __str__(self):
        return self.booking_reference


@audited
class Forwarding(models.Model):
    """Weiterleitung of (part of) the grant to a third party (e.g. a welfare association that
    employs the coordinator), allowed only where the decision allows it."""

    application = models.ForeignKey(
        Application, on_delete=models.PROTECT, related_name="forwardings"
    )
    year = models.PositiveSmallIntegerField(_("Förderjahr"))
    recipient_name = models.CharField(_("Empfänger"), max_length=200)
    recipient_address = models.TextField(_("Anschrift"))
    legal_form = models.CharField(_("Rechtsform"), max_length=100, blank=True)
    amount = money_field(_("Betrag"), validators=[MinValueValidator(Decimal("0.01"))])
    contract_date = models.DateField(_("Weiterleitungsvertrag vom"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("Weiterleitung")
        verbose_name_plural = _("Weiterleitungen")
        ordering = ["application", "year", "created_at"]

    def __str__(self):
        return f"{self.recipient_name} {self.year}"


class ProofStatus(models.TextChoices):
    DRAFT = "draft", _("Entwurf")
    SUBMITTED = "submitted", _("eingereicht")
    CHECKED = "checked", _("geprüft")


@audited
class ProofOfUse(models.Model):
    """The Verwendungsnachweis of one year: Sachbericht and figures (planned vs actual per cost
    line and financing source), the reviewer's Prüfvermerk, the final grant and any clawback."""

    application = models.ForeignKey(Application, on_delete=models.PROTECT, related_name="proofs")
    year = models.PositiveSmallIntegerField(_("Förderjahr"))
    due_on = models.DateField(_("fällig am"))
    status = models.CharField(
        _("Status"), max_length=12, choices=ProofStatus.choices, default=ProofStatus.DRAFT
    )
    narrative = models.TextField(_("Sachbericht"), blank=True)
    actual_own_funds = money_field(_("Eigenmittel (Ist)"), default=ZERO)
    actual_third_party_funds = money_field(_("Drittmittel (Ist)"), default=ZERO)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    submitted_at = models.DateTimeField(null=True, blank=True)
    checked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    checked_at = models.DateTimeField(null=True, blank=True)
    check_note = models.TextField(_("Prüfvermerk"), blank=True)
    final_eligible_costs = money_field(_("anerkannte Ausgaben"), null=True, blank=True)
    final_grant = money_field(_("endgültige Zuwendung"), null=True, blank=True)
    clawback_amount = money_field(_("Rückforderung"), null=True, blank=True)
    clawback_interest = money_field(_("Zinsen nach § 49a VwVfG"), null=True, blank=True)
    interest_until = models.DateField(_("verzinst bis"), null=True, blank=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        verbose_name = _("Verwendungsnachweis")
        verbose_name_plural = _("Verwendungsnachweise")
        ordering = ["application", "year"]
        constraints = [
            models.UniqueConstraint(fields=["application", "year"], name="unique_proof_per_year")
        ]

    def __str__(self):
        return f"Verwendungsnachweis {self.application_id} {self.year}"


@audited
class ProofLine(models.Model):
    """Planned vs actual of one cost line in a proof of use."""

    proof = models.ForeignKey(ProofOfUse, on_delete=models.CASCADE, related_name="lines")
    category = models.CharField(_("Ausgabeart"), max_length=16, choices=CostCategory.choices)
    description = models.CharField(_("Bezeichnung"), max_length=200)
    planned = money_field(_("Soll"))
    actual = money_field(_("Ist"), default=ZERO)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("Position des Verwendungsnachweises")
        verbose_name_plural = _("Positionen des Verwendungsnachweises")
        ordering = ["proof", "position", "id"]

    def __str__(self):
        return self.description


class DocumentKind(models.TextChoices):
    BESCHEID = "bescheid", _("Bescheid")
    STATUS_REPORT = "status_report", _("Förderbericht (Berichtsvorlage)")


class DocumentStatus(models.TextChoices):
    QUEUED = "queued", _("wartet")
    RENDERING = "rendering", _("wird erstellt")
    DONE = "done", _("fertig")
    FAILED = "failed", _("fehlgeschlagen")


def document_path(instance, filename):
    return f"funding/documents/{instance.kind}/{filename}"


class DocumentBatch(models.Model):
    """Several documents ordered at once (e.g. all Bescheide of a call), with overall progress."""

    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    requested_at = models.DateTimeField(auto_now_add=True)
    title = models.CharField(max_length=200)

    class Meta:
        ordering = ["-requested_at"]

    def __str__(self):
        return self.title


class FundingDocument(models.Model):
    """A PDF rendered by the worker: a Bescheid of a decision, or a municipality's status
    report. Stored once rendered; downloadable later."""

    kind = models.CharField(max_length=16, choices=DocumentKind.choices)
    decision = models.OneToOneField(
        Decision, on_delete=models.PROTECT, null=True, blank=True, related_name="document"
    )
    municipality = models.ForeignKey(
        Municipality, on_delete=models.PROTECT, related_name="funding_documents"
    )
    batch = models.ForeignKey(
        DocumentBatch,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="documents",
    )
    status = models.CharField(
        max_length=12, choices=DocumentStatus.choices, default=DocumentStatus.QUEUED
    )
    progress = models.PositiveSmallIntegerField(default=0)
    file = models.FileField(upload_to=document_path, blank=True, max_length=300)
    error = models.TextField(blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    requested_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-requested_at"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(kind="bescheid") | Q(decision__isnull=False),
                name="bescheid_has_decision",
            )
        ]

    def __str__(self):
        return f"{self.get_kind_display()} {self.pk}"


class ReminderLog(models.Model):
    """Which reminder went out for what, so the daily beat job reminds once, not every day."""

    kind = models.CharField(max_length=40)
    object_key = models.CharField(max_length=80)
    sent_at = models.DateTimeField(auto_now_add=True)
    recipients = models.PositiveSmallIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["kind", "object_key"], name="unique_reminder")
        ]

    def __str__(self):
        return f"{self.kind} {self.object_key}"
