from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from accounts.roles import MUNICIPAL_ROLES, Role


class Regierungsbezirk(models.TextChoices):
    """The five NRW Regierungsbezirke, keyed by the first three digits of the AGS."""

    DUESSELDORF = "051", "Düsseldorf"
    KOELN = "053", "Köln"
    MUENSTER = "055", "Münster"
    DETMOLD = "057", "Detmold"
    ARNSBERG = "059", "Arnsberg"


class MunicipalityKind(models.TextChoices):
    KREISFREIE_STADT = "kreisfreie_stadt", _("kreisfreie Stadt")
    KREIS = "kreis", _("Kreis")
    STAEDTEREGION = "staedteregion", _("StädteRegion")
    KREISANGEHOERIGE_STADT = "kreisangehoerige_stadt", _("kreisangehörige Stadt")
    KREISANGEHOERIGE_GEMEINDE = "kreisangehoerige_gemeinde", _("kreisangehörige Gemeinde")


# Units on the level of a Kreis: they carry a 5-digit AGS, a boundary and age data.
KREIS_LEVEL_KINDS = frozenset(
    {MunicipalityKind.KREISFREIE_STADT, MunicipalityKind.KREIS, MunicipalityKind.STAEDTEREGION}
)


class GoNrwStatus(models.TextChoices):
    """Status of a kreisangehörige Stadt under § 4 GO NRW (Stand 01.01.2025)."""

    GROSSE = "grosse_kreisangehoerige_stadt", _("Große kreisangehörige Stadt")
    MITTLERE = "mittlere_kreisangehoerige_stadt", _("Mittlere kreisangehörige Stadt")
    AACHEN = "staedteregionsangehoerige_stadt_aachen", _("städteregionsangehörige Stadt Aachen")


class MunicipalityQuerySet(models.QuerySet):
    def kreis_level(self):
        return self.filter(kind__in=KREIS_LEVEL_KINDS)

    def gemeinden(self):
        """All 396 Gemeinden: the kreisangehörige ones and the kreisfreie Städte."""
        return self.exclude(kind__in=[MunicipalityKind.KREIS, MunicipalityKind.STAEDTEREGION])


class Municipality(models.Model):
    """A Kommune: a Kreis-level unit (Kreis, kreisfreie Stadt, StädteRegion) or a Gemeinde.

    A kreisfreie Stadt is one record, on the Kreis level (5-digit AGS) and as a Gemeinde at once
    (its 8-digit key in `gemeinde_ags`), so it is never listed or counted twice.
    """

    ags = models.CharField(_("AGS"), max_length=8, unique=True)
    gemeinde_ags = models.CharField(_("Gemeindeschlüssel"), max_length=8, blank=True)
    ars = models.CharField(_("ARS"), max_length=12, blank=True)
    name = models.CharField(_("amtlicher Name"), max_length=150)
    short_name = models.CharField(_("Name"), max_length=150)
    slug = models.SlugField(max_length=160, unique=True)
    kind = models.CharField(_("Art"), max_length=32, choices=MunicipalityKind.choices)
    go_nrw_status = models.CharField(
        _("Status nach § 4 GO NRW"), max_length=48, choices=GoNrwStatus.choices, blank=True
    )
    regierungsbezirk = models.CharField(
        _("Regierungsbezirk"), max_length=3, choices=Regierungsbezirk.choices
    )
    parent = models.ForeignKey(
        "self",
        verbose_name=_("Kreis"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="gemeinden",
    )
    area_km2 = models.DecimalField(_("Fläche (km²)"), max_digits=9, decimal_places=2, null=True)
    postcode = models.CharField(_("PLZ des Verwaltungssitzes"), max_length=5, blank=True)
    longitude = models.DecimalField(max_digits=9, decimal_places=6, null=True, blank=True)
    latitude = models.DecimalField(max_digits=9, decimal_places=6, null=True, blank=True)
    boundary = models.JSONField(
        _("Grenze (GeoJSON-Geometrie)"), null=True, blank=True, editable=False
    )

    objects = MunicipalityQuerySet.as_manager()

    class Meta:
        verbose_name = _("Kommune")
        verbose_name_plural = _("Kommunen")
        ordering = ["short_name", "ags"]
        indexes = [models.Index(fields=["kind", "regierungsbezirk"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(ags__regex=r"^05[0-9]{3}([0-9]{3})?$"), name="municipality_nrw_ags"
            ),
        ]

    def __str__(self):
        return self.short_name

    @property
    def is_kreis_level(self) -> bool:
        return self.kind in KREIS_LEVEL_KINDS


class PopulationFigure(models.Model):
    """Population of a municipality at a reference date (Stichtag), total and under 18."""

    municipality = models.ForeignKey(
        Municipality, on_delete=models.CASCADE, related_name="population_figures"
    )
    reference_date = models.DateField(_("Stichtag"))
    total = models.PositiveIntegerField(_("Bevölkerung insgesamt"))
    under_18 = models.PositiveIntegerField(_("unter 18 Jahre"), null=True, blank=True)
    source = models.CharField(_("Quelle"), max_length=200)

    class Meta:
        verbose_name = _("Bevölkerungszahl")
        verbose_name_plural = _("Bevölkerungszahlen")
        ordering = ["municipality", "reference_date"]
        constraints = [
            models.UniqueConstraint(
                fields=["municipality", "reference_date"], name="unique_population_per_date"
            ),
            models.CheckConstraint(
                condition=Q(under_18__isnull=True) | Q(under_18__lte=models.F("total")),
                name="population_under_18_within_total",
            ),
        ]

    def __str__(self):
        return f"{self.municipality} {self.reference_date:%d.%m.%Y}: {self.total}"


class Programme(models.Model):
    """A state programme like „Kein Kind zurücklassen!“ with its phases and participants."""

    slug = models.SlugField(unique=True)
    name = models.CharField(_("Name"), max_length=200)
    short_name = models.CharField(_("Kurzname"), max_length=40)
    description = models.TextField(_("Beschreibung"), blank=True)
    website = models.URLField(_("Webseite"), blank=True)

    class Meta:
        verbose_name = _("Programm")
        verbose_name_plural = _("Programme")
        ordering = ["name"]

    def __str__(self):
        return self.name


class ProgrammePhase(models.Model):
    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="phases")
    name = models.CharField(_("Name"), max_length=200)
    start_date = models.DateField(_("Beginn"))
    end_date = models.DateField(_("Ende"))
    description = models.TextField(_("Beschreibung"), blank=True)

    class Meta:
        verbose_name = _("Programmphase")
        verbose_name_plural = _("Programmphasen")
        ordering = ["programme", "start_date"]
        constraints = [
            models.UniqueConstraint(fields=["programme", "name"], name="unique_phase_name"),
            models.CheckConstraint(
                condition=Q(end_date__gte=models.F("start_date")), name="phase_ends_after_start"
            ),
        ]

    def __str__(self):
        return f"{self.name} ({self.start_date.year}–{self.end_date.year})"


class ParticipationQuerySet(models.QuerySet):
    def active_on(self, date):
        return self.filter(joined_on__lte=date).filter(
            Q(left_on__isnull=True) | Q(left_on__gt=date)
        )


class Participation(models.Model):
    """A municipality taking part in a programme, from the year of its cohort."""

    programme = models.ForeignKey(
        Programme, on_delete=models.CASCADE, related_name="participations"
    )
    municipality = models.ForeignKey(
        Municipality, on_delete=models.PROTECT, related_name="participations"
    )
    cohort = models.PositiveSmallIntegerField(_("Jahrgang"))
    joined_on = models.DateField(_("Teilnahme seit"))
    left_on = models.DateField(_("Teilnahme bis"), null=True, blank=True)
    sources = models.CharField(_("Quellen"), max_length=200, blank=True)
    note = models.TextField(_("Hinweis"), blank=True)

    objects = ParticipationQuerySet.as_manager()

    class Meta:
        verbose_name = _("Teilnahme")
        verbose_name_plural = _("Teilnahmen")
        ordering = ["programme", "cohort", "municipality__short_name"]
        constraints = [
            models.UniqueConstraint(
                fields=["programme", "municipality"], name="unique_participation"
            ),
            models.CheckConstraint(
                condition=Q(left_on__isnull=True) | Q(left_on__gt=models.F("joined_on")),
                name="participation_leaves_after_joining",
            ),
        ]

    def __str__(self):
        return f"{self.municipality} – {self.programme.short_name} ({self.cohort})"


class Membership(models.Model):
    """A user's role towards one municipality: coordinator, viewer or Kommunale Begleitung."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships"
    )
    municipality = models.ForeignKey(
        Municipality, on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField(
        _("Rolle"),
        max_length=32,
        choices=[(r.value, r.label) for r in Role if r in MUNICIPAL_ROLES],
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("Mitgliedschaft")
        verbose_name_plural = _("Mitgliedschaften")
        ordering = ["municipality__short_name", "role"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "municipality", "role"], name="unique_membership"
            )
        ]

    def __str__(self):
        return f"{self.user} – {self.municipality} ({self.get_role_display()})"


class SozialraumLevel(models.TextChoices):
    STADTBEZIRK = "stadtbezirk", _("Stadtbezirk")
    SOZIALRAUM = "sozialraum", _("Sozialraum")


class SozialraumQuerySet(models.QuerySet):
    def valid_on(self, day):
        return self.filter(valid_from__lte=day).filter(
            Q(valid_to__isnull=True) | Q(valid_to__gte=day)
        )


class Sozialraum(models.Model):
    """A district of a municipality, optionally nested (Stadtbezirk > Sozialraum).

    Boundaries change: a Sozialraum is valid from–to, and a re-cut is a new record with the
    same code and a later valid_from, so old observations keep the area they were made for.
    """

    municipality = models.ForeignKey(
        Municipality, on_delete=models.PROTECT, related_name="sozialraeume"
    )
    parent = models.ForeignKey(
        "self",
        verbose_name=_("übergeordneter Bezirk"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
    )
    code = models.CharField(_("Kennung"), max_length=20)
    name = models.CharField(_("Name"), max_length=150)
    level = models.CharField(
        _("Ebene"),
        max_length=16,
        choices=SozialraumLevel.choices,
        default=SozialraumLevel.SOZIALRAUM,
    )
    valid_from = models.DateField(_("gültig ab"))
    valid_to = models.DateField(_("gültig bis"), null=True, blank=True)
    boundary = models.JSONField(_("Grenze (GeoJSON-Geometrie)"), null=True, blank=True)

    objects = SozialraumQuerySet.as_manager()

    class Meta:
        verbose_name = _("Sozialraum")
        verbose_name_plural = _("Sozialräume")
        ordering = ["municipality", "code", "valid_from"]
        constraints = [
            models.UniqueConstraint(
                fields=["municipality", "code", "valid_from"], name="unique_sozialraum_version"
            ),
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True) | Q(valid_to__gte=models.F("valid_from")),
                name="sozialraum_valid_to_after_from",
            ),
        ]

    def __str__(self):
        return f"{self.code} {self.name}"


class SozialraumPopulation(models.Model):
    """Residents of a Sozialraum in one year and age band [age_from, age_to).

    An empty age_to is an open band (e.g. 65 and older)."""

    sozialraum = models.ForeignKey(Sozialraum, on_delete=models.CASCADE, related_name="population")
    year = models.PositiveSmallIntegerField(_("Jahr"))
    age_from = models.PositiveSmallIntegerField(_("Alter von"))
    age_to = models.PositiveSmallIntegerField(_("Alter bis unter"), null=True, blank=True)
    count = models.PositiveIntegerField(_("Einwohnerinnen und Einwohner"))

    class Meta:
        verbose_name = _("Bevölkerung im Sozialraum")
        verbose_name_plural = _("Bevölkerung im Sozialraum")
        ordering = ["sozialraum", "year", "age_from"]
        constraints = [
            models.UniqueConstraint(
                fields=["sozialraum", "year", "age_from", "age_to"],
                name="unique_sozialraum_population",
                nulls_distinct=False,
            ),
            models.CheckConstraint(
                condition=Q(age_to__isnull=True) | Q(age_to__gt=models.F("age_from")),
                name="sozialraum_age_band_not_empty",
            ),
        ]

    def __str__(self):
        upper = f"–{self.age_to}" if self.age_to is not None else "+"
        return f"{self.sozialraum} {self.year} {self.age_from}{upper}: {self.count}"
