"""The Django admin is the programme administration's tool, and only theirs."""

import pytest
from django.contrib import admin
from django.urls import reverse

from accounts import services
from accounts.models import ApiToken, User
from tests.factories import (
    MembershipFactory,
    ParticipationFactory,
    PopulationFigureFactory,
    ProgrammePhaseFactory,
)


@pytest.fixture
def admin_world(personas):
    participation = ParticipationFactory(municipality=personas.municipality_a)
    ProgrammePhaseFactory(programme=participation.programme)
    PopulationFigureFactory(municipality=personas.municipality_a)
    services.create_api_token(
        user=personas.coordinator_a, name="Statistik", actor=personas.coordinator_a
    )
    return personas


@pytest.mark.django_db
def test_state_admin_sees_every_registered_list(client, admin_world):
    client.force_login(admin_world.state_admin)
    assert client.get("/admin/").status_code == 200
    for model in admin.site._registry:
        opts = model._meta
        url = reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist")
        assert client.get(url).status_code == 200, url


@pytest.mark.django_db
def test_user_change_page_shows_state_and_municipal_roles(client, admin_world):
    client.force_login(admin_world.state_admin)
    MembershipFactory(user=admin_world.reviewer, municipality=admin_world.municipality_b)
    page = client.get(reverse("admin:accounts_user_change", args=[admin_world.reviewer.pk]))
    assert page.status_code == 200
    html = page.content.decode()
    assert "Landesrollen" in html
    assert "Rollen in Kommunen" in html
    assert "Kommune B" in html


@pytest.mark.django_db
def test_user_list_query_count_is_flat(client, admin_world, django_assert_max_num_queries):
    client.force_login(admin_world.state_admin)
    with django_assert_max_num_queries(15):
        assert client.get(reverse("admin:accounts_user_changelist")).status_code == 200


@pytest.mark.django_db
def test_state_admin_creates_a_user_with_lowercase_email(client, admin_world):
    client.force_login(admin_world.state_admin)
    response = client.post(
        reverse("admin:accounts_user_add"),
        {
            "email": "Neue.Kollegin@Example.org",
            "full_name": "Neue Kollegin",
            "usable_password": "false",
        },
    )
    assert response.status_code == 302
    user = User.objects.get(email="neue.kollegin@example.org")
    assert not user.has_usable_password()  # she sets it herself via „Passwort vergessen“


@pytest.mark.django_db
def test_state_admin_cannot_make_superusers(client, admin_world):
    client.force_login(admin_world.state_admin)
    url = reverse("admin:accounts_user_change", args=[admin_world.coordinator_a.pk])
    html = client.get(url).content.decode()
    assert 'name="is_superuser"' not in html


@pytest.mark.django_db
def test_api_tokens_are_read_only_and_can_be_revoked(client, admin_world):
    client.force_login(admin_world.state_admin)
    token = ApiToken.objects.get()
    assert client.get(reverse("admin:accounts_apitoken_add")).status_code == 403
    change = client.get(reverse("admin:accounts_apitoken_change", args=[token.pk]))
    assert change.status_code == 200
    assert 'name="name"' not in change.content.decode()
    response = client.post(
        reverse("admin:accounts_apitoken_changelist"),
        {"action": "revoke", "_selected_action": [token.pk]},
    )
    assert response.status_code == 302
    token.refresh_from_db()
    assert token.revoked_at is not None


@pytest.mark.django_db
@pytest.mark.parametrize(
    "persona", ["reviewer", "approver", "researcher", "coordinator_a", "viewer_a", "outsider"]
)
def test_admin_is_closed_to_everyone_else(client, admin_world, persona):
    client.force_login(getattr(admin_world, persona))
    response = client.get("/admin/", follow=True)
    assert response.status_code == 403
    url = reverse("admin:accounts_user_changelist")
    assert client.get(url, follow=True).status_code == 403


@pytest.mark.django_db
def test_admin_sends_anonymous_to_login(client):
    response = client.get("/admin/", follow=True)
    assert response.redirect_chain[-1][0].startswith("/konto/login/")
    assert response.status_code == 200
