"""Leitbild and Präventionskette of a municipality: taxonomies, actors, networks, cooperation
links, offerings (Angebote), good practice shared between municipalities, and PDF documents.

Phases, fields, target groups and actor types are programme-wide taxonomies maintained by the
state office; everything else belongs to one municipality. Ages are whole years, bands are
[age_from, age_to) like the population bands of a Sozialraum, so that offerings and phases can
be set against the children living in an area.
"""

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVector, SearchVectorField
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from accounts.models import QueuedDocument
from monitoring.models import Indicator, RejectedRow, UploadedImport
from municipalities.models import Municipality, Sozialraum

# ---------------------------------------------------------------------------------------------
# Taxonomies (state office)


class TaxonomyTerm(models.Model):
    """A term of a programme-wide taxonomy. Terms in use are deactivated, never deleted."""

    slug = models.SlugField(_("Kennung"), max_length=60, unique=True)
    name = models.CharField(_("Bezeichnung"), max_length=120, unique=True)
    description = models.TextField(_("Beschreibung"), blank=True)
    position = models.PositiveSmallIntegerField(_("Reihenfolge"), default=0)
    is_active = models.BooleanField(_("aktiv"), default=True)

    class Meta:
        abstract = True
        ordering = ["position", "name"]

    def __str__(self):
        return self.name


class LifePhase(TaxonomyTerm):
    """A phase along a child's life; the columns of the chain matrix.

    The age band says which children of a Sozialraum a phase serves (for gaps per 1,000
    children). Transitions (Übergänge) overlap the phases around them on purpose."""

    age_from = models.PositiveSmallIntegerField(_("Alter von (Jahre)"), default=0)
    age_to = models.PositiveSmallIntegerField(_("Alter bis unter (Jahre)"))
    is_transition = models.BooleanField(_("Übergang"), default=False)

    class Meta(TaxonomyTerm.Meta):
        verbose_name = _("Lebensphase")
        verbose_name_plural = _("Lebensphasen")
        constraints = [
            models.CheckConstraint(
                condition=Q(age_to__gt=models.F("age_from")), name="life_phase_age_band_not_empty"
            )
        ]


class FieldOfAction(TaxonomyTerm):
    """A field of action (Handlungsfeld); the rows of the chain matrix."""

    class Meta(TaxonomyTerm.Meta):
        verbose_name = _("Handlungsfeld")
        verbose_name_plural = _("Handlungsfelder")


class TargetGroup(TaxonomyTerm):
    class Meta(TaxonomyTerm.Meta):
        verbose_name = _("Zielgruppe")
        verbose_name_plural = _("Zielgruppen")


class ActorType(TaxonomyTerm):
    class Meta(TaxonomyTerm.Meta):
        verbose_name = _("Akteurstyp")
        verbose_name_plural = _("Akteurstypen")


# ---------------------------------------------------------------------------------------------
# Leitbild


class LeitbildStatus(models.TextChoices):
    DRAFT = "draft", _("Entwurf")
    ADOPTED = "adopted", _("beschlossen")
    SUPERSEDED = "superseded", _("abgelöst")


class Leitbild(models.Model):
    """One version of a municipality's Leitbild. At most one draft and one adopted version at a
    time; adopting a draft supersedes the adopted one. Adopted and superseded versions are
    never edited again (a change is a new draft copied from them)."""

    municipality = models.ForeignKey(
        Municipality, on_delete=models.CASCADE, related_name="leitbilder"
    )
    number = models.PositiveSmallIntegerField(_("Fassung"))
    title = models.CharField(_("Titel"), max_length=200)
    text = models.TextField(_("Leitbildtext"), blank=True)
    status = models.CharField(
        _("Status"), max_length=12, choices=LeitbildStatus.choices, default=LeitbildStatus.DRAFT
    )
    council_decision_on = models.DateField(_("Ratsbeschluss vom"), null=True, blank=True)
    council_decision_ref = models.CharField(
        _("Beschluss (Gremium, Drucksache)"), max_length=200, blank=True
    )
    adopted_at = models.DateTimeField(_("als beschlossen erfasst am"), null=True, blank=True)
    superseded_at = models.DateTimeField(_("abgelöst am"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    version = models.PositiveIntegerField(default=1)  # optimistic lock of the edit form

    class Meta:
        verbose_name = _("Leitbild")
        verbose_name_plural = _("Leitbilder")
        ordering = ["municipality", "-number"]
        constraints = [
            models.UniqueConstraint(
                fields=["municipality", "number"], name="unique_leitbild_number"
            ),
            models.UniqueConstraint(
                fields=["municipality"],
                condition=Q(status="draft"),
                name="one_leitbild_draft",
            ),
            models.UniqueConstraint(
                fields=["municipality"],
                condition=Q(status="adopted"),
                name="one_adopted_leitbild",
            ),
            models.CheckConstraint(
                condition=Q(status="draft") | Q(council_decision_on__isnull=False),
                name="adopted_leitbild_has_council_decision",
            ),
        ]

    def __str__(self):
        return f"{self.municipality}: {self.title} ({self.number})"


class LeitbildGoal(models.Model):
    """A goal of a Leitbild; a goal with a parent is a sub-goal (one level deep)."""

    leitbild = models.ForeignKey(Leitbild, on_delete=models.CASCADE, related_name="goals")
    parent = models.ForeignKey(
        "self",
        verbose_name=_("Oberziel"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="sub_goals",
    )
    position = models.PositiveSmallIntegerField(_("Reihenfolge"), default=0)
    title = models.CharField(_("Ziel"), max_length=300)
    description = models.TextField(_("Erläuterung"), blank=True)
    life_phases = models.ManyToManyField(
        LifePhase, verbose_name=_("Lebensphasen"), blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("Ziel")
        verbose_name_plural = _("Ziele")
        ordering = ["leitbild", "parent_id", "position", "pk"]

    def __str__(self):
        return self.title


class GoalIndicator(models.Model):
    """A monitoring indicator that measures a goal: baseline, target value and target year.

    Without a Sozialraum the indicator is read for the whole municipality (its total)."""

    goal = models.ForeignKey(LeitbildGoal, on_delete=models.CASCADE, related_name="indicators")
    indicator = models.ForeignKey(Indicator, on_delete=models.PROTECT, related_name="+")
    sozialraum = models.ForeignKey(
        Sozialraum,
        verbose_name=_("Sozialraum"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    baseline_year = models.PositiveSmallIntegerField(_("Ausgangsjahr"))
    baseline_value = models.DecimalField(_("Ausgangswert"), max_digits=14, decimal_places=3)
    target_value = models.DecimalField(_("Zielwert"), max_digits=14, decimal_places=3)
    target_year = models.PositiveSmallIntegerField(_("Zieljahr"))

    class Meta:
        verbose_name = _("Zielindikator")
        verbose_name_plural = _("Zielindikatoren")
        ordering = ["goal", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(target_year__gt=models.F("baseline_year")),
                name="goal_indicator_target_after_baseline",
            )
        ]

    def __str__(self):
        return f"{self.goal}: {self.indicator.code}"


# ---------------------------------------------------------------------------------------------
# Actors and networks


class Actor(models.Model):
    """An organisation in the municipality's prevention work (Jugendamt, Kita, Sportverein …)."""

    municipality = models.ForeignKey(Municipality, on_delete=models.CASCADE, related_name="actors")
    name = models.CharField(_("Name"), max_length=200)
    actor_type = models.ForeignKey(
        ActorType, verbose_name=_("Art"), on_delete=models.PROTECT, related_name="actors"
    )
    description = models.TextField(_("Beschreibung"), blank=True)
    life_phases = models.ManyToManyField(
        LifePhase, verbose_name=_("Lebensphasen"), blank=True, related_name="actors"
    )
    contact_person = models.CharField(_("Ansprechperson"), max_length=150, blank=True)
    email = models.EmailField(_("E-Mail"), blank=True)
    phone = models.CharField(_("Telefon"), max_length=40, blank=True)
    website = models.URLField(_("Webseite"), blank=True)
    street = models.CharField(_("Straße und Hausnummer"), max_length=150, blank=True)
    postcode = models.CharField(_("PLZ"), max_length=5, blank=True)
    city = models.CharField(_("Ort"), max_length=100, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("Akteur")
        verbose_name_plural = _("Akteure")
        ordering = ["municipality", "name"]
        constraints = [
            models.UniqueConstraint(fields=["municipality", "name"], name="unique_actor_name")
        ]

    def __str__(self):
        return self.name


class NetworkKind(models.TextChoices):
    NETWORK = "netzwerk", _("Netzwerk")
    STEERING_GROUP = "steuerungsgruppe", _("Steuerungsgruppe")
    WORKING_GROUP = "arbeitskreis", _("Arbeitskreis")
    COMMITTEE = "gremium", _("Gremium")


class Network(models.Model):
    """A network or committee (Netzwerk Frühe Hilfen, Steuerungsgruppe …) with its members."""

    municipality = models.ForeignKey(
        Municipality, on_delete=models.CASCADE, related_name="networks"
    )
    name = models.CharField(_("Name"), max_length=200)
    kind = models.CharField(_("Art"), max_length=20, choices=NetworkKind.choices)
    description = models.TextField(_("Beschreibung"), blank=True)
    life_phases = models.ManyToManyField(
        LifePhase, verbose_name=_("Lebensphasen"), blank=True, related_name="+"
    )
    meeting_rhythm = models.CharField(_("Sitzungsrhythmus"), max_length=100, blank=True)
    members = models.ManyToManyField(
        Actor, through="NetworkMembership", related_name="networks", blank=True
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("Netzwerk oder Gremium")
        verbose_name_plural = _("Netzwerke und Gremien")
        ordering = ["municipality", "name"]
        constraints = [
            models.UniqueConstraint(fields=["municipality", "name"], name="unique_network_name")
        ]

    def __str__(self):
        return self.name


class NetworkMembership(models.Model):
    network = models.ForeignKey(Network, on_delete=models.CASCADE, related_name="memberships")
    actor = models.ForeignKey(Actor, on_delete=models.CASCADE, related_name="network_memberships")
    role = models.CharField(_("Funktion"), max_length=100, blank=True)
    since = models.DateField(_("Mitglied seit"), null=True, blank=True)

    class Meta:
        verbose_name = _("Mitglied im Netzwerk")
        verbose_name_plural = _("Mitglieder im Netzwerk")
        ordering = ["network", "actor__name"]
        constraints = [
            models.UniqueConstraint(fields=["network", "actor"], name="unique_network_member")
        ]

    def __str__(self):
        return f"{self.network}: {self.actor}"


class CooperationKind(models.TextChoices):
    AGREEMENT = "kooperationsvereinbarung", _("Kooperationsvereinbarung")
    EXCHANGE = "regelmaessiger_austausch", _("regelmäßiger Austausch")
    CASE_CONSULTATION = "fallberatung", _("Fallberatung")


class CooperationLink(models.Model):
    """A cooperation between two actors of the same municipality. Links are undirected: the
    actor with the smaller id is always `actor_a` (services normalise), so a pair of actors has
    each kind of link once."""

    municipality = models.ForeignKey(
        Municipality, on_delete=models.CASCADE, related_name="cooperation_links"
    )
    actor_a = models.ForeignKey(Actor, on_delete=models.CASCADE, related_name="+")
    actor_b = models.ForeignKey(Actor, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(_("Art"), max_length=32, choices=CooperationKind.choices)
    since = models.DateField(_("seit"), null=True, blank=True)
    note = models.CharField(_("Hinweis"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("Kooperation")
        verbose_name_plural = _("Kooperationen")
        ordering = ["municipality", "actor_a", "actor_b", "kind"]
        constraints = [
            models.CheckConstraint(
                condition=Q(actor_a__lt=models.F("actor_b")), name="cooperation_pair_ordered"
            ),
            models.UniqueConstraint(
                fields=["actor_a", "actor_b", "kind"], name="unique_cooperation"
            ),
        ]

    def __str__(self):
        return f"{self.actor_a} – {self.actor_b} ({self.get_kind_display()})"


# ---------------------------------------------------------------------------------------------
# Offerings


class OfferingStatus(models.TextChoices):
    DRAFT = "draft", _("Entwurf")
    PUBLISHED = "published", _("veröffentlicht")
    PAUSED = "paused", _("pausiert")
    ENDED = "ended", _("beendet")


# Statuses that count as the chain's current supply (matrix, gaps, need vs supply).
ACTIVE_OFFERING_STATUSES = (OfferingStatus.PUBLISHED, OfferingStatus.PAUSED)


class Offering(models.Model):
    """An Angebot of the prevention chain. Only published offerings are public (finder, HSDS).

    `search_vector` is computed by PostgreSQL from title and description with the German
    configuration (stemming, stop words); the finder's search and the duplicate detection use
    it. `languages` holds ISO 639-1 codes ("de", "tr", "ar" …)."""

    municipality = models.ForeignKey(
        Municipality, on_delete=models.CASCADE, related_name="offerings"
    )
    title = models.CharField(_("Titel"), max_length=200)
    description = models.TextField(_("Beschreibung"), blank=True)
    provider = models.ForeignKey(
        Actor,
        verbose_name=_("Träger"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="offerings",
    )
    life_phases = models.ManyToManyField(
        LifePhase, verbose_name=_("Lebensphasen"), related_name="offerings"
    )
    fields_of_action = models.ManyToManyField(
        FieldOfAction, verbose_name=_("Handlungsfelder"), related_name="offerings"
    )
    target_groups = models.ManyToManyField(
        TargetGroup, verbose_name=_("Zielgruppen"), blank=True, related_name="offerings"
    )
    age_from = models.PositiveSmallIntegerField(_("Alter von (Jahre)"), null=True, blank=True)
    age_to = models.PositiveSmallIntegerField(_("Alter bis unter (Jahre)"), null=True, blank=True)
    sozialraeume = models.ManyToManyField(
        Sozialraum,
        verbose_name=_("Sozialräume"),
        blank=True,
        related_name="offerings",
        help_text=_("Leer: das Angebot richtet sich an die ganze Kommune."),
    )
    schedule = models.CharField(_("Zeiten"), max_length=300, blank=True)
    is_free = models.BooleanField(_("kostenfrei"), default=True)
    cost_note = models.CharField(_("Kosten"), max_length=300, blank=True)
    languages = ArrayField(
        models.CharField(max_length=3), verbose_name=_("Sprachen"), default=list, blank=True
    )
    accessibility = models.CharField(_("Barrierefreiheit"), max_length=300, blank=True)
    contact_name = models.CharField(_("Ansprechperson"), max_length=150, blank=True)
    contact_email = models.EmailField(_("E-Mail"), blank=True)
    contact_phone = models.CharField(_("Telefon"), max_length=40, blank=True)
    website = models.URLField(_("Webseite"), blank=True)
    status = models.CharField(
        _("Status"), max_length=12, choices=OfferingStatus.choices, default=OfferingStatus.DRAFT
    )
    last_confirmed_on = models.DateField(_("zuletzt bestätigt am"), null=True, blank=True)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    stale_reminder_sent_on = models.DateField(null=True, blank=True, editable=False)
    adopted_from = models.ForeignKey(
        "GoodPractice",
        verbose_name=_("übernommen aus guter Praxis"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="adopted_offerings",
    )
    search_vector = models.GeneratedField(
        expression=SearchVector("title", "description", config="german"),
        output_field=SearchVectorField(),
        db_persist=True,
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    version = models.PositiveIntegerField(default=1)  # optimistic lock of the edit form

    class Meta:
        verbose_name = _("Angebot")
        verbose_name_plural = _("Angebote")
        ordering = ["municipality", "title", "pk"]
        indexes = [
            models.Index(fields=["municipality", "status"]),
            models.Index(fields=["status", "last_confirmed_on"]),
            # The public finder: published offerings by title, and by language across NRW.
            models.Index(fields=["status", "title"], name="offering_status_title"),
            GinIndex(fields=["languages"], name="offering_languages"),
            GinIndex(fields=["search_vector"], name="offering_search_vector"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(age_from__isnull=True)
                | Q(age_to__isnull=True)
                | Q(age_to__gt=models.F("age_from")),
                name="offering_age_band_not_empty",
            )
        ]

    def __str__(self):
        return self.title


class OfferingLocation(models.Model):
    """Where an offering takes place (an offering may run at several sites)."""

    offering = models.ForeignKey(Offering, on_delete=models.CASCADE, related_name="locations")
    name = models.CharField(_("Ort/Einrichtung"), max_length=200)
    street = models.CharField(_("Straße und Hausnummer"), max_length=150, blank=True)
    postcode = models.CharField(_("PLZ"), max_length=5, blank=True)
    city = models.CharField(_("Ort"), max_length=100, blank=True)
    sozialraum = models.ForeignKey(
        Sozialraum, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    latitude = models.DecimalField(max_digits=9, decimal_places=6, null=True, blank=True)
    longitude = models.DecimalField(max_digits=9, decimal_places=6, null=True, blank=True)

    class Meta:
        verbose_name = _("Angebotsort")
        verbose_name_plural = _("Angebotsorte")
        ordering = ["offering", "name", "pk"]

    def __str__(self):
        return self.name


class OfferingImport(UploadedImport):
    """One uploaded CSV/XLSX file of offerings: checked (preview, row errors), then imported
    as a whole or only its valid rows by a task with progress. Re-importing updates offerings
    with the same external key instead of duplicating them."""

    municipality = models.ForeignKey(
        Municipality, on_delete=models.CASCADE, related_name="offering_imports"
    )
    file = models.FileField(_("Datei"), upload_to="prevention_chains/imports/%Y/%m/")

    class Meta(UploadedImport.Meta):
        verbose_name = _("Angebotsimport")
        verbose_name_plural = _("Angebotsimporte")


class OfferingImportIssue(RejectedRow):
    batch = models.ForeignKey(OfferingImport, on_delete=models.CASCADE, related_name="issues")

    class Meta(RejectedRow.Meta):
        pass


class OfferingImportKey(models.Model):
    """The external key of an imported offering (the file's „Kennung“ column), so that a
    re-import updates the same offering."""

    municipality = models.ForeignKey(Municipality, on_delete=models.CASCADE, related_name="+")
    key = models.CharField(max_length=100)
    offering = models.OneToOneField(Offering, on_delete=models.CASCADE, related_name="import_key")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["municipality", "key"], name="unique_offering_key")
        ]

    def __str__(self):
        return self.key


# ---------------------------------------------------------------------------------------------
# Good practice


class GoodPracticeStatus(models.TextChoices):
    PROPOSED = "proposed", _("vorgeschlagen")
    PUBLISHED = "published", _("veröffentlicht")
    REJECTED = "rejected", _("abgelehnt")
    WITHDRAWN = "withdrawn", _("zurückgezogen")


class GoodPractice(models.Model):
    """An offering proposed by its municipality as good practice and published by the state
    office. The entry keeps its own copy of what others adopt (the origin may change or end)."""

    offering = models.ForeignKey(
        Offering, on_delete=models.PROTECT, related_name="good_practice_entries"
    )
    municipality = models.ForeignKey(
        Municipality, on_delete=models.CASCADE, related_name="good_practices"
    )
    title = models.CharField(_("Titel"), max_length=200)
    summary = models.TextField(_("Kurzbeschreibung"))
    why_it_works = models.TextField(_("Was gut funktioniert"))
    requirements = models.TextField(_("Voraussetzungen und Aufwand"), blank=True)
    life_phases = models.ManyToManyField(LifePhase, related_name="good_practices")
    fields_of_action = models.ManyToManyField(FieldOfAction, related_name="good_practices")
    target_groups = models.ManyToManyField(TargetGroup, blank=True, related_name="+")
    status = models.CharField(
        _("Status"),
        max_length=12,
        choices=GoodPracticeStatus.choices,
        default=GoodPracticeStatus.PROPOSED,
    )
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    proposed_at = models.DateTimeField(auto_now_add=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_note = models.TextField(_("Begründung"), blank=True)

    class Meta:
        verbose_name = _("gute Praxis")
        verbose_name_plural = _("gute Praxis")
        ordering = ["-proposed_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["offering"],
                condition=Q(status__in=["proposed", "published"]),
                name="one_open_good_practice_per_offering",
            )
        ]

    def __str__(self):
        return self.title


class Adoption(models.Model):
    """A municipality took a good practice into its chain. Kept when the draft is deleted, so
    the origin's count stays true."""

    good_practice = models.ForeignKey(
        GoodPractice, on_delete=models.CASCADE, related_name="adoptions"
    )
    municipality = models.ForeignKey(Municipality, on_delete=models.CASCADE, related_name="+")
    offering = models.OneToOneField(
        Offering, on_delete=models.SET_NULL, null=True, blank=True, related_name="adoption"
    )
    adopted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    adopted_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("Übernahme")
        verbose_name_plural = _("Übernahmen")
        ordering = ["-adopted_at"]

    def __str__(self):
        return f"{self.good_practice} → {self.municipality}"


# ---------------------------------------------------------------------------------------------
# PDF documents


class DocumentKind(models.TextChoices):
    LEITBILD = "leitbild", _("Leitbild")
    CHAIN = "chain", _("Präventionskette")


class ChainDocument(QueuedDocument):
    """A PDF of a municipality's Leitbild or prevention chain, rendered by a worker and kept."""

    municipality = models.ForeignKey(
        Municipality, on_delete=models.CASCADE, related_name="chain_documents"
    )
    kind = models.CharField(_("Art"), max_length=12, choices=DocumentKind.choices)
    leitbild = models.ForeignKey(
        Leitbild, on_delete=models.CASCADE, null=True, blank=True, related_name="documents"
    )
    file = models.FileField(upload_to="prevention_chains/documents/%Y/", blank=True)

    class Meta(QueuedDocument.Meta):
        verbose_name = _("PDF-Dokument")
        verbose_name_plural = _("PDF-Dokumente")
        constraints = [
            models.CheckConstraint(
                condition=Q(kind="chain") | Q(leitbild__isnull=False),
                name="leitbild_document_names_leitbild",
            )
        ]

    def __str__(self):
        return f"{self.municipality} {self.get_kind_display()} ({self.get_status_display()})"
