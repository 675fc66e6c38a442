"""Walk the whole URLconf as an anonymous visitor: nothing private may answer 200.

Every URL pattern is filled with values of real objects (one of every factory in
tests/factories.py, plus the personas), so a view that forgets its login check shows up here
even when it looks its object up. A page that is public on purpose must be named in
PUBLIC_URL_NAMES – adding a name there is a decision, not a fix.
"""

import inspect
import itertools
import re
import uuid
from dataclasses import dataclass

import factory
import pytest
from django.db import transaction
from django.urls import URLPattern, URLResolver, get_resolver, resolve
from django.urls.converters import IntConverter, PathConverter, UUIDConverter
from django.urls.resolvers import RegexPattern, RoutePattern
from django.utils.regex_helper import normalize

from tests import factories

# Names of views that anonymous visitors may see (DESIGN.md §2: "public").
PUBLIC_URL_NAMES = {
    # portal pages
    "home",
    "about",
    "healthz",
    "set_language",
    "programme_detail",
    "municipality_list",
    "municipality_detail",
    "municipality_list_csv",  # open data: the public directory as CSV
    # the indicator catalogue's metadata sheets (local indicators answer 404 in the view)
    "monitoring:indicator_list",
    "monitoring:indicator_detail",
    # funding: the calls open for applications ("the public sees what is open")
    "funding:open_calls",
    # prevention chains: the offering finder and the good-practice library for families and
    # other municipalities (unpublished offerings and entries answer 404 in the views), and the
    # directory as Open Referral HSDS
    "prevention_chains:finder",
    "prevention_chains:finder_detail",
    "prevention_chains:good_practice_library",
    "prevention_chains:good_practice_detail",
    "hsds-root",
    "hsds-services",
    "hsds-service",
    "hsds-datapackage",
    # … and in API v1: the taxonomies (reference data) and published good practice
    "api-life-phase-list",
    "api-life-phase-detail",
    "api-field-of-action-list",
    "api-field-of-action-detail",
    "api-target-group-list",
    "api-target-group-detail",
    "api-actor-type-list",
    "api-actor-type-detail",
    "api-good-practice-list",
    "api-good-practice-detail",
    # API description
    "api-schema",
    "api-docs",
    # allauth: logging in, resetting a password, closed signup, pages after those steps
    "account_login",
    "account_signup",
    "account_reset_password",
    "account_reset_password_done",
    "account_reset_password_from_key",
    "account_reset_password_from_key_done",
    "account_inactive",
    "account_email_verification_sent",
    "account_confirm_email",
    "account_login_code_confirm",
    "mfa_trust",
}
ALLOWED_STATUS = {401, 403, 404, 405}
MAX_TRIES_PER_URL = 12


@dataclass
class Endpoint:
    name: str
    segments: list  # the pattern objects from the root to the view


def walk(resolver, prefix=(), namespace=""):
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            ns = namespace
            if entry.namespace:
                ns = f"{namespace}{entry.namespace}:"
            yield from walk(entry, (*prefix, entry.pattern), ns)
        elif isinstance(entry, URLPattern):
            name = f"{namespace}{entry.name}" if entry.name else ""
            yield Endpoint(name=name, segments=[*prefix, entry.pattern])


def parameters(endpoint) -> dict[str, object]:
    """{parameter name: converter or None for a regex group}."""
    params = {}
    for segment in endpoint.segments:
        if isinstance(segment, RoutePattern):
            params.update(segment.converters)
        elif isinstance(segment, RegexPattern):
            params.update(dict.fromkeys(segment.regex.groupindex))
    return params


_ROUTE_PARAM = re.compile(r"<(?:(?P<converter>[^>:]+):)?(?P<parameter>[^>]+)>")


def build_path(endpoint, values: dict[str, object]) -> str:
    path = "/"
    for segment in endpoint.segments:
        if isinstance(segment, RoutePattern):
            converters = segment.converters

            def fill(match, converters=converters):
                name = match["parameter"]
                return str(converters[name].to_url(values[name]))

            path += _ROUTE_PARAM.sub(fill, str(segment))
        else:
            format_string, _params = normalize(segment.regex.pattern)[0]
            path += format_string % {k: str(v) for k, v in values.items()}
    return path


def make_world(personas):
    """One object of every factory, each in a savepoint so one failing factory (a required
    relation it cannot make alone) does not spoil the rest."""
    objects = [
        personas.municipality_a,
        personas.coordinator_a,
        personas.reviewer,
    ]
    for _name, member in inspect.getmembers(factories, inspect.isclass):
        if issubclass(member, factory.django.DjangoModelFactory) and member._meta.model:
            try:
                with transaction.atomic():
                    objects.append(member())
            except Exception:  # noqa: S112 – a factory that needs more context is skipped
                continue
    key = factories.make_api_token(personas.coordinator_a)
    objects.extend(personas.coordinator_a.api_tokens.all())
    assert key
    return objects


def candidates(name: str, converter, objects) -> list:
    lowered = name.lower()
    stem = re.sub(r"_?(id|pk|slug)$", "", lowered).replace("_", "")
    related = [
        o for o in objects if stem and (stem in o._meta.model_name or o._meta.model_name in stem)
    ]
    ordered = related + [o for o in objects if o not in related]
    if isinstance(converter, IntConverter) or lowered in {"pk", "id"} or lowered.endswith("_id"):
        values = [o.pk for o in ordered] + [1]
    elif isinstance(converter, UUIDConverter):
        values = [uuid.uuid4()]
    else:
        values = []
        for obj in ordered:
            for attr in ("slug", "ags", "pk"):
                if getattr(obj, attr, None) not in (None, ""):
                    values.append(getattr(obj, attr))
                    break
        values += ["kekiz", "1", "x"]
        if isinstance(converter, PathConverter):
            values = [str(v) for v in values]
    return list(dict.fromkeys(values))


def fillings(endpoint, objects):
    params = parameters(endpoint)
    if not params:
        yield {}
        return
    pools = {name: candidates(name, conv, objects) for name, conv in params.items()}
    longest = max(len(pool) for pool in pools.values())
    for i in range(min(longest, MAX_TRIES_PER_URL)):
        yield {name: pool[i % len(pool)] for name, pool in pools.items()}


def view_name(path: str) -> str:
    try:
        return resolve(path).view_name
    except Exception:
        return ""


@pytest.mark.django_db
def test_no_private_page_answers_anonymous(client, personas):
    objects = make_world(personas)
    endpoints = list(walk(get_resolver()))
    assert len(endpoints) > 50  # the walk must see the whole site, not an empty resolver
    leaks, failures, visited = [], [], 0
    for endpoint in endpoints:
        if endpoint.name in PUBLIC_URL_NAMES:
            continue
        for values in itertools.islice(fillings(endpoint, objects), MAX_TRIES_PER_URL):
            try:
                path = build_path(endpoint, values)
                match = resolve(path)
            except Exception:  # noqa: S112 – values that do not fit this pattern
                continue
            if match.url_name and endpoint.name and not endpoint.name.endswith(match.url_name):
                continue  # an earlier pattern answers this path; it is visited on its own
            visited += 1
            # Following redirects: the login page, or a public page (logout → home), is fine.
            response = client.get(path, follow=True)
            landed = response.request["PATH_INFO"]
            if response.status_code == 200:
                if view_name(landed) not in PUBLIC_URL_NAMES:
                    leaks.append(f"{endpoint.name or '(unnamed)'} {path} → {landed}")
            elif response.status_code not in ALLOWED_STATUS:
                failures.append(f"{endpoint.name} {path}: {response.status_code}")
    assert visited > 50
    assert not leaks, "private pages open to anonymous visitors:\n" + "\n".join(leaks)
    assert not failures, "unexpected answers:\n" + "\n".join(failures)


def test_every_public_name_still_exists():
    """A renamed public page must not leave a stale allowlist entry behind unnoticed."""
    names = {e.name for e in walk(get_resolver())}
    optional = {  # names that exist only with some allauth settings
        "account_login_code_confirm",
        "account_email_verification_sent",
        "account_confirm_email",
        "mfa_trust",
    }
    assert PUBLIC_URL_NAMES - optional <= names
