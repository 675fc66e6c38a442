from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PreventionChainsConfig(AppConfig):
    name = "prevention_chains"
    verbose_name = _("Präventionsketten")
