from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from accounts import services
from accounts.forms import ApiTokenForm
from accounts.models import ApiToken


@login_required
@require_http_methods(["GET", "POST"])
def tokens(request):
    """List the user's own API tokens and create a new one."""
    form = ApiTokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            token, key = services.create_api_token(
                user=request.user,
                name=form.cleaned_data["name"],
                read_only=form.cleaned_data["read_only"],
                expires_at=form.expires_at,
                actor=request.user,
            )
        except ValidationError as error:
            form.add_error(None, error.messages)
        else:
            # The key exists only in this response: it is not stored, so the page must not
            # be cached and cannot be shown again.
            response = render(request, "accounts/token_created.html", {"token": token, "key": key})
            add_never_cache_headers(response)
            return response
    return render(
        request,
        "accounts/tokens.html",
        {"tokens": request.user.api_tokens.order_by("-created_at"), "form": form},
    )


@login_required
@require_http_methods(["GET", "POST"])
def token_revoke(request, token_id: int):
    """Ask first, then revoke. Someone else's token does not exist here (404)."""
    token = get_object_or_404(ApiToken, pk=token_id, user=request.user)
    if request.method == "POST":
        services.revoke_api_token(token_id=token.pk, actor=request.user)
        messages.success(request, _("Das Token „%(name)s“ ist widerrufen.") % {"name": token.name})
        return redirect("account_tokens")
    return render(request, "accounts/token_revoke.html", {"token": token})
