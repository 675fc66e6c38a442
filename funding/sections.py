"""The sections of an application page (plan, review, comments, decision, payments, proofs,
history), shown as a sub-navigation to whoever may open them. Each stage's views own their
pages; this only lists them, so every page of an application offers the same way around."""

from dataclasses import dataclass

from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _

from funding.permissions import is_state_office


@dataclass(frozen=True)
class Section:
    label: str
    url: str
    current: bool


# (URL name, label, who: "all" readers or "state" office only)
SECTIONS = (
    ("funding:application_detail", _("Antrag"), "all"),
    ("funding:application_review", _("Prüfung"), "state"),
    ("funding:application_comments", _("Kommentare"), "all"),
    ("funding:application_decisions", _("Bescheide"), "all"),
    ("funding:application_payments", _("Mittelabrufe"), "all"),
    ("funding:application_proofs", _("Verwendungsnachweise"), "all"),
    ("funding:application_history", _("Verlauf"), "all"),
)


def sections(request, application) -> list[Section]:
    state_office = is_state_office(request.user)
    result = []
    for name, label, who in SECTIONS:
        if who == "state" and not state_office:
            continue
        try:
            url = reverse(name, args=[application.pk])
        except NoReverseMatch:  # a stage whose pages are not installed
            continue
        result.append(Section(str(label), url, request.path == url))
    return result
