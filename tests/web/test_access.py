"""Who may open which page, and what each one sees (allow and deny with the personas)."""

import pytest
from django.urls import reverse

from tests.factories import MembershipFactory

pytestmark = pytest.mark.django_db

PUBLIC_PAGES = [
    ("home", {}),
    ("about", {}),
    ("municipality_list", {}),
    ("account_login", {}),
    ("account_reset_password", {}),
]


@pytest.mark.parametrize(("name", "kwargs"), PUBLIC_PAGES)
def test_public_pages_answer_anonymous(client, world, name, kwargs):
    response = client.get(reverse(name, kwargs=kwargs))
    assert response.status_code == 200
    assert b"Datenlizenz Deutschland" in response.content


def test_programme_and_detail_pages_are_public(client, world):
    assert client.get(reverse("programme_detail", args=["kekiz"])).status_code == 200
    assert client.get(reverse("municipality_detail", args=["grossstadt"])).status_code == 200


def test_csv_export_is_public(client, world):
    assert client.get(reverse("municipality_list_csv")).status_code == 200


def test_start_page_sends_anonymous_to_login(client, db):
    response = client.get(reverse("start"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


def test_unknown_pages_answer_404(client, world):
    assert client.get(reverse("municipality_detail", args=["gibt-es-nicht"])).status_code == 404
    assert client.get(reverse("programme_detail", args=["gibt-es-nicht"])).status_code == 404


@pytest.mark.parametrize(
    ("persona", "sees_members"),
    [
        ("coordinator_a", True),
        ("viewer_a", True),
        ("companion_a", True),
        ("reviewer", True),
        ("approver", True),
        ("state_admin", True),
        ("coordinator_b", False),
        ("researcher", False),
        ("outsider", False),
        (None, False),
    ],
)
def test_member_list_only_for_members_and_state_office(client, personas, persona, sees_members):
    if persona:
        client.force_login(getattr(personas, persona))
    response = client.get(
        reverse("municipality_detail", args=[personas.municipality_a.slug]), follow=True
    )
    assert response.status_code == 200
    content = response.content.decode()
    assert ("koordination.a@example.org" in content) is sees_members
    assert ("Beteiligte im Portal" in content) is sees_members
    # Nobody's membership elsewhere leaks into this page.
    assert "koordination.b@example.org" not in content


def test_start_page_of_a_coordinator_lists_their_municipality(client, personas):
    client.force_login(personas.coordinator_a)
    content = client.get(reverse("start")).content.decode()
    assert "Kommune A" in content
    assert "Koordination der Kommune" in content
    assert "Kommune B" not in content
    assert "keine Rolle" not in content


def test_start_page_lists_several_municipalities_with_their_roles(client, personas):
    MembershipFactory(
        user=personas.companion_a, municipality=personas.municipality_b, role="companion"
    )
    client.force_login(personas.companion_a)
    content = client.get(reverse("start")).content.decode()
    assert "Ihre Kommunen" in content
    assert "Kommune A" in content
    assert "Kommune B" in content


def test_start_page_of_the_state_office(client, personas, world):
    client.force_login(personas.reviewer)
    content = client.get(reverse("start")).content.decode()
    assert "Landeskoordinierungsstelle" in content
    assert reverse("programme_detail", args=["kekiz"]) in content
    assert reverse("municipality_list") in content
    # Only the programme administration gets the admin link.
    assert reverse("admin:index") not in content


def test_start_page_of_a_state_admin_links_the_admin(client, personas, world):
    client.force_login(personas.state_admin)
    content = client.get(reverse("start")).content.decode()
    assert reverse("admin:index") in content


def test_start_page_of_the_evaluation(client, personas, world):
    client.force_login(personas.researcher)
    content = client.get(reverse("start")).content.decode()
    assert "Evaluation" in content
    assert reverse("programme_detail", args=["kekiz"]) + "#abdeckung" in content


def test_start_page_without_role_says_whom_to_ask(client, personas):
    client.force_login(personas.outsider)
    content = client.get(reverse("start")).content.decode()
    assert "Ihrem Konto ist noch keine Rolle zugeordnet" in content
    assert "aussen@example.org" in content


def _nav(response) -> list[str]:
    return [item.label for item in response.context["navigation"]]


def test_navigation_for_anonymous(client, world):
    response = client.get(reverse("home"))
    assert _nav(response) == [
        "Startseite",
        "Programm",
        "Kommunen",
        "Angebote finden",
        "Gute Praxis",
        "Über / Datenquellen",
    ]
    assert reverse("account_login").encode() in response.content
    assert b"Abmelden" not in response.content


def test_navigation_for_a_coordinator(client, personas, world):
    client.force_login(personas.coordinator_a)
    response = client.get(reverse("home"))
    labels = _nav(response)
    assert "Meine Kommune" in labels
    assert "Präventionskette" in labels
    assert "API-Tokens" in labels
    assert "Verwaltung" not in labels
    # Logging out is a POST form, never a link a prefetcher could follow.
    assert (
        f'<form class="portal-inline-form" action="{reverse("account_logout")}" method="post">'
        in response.content.decode()
    )


def test_navigation_for_a_state_admin(client, personas, world):
    client.force_login(personas.state_admin)
    labels = _nav(client.get(reverse("home")))
    assert "Verwaltung" in labels
    assert "Meine Kommune" not in labels


def test_navigation_marks_only_the_closest_item_as_current(client, personas):
    client.force_login(personas.coordinator_a)
    response = client.get(reverse("municipality_detail", args=[personas.municipality_a.slug]))
    current = [item.label for item in response.context["navigation"] if item.current]
    assert current == ["Meine Kommune"]


def test_navigation_hides_the_programme_until_there_is_one(client, db):
    assert "Programm" not in _nav(client.get(reverse("home")))


def test_messages_are_kern_alerts(client, personas):
    client.force_login(personas.coordinator_a)
    response = client.post(reverse("account_logout"), follow=True)
    content = response.content.decode()
    assert 'class="kern-alert kern-alert--' in content
