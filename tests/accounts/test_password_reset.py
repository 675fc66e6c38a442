"""Password reset by mail; the mail leaves through the Celery task once the request commits."""

import re

import pytest
from django.core import mail

from accounts.tasks import send_portal_mail
from tests.factories import UserFactory

RESET = "/konto/password/reset/"
NEW_PASSWORD = "Ein-neues-Passwort-fuer-2026"


@pytest.mark.django_db
def test_reset_mail_is_sent_after_commit(client, django_capture_on_commit_callbacks):
    UserFactory(email="vergessen@example.org")
    with django_capture_on_commit_callbacks() as callbacks:
        response = client.post(RESET, {"email": "vergessen@example.org"})
        assert response.status_code == 302
        # Nothing goes out while the request's transaction is open.
        assert mail.outbox == []
    assert len(callbacks) == 1
    callbacks[0]()
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["vergessen@example.org"]
    assert message.subject.startswith("[KeKiz-Portal]")
    assert "/konto/password/reset/key/" in message.body


@pytest.mark.django_db
def test_reset_link_sets_a_new_password(client, django_capture_on_commit_callbacks):
    user = UserFactory(email="vergessen@example.org")
    with django_capture_on_commit_callbacks(execute=True):
        client.post(RESET, {"email": user.email})
    link = re.search(r"https?://[^/\s]+(/konto/password/reset/key/\S+)", mail.outbox[0].body)
    response = client.get(link.group(1))
    assert response.status_code == 302  # allauth moves the key out of the URL
    form_url = response["Location"]
    response = client.post(form_url, {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD})
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.check_password(NEW_PASSWORD)


@pytest.mark.django_db
def test_reset_for_unknown_address_reveals_nothing(client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(RESET, {"email": "niemand@example.org"})
    assert response.status_code == 302  # same answer as for a known address


def test_mail_task_sends_html_alternative():
    send_portal_mail.delay(
        subject="Betreff",
        body="Text",
        html_body="<p>Text</p>",
        to=["a@example.org"],
        from_email="portal@example.org",
    )
    message = mail.outbox[-1]
    assert message.alternatives[0][1] == "text/html"
    assert message.from_email == "portal@example.org"
