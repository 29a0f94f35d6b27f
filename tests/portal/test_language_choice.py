"""Vietnamese by default whatever the browser says; English only when chosen with the switch."""

import pytest

pytestmark = pytest.mark.django_db


def test_an_english_browser_still_gets_vietnamese(client):
    response = client.get("/dang-nhap/", headers={"accept-language": "en-US,en;q=0.9"})
    assert response["Content-Language"] == "vi"
    assert '<html lang="vi">' in response.content.decode()


def test_the_switch_chooses_english_and_back(client):
    client.post("/i18n/setlang/", {"language": "en", "next": "/dang-nhap/"})
    assert client.get("/dang-nhap/")["Content-Language"] == "en"
    client.post("/i18n/setlang/", {"language": "vi", "next": "/dang-nhap/"})
    assert client.get("/dang-nhap/")["Content-Language"] == "vi"


def test_an_unknown_language_cookie_falls_back_to_vietnamese(client):
    client.cookies["django_language"] = "fr"
    assert client.get("/dang-nhap/")["Content-Language"] == "vi"
