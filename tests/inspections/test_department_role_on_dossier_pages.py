"""The department role on the existing dossier pages and API: signed in, but no dossier in sight."""

import pytest
from rest_framework.authtoken.models import Token


@pytest.fixture
def dossier(vn_calendar, receive):
    return receive()


def test_pages_open_and_show_no_dossier(client, department_user, dossier):
    client.force_login(department_user)

    home = client.get("/")
    assert home.status_code == 200
    assert "Cán bộ sở, ngành" in home.content.decode()
    worklist = client.get("/ho-so/")
    assert worklist.status_code == 200
    assert dossier.code not in worklist.content.decode()
    assert client.get(f"/ho-so/{dossier.code}/").status_code == 404
    assert client.get("/ho-so/tiep-nhan/").status_code == 403


def test_the_api_lists_no_dossier_and_no_figures(api_client, department_user, dossier):
    token, _ = Token.objects.get_or_create(user=department_user)
    api_client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")

    listing = api_client.get("/api/v1/dossiers/")
    assert listing.status_code == 200
    assert listing.json()["count"] == 0
    assert api_client.get(f"/api/v1/dossiers/{dossier.code}/").status_code == 404
    assert api_client.get("/api/v1/stats/summary/", {"commune": "05293"}).status_code == 404
    assert api_client.get("/api/v1/stats/summary/", {"province": "25"}).status_code == 404
