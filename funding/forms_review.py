"""Forms of the review pages. They parse what the user typed; funding.services.review decides."""

from django import forms
from django.utils.translation import gettext_lazy as _

from funding.forms_fields import EuroField
from funding.models import ApplicationStatus, CommentVisibility, Recommendation
from funding.selectors_review import MINE, UNASSIGNED, QueueFilters
from funding.services.review import CHECKLIST
from municipalities.models import Regierungsbezirk

NEWEST_FIRST = "neueste"
VERSION_FIELD = {"widget": forms.HiddenInput, "min_value": 1}


class QueueFilterForm(forms.Form):
    jahr = forms.TypedChoiceField(
        label=_("Förderjahr"), required=False, coerce=int, empty_value=None
    )
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[("", _("alle offenen und zurückgegebenen"))]
        + [c for c in ApplicationStatus.choices if c[0] != ApplicationStatus.DRAFT],
    )
    bezirk = forms.ChoiceField(
        label=_("Regierungsbezirk"),
        required=False,
        choices=[("", _("alle")), *Regierungsbezirk.choices],
    )
    aufruf = forms.TypedChoiceField(
        label=_("Förderaufruf"), required=False, coerce=int, empty_value=None
    )
    bearbeitung = forms.ChoiceField(
        label=_("Prüfung durch"),
        required=False,
        choices=[("", _("alle")), (MINE, _("mir zugewiesen")), (UNASSIGNED, _("noch niemand"))],
    )
    suche = forms.CharField(label=_("Antragsnummer oder Kommune"), required=False, max_length=100)
    sortierung = forms.ChoiceField(
        label=_("Sortierung"),
        required=False,
        choices=[("", _("älteste Einreichung zuerst")), (NEWEST_FIRST, _("neueste zuerst"))],
    )

    def __init__(self, *args, calls, **kwargs):
        """calls: (pk, title, first_year, last_year) of every call."""
        super().__init__(*args, **kwargs)
        self.fields["aufruf"].choices = [("", _("alle"))] + [
            (pk, title) for pk, title, _first, _last in calls
        ]
        years = sorted({year for *_call, first, last in calls for year in range(first, last + 1)})
        self.fields["jahr"].choices = [("", _("alle"))] + [(y, y) for y in reversed(years)]

    def filters(self) -> QueueFilters:
        """The chosen filters; none while the form is invalid (the page says which)."""
        if not self.is_bound or not self.is_valid():
            return QueueFilters()
        data = self.cleaned_data
        return QueueFilters(
            year=data["jahr"],
            status=data["status"],
            regierungsbezirk=data["bezirk"],
            call=data["aufruf"],
            assigned=data["bearbeitung"],
            search=data["suche"].strip(),
            newest_first=data["sortierung"] == NEWEST_FIRST,
        )


class ChecklistForm(forms.Form):
    note = forms.CharField(
        label=_("Prüfvermerk"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Nur für die Landeskoordinierungsstelle sichtbar."),
    )
    version = forms.IntegerField(**VERSION_FIELD)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for key, label in CHECKLIST:
            self.fields[f"item_{key}"] = forms.BooleanField(label=label, required=False)
        # The items first, the note below them.
        self.order_fields([f"item_{key}" for key, _label in CHECKLIST])

    @classmethod
    def initial_from(cls, review, version: int) -> dict:
        stored = review.checklist if review else {}
        items = stored.get("items", {})
        return {
            "version": version,
            "note": stored.get("note", ""),
            **{f"item_{key}": items.get(key, False) for key, _label in CHECKLIST},
        }

    def item_fields(self):
        return [self[f"item_{key}"] for key, _label in CHECKLIST]

    def checklist(self) -> dict[str, bool]:
        return {key: self.cleaned_data[f"item_{key}"] for key, _label in CHECKLIST}


class CommentForm(forms.Form):
    text = forms.CharField(
        label=_("Kommentar"), max_length=5000, widget=forms.Textarea(attrs={"rows": 4})
    )
    visibility = forms.ChoiceField(
        label=_("Sichtbarkeit"),
        choices=CommentVisibility.choices,
        initial=CommentVisibility.INTERNAL,
    )

    def __init__(self, *args, state_office: bool, **kwargs):
        super().__init__(*args, **kwargs)
        # The municipality always writes to the state office; there is nothing to choose.
        if not state_office:
            del self.fields["visibility"]


class RequestChangesForm(forms.Form):
    message = forms.CharField(
        label=_("Was soll die Kommune nachbessern?"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("Die Kommune erhält diesen Text per E-Mail und sieht ihn beim Antrag."),
    )
    confirmed = forms.BooleanField(
        label=_(
            "Der Antrag geht zur Nachbesserung an die Kommune zurück; ein vorliegendes Votum "
            "wird aufgehoben."
        ),
        error_messages={"required": _("Bitte bestätigen Sie die Rückgabe an die Kommune.")},
    )
    version = forms.IntegerField(**VERSION_FIELD)


class RecommendForm(forms.Form):
    recommendation = forms.ChoiceField(
        label=_("Votum"), choices=[("", _("bitte wählen")), *Recommendation.choices]
    )
    note = forms.CharField(
        label=_("Begründung"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Pflicht bei teilweiser Bewilligung und Ablehnung."),
    )
    version = forms.IntegerField(**VERSION_FIELD)

    def __init__(self, *args, years, **kwargs):
        """years: the application's ApplicationYear rows; a partial approval needs an amount
        for each of them."""
        super().__init__(*args, **kwargs)
        self.years = [plan.year for plan in years]
        for plan in years:
            self.fields[f"grant_{plan.year}"] = EuroField(
                label=_("empfohlene Zuwendung %(year)s (€)") % {"year": plan.year},
                required=False,
                help_text=_("Nur bei teilweiser Bewilligung, z. B. 25.000,00."),
            )

    def grant_fields(self):
        return [self[f"grant_{year}"] for year in self.years]

    def recommended_grants(self) -> dict[int, object]:
        return {
            year: self.cleaned_data[f"grant_{year}"]
            for year in self.years
            if self.cleaned_data[f"grant_{year}"] is not None
        }
