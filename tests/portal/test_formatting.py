"""Vietnamese number style: dot for thousands, comma for decimals."""

import pytest
from django.template import Context, Template

from portal.formatting import vn_number, vn_percent


@pytest.mark.parametrize(
    ("value", "decimals", "expected"),
    [
        (3000, 0, "3.000"),
        (1234567, 0, "1.234.567"),
        (58.7179, 2, "58,72"),
        ("21456.5", 2, "21.456,50"),
        (0, 0, "0"),
        (None, 0, ""),
    ],
)
def test_vn_number(value, decimals, expected):
    assert vn_number(value, decimals) == expected


def test_vn_percent_and_missing_rate():
    assert vn_percent(58.72) == "58,72%"
    assert vn_percent(100) == "100,00%"
    assert vn_percent(None) == "–"


def test_template_filters():
    rendered = Template("{% load vn_format %}{{ n|vn_number }} · {{ r|vn_percent }}").render(
        Context({"n": 3000, "r": 58.72})
    )
    assert rendered == "3.000 · 58,72%"
