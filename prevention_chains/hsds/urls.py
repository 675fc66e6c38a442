"""Open Referral HSDS 3.0 export of the published offerings, mounted at /api/hsds/ (no
namespace: the URL names carry the prefix "hsds-")."""

from django.urls import path

from prevention_chains.hsds import views

urlpatterns = [
    path("", views.api_root, name="hsds-root"),
    path("services", views.service_list, name="hsds-services"),
    path("services/<str:service_id>", views.service_detail, name="hsds-service"),
    path("datapackage.zip", views.datapackage_zip, name="hsds-datapackage"),
]
