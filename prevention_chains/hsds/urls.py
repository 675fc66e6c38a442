"""Open Referral HSDS 3.0 export of the published offerings, mounted at /api/hsds/."""

urlpatterns: list = []
