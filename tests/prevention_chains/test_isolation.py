"""The permission matrix of the prevention chain (issue 5): every page of the namespace
prevention_chains, every prevention-chain address of API v1 and the HSDS export, walked by
every persona against municipality A's objects.

- B's coordinator, the evaluation and anyone else logged in: 404 for everything of A that is
  not public, reading and writing alike; lists show none of A's rows. (B may adopt A's
  published good practice into B's chain: that page opens for other coordinators.)
- A's viewer and Kommunale Begleitung read A's pages; every write is refused (pages 404, API
  403 as docs/prevention-actors.md and -offerings.md say; the Leitbild API and the proposal
  of good practice fetch for writing and answer 404).
- The state office (reviewer) reads A's chain, decides good practice, writes nothing of A;
  the programme administration (state_admin) writes.
- Anonymous: the finder and the good-practice library (published things only), the HSDS export
  and the taxonomy API read; everything else leads to the login page (API: 401).

Refused requests change nothing: every prevention-chain row is compared before and after.
The page and route lists are read from the URLconf and the API router, so a new page or
endpoint fails test_every_page_has_an_entry / test_every_api_route_has_an_entry until someone
decides here who may use it."""

import json
from collections.abc import Callable
from dataclasses import dataclass

import pytest
from django.urls import get_resolver, reverse

from prevention_chains.hsds.ids import service_id
from prevention_chains.hsds.urls import urlpatterns as hsds_urlpatterns
from prevention_chains.models import OfferingStatus
from tests.factories_chains import ActorFactory, NetworkFactory, OfferingFactory
from tests.factories_monitoring import SozialraumFactory
from tests.prevention_chains.isolation_world import build, snapshot

ANONYMOUS = "anonymous"
PERSONAS = [
    ANONYMOUS, "coordinator_a", "viewer_a", "companion_a", "coordinator_b", "reviewer",
    "state_admin", "researcher",
]  # fmt: skip

# Who may use a page or endpoint (persona names of tests/conftest.py).
MEMBERS = frozenset({"coordinator_a", "viewer_a", "companion_a"})
READERS = MEMBERS | {"reviewer", "state_admin"}  # the chain's readers: members, state office
WRITERS = frozenset({"coordinator_a", "state_admin"})
STATE_OFFICE = frozenset({"reviewer", "state_admin"})
PROGRAMME_ADMIN = frozenset({"state_admin"})
OTHER_COORDINATORS = frozenset({"coordinator_b"})  # adopting A's published good practice
PUBLIC = frozenset(PERSONAS)

GET, POST, GET_POST = ("GET",), ("POST",), ("GET", "POST")


@pytest.fixture
def world(personas):
    return build(personas)


def login(client, personas, persona: str):
    if persona != ANONYMOUS:
        client.force_login(getattr(personas, persona))
    return client


# --- pages ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Page:
    """A page of A: its URL arguments, its methods, who may open it and what they get."""

    kwargs: Callable
    methods: tuple
    who: frozenset
    ok: int = 200


def _slug(w):
    return {"slug": w.municipality.slug}


def _pk(name):
    return lambda w: {"pk": getattr(w, name).pk}


def _term(w):
    return {"kind": "lebensphasen", "pk": w.phase.pk}


PAGES = {
    # Begriffslisten: not A's, the state office's
    "taxonomy_overview": Page(lambda w: {}, GET, STATE_OFFICE),
    "taxonomy_term_create": Page(lambda w: {"kind": "lebensphasen"}, GET_POST, PROGRAMME_ADMIN),
    "taxonomy_term_edit": Page(_term, GET_POST, PROGRAMME_ADMIN),
    "taxonomy_term_delete": Page(_term, GET_POST, PROGRAMME_ADMIN),
    "taxonomy_term_move": Page(_term, POST, PROGRAMME_ADMIN),
    # Akteure, Netzwerke, Kooperationen
    "actor_list": Page(_slug, GET, READERS),
    "actor_detail": Page(_pk("actor"), GET, READERS),
    "actor_create": Page(_slug, GET_POST, WRITERS),
    "actor_edit": Page(_pk("actor"), GET_POST, WRITERS),
    "actor_delete": Page(_pk("actor"), GET_POST, WRITERS),
    "network_list": Page(_slug, GET, READERS),
    "network_detail": Page(_pk("network"), GET, READERS),
    "network_create": Page(_slug, GET_POST, WRITERS),
    "network_edit": Page(_pk("network"), GET_POST, WRITERS),
    "network_delete": Page(_pk("network"), GET_POST, WRITERS),
    "network_member_add": Page(_pk("network"), POST, WRITERS),
    "network_member_remove": Page(
        lambda w: {"pk": w.network.pk, "membership_pk": w.membership.pk}, GET_POST, WRITERS
    ),
    "cooperation_list": Page(_slug, GET, READERS),
    "cooperation_create": Page(_slug, GET_POST, WRITERS),
    "cooperation_delete": Page(_pk("link"), GET_POST, WRITERS),
    "network_graph": Page(_slug, GET, READERS),
    # Leitbild
    "leitbild_overview": Page(_slug, GET, READERS),
    "leitbild_create": Page(_slug, GET_POST, WRITERS),
    "leitbild_detail": Page(_pk("leitbild_adopted"), GET, READERS),
    "leitbild_edit": Page(_pk("leitbild_draft"), GET_POST, WRITERS),
    "leitbild_adopt": Page(_pk("leitbild_draft"), GET_POST, WRITERS),
    "leitbild_new_version": Page(_pk("leitbild_adopted"), GET_POST, WRITERS),
    "goal_create": Page(_pk("leitbild_draft"), GET_POST, WRITERS),
    "goal_edit": Page(_pk("goal"), GET_POST, WRITERS),
    "goal_delete": Page(_pk("goal"), GET_POST, WRITERS),
    "goal_indicator_create": Page(_pk("goal"), GET_POST, WRITERS),
    "goal_indicator_edit": Page(_pk("goal_indicator"), GET_POST, WRITERS),
    "goal_indicator_delete": Page(_pk("goal_indicator"), GET_POST, WRITERS),
    # Angebote (internal pages; the draft is the one the public never sees)
    "offering_list": Page(_slug, GET, READERS),
    "offering_export": Page(lambda w: {**_slug(w), "fmt": "csv"}, GET, READERS),
    "offering_detail": Page(_pk("draft_offering"), GET, READERS),
    "offering_create": Page(_slug, GET_POST, WRITERS),
    "offering_edit": Page(_pk("draft_offering"), GET_POST, WRITERS),
    "offering_delete": Page(_pk("draft_offering"), GET_POST, WRITERS),
    "offering_confirm": Page(_pk("draft_offering"), POST, WRITERS),
    "offering_import_upload": Page(_slug, GET_POST, WRITERS),
    "offering_import_template": Page(lambda w: {**_slug(w), "fmt": "csv"}, GET, WRITERS),
    "offering_import_detail": Page(_pk("offering_import"), GET, WRITERS),
    # The check is finished: the progress address sends on to the result.
    "offering_import_progress": Page(_pk("offering_import"), GET, WRITERS, ok=302),
    "offering_import_start": Page(_pk("offering_import"), POST, WRITERS),
    "offering_import_discard": Page(_pk("offering_import"), POST, WRITERS),
    # Kette, Dokumente
    "chain": Page(_slug, GET, READERS),
    "chain_duplicates": Page(_slug, GET, READERS),
    "chain_supply": Page(_slug, GET, READERS),
    "document_list": Page(_slug, GET, READERS),
    # Asking for a PDF is reading: every reader may (the test posts no valid form).
    "document_request": Page(_slug, POST, READERS),
    # The coordinator asked for it: the members see it, the state office only its own.
    "document_detail": Page(_pk("document"), GET, MEMBERS),
    "document_download": Page(_pk("document"), GET, MEMBERS),
    # Öffentlich: Angebotsfinder
    "finder": Page(lambda w: {}, GET, PUBLIC),
    "finder_detail": Page(lambda w: {"offering_id": w.offering.pk}, GET, PUBLIC),
    # Gute Praxis
    "good_practice_library": Page(lambda w: {}, GET, PUBLIC),
    "good_practice_detail": Page(_pk("published_entry"), GET, PUBLIC),
    "good_practice_adopt": Page(_pk("published_entry"), GET_POST, OTHER_COORDINATORS),
    "good_practice_review": Page(lambda w: {}, GET, STATE_OFFICE),
    "good_practice_decide": Page(_pk("proposed_entry"), GET_POST, STATE_OFFICE),
    "good_practice_mine": Page(_slug, GET, READERS),
    "good_practice_withdraw": Page(
        lambda w: {**_slug(w), "pk": w.proposed_entry.pk}, GET_POST, WRITERS
    ),
    # Without a chosen offering the choice goes back to the municipality's page.
    "good_practice_propose_choose": Page(_slug, GET, WRITERS, ok=302),
    "good_practice_propose": Page(
        lambda w: {**_slug(w), "offering_id": w.offering.pk}, GET_POST, WRITERS
    ),
}


def page_names() -> set[str]:
    """The URL names of the namespace, its included parts too (they add no namespace)."""
    _prefix, resolver = get_resolver().namespace_dict["prevention_chains"]
    return {key for key in resolver.reverse_dict if isinstance(key, str)}


def test_every_page_has_an_entry():
    """A new page fails here until its row in PAGES says who may open it."""
    names = page_names()
    assert names - PAGES.keys() == set(), "add these pages to PAGES"
    assert PAGES.keys() - names == set(), "these pages no longer exist"


def expected_page_status(page: Page, persona: str, method: str) -> int | None:
    """What `persona` gets for `method` on the page; None: allowed to write, not walked."""
    if persona == ANONYMOUS and page.who != PUBLIC:
        return 302  # the login page
    if method not in page.methods:
        return 405
    if persona not in page.who:
        return 404
    return page.ok if method == "GET" else None


@pytest.mark.parametrize("persona", PERSONAS)
def test_page_matrix(client, personas, world, persona):
    login(client, personas, persona)
    before = snapshot()
    login_url = reverse("account_login")
    for name, page in sorted(PAGES.items()):
        url = reverse(f"prevention_chains:{name}", kwargs=page.kwargs(world))
        for method in ("GET", "POST"):
            expected = expected_page_status(page, persona, method)
            if expected is None:
                continue
            response = client.get(url) if method == "GET" else client.post(url, {})
            assert response.status_code == expected, f"{persona} {method} {url}"
            if persona == ANONYMOUS and expected == 302:
                assert response["Location"].startswith(login_url), f"{method} {url}"
    assert snapshot() == before


# --- API v1 -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Call:
    """One method of an API address naming A's objects: who may call it, the body a writer
    would send (valid, so that a missing check shows as a change), what the allowed caller
    gets, and the refusals for readers of A's chain and for everyone else logged in."""

    kwargs: Callable
    who: frozenset
    body: Callable = lambda w: {}
    ok: int = 200
    reader_refusal: int = 403
    stranger_refusal: int = 404
    query: Callable = lambda w: ""


def _a_only(w):
    return f"?municipality={w.municipality.ags}"


def _list(who=READERS):
    """A list narrowed to A: others get an empty list, not a refusal."""
    return Call(lambda w: {}, who, query=_a_only, stranger_refusal=200)


def _new_leitbild(w):
    return {"municipality": w.municipality.ags, "title": "Leitbild 2030", "text": "Neu."}


def _new_offering(w):
    return {
        "municipality": w.municipality.ags,
        "title": "Neues Angebot",
        "life_phases": [w.phase.slug],
        "fields_of_action": [w.field.slug],
        "status": "draft",
    }


def _terms(basename: str, model_fields: dict) -> dict:
    new = {"slug": "iso-neu", "name": "Neuer Begriff (Iso)", **model_fields}
    return {
        f"{basename}-list": {
            "GET": Call(lambda w: {}, PUBLIC),
            "POST": Call(lambda w: {}, PROGRAMME_ADMIN, lambda w: new, 201, 403, 403),
        },
        f"{basename}-detail": {
            "GET": Call(_term_slug(basename), PUBLIC),
            "PATCH": Call(_term_slug(basename), PROGRAMME_ADMIN, lambda w: {"name": "Umbenannt"},
                          200, 403, 403),
            # In use by A's records: refused by the service once the right is granted.
            "DELETE": Call(_term_slug(basename), PROGRAMME_ADMIN, ok=409, reader_refusal=403,
                           stranger_refusal=403),
        },
    }  # fmt: skip


def _term_slug(basename: str):
    attribute = {
        "api-life-phase": "phase",
        "api-field-of-action": "field",
        "api-target-group": "group",
        "api-actor-type": "actor_type",
    }[basename]
    return lambda w: {"slug": getattr(w, attribute).slug}


def _maintained(basename: str, attribute: str, new: Callable, change: dict) -> dict:
    """Actors, networks, links: list and create, read, change and delete one of A's. A
    municipality or actor one cannot see is unknown to the create (400 on that field)."""
    one = _pk(attribute)
    return {
        f"{basename}-list": {
            "GET": _list(),
            "POST": Call(lambda w: {}, WRITERS, new, 201, stranger_refusal=400),
        },
        f"{basename}-detail": {
            "GET": Call(one, READERS),
            "PATCH": Call(one, WRITERS, lambda w: change),
            "DELETE": Call(one, WRITERS, ok=204),
        },
    }


def _pk_of(attribute: str) -> Callable:
    return lambda w: getattr(w, attribute).pk


def _leitbild_part(basename: str, attribute: str, parent: dict, body: Callable) -> dict:
    """Goals and goal indicators of A's draft: listed under their parent (`?leitbild=`,
    `?goal=`), read, created, replaced, changed and deleted; like the Leitbild itself, whoever
    may not write gets 404 (the API names no object it refuses to write)."""
    ((parent_field, parent_pk),) = parent.items()
    one = _pk(attribute)
    return {
        f"{basename}-list": {
            "GET": Call(
                lambda w: {},
                READERS,
                query=lambda w: f"?{parent_field}={parent_pk(w)}",
                stranger_refusal=200,
            ),
            "POST": Call(
                lambda w: {},
                WRITERS,
                lambda w: {**body(w), parent_field: parent_pk(w)},
                201,
                reader_refusal=404,
            ),
        },
        f"{basename}-detail": {
            "GET": Call(one, READERS),
            "PUT": Call(one, WRITERS, body, reader_refusal=404),
            "PATCH": Call(one, WRITERS, body, reader_refusal=404),
            "DELETE": Call(one, WRITERS, ok=204, reader_refusal=404),
        },
    }


def _ags(w):
    return {"ags": w.municipality.ags}


API = {
    # Leitbild: the API names no object it refuses to write (404, docs/prevention-leitbild.md)
    "api-leitbild-list": {
        "GET": _list(),
        # A has a draft already: the service refuses the second one (the right was granted).
        "POST": Call(lambda w: {}, WRITERS, _new_leitbild, 409, 404),
    },
    "api-leitbild-detail": {
        "GET": Call(_pk("leitbild_draft"), READERS),
        "PATCH": Call(
            _pk("leitbild_draft"),
            WRITERS,
            lambda w: {"title": "Geändert", "text": "Neu.", "version": w.leitbild_draft.version},
            reader_refusal=404,
        ),
    },
    "api-leitbild-adopt": {
        "POST": Call(
            _pk("leitbild_draft"),
            WRITERS,
            lambda w: {"council_decision_on": "2025-06-01"},
            reader_refusal=404,
        ),
    },
    "api-leitbild-new-version": {
        # The draft exists: refused by the service once the right is granted.
        "POST": Call(_pk("leitbild_adopted"), WRITERS, ok=409, reader_refusal=404),
    },
    **_leitbild_part(
        "api-leitbild-goal",
        "goal",
        {"leitbild": _pk_of("leitbild_draft")},
        lambda w: {"title": "Neues Ziel", "life_phases": [w.phase.slug]},
    ),
    **_leitbild_part(
        "api-goal-indicator",
        "goal_indicator",
        {"goal": _pk_of("goal")},
        lambda w: {
            "indicator_id": w.goal_indicator.indicator_id,
            "baseline_year": 2021,
            "baseline_value": "12.5",
            "target_year": 2027,
            "target_value": "9",
        },
    ),
    # Akteure, Netzwerke, Kooperationen: readers 403; a municipality one cannot see is unknown
    **_maintained(
        "api-actor",
        "partner",
        lambda w: {
            "municipality": w.municipality.slug,
            "name": "Neuer Träger",
            "actor_type": w.actor_type.slug,
        },
        {"name": "Umbenannt"},
    ),
    **_maintained(
        "api-network",
        "network",
        lambda w: {"municipality": w.municipality.slug, "name": "Neu", "kind": "netzwerk"},
        {"name": "Umbenannt"},
    ),
    "api-network-add-member": {
        "POST": Call(_pk("network"), WRITERS, lambda w: {"actor": w.partner.pk}, 201),
    },
    "api-network-remove-member": {
        "DELETE": Call(lambda w: {"pk": w.network.pk, "actor_id": w.actor.pk}, WRITERS, ok=204),
    },
    **_maintained(
        "api-cooperation-link",
        "link",
        lambda w: {"actor_a": w.actor.pk, "actor_b": w.partner.pk, "kind": "fallberatung"},
        {"note": "Seit 2024 monatlich"},
    ),
    "api-network-metrics-detail": {
        "GET": Call(lambda w: {"municipality": w.municipality.ags}, READERS),
    },
    **_terms("api-life-phase", {"age_from": 0, "age_to": 1}),
    **_terms("api-field-of-action", {}),
    **_terms("api-target-group", {}),
    **_terms("api-actor-type", {}),
    # Angebote
    "api-offering-list": {
        "GET": _list(),
        "POST": Call(lambda w: {}, WRITERS, _new_offering, 201, stranger_refusal=400),
    },
    "api-offering-detail": {
        "GET": Call(_pk("draft_offering"), READERS),
        "PUT": Call(
            _pk("draft_offering"),
            WRITERS,
            lambda w: {**_new_offering(w), "version": w.draft_offering.version},
        ),
        "PATCH": Call(
            _pk("draft_offering"),
            WRITERS,
            lambda w: {"title": "Umbenannt", "version": w.draft_offering.version},
        ),
        "DELETE": Call(_pk("draft_offering"), WRITERS, ok=204),
    },
    "api-offering-confirm": {"POST": Call(_pk("draft_offering"), WRITERS)},
    # Kette
    "api-chain-matrix-detail": {"GET": Call(_ags, READERS)},
    "api-chain-duplicates-detail": {"GET": Call(_ags, READERS)},
    "api-chain-supply-detail": {"GET": Call(_ags, READERS)},
    # Gute Praxis: published entries are public; acting on a visible entry without the role
    # is 403, an entry or offering one cannot see 404 (docs/prevention-good-practice.md)
    "api-good-practice-list": {"GET": Call(lambda w: {}, PUBLIC)},
    "api-good-practice-detail": {"GET": Call(_pk("published_entry"), PUBLIC)},
    "api-good-practice-propose": {
        "POST": Call(
            lambda w: {},
            WRITERS,
            lambda w: {"offering": w.offering.pk, "why_it_works": "Niedrigschwellig."},
            201,
            reader_refusal=404,
        ),
    },
    "api-good-practice-publish": {"POST": Call(_pk("proposed_entry"), STATE_OFFICE)},
    "api-good-practice-reject": {
        "POST": Call(_pk("proposed_entry"), STATE_OFFICE, lambda w: {"reason": "Zu lokal."})
    },
    "api-good-practice-withdraw": {"POST": Call(_pk("proposed_entry"), WRITERS)},
    # Into A itself: the origin cannot adopt its own entry (refused once the right is granted);
    # anyone without the right to write A gets 404 for the municipality.
    "api-good-practice-adopt": {
        "POST": Call(
            _pk("published_entry"),
            WRITERS,
            lambda w: {"municipality": w.municipality.pk},
            409,
            reader_refusal=404,
        ),
    },
}


def chain_api_routes() -> dict[str, set[str]]:
    """{URL name: methods} of every API v1 route served by a prevention-chain viewset."""
    from kekiz_portal.api import router

    routes = {}
    for pattern in router.urls:
        view_class = getattr(pattern.callback, "cls", None)
        if view_class is None or not view_class.__module__.startswith("prevention_chains."):
            continue
        # A viewset may turn off a routed method (PUT); HEAD answers as GET does.
        served = set(view_class.http_method_names) - {"head", "options"}
        methods = {method.upper() for method in pattern.callback.actions if method in served}
        routes.setdefault(pattern.name, set()).update(methods)
    return routes


def test_every_api_route_has_an_entry():
    """A new endpoint (or a new method of one) fails here until API says who may call it."""
    routes = chain_api_routes()
    assert len(routes) >= 30
    assert routes == {name: set(calls) for name, calls in API.items()}


def api_url(name: str, call: Call, world) -> str:
    return reverse(name, kwargs=call.kwargs(world)) + call.query(world)


def send(client, method: str, url: str, body: dict):
    if method == "GET":
        return client.get(url)
    return client.generic(method, url, json.dumps(body), content_type="application/json")


def expected_api_status(call: Call, persona: str, method: str) -> int | None:
    """What `persona` gets; None: allowed to write, not walked (see the writes test)."""
    if persona == ANONYMOUS:
        return 200 if call.who == PUBLIC and method == "GET" else 401
    if persona in call.who:
        return 200 if method == "GET" else None
    if persona in READERS:
        return call.reader_refusal
    return call.stranger_refusal


@pytest.mark.parametrize("persona", PERSONAS)
def test_api_matrix(client, personas, world, persona):
    login(client, personas, persona)
    before = snapshot()
    for name, calls in sorted(API.items()):
        for method, call in calls.items():
            expected = expected_api_status(call, persona, method)
            if expected is None:
                continue
            url = api_url(name, call, world)
            response = send(client, method, url, call.body(world))
            assert response.status_code == expected, f"{persona} {method} {url}"
            if expected == 200 and call.query(world):
                # The readers' rows prove the filter names A; nobody else gets any.
                shown = bool(response.json()["results"])
                assert shown == (persona in call.who), f"{persona} {url}"
    assert snapshot() == before


WRITES = [(name, method) for name, calls in API.items() for method in calls if method != "GET"]


@pytest.mark.parametrize(("name", "method"), WRITES)
def test_api_writes_reach_the_service_for_the_allowed(client, personas, world, name, method):
    """The bodies above are valid: the allowed caller gets through (so a refusal in the matrix
    is the permission check, not a malformed request)."""
    call = API[name][method]
    persona = next(p for p in ("coordinator_a", "reviewer", "state_admin") if p in call.who)
    login(client, personas, persona)
    response = send(client, method, api_url(name, call, world), call.body(world))
    assert response.status_code == call.ok, response.content[:300]


# --- public addresses -------------------------------------------------------------------------


def not_public(world) -> list:
    """A's offerings the public never sees: drafts (the adopted one too), paused, ended."""
    paused, ended = (
        OfferingFactory(municipality=world.municipality, status=status)
        for status in (OfferingStatus.PAUSED, OfferingStatus.ENDED)
    )
    return [world.draft_offering, world.adopted_offering, paused, ended]


def test_anonymous_sees_published_things_only(client, world):
    assert client.get(reverse("prevention_chains:finder")).status_code == 200
    finder_detail = "prevention_chains:finder_detail"
    for offering in not_public(world):
        url = reverse(finder_detail, kwargs={"offering_id": offering.pk})
        assert client.get(url).status_code == 404, url
    assert client.get(reverse(finder_detail, args=[world.offering.pk])).status_code == 200
    entry = "prevention_chains:good_practice_detail"
    assert client.get(reverse(entry, args=[world.proposed_entry.pk])).status_code == 404
    assert client.get(reverse(entry, args=[world.published_entry.pk])).status_code == 200
    api = "/api/v1/good-practices/"
    assert client.get(f"{api}{world.proposed_entry.pk}/").status_code == 404
    listed = {row["id"] for row in client.get(api).json()["results"]}
    assert world.published_entry.pk in listed
    assert world.proposed_entry.pk not in listed


def test_hsds_export_is_public_and_published_only(client, world):
    hidden_offerings = not_public(world)
    urls = {
        "hsds-root": reverse("hsds-root"),
        "hsds-services": reverse("hsds-services"),
        "hsds-service": reverse("hsds-service", args=[service_id(world.offering.pk)]),
        "hsds-datapackage": reverse("hsds-datapackage"),
    }
    assert set(urls) == {pattern.name for pattern in hsds_urlpatterns}, "add the new address"
    for url in urls.values():
        assert client.get(url).status_code == 200, url
    services = client.get(urls["hsds-services"]).json()
    ids = {service["id"] for service in services["contents"]}
    assert service_id(world.offering.pk) in ids
    for hidden in hidden_offerings:
        assert service_id(hidden.pk) not in ids
        url = reverse("hsds-service", args=[service_id(hidden.pk)])
        assert client.get(url).status_code == 404, url


def test_other_coordinators_see_a_published_entry_but_cannot_withdraw_it(client, personas, world):
    """Public is not writable: B may read and adopt A's published entry, not withdraw it."""
    client.force_login(personas.coordinator_b)
    entry = world.published_entry
    assert client.get(f"/api/v1/good-practices/{entry.pk}/").status_code == 200
    listed = {row["id"] for row in client.get("/api/v1/good-practices/").json()["results"]}
    assert entry.pk in listed
    assert world.proposed_entry.pk not in listed
    response = client.post(f"/api/v1/good-practices/{entry.pk}/withdraw/")
    assert response.status_code == 403
    page = reverse(
        "prevention_chains:good_practice_withdraw",
        kwargs={"slug": personas.municipality_b.slug, "pk": entry.pk},
    )
    assert client.post(page).status_code == 404
    entry.refresh_from_db()
    assert entry.status == "published"


# --- state office -----------------------------------------------------------------------------


def test_state_admin_writes_a_s_offerings_the_reviewer_does_not(client, personas, world):
    offering = world.draft_offering
    url = f"/api/v1/offerings/{offering.pk}/"
    body = json.dumps({"title": "Vom Land geändert", "version": offering.version})
    client.force_login(personas.reviewer)
    assert client.patch(url, body, content_type="application/json").status_code == 403
    edit = reverse("prevention_chains:offering_edit", args=[offering.pk])
    assert client.get(edit).status_code == 404
    offering.refresh_from_db()
    assert offering.title != "Vom Land geändert"
    client.force_login(personas.state_admin)
    assert client.get(edit).status_code == 200
    assert client.patch(url, body, content_type="application/json").status_code == 200
    offering.refresh_from_db()
    assert offering.title == "Vom Land geändert"


def test_reviewer_decides_good_practice_on_the_page(client, personas, world):
    client.force_login(personas.reviewer)
    entry = world.proposed_entry
    decide = reverse("prevention_chains:good_practice_decide", args=[entry.pk])
    response = client.post(decide, {"aktion": "publish", "note": ""})
    assert response.status_code == 302
    entry.refresh_from_db()
    assert entry.status == "published"
    assert entry.decided_by == personas.reviewer


# --- B's own addresses naming A's objects -------------------------------------------------------


def test_b_cannot_reach_a_through_its_own_addresses(client, personas, world):
    """B's coordinator writes B's chain; an id of A's inside B's address or form is unknown."""
    b = personas.municipality_b
    network = NetworkFactory(municipality=b)
    own_actor = ActorFactory(municipality=b, actor_type=world.actor_type)
    area_of_a = SozialraumFactory(municipality=world.municipality)
    client.force_login(personas.coordinator_b)
    before = snapshot()

    def page(name, **kwargs):
        return reverse(f"prevention_chains:{name}", kwargs=kwargs)

    hidden = [
        page("network_member_remove", pk=network.pk, membership_pk=world.membership.pk),
        page("good_practice_propose", slug=b.slug, offering_id=world.offering.pk),
        page("good_practice_withdraw", slug=b.slug, pk=world.proposed_entry.pk),
    ]
    for url in hidden:
        assert client.get(url).status_code == 404, url
        assert client.post(url).status_code == 404, url
    refused_forms = [
        (page("network_member_add", pk=network.pk), {"actor": world.actor.pk}),
        (page("cooperation_create", slug=b.slug),
         {"first": own_actor.pk, "second": world.actor.pk, "kind": "fallberatung"}),
        (page("good_practice_adopt", pk=world.published_entry.pk),
         {"kommune": world.municipality.pk}),
    ]  # fmt: skip
    for url, data in refused_forms:
        assert client.post(url, data).status_code in (200, 400), url  # the form again
    # A Leitbild of A is no choice for B's PDF: the request goes back to the list, no PDF.
    response = client.post(
        page("document_request", slug=b.slug),
        {"kind": "leitbild", "leitbild": world.leitbild_adopted.pk},
    )
    assert response.status_code == 302

    def api(method, url, body=None):
        return send(client, method, f"/api/v1/{url}", body or {}).status_code

    assert api("POST", f"networks/{network.pk}/members/", {"actor": world.actor.pk}) == 400
    assert api("DELETE", f"networks/{network.pk}/members/{world.actor.pk}/") == 404
    link = {"actor_a": own_actor.pk, "actor_b": world.actor.pk, "kind": "fallberatung"}
    assert api("POST", "cooperation-links/", link) == 400
    offering = {**_new_offering(world), "municipality": b.ags, "provider": world.actor.pk}
    assert api("POST", "offerings/", offering) == 400
    offering = {**_new_offering(world), "municipality": b.ags, "sozialraeume": [area_of_a.pk]}
    assert api("POST", "offerings/", offering) == 400
    assert api("GET", f"chain-matrices/{b.ags}/?sozialraum={area_of_a.pk}") == 400
    adopt = {"municipality": world.municipality.pk}
    assert api("POST", f"good-practices/{world.published_entry.pk}/adopt/", adopt) == 404
    assert snapshot() == before
