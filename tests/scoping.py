"""The shared role walk: every page and endpoint, visited as every role, answers as its scope says.

The house rule is that `visible_to(user)` decides who sees what; this walk is what keeps a new
view from forgetting it. Describe each URL once with the outcome per role and subclass `RoleWalk`:

    from tests.scoping import FORBIDDEN, NOT_FOUND, Endpoint, RoleWalk

    class TestDossierWalk(RoleWalk):
        fixtures = ("dossier_in_thuong_coc",)
        endpoints = [
            Endpoint("/ho-so/"),                                   # every staff member: 200
            Endpoint("/ho-so/TC-250801-0001/", inspector=NOT_FOUND),
            Endpoint("/api/v1/dossiers/", no_role=FORBIDDEN),
        ]

Each (endpoint, role) pair becomes its own test, with an id like `clerk-/ho-so/`.

Outcomes: OK (200), NOT_FOUND (404), FORBIDDEN (403) and LOGIN (the anonymous answer: an HTML
page redirects to the login page with ?next=<url>; the API answers 401 or 403). Staff roles
default to OK and anonymous to LOGIN. The account without any role is walked only where the
endpoint states `no_role=`. Requests are GETs: HTML with a session, the API with a token
(`Authorization: Token ...`), the way browsers and REST clients really come.
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from urllib.parse import parse_qs, urlsplit

import pytest
from django.conf import settings
from django.shortcuts import resolve_url
from django.test import Client

OK = "ok"
NOT_FOUND = "not_found"
FORBIDDEN = "forbidden"
LOGIN = "login"
OUTCOMES = frozenset({OK, NOT_FOUND, FORBIDDEN, LOGIN})

#: Role name in an Endpoint -> fixture from tests/conftest.py (None: no account at all).
ROLE_FIXTURES = {
    "clerk": "clerk",
    "leader": "leader",
    "inspector": "inspector",
    "admin": "admin_user",
    "anonymous": None,
}
NO_ROLE = "no_role"

_STATUS = {OK: {200}, NOT_FOUND: {404}, FORBIDDEN: {403}}


@dataclass(frozen=True)
class Endpoint:
    """One URL and the outcome expected for each role."""

    url: str
    clerk: str = OK
    leader: str = OK
    inspector: str = OK
    admin: str = OK
    anonymous: str = LOGIN
    #: A signed-in account without a StaffProfile; walked only when given.
    no_role: str | None = None
    #: API or HTML; by default, decided by the /api/ prefix.
    api: bool | None = None

    def __post_init__(self):
        for f in fields(self):
            if f.name in (*ROLE_FIXTURES, NO_ROLE):
                value = getattr(self, f.name)
                if value is not None and value not in OUTCOMES:
                    raise ValueError(f"{self.url}: unknown outcome {value!r} for {f.name}")
        if self.anonymous != LOGIN and self.anonymous not in (OK, NOT_FOUND):
            raise ValueError(f"{self.url}: anonymous may expect only login, ok or not_found")

    @property
    def is_api(self) -> bool:
        return self.api if self.api is not None else self.url.startswith("/api/")

    def cases(self):
        """(role, expected) pairs to walk."""
        pairs = [(role, getattr(self, role)) for role in ROLE_FIXTURES]
        if self.no_role is not None:
            pairs.append((NO_ROLE, self.no_role))
        return pairs


def walk_params(endpoints):
    """pytest params (endpoint, role), one per pair, with readable ids."""
    return [
        pytest.param(endpoint, role, id=f"{role}-{endpoint.url}")
        for endpoint in endpoints
        for role, _ in endpoint.cases()
    ]


def _user_for(request, role):
    if role == NO_ROLE:
        from tests.factories import UserFactory

        return UserFactory(username="khongvaitro")
    name = ROLE_FIXTURES[role]
    return None if name is None else request.getfixturevalue(name)


def client_for(request, role, *, api: bool) -> Client:
    """A client signed in as `role`: session for HTML, token for the API, nothing for anonymous."""
    user = _user_for(request, role)
    if user is None:
        return Client()
    if api:
        from rest_framework.authtoken.models import Token

        token, _ = Token.objects.get_or_create(user=user)
        return Client(headers={"Authorization": f"Token {token.key}"})
    client = Client()
    client.force_login(user)
    return client


def assert_outcome(response, endpoint: Endpoint, role: str, expected: str) -> None:
    """Check one response against the expected outcome, with a message naming role and URL."""
    where = f"{role} GET {endpoint.url}"
    status = response.status_code
    if expected == LOGIN:
        if endpoint.is_api:
            assert status in (401, 403), f"{where}: expected 401/403 for anonymous, got {status}"
            return
        assert status == 302, f"{where}: expected a redirect to the login page, got {status}"
        target = urlsplit(response["Location"])
        assert target.path == resolve_url(settings.LOGIN_URL), f"{where}: redirected to {target.path}"
        assert parse_qs(target.query).get("next") == [endpoint.url], f"{where}: next={target.query}"
        return
    assert status in _STATUS[expected], f"{where}: expected {expected}, got {status}"


class RoleWalk:
    """Base for a walk: set `endpoints` (and `fixtures` naming the data they need)."""

    endpoints: list[Endpoint] = []
    #: Fixtures that create the objects the URLs point at (e.g. "commune").
    fixtures: tuple[str, ...] = ()

    @pytest.fixture(autouse=True)
    def _fast_password_hasher(self, settings):
        # Each role fixture hashes a password: ~1 s with the default PBKDF2, and the walk has
        # (endpoints x roles) tests. The hash is not what the walk checks.
        settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

    def pytest_generate_tests(self, metafunc):
        if {"endpoint", "role"} <= set(metafunc.fixturenames):
            metafunc.parametrize(("endpoint", "role"), walk_params(self.endpoints))

    def test_role_sees_what_its_scope_allows(self, request, db, endpoint, role):
        for name in self.fixtures:
            request.getfixturevalue(name)
        client = client_for(request, role, api=endpoint.is_api)
        response = client.get(endpoint.url)
        assert_outcome(response, endpoint, role, getattr(endpoint, role))
