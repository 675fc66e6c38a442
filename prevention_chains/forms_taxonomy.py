"""Forms of the taxonomy maintenance. They parse input; prevention_chains.services_taxonomy
checks names, slugs and age bands and writes."""

from django import forms
from django.utils.translation import gettext_lazy as _

from prevention_chains.models import LifePhase
from prevention_chains.services_taxonomy import Taxonomy


class ServiceCheckedForm(forms.ModelForm):
    """The model's labels, help texts and widgets; each field is checked on its own. Checks
    across fields, uniqueness and the model's constraints are the service's, whose messages
    say what to fix (the model's own would read „Constraint … is violated“). The form never
    saves: the service does."""

    def _post_clean(self):
        pass


def term_form_class(taxonomy: Taxonomy, *, creating: bool) -> type[forms.ModelForm]:
    """The form of one taxonomy's terms; the slug is asked for only when creating."""
    fields = (("slug",) if creating else ()) + taxonomy.fields
    widgets = {"description": forms.Textarea(attrs={"rows": 3})}
    help_texts = {
        "slug": _(
            "Dauerhafte Kennung für API und Importe: Kleinbuchstaben, Ziffern, Bindestriche. "
            "Sie lässt sich später nicht mehr ändern."
        ),
        "position": _("Kleinere Zahlen stehen weiter vorn."),
        "is_active": _(
            "Deaktivierte Begriffe werden in Formularen nicht mehr angeboten, bleiben aber "
            "dort erhalten, wo sie schon verwendet werden."
        ),
    }
    if taxonomy.model is LifePhase:
        help_texts["age_to"] = _("Das Alter, ab dem die Phase nicht mehr gilt (z. B. 6 für 3–6).")
        help_texts["is_transition"] = _(
            "Übergänge liegen zwischen zwei Phasen; die Netzwerkansicht prüft, ob Akteure der "
            "Phase davor und danach miteinander kooperieren."
        )
    meta = type(
        "Meta",
        (),
        {
            "model": taxonomy.model,
            "fields": fields,
            "widgets": widgets,
            "help_texts": help_texts,
        },
    )
    form = type(f"{taxonomy.model.__name__}Form", (ServiceCheckedForm,), {"Meta": meta})
    form.base_fields["position"].required = False
    return form
