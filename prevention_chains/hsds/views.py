"""The Open Referral HSDS 3.0 API of the published offerings: public, read-only, JSON.

`/` (API metadata), `/services` (paginated as the HSDS API reference's `Page`) and
`/services/{id}` (the fully nested service) are the endpoints HSDS requires; `datapackage.zip`
is the tabular export (prevention_chains.hsds.datapackage).
"""

import math
from datetime import datetime, time

from django.db.models import Exists, OuterRef, Prefetch, QuerySet
from django.http import JsonResponse, StreamingHttpResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime
from django.views.decorators.http import require_GET

from prevention_chains.finder import published_offerings, search_query
from prevention_chains.hsds import ids, serializers
from prevention_chains.hsds.datapackage import stream_zip
from prevention_chains.models import Offering, OfferingLocation

HSDS_VERSION = "3.0"
OPENAPI_URL = "https://raw.githubusercontent.com/openreferral/specification/3.0/schema/openapi.json"
# No profile of our own: the export follows HSDS 3.0 as published.
PROFILE_URL = "https://docs.openreferral.org/en/v3.0/"
DEFAULT_PER_PAGE = 50
MAX_PER_PAGE = 200


class BadParameter(ValueError):
    pass


def _error(message: str, status: int) -> JsonResponse:
    return JsonResponse({"detail": message}, status=status)


@require_GET
def api_root(request):
    return JsonResponse(
        {
            "version": HSDS_VERSION,
            "profile": PROFILE_URL,
            "openapi_url": OPENAPI_URL,
            "description": (
                "Veröffentlichte Angebote der kommunalen Präventionsketten in Nordrhein-Westfalen "
                "(Landesprogramm „Kein Kind zurücklassen!“) im Format Open Referral HSDS 3.0."
            ),
            "publisher": {
                "name": "KeKiz-Portal",
                "website": request.build_absolute_uri(reverse("prevention_chains:finder")),
            },
            "datapackage_url": request.build_absolute_uri(reverse("hsds-datapackage")),
        }
    )


def _positive_int(request, name: str, default: int) -> int:
    raw = request.GET.get(name)
    if raw in (None, ""):
        return default
    try:
        value = int(raw)
    except ValueError:
        raise BadParameter(f"„{name}“ muss eine ganze Zahl ab 1 sein.") from None
    if value < 1:
        raise BadParameter(f"„{name}“ muss eine ganze Zahl ab 1 sein.")
    return value


def _modified_after(raw: str) -> datetime:
    moment = parse_datetime(raw)
    if moment is None:
        day = parse_date(raw)
        if day is None:
            raise BadParameter(
                "„modified_after“ muss ein Datum oder Zeitpunkt nach ISO 8601 sein, "
                "z. B. 2025-03-01 oder 2025-03-01T08:00:00Z."
            )
        moment = datetime.combine(day, time.min)
    if timezone.is_naive(moment):
        moment = timezone.make_aware(moment)
    return moment


def _with_term(offerings: QuerySet[Offering], term_id: str) -> QuerySet[Offering]:
    """Services carrying a taxonomy term, given by its HSDS id (which holds the term's key)."""
    parsed = ids.parse(term_id)
    for entry in serializers.TAXONOMIES:
        if parsed is not None and parsed.kind is entry.term_kind:
            relation = getattr(Offering, entry.relation).through.objects
            column = f"{entry.model._meta.model_name}_id"
            return offerings.filter(
                Exists(relation.filter(offering_id=OuterRef("pk"), **{column: parsed.key}))
            )
    return offerings.none()


def _filtered(request) -> QuerySet[Offering]:
    offerings = published_offerings().only(*serializers.SERVICE_FIELDS)
    if term := request.GET.get("taxonomy_term_id"):
        offerings = _with_term(offerings, term)
    if raw := request.GET.get("modified_after"):
        offerings = offerings.filter(updated_at__gte=_modified_after(raw))
    if text := request.GET.get("search", "").strip():
        return offerings.filter(search_vector=search_query(text)).order_by("title", "pk")
    return offerings.order_by("pk")


@require_GET
def service_list(request):
    try:
        page_number = _positive_int(request, "page", 1)
        per_page = min(_positive_int(request, "per_page", DEFAULT_PER_PAGE), MAX_PER_PAGE)
        offerings = _filtered(request)
    except BadParameter as error:
        return _error(str(error), 400)
    total = offerings.count()
    start = (page_number - 1) * per_page
    contents = (
        [serializers.service(o) for o in offerings[start : start + per_page]] if total else []
    )
    total_pages = math.ceil(total / per_page)
    return JsonResponse(
        {
            "total_items": total,
            "total_pages": total_pages,
            "page_number": page_number,
            "size": len(contents),
            "first_page": page_number == 1,
            "last_page": page_number >= total_pages,
            "empty": not contents,
            "contents": contents,
        }
    )


def full_service_queryset() -> QuerySet[Offering]:
    return (
        published_offerings()
        .select_related("municipality", "provider__municipality")
        # A municipality's boundary (GeoJSON) is large and the export never shows it.
        .defer("search_vector", "municipality__boundary", "provider__municipality__boundary")
        .prefetch_related(
            *(entry.relation for entry in serializers.TAXONOMIES),
            Prefetch("locations", queryset=OfferingLocation.objects.order_by("name", "pk")),
        )
    )


@require_GET
def service_detail(request, service_id):
    pk = ids.offering_pk_for_service_id(service_id)
    offering = full_service_queryset().filter(pk=pk).first() if pk else None
    if offering is None:
        return _error(
            "Diesen Dienst (service) gibt es nicht oder er ist nicht veröffentlicht.", 404
        )
    return JsonResponse(serializers.full_service(offering))


@require_GET
def datapackage_zip(request):
    response = StreamingHttpResponse(stream_zip(), content_type="application/zip")
    response["Content-Disposition"] = 'attachment; filename="angebote-hsds.zip"'
    return response
