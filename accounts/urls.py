from django.urls import path

from accounts import views

urlpatterns = [
    path("tokens/", views.tokens, name="account_tokens"),
    path("tokens/<int:token_id>/widerrufen/", views.token_revoke, name="account_token_revoke"),
]
