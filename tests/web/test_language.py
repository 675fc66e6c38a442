"""German is the working language; English only when the person chooses it."""


def test_english_browser_still_gets_german(client, db):
    response = client.get("/kommunen/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert response.headers["Content-Language"] == "de"
    assert "Kommunen" in response.text


def test_language_switch_gives_english_and_back(client, db):
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/kommunen/"})
    assert response.status_code == 302
    assert client.get("/kommunen/").headers["Content-Language"] == "en"

    client.post("/i18n/setlang/", {"language": "de", "next": "/kommunen/"})
    assert client.get("/kommunen/").headers["Content-Language"] == "de"


def test_unknown_language_cookie_falls_back_to_german(client, db):
    client.cookies["django_language"] = "xx"
    assert client.get("/kommunen/").headers["Content-Language"] == "de"
