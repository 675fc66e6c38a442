from allauth.account.decorators import secure_admin_login
from django.contrib import admin
from django.urls import include, path

from kekiz_portal import health, views
from kekiz_portal.api import api_urlpatterns

# Admin logins go through allauth, so throttling and two-factor apply there as well.
admin.site.login = secure_admin_login(admin.site.login)
admin.site.site_header = "KeKiz-Portal – Verwaltung"
admin.site.site_title = "KeKiz-Portal"

urlpatterns = [
    path("", views.home, name="home"),
    path("start/", views.start, name="start"),
    path("ueber/", views.about, name="about"),
    path("healthz", health.healthz, name="healthz"),
    path("konto/", include("accounts.urls")),
    path("konto/", include("allauth.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("", include("municipalities.urls")),
    path("monitoring/", include("monitoring.urls")),
    path("foerderung/", include("funding.urls")),
    path("", include("prevention_chains.urls")),
    path("api/hsds/", include("prevention_chains.hsds.urls")),
    path("api/v1/", include(api_urlpatterns)),
]
