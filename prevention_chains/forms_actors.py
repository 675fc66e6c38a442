"""Forms of actors, networks and cooperation links. Choices offer active terms only (plus the
ones a record already has); prevention_chains.services_actors checks and writes."""

from django import forms
from django.utils.translation import gettext_lazy as _

from prevention_chains.forms_taxonomy import ServiceCheckedForm
from prevention_chains.models import (
    Actor,
    ActorType,
    CooperationKind,
    LifePhase,
    Network,
    NetworkMembership,
)
from prevention_chains.services_actors import ACTOR_FIELDS, NETWORK_FIELDS
from prevention_chains.services_taxonomy import offered_terms

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def _phase_field(current) -> forms.ModelMultipleChoiceField:
    return forms.ModelMultipleChoiceField(
        label=_("Lebensphasen"),
        queryset=offered_terms(LifePhase, current),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )


class ActorForm(ServiceCheckedForm):
    website = forms.URLField(
        label=Actor._meta.get_field("website").verbose_name,
        required=False,
        max_length=200,
        assume_scheme="https",
    )

    class Meta:
        model = Actor
        fields = ACTOR_FIELDS
        widgets = {"description": forms.Textarea(attrs={"rows": 4})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        editing = self.instance.pk is not None
        current_type = [self.instance.actor_type] if editing else []
        self.fields["actor_type"].queryset = offered_terms(ActorType, current_type)
        self.fields["actor_type"].empty_label = _("– bitte wählen –")
        current_phases = list(self.instance.life_phases.all()) if editing else []
        self.fields["life_phases"] = _phase_field(current_phases)
        if editing:
            self.initial["life_phases"] = [phase.pk for phase in current_phases]


class ActorFilterForm(forms.Form):
    suche = forms.CharField(label=_("Name enthält"), required=False, max_length=100)
    art = forms.ModelChoiceField(
        label=_("Art"),
        queryset=ActorType.objects.order_by("position", "name"),
        required=False,
        empty_label=_("alle"),
        to_field_name="slug",
    )
    phase = forms.ModelChoiceField(
        label=_("Lebensphase"),
        queryset=LifePhase.objects.order_by("position", "name"),
        required=False,
        empty_label=_("alle"),
        to_field_name="slug",
    )

    def filter(self, actors):
        if not self.is_valid():
            return actors
        data = self.cleaned_data
        if data["suche"]:
            actors = actors.filter(name__icontains=data["suche"].strip())
        if data["art"]:
            actors = actors.filter(actor_type=data["art"])
        if data["phase"]:
            actors = actors.filter(life_phases=data["phase"])
        return actors


class NetworkForm(ServiceCheckedForm):
    class Meta:
        model = Network
        fields = NETWORK_FIELDS
        widgets = {"description": forms.Textarea(attrs={"rows": 4})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        current = list(self.instance.life_phases.all()) if self.instance.pk else []
        self.fields["life_phases"] = _phase_field(current)
        if self.instance.pk:
            self.initial["life_phases"] = [phase.pk for phase in current]


class MemberForm(ServiceCheckedForm):
    class Meta:
        model = NetworkMembership
        fields = ("actor", "role", "since")
        widgets = {"since": DATE_WIDGET}
        labels = {"actor": _("Akteur")}

    def __init__(self, *args, network: Network, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["actor"].queryset = (
            Actor.objects.filter(municipality_id=network.municipality_id)
            .exclude(network_memberships__network=network)
            .order_by("name")
        )
        self.fields["actor"].empty_label = _("– bitte wählen –")


class CooperationForm(forms.Form):
    first = forms.ModelChoiceField(
        label=_("Akteur"), queryset=Actor.objects.none(), empty_label=_("– bitte wählen –")
    )
    second = forms.ModelChoiceField(
        label=_("kooperiert mit"),
        queryset=Actor.objects.none(),
        empty_label=_("– bitte wählen –"),
    )
    kind = forms.ChoiceField(label=_("Art der Kooperation"), choices=CooperationKind.choices)
    since = forms.DateField(label=_("seit"), required=False, widget=DATE_WIDGET)
    note = forms.CharField(label=_("Hinweis"), required=False, max_length=300)

    def __init__(self, *args, municipality, **kwargs):
        super().__init__(*args, **kwargs)
        actors = Actor.objects.filter(municipality=municipality).order_by("name")
        self.fields["first"].queryset = actors
        self.fields["second"].queryset = actors


class CooperationFilterForm(forms.Form):
    art = forms.ChoiceField(
        label=_("Art der Kooperation"),
        required=False,
        choices=[("", _("alle")), *CooperationKind.choices],
    )
