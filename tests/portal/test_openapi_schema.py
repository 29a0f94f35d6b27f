"""The API schema is part of the contract: the committed copy must match the code."""

import io
from pathlib import Path

from django.core.management import call_command

SCHEMA_FILE = Path(__file__).resolve().parents[2] / "docs" / "openapi.yaml"


def test_committed_schema_matches_the_code():
    generated = io.StringIO()
    call_command("spectacular", "--validate", "--fail-on-warn", stdout=generated)
    assert SCHEMA_FILE.read_text(encoding="utf-8") == generated.getvalue(), (
        "docs/openapi.yaml is out of date: run `make schema` and commit the result."
    )


def test_schema_names_the_contract_endpoints():
    text = SCHEMA_FILE.read_text(encoding="utf-8")
    contract = ("/api/v1/provinces/", "/api/v1/communes/", "/api/v1/communes/{code}/", "/api/v1/auth/token/")
    for path in contract:
        assert f"  {path}:" in text, path
