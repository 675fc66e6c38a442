"""Forms of the decision pages. They only parse; funding.services.decisions decides what is
allowed and says why not."""

from decimal import Decimal, InvalidOperation

from django import forms
from django.utils.translation import gettext_lazy as _

from funding.forms_fields import EuroField
from funding.models import Call, DecisionKind, Recommendation
from funding.money import format_euro

RECOMMENDED_KIND = {
    Recommendation.APPROVE: DecisionKind.APPROVAL,
    Recommendation.PARTIAL: DecisionKind.PARTIAL_APPROVAL,
    Recommendation.REJECT: DecisionKind.REJECTION,
}


def _grant_field(year: int, requested: Decimal) -> EuroField:
    return EuroField(
        label=_("Zuwendung %(year)s in €") % {"year": year},
        help_text=_("beantragt: %(amount)s") % {"amount": format_euro(requested)},
        required=False,
    )


class GrantsMixin:
    """One amount field per year of the application, named grant_<year>."""

    def add_grant_fields(self, plan: dict, initial: dict) -> None:
        self.years = sorted(plan)
        for year in self.years:
            name = f"grant_{year}"
            self.fields[name] = _grant_field(year, plan[year].requested_grant)
            if year in initial:
                self.initial.setdefault(name, initial[year])

    def grant_fields(self):
        return [self[f"grant_{year}"] for year in self.years]

    def grants(self) -> dict[int, Decimal]:
        return {year: self.cleaned_data.get(f"grant_{year}") or Decimal("0") for year in self.years}


class DecisionForm(GrantsMixin, forms.Form):
    kind = forms.ChoiceField(
        label=_("Entscheidung"),
        choices=[
            (DecisionKind.APPROVAL, _("Bewilligung in voller Höhe")),
            (DecisionKind.PARTIAL_APPROVAL, _("Teilbewilligung (Beträge je Jahr unten)")),
            (DecisionKind.REJECTION, _("Ablehnung")),
        ],
        widget=forms.RadioSelect,
        error_messages={"required": _("Bitte wählen Sie eine Entscheidung.")},
    )
    reasons = forms.CharField(
        label=_("Begründung"),
        help_text=_(
            "Pflicht bei Teilbewilligung und Ablehnung; sie erscheint im Bescheid. Bei einer "
            "Bewilligung in voller Höhe kann sie entfallen."
        ),
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
    )
    forwarding_allowed = forms.BooleanField(
        label=_("Weiterleitung der Zuwendung an Dritte zulassen"), required=False
    )
    version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args, application, plan: dict, review=None, **kwargs):
        super().__init__(*args, **kwargs)
        recommended = {}
        if review is not None:
            self.initial.setdefault("kind", RECOMMENDED_KIND.get(review.recommendation))
            recommended = _recommended_grants(review.recommended_grants)
        self.initial.setdefault("forwarding_allowed", application.forwarding_requested)
        self.initial.setdefault("version", application.version)
        self.add_grant_fields(
            plan, {year: recommended.get(year, plan[year].requested_grant) for year in plan}
        )


def _recommended_grants(raw: dict) -> dict[int, Decimal]:
    """The Votum's amounts ({"2027": "29958.00"}); an unreadable entry is simply not offered."""
    result = {}
    for year, amount in (raw or {}).items():
        try:
            result[int(year)] = Decimal(str(amount))
        except (ValueError, InvalidOperation):
            continue
    return result


class AmendmentForm(GrantsMixin, forms.Form):
    reasons = forms.CharField(
        label=_("Begründung der Änderung"),
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": _("Bitte begründen Sie die Änderung des Bescheides.")},
    )

    def __init__(self, *args, plan: dict, current: dict, **kwargs):
        super().__init__(*args, **kwargs)
        self.add_grant_fields(plan, current)


class WaiverForm(forms.Form):
    confirm = forms.BooleanField(
        label=_(
            "Wir verzichten auf Rechtsbehelfe gegen diesen Bescheid. Uns ist bewusst, dass der "
            "Bescheid damit sofort bestandskräftig wird und nicht mehr angefochten werden kann."
        ),
        error_messages={"required": _("Bitte bestätigen Sie den Verzicht.")},
    )


class BatchScope:
    MISSING = "missing"
    ALL = "all"


class BatchForm(forms.Form):
    call = forms.ModelChoiceField(
        label=_("Förderaufruf"),
        queryset=Call.objects.select_related("programme").order_by("-first_year", "title"),
        error_messages={"required": _("Bitte wählen Sie einen Förderaufruf.")},
    )
    scope = forms.ChoiceField(
        label=_("Welche Bescheide"),
        choices=[
            (BatchScope.MISSING, _("nur geltende Bescheide ohne fertiges PDF")),
            (BatchScope.ALL, _("alle geltenden Bescheide des Aufrufs (neu erstellen)")),
        ],
        initial=BatchScope.MISSING,
        widget=forms.RadioSelect,
    )
