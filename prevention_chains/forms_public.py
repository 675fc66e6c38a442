"""The public offering finder's search form (a GET form: works without JavaScript, and the
address of a search can be bookmarked, shared and reached with the back button)."""

from django import forms
from django.forms.utils import flatatt
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _

from prevention_chains import finder
from prevention_chains.services_offerings import LANGUAGES

# Offerings run up to the entry into working life; older ages would only find open-ended ones.
MAX_AGE = 27


class PlainSelect(forms.Select):
    """A select whose options are written in Python, not through Django's option template: the
    finder's ≈ 400 municipalities cost 80 ms that way (and still 15 ms through the widget's
    option dictionaries), this well under a millisecond. Same markup as forms.Select."""

    def render(self, name, value, attrs=None, renderer=None):
        wanted = self.format_value(value)
        options = []
        selected_one = False
        for option_value, label in self.choices:
            option_value = "" if option_value is None else str(option_value)
            selected = not selected_one and option_value in wanted
            selected_one |= selected
            options.append(
                f'<option value="{escape(option_value)}"{" selected" if selected else ""}>'
                f"{escape(label)}</option>"
            )
        final_attrs = self.build_attrs(self.attrs, attrs)
        return mark_safe(  # noqa: S308 – every value above is escaped
            f'<select name="{escape(name)}"{flatatt(final_attrs)}>{"".join(options)}</select>'
        )


class FinderForm(forms.Form):
    q = forms.CharField(
        label=_("Suchbegriff"),
        required=False,
        max_length=finder.MAX_QUERY_LENGTH,
        strip=True,
        help_text=_("Zum Beispiel „Babytreff“, „Sprachförderung“ oder „Hebamme“."),
    )
    alter = forms.IntegerField(
        label=_("Alter des Kindes (Jahre)"),
        required=False,
        min_value=0,
        max_value=MAX_AGE,
        help_text=_("Für Angebote in der Schwangerschaft: 0."),
        error_messages={
            "invalid": _("Bitte geben Sie das Alter als ganze Zahl an, zum Beispiel 4."),
            "min_value": _("Das Alter kann nicht kleiner als 0 sein."),
            "max_value": _("Bitte geben Sie ein Alter bis %(limit_value)s Jahre an."),
        },
    )
    kommune = forms.TypedChoiceField(
        label=_("Kommune"), required=False, coerce=int, empty_value=None, widget=PlainSelect
    )
    sozialraum = forms.TypedChoiceField(
        label=_("Stadtteil oder Sozialraum"),
        required=False,
        coerce=int,
        empty_value=None,
        widget=PlainSelect,
        help_text=_(
            "Wählen Sie zuerst eine Kommune und suchen Sie; dann erscheinen hier ihre Sozialräume."
        ),
    )
    phase = forms.TypedChoiceField(
        label=_("Lebensphase"), required=False, coerce=int, empty_value=None, widget=PlainSelect
    )
    sprache = forms.ChoiceField(label=_("Sprache"), required=False, widget=PlainSelect)
    kostenfrei = forms.BooleanField(label=_("nur kostenfreie Angebote"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kommune"].choices = [
            ("", _("alle Kommunen")),
            *((str(pk), name) for pk, name in finder.municipalities_with_offerings()),
        ]
        municipality_id = self._chosen_municipality()
        areas = finder.sozialraeume_of(municipality_id) if municipality_id else []
        self.fields["sozialraum"].choices = [
            ("", _("die ganze Kommune")),
            *((str(pk), name) for pk, name in areas),
        ]
        if not areas:
            self.fields["sozialraum"].disabled = True
        self.fields["phase"].choices = [
            ("", _("alle Lebensphasen")),
            *((str(pk), name) for pk, name in finder.life_phase_choices()),
        ]
        self.fields["sprache"].choices = [("", _("alle Sprachen")), *LANGUAGES.items()]

    def _chosen_municipality(self) -> int | None:
        raw = self.data.get("kommune") if self.is_bound else None
        valid = {value for value, _label in self.fields["kommune"].choices if value}
        return int(raw) if raw in valid else None

    def finder_filter(self) -> finder.FinderFilter:
        """The valid filters; a field with a bad value is left out (and shown as an error)."""
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        return finder.FinderFilter(
            age=data.get("alter"),
            municipality_id=data.get("kommune"),
            sozialraum_id=data.get("sozialraum") if data.get("kommune") else None,
            life_phase_id=data.get("phase"),
            free_only=bool(data.get("kostenfrei")),
            language=data.get("sprache") or "",
            query=data.get("q") or "",
        )
