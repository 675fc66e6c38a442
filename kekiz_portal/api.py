"""API v1: the router and the schema/docs pages. Each app registers its viewsets here."""

from django.conf import settings
from django.http import HttpResponsePermanentRedirect
from django.urls import include, path, re_path, resolve
from django.utils.translation import gettext as _
from drf_spectacular.renderers import OpenApiJsonRenderer, OpenApiYamlRenderer
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView
from rest_framework.routers import DefaultRouter

from accounts.api.errors import json_error
from accounts.api.views import TokenCreateView
from funding.api.routes import ROUTES as FUNDING_ROUTES
from monitoring.api.views import (
    IndicatorViewSet,
    NeedIndexViewSet,
    ObservationViewSet,
    SozialraumViewSet,
)
from municipalities.api.views import MunicipalityViewSet, ParticipationViewSet, ProgrammeViewSet
from prevention_chains.api.routes import ROUTES as CHAIN_ROUTES

router = DefaultRouter()
# Names carry an "api-" prefix so they never clash with the HTML pages' URL names.
router.register("programmes", ProgrammeViewSet, basename="api-programme")
router.register("participations", ParticipationViewSet, basename="api-participation")
router.register("municipalities", MunicipalityViewSet, basename="api-municipality")
router.register("indicators", IndicatorViewSet, basename="api-indicator")
router.register("sozialraeume", SozialraumViewSet, basename="api-sozialraum")
router.register("observations", ObservationViewSet, basename="api-observation")
router.register("need-indices", NeedIndexViewSet, basename="api-need-index")
for prefix, viewset, basename in [*FUNDING_ROUTES, *CHAIN_ROUTES]:
    router.register(prefix, viewset, basename=basename)


def api_not_found(request, *args, **kwargs):
    """Unknown addresses under /api/v1/ answer in the API's error format, not as an HTML page."""
    # This catch-all matches everything, which would stop CommonMiddleware from adding a
    # missing slash; so do that here for addresses that exist with one.
    if (
        settings.APPEND_SLASH
        and not request.path_info.endswith("/")
        and resolve(request.path_info + "/").func is not api_not_found
    ):
        return HttpResponsePermanentRedirect(request.get_full_path(force_append_slash=True))
    return json_error(
        "not_found",
        _("Diese Adresse gibt es in der API nicht. Die Übersicht steht unter /api/v1/docs/."),
        404,
    )


api_urlpatterns = [
    path(
        "schema/",
        # JSON first: YAML 1.2 readers take unquoted codes like 059 for numbers.
        SpectacularAPIView.as_view(
            permission_classes=[],
            renderer_classes=[OpenApiJsonRenderer, OpenApiYamlRenderer],
        ),
        name="api-schema",
    ),
    path(
        "docs/",
        SpectacularSwaggerView.as_view(url_name="api-schema", permission_classes=[]),
        name="api-docs",
    ),
    path("auth/token/", TokenCreateView.as_view(), name="api-token"),
    path("", include(router.urls)),
    re_path(r"^.*$", api_not_found),
]
