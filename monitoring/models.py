"""Sozialräumliches Monitoring: indicators, observations per Sozialraum and period, imports,
data approval, comments, need-index settings and reports.

A value is numerator / denominator × factor of its indicator. Both counts are stored, never
only the rate: disclosure control (monitoring.disclosure) needs the case numbers, and rates of
larger areas are computed from summed counts, not by averaging rates.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from accounts.models import QueuedDocument
from municipalities.models import Municipality, Sozialraum


class Direction(models.TextChoices):
    HIGHER_IS_BETTER = "higher_is_better", _("höher ist besser")
    LOWER_IS_BETTER = "lower_is_better", _("niedriger ist besser")
    NEUTRAL = "neutral", _("neutral")


class PeriodType(models.TextChoices):
    CALENDAR_YEAR = "kalenderjahr", _("Kalenderjahr")
    SCHOOL_YEAR = "schuljahr", _("Schuljahr (August bis Juli)")
    SCHOOL_ENTRY = "einschulungsjahrgang", _("Einschulungsjahrgang")


class SpatialReference(models.TextChoices):
    RESIDENCE = "wohnort", _("Wohnort")
    FACILITY = "einrichtung", _("Standort der Einrichtung (z. B. Schule)")
    SOZIALRAUM = "sozialraum", _("Sozialraum")


class IndicatorQuerySet(models.QuerySet):
    def catalogue(self):
        """The programme-wide default catalogue (not the local indicators of a municipality)."""
        return self.filter(municipality__isnull=True)

    def usable_by(self, municipality_id):
        """The catalogue plus the municipality's own local indicators."""
        return self.filter(Q(municipality__isnull=True) | Q(municipality_id=municipality_id))


class Indicator(models.Model):
    """One indicator with its metadata sheet (definition, counts, factor, period, k …)."""

    municipality = models.ForeignKey(
        Municipality,
        verbose_name=_("lokaler Indikator der Kommune"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="local_indicators",
        help_text=_("Leer für Indikatoren des landesweiten Katalogs."),
    )
    code = models.CharField(_("Kennung"), max_length=40)
    name = models.CharField(_("Name"), max_length=200)
    theme = models.CharField(_("Themenfeld"), max_length=100)
    life_phase = models.CharField(_("Lebensphase"), max_length=100, blank=True)
    definition = models.TextField(_("Definition"), blank=True)
    numerator = models.CharField(_("Zähler"), max_length=300)
    denominator = models.CharField(_("Nenner"), max_length=300)
    factor = models.DecimalField(_("Faktor"), max_digits=10, decimal_places=3, default=100)
    unit = models.CharField(_("Einheit"), max_length=30, default="%")
    period_type = models.CharField(_("Zeitbezug"), max_length=24, choices=PeriodType.choices)
    period_note = models.CharField(_("Stichtag/Zeitraum"), max_length=100, blank=True)
    spatial_reference = models.CharField(
        _("Raumbezug"), max_length=16, choices=SpatialReference.choices
    )
    source = models.CharField(_("Quelle"), max_length=300)
    direction = models.CharField(_("Richtung"), max_length=20, choices=Direction.choices)
    min_cases = models.PositiveSmallIntegerField(
        _("Mindestfallzahl k"),
        default=3,
        help_text=_(
            "Werte aus weniger Fällen werden ohne Rohdatenrecht als „.“ gezeigt; 0 = keine"
        ),
    )
    numerator_within_denominator = models.BooleanField(
        _("Zähler ≤ Nenner"),
        default=True,
        help_text=_("Der Zähler ist eine Teilmenge des Nenners (z. B. bei Quoten)."),
    )
    value_min = models.DecimalField(
        _("kleinster plausibler Wert"), max_digits=14, decimal_places=3, null=True, blank=True
    )
    value_max = models.DecimalField(
        _("größter plausibler Wert"), max_digits=14, decimal_places=3, null=True, blank=True
    )
    caveats = models.TextField(_("Hinweise und Grenzen"), blank=True)
    is_active = models.BooleanField(_("aktiv"), default=True)

    objects = IndicatorQuerySet.as_manager()

    class Meta:
        verbose_name = _("Indikator")
        verbose_name_plural = _("Indikatoren")
        ordering = ["theme", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["code"],
                condition=Q(municipality__isnull=True),
                name="unique_catalogue_indicator_code",
            ),
            models.UniqueConstraint(
                fields=["municipality", "code"], name="unique_local_indicator_code"
            ),
            models.CheckConstraint(condition=Q(factor__gt=0), name="indicator_factor_positive"),
        ]

    def __str__(self):
        return f"{self.name} ({self.code})"


class ObservationStatus(models.TextChoices):
    """What the source delivered for a cell (statistics offices mark secret/missing cells)."""

    REPORTED = "reported", _("gemeldet")
    SECRET = "secret", _("geheim gehalten von der Quelle („.“/„x“)")
    MISSING = "missing", _("fehlt")


class Observation(models.Model):
    """Numerator and denominator of one indicator in one Sozialraum and period.

    `period` is the year the period starts in: 2023 is the calendar year 2023, the school year
    2023/24 or the school-entry cohort 2023, depending on the indicator's period type.
    """

    # No single-column indexes: unique_observation leads with indicator and the index below
    # with sozialraum, so each FK is covered; two more indexes would slow every import.
    indicator = models.ForeignKey(
        Indicator, on_delete=models.PROTECT, related_name="observations", db_index=False
    )
    sozialraum = models.ForeignKey(
        Sozialraum, on_delete=models.PROTECT, related_name="observations", db_index=False
    )
    period = models.PositiveSmallIntegerField(_("Zeitraum (Jahr)"))
    numerator = models.DecimalField(
        _("Zähler"), max_digits=14, decimal_places=3, null=True, blank=True
    )
    denominator = models.DecimalField(
        _("Nenner"), max_digits=14, decimal_places=3, null=True, blank=True
    )
    status = models.CharField(
        _("Status"),
        max_length=16,
        choices=ObservationStatus.choices,
        default=ObservationStatus.REPORTED,
    )
    import_batch = models.ForeignKey(
        "ImportBatch",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="observations",
    )
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("Beobachtung")
        verbose_name_plural = _("Beobachtungen")
        constraints = [
            models.UniqueConstraint(
                fields=["indicator", "sozialraum", "period"], name="unique_observation"
            ),
            models.CheckConstraint(
                condition=Q(numerator__isnull=True) | Q(numerator__gte=0),
                name="observation_numerator_not_negative",
            ),
            models.CheckConstraint(
                condition=Q(denominator__isnull=True) | Q(denominator__gte=0),
                name="observation_denominator_not_negative",
            ),
            # A reported cell has both counts; a secret or missing one has none.
            models.CheckConstraint(
                condition=(
                    Q(status="reported", numerator__isnull=False, denominator__isnull=False)
                    | (~Q(status="reported") & Q(numerator__isnull=True, denominator__isnull=True))
                ),
                name="observation_counts_match_status",
            ),
        ]
        indexes = [models.Index(fields=["sozialraum", "indicator", "period"])]

    def __str__(self):
        return f"{self.indicator.code} {self.sozialraum} {self.period}"


class DisclosureReason(models.TextChoices):
    """Why a cell is not shown to readers without raw rights (monitoring.disclosure)."""

    PRIMARY = "primary", _("weniger als k Fälle")
    SECONDARY = "secondary", _("verdeckt gegen Rückrechnung")
    SOURCE_SECRET = "source-secret", _("von der Quelle geheim gehalten")
    MISSING = "missing", _("nicht geliefert")


class DisclosedCell(models.Model):
    """One cell of a municipality's disclosure table of one indicator and period – a Sozialraum,
    a Stadtbezirk or the municipality total (`sozialraum` empty) – with its counts (inner cells
    summed) and the reason readers without raw rights don't see it (empty = shown).

    Stored so that reads need no computation; written only by
    monitoring.disclosure_cells.refresh_disclosure. Database triggers record every group whose
    input changed in `StaleDisclosureGroup`; readers compute those groups afresh until the
    next refresh, so the table can be behind, never wrong.

    Derived data, rewritten group by group: no foreign-key constraints or extra indexes in the
    database (their checks cost more than the COPY of a million cells itself); Django still
    deletes the cells of a deleted municipality, indicator or Sozialraum.
    """

    municipality = models.ForeignKey(
        Municipality,
        on_delete=models.CASCADE,
        related_name="+",
        db_index=False,
        db_constraint=False,
    )
    indicator = models.ForeignKey(
        Indicator, on_delete=models.CASCADE, related_name="+", db_index=False, db_constraint=False
    )
    period = models.PositiveSmallIntegerField()
    sozialraum = models.ForeignKey(
        Sozialraum,
        on_delete=models.CASCADE,
        null=True,
        related_name="+",
        db_index=False,
        db_constraint=False,
    )
    # The area's place in the municipality's order (code, then id), 0 for the total: pages sort
    # by it without joining the Sozialräume.
    position = models.PositiveSmallIntegerField()
    # Sums of many areas may need more digits than one observation.
    numerator = models.DecimalField(max_digits=18, decimal_places=3, null=True)
    denominator = models.DecimalField(max_digits=18, decimal_places=3, null=True)
    # NULL = shown, as the API's `reason: null`; no empty string to translate on every read.
    reason = models.CharField(  # noqa: DJ001
        max_length=16, choices=DisclosureReason.choices, null=True
    )

    class Meta:
        constraints = [
            # Also the index of every read: municipality, indicator, period, then the cells.
            models.UniqueConstraint(
                fields=["municipality", "indicator", "period", "sozialraum"],
                nulls_distinct=False,
                name="unique_disclosed_cell",
            )
        ]

    def __str__(self):
        return f"{self.indicator_id} {self.sozialraum_id or 'gesamt'} {self.period}"


class StaleDisclosureGroup(models.Model):
    """A municipality's indicator × period whose stored cells may no longer be what
    disclosure control computes; filled by database triggers on observations, Sozialräume
    and `Indicator.min_cases`, emptied by refresh_disclosure."""

    municipality = models.ForeignKey(
        Municipality, on_delete=models.CASCADE, related_name="+", db_index=False
    )
    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="+")
    period = models.PositiveSmallIntegerField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["municipality", "indicator", "period"], name="unique_stale_disclosure"
            )
        ]

    def __str__(self):
        return f"{self.municipality_id} {self.indicator_id} {self.period}"


class QualityFlagKind(models.TextChoices):
    NUMERATOR_ABOVE_DENOMINATOR = "numerator_above_denominator", _("Zähler größer als Nenner")
    OUT_OF_RANGE = "out_of_range", _("außerhalb des plausiblen Bereichs")
    OUTLIER_OWN_HISTORY = "outlier_history", _("Ausreißer gegenüber der eigenen Zeitreihe")
    OUTLIER_PEERS = "outlier_peers", _("Ausreißer gegenüber den anderen Sozialräumen")


class QualityFlag(models.Model):
    """A finding of the validation that someone should look at (and may mark as checked)."""

    observation = models.ForeignKey(
        Observation, on_delete=models.CASCADE, related_name="quality_flags"
    )
    kind = models.CharField(_("Art"), max_length=32, choices=QualityFlagKind.choices)
    score = models.DecimalField(
        _("Kennwert (z. B. z-Wert)"), max_digits=10, decimal_places=3, null=True, blank=True
    )
    message = models.CharField(_("Befund"), max_length=300)
    created_at = models.DateTimeField(auto_now_add=True)
    resolved_at = models.DateTimeField(_("geprüft am"), null=True, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    resolution_note = models.CharField(_("Prüfvermerk"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("Prüfhinweis")
        verbose_name_plural = _("Prüfhinweise")
        constraints = [
            models.UniqueConstraint(fields=["observation", "kind"], name="unique_quality_flag")
        ]

    def __str__(self):
        return f"{self.get_kind_display()}: {self.message}"


class DataApproval(models.Model):
    """A municipality's approval of one year's data: the year is locked, and it may be
    released to the state office (which sees municipality-level values only once released)."""

    municipality = models.ForeignKey(
        Municipality, on_delete=models.CASCADE, related_name="data_approvals"
    )
    period = models.PositiveSmallIntegerField(_("Jahr"))
    approved_at = models.DateTimeField(_("freigegeben am"))
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    released_to_state_office = models.BooleanField(
        _("für die Landeskoordinierungsstelle freigegeben"), default=False
    )

    class Meta:
        verbose_name = _("Datenfreigabe")
        verbose_name_plural = _("Datenfreigaben")
        constraints = [
            models.UniqueConstraint(fields=["municipality", "period"], name="unique_data_approval")
        ]

    def __str__(self):
        return f"{self.municipality} {self.period}"


class DataApprovalAction(models.TextChoices):
    APPROVED = "approved", _("freigegeben und gesperrt")
    RELEASED = "released", _("an die Landeskoordinierungsstelle weitergegeben")
    RELEASE_WITHDRAWN = "release_withdrawn", _("Weitergabe zurückgenommen")
    REOPENED = "reopened", _("Freigabe aufgehoben")


class DataApprovalEvent(models.Model):
    """What happened to a year's approval, by whom and why; kept when an approval is lifted."""

    municipality = models.ForeignKey(
        Municipality, on_delete=models.CASCADE, related_name="data_approval_events"
    )
    period = models.PositiveSmallIntegerField(_("Jahr"))
    action = models.CharField(_("Vorgang"), max_length=20, choices=DataApprovalAction.choices)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(_("am"), auto_now_add=True)
    reason = models.CharField(_("Begründung"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("Vorgang der Datenfreigabe")
        verbose_name_plural = _("Vorgänge der Datenfreigabe")
        ordering = ["-at", "-pk"]

    def __str__(self):
        return f"{self.municipality} {self.period}: {self.get_action_display()}"


class ImportStatus(models.TextChoices):
    UPLOADED = "uploaded", _("hochgeladen")
    CHECKING = "checking", _("wird geprüft")
    CHECKED = "checked", _("geprüft – Vorschau bereit")
    IMPORTING = "importing", _("wird importiert")
    DONE = "done", _("importiert")
    FAILED = "failed", _("fehlgeschlagen")
    CANCELLED = "cancelled", _("verworfen")


class UploadedImport(models.Model):
    """What every import of a file shares (monitoring values, prevention-chain offerings): who
    uploaded what, the status of checking and importing, counts and progress. Each concrete
    import adds its municipality, its file's place and its own counts."""

    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)
    original_name = models.CharField(_("Dateiname"), max_length=255)
    status = models.CharField(
        _("Status"), max_length=16, choices=ImportStatus.choices, default=ImportStatus.UPLOADED
    )
    only_valid_rows = models.BooleanField(_("nur gültige Zeilen importieren"), default=False)
    total_rows = models.PositiveIntegerField(default=0)
    valid_rows = models.PositiveIntegerField(default=0)
    error_rows = models.PositiveIntegerField(default=0)
    rows_created = models.PositiveIntegerField(default=0)
    rows_updated = models.PositiveIntegerField(default=0)
    progress = models.PositiveSmallIntegerField(_("Fortschritt (%)"), default=0)
    summary = models.JSONField(_("Zusammenfassung"), default=dict, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        abstract = True
        ordering = ["-uploaded_at"]

    def __str__(self):
        return f"{self.original_name} ({self.get_status_display()})"


class ImportBatch(UploadedImport):
    """One uploaded file: checked (preview and row errors), then imported as a whole or only
    its valid rows, by a task that reports progress."""

    municipality = models.ForeignKey(
        Municipality, on_delete=models.CASCADE, related_name="monitoring_imports"
    )
    file = models.FileField(_("Datei"), upload_to="monitoring/imports/%Y/%m/")
    rows_unchanged = models.PositiveIntegerField(default=0)

    class Meta(UploadedImport.Meta):
        verbose_name = _("Import")
        verbose_name_plural = _("Importe")


class RejectedRow(models.Model):
    """A rejected row of an import, with its line number in the file and the reason; each
    concrete model adds the `batch` it belongs to."""

    line = models.PositiveIntegerField(_("Zeile"))
    column = models.CharField(_("Spalte"), max_length=100, blank=True)
    message = models.CharField(_("Grund"), max_length=500)

    class Meta:
        abstract = True
        verbose_name = _("Importfehler")
        verbose_name_plural = _("Importfehler")
        ordering = ["batch", "line"]

    def __str__(self):
        return f"Zeile {self.line}: {self.message}"


class ImportIssue(RejectedRow):
    batch = models.ForeignKey(ImportBatch, on_delete=models.CASCADE, related_name="issues")

    class Meta(RejectedRow.Meta):
        pass


class Comment(models.Model):
    """A remark on an area (and optionally an indicator and period): data as a prompt for
    discussion in Sozialraum meetings."""

    sozialraum = models.ForeignKey(
        Sozialraum, on_delete=models.CASCADE, related_name="monitoring_comments"
    )
    indicator = models.ForeignKey(
        Indicator, on_delete=models.CASCADE, null=True, blank=True, related_name="comments"
    )
    period = models.PositiveSmallIntegerField(_("Jahr"), null=True, blank=True)
    text = models.TextField(_("Kommentar"))
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("Kommentar")
        verbose_name_plural = _("Kommentare")
        ordering = ["-created_at"]

    def __str__(self):
        return self.text[:60]


class NeedIndex(models.Model):
    """A municipality's need index: chosen indicators, standardised and weighted, ranking its
    Sozialräume by where support should go first („Ungleiches ungleich behandeln“)."""

    municipality = models.ForeignKey(
        Municipality, on_delete=models.CASCADE, related_name="need_indices"
    )
    name = models.CharField(_("Name"), max_length=150)
    period = models.PositiveSmallIntegerField(_("Jahr"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("Bedarfsindex")
        verbose_name_plural = _("Bedarfsindizes")
        constraints = [
            models.UniqueConstraint(fields=["municipality", "name"], name="unique_need_index_name")
        ]

    def __str__(self):
        return f"{self.name} ({self.municipality}, {self.period})"


class NeedIndexComponent(models.Model):
    need_index = models.ForeignKey(NeedIndex, on_delete=models.CASCADE, related_name="components")
    indicator = models.ForeignKey(Indicator, on_delete=models.PROTECT, related_name="+")
    weight = models.DecimalField(_("Gewicht"), max_digits=6, decimal_places=2, default=1)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["need_index", "indicator"], name="unique_need_index_component"
            ),
            models.CheckConstraint(condition=Q(weight__gt=0), name="need_index_weight_positive"),
        ]

    def __str__(self):
        return f"{self.indicator} × {self.weight}"


class ReportAudience(models.TextChoices):
    """Whom a report is made for; decides its content and who may download it."""

    MUNICIPALITY = "municipality", _("Kommune (alle Sozialräume)")
    STATE_OFFICE = "state_office", _("Landeskoordinierungsstelle (nur Werte der Kommune)")


class MonitoringReport(QueuedDocument):
    """A monitoring report PDF of a municipality, rendered by a worker, downloadable later.

    Values in a report are always disclosure-controlled, whoever asked for it (a file gets
    forwarded); the audience decides whether it has Sozialraum profiles (the municipality's
    members) or only the municipality's values of a released year (the state office).
    """

    municipality = models.ForeignKey(
        Municipality, on_delete=models.CASCADE, related_name="monitoring_reports"
    )
    period = models.PositiveSmallIntegerField(_("Jahr"))
    audience = models.CharField(
        _("Empfängerkreis"),
        max_length=16,
        choices=ReportAudience.choices,
        default=ReportAudience.MUNICIPALITY,
    )
    file = models.FileField(upload_to="monitoring/reports/%Y/", blank=True)

    class Meta(QueuedDocument.Meta):
        verbose_name = _("Monitoringbericht")
        verbose_name_plural = _("Monitoringberichte")

    def __str__(self):
        return f"{self.municipality} {self.period} ({self.get_status_display()})"
