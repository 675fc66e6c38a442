"""The main navigation, by role: everyone sees what they may open, and nothing else."""

from dataclasses import dataclass

from django.urls import NoReverseMatch, reverse
from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext as _

from accounts.roles import PROGRAMME_WIDE_ROLES, STATE_OFFICE_ROLES, Role
from municipalities import selectors
from municipalities.permissions import roles_by_municipality


@dataclass(frozen=True)
class NavItem:
    label: str
    url: str
    current: bool = False


def _url(name: str, *args) -> str | None:
    # Features built in other parts of the portal may not be installed yet; a link to a page
    # that does not exist must not be shown.
    try:
        return reverse(name, args=args)
    except NoReverseMatch:
        return None


def _items(request) -> list[NavItem]:
    user = request.user
    entries: list[tuple[str, str | None]] = []
    if user.is_authenticated:
        entries.append((_("Startseite"), _url("start")))
    else:
        entries.append((_("Startseite"), _url("home")))
    programme_slug = selectors.first_programme_slug()
    if programme_slug:
        entries.append((_("Programm"), _url("programme_detail", programme_slug)))
    entries.append((_("Kommunen"), _url("municipality_list")))
    if user.is_authenticated:
        mine = roles_by_municipality(user)
        if len(mine) == 1:
            # One municipality: a direct way to it; with several, the start page lists them.
            slug = selectors.municipality_slug(next(iter(mine)))
            if slug:
                entries.append((_("Meine Kommune"), _url("municipality_detail", slug)))
                entries.append((_("Monitoring"), _url("monitoring:analysis_overview", slug)))
                entries.append((_("Präventionskette"), _url("prevention_chains:chain", slug)))
        if user.has_programme_role(*PROGRAMME_WIDE_ROLES):
            entries.append((_("Monitoring"), _url("monitoring:analysis_state_office")))
        if user.has_programme_role(*STATE_OFFICE_ROLES):
            entries.append((_("Förderung"), _url("funding:review_queue")))
        elif mine:
            entries.append((_("Förderung"), _url("funding:application_list")))
        if user.has_programme_role(Role.STATE_ADMIN) or user.is_superuser:
            entries.append((_("Verwaltung"), _url("admin:index")))
        entries.append((_("API-Tokens"), _url("account_tokens")))
        entries.append((_("Sicherheit"), _url("mfa_index")))
    entries.append((_("Angebote finden"), _url("prevention_chains:finder")))
    entries.append((_("Gute Praxis"), _url("prevention_chains:good_practice_library")))
    entries.append((_("Über / Datenquellen"), _url("about")))

    # One item is current: the one whose address is the longest prefix of this page's.
    path = request.path
    urls = [url for _label, url in entries if url]
    matching = [url for url in urls if path == url or (url != "/" and path.startswith(url))]
    current = max(matching, key=len, default=None)
    items = [NavItem(label, url, url == current) for label, url in entries if url]
    return items


def navigation(request):
    return {"navigation": SimpleLazyObject(lambda: _items(request))}
