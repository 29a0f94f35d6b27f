"""Navigation by role: a commune's staff get their commune, an inspector the province's communes."""

import pytest

pytestmark = pytest.mark.django_db


def nav_of(client, user):
    client.force_login(user)
    html = client.get("/").content.decode()
    return html[html.index('<nav class="main-nav"') : html.index("</nav>")]


def test_clerk_navigation_leads_to_their_commune(client, clerk):
    nav = nav_of(client, clerk)
    assert 'href="/don-vi/05293/"' in nav
    assert "Xã của tôi" in nav
    assert "/quan-tri/" not in nav


def test_inspector_navigation_leads_to_the_province(client, inspector):
    nav = nav_of(client, inspector)
    assert 'href="/don-vi/?province=25"' in nav
    assert "Các xã trong tỉnh" in nav


def test_admin_navigation_has_the_admin_site(client, admin_user):
    nav = nav_of(client, admin_user)
    assert 'href="/quan-tri/"' in nav
    assert "Xã của tôi" not in nav
