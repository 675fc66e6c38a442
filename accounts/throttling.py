def username_from_credentials(request, credentials: dict) -> str | None:
    """Axes keys lockouts by the login name; allauth, admin and the token endpoint name it
    differently (email, username, login), so every path counts against the same account."""
    for field in ("email", "username", "login"):
        if value := credentials.get(field):
            return str(value).strip().lower()
    return None
