"""Numbers the Vietnamese way, whatever the active locale: 3.000 lượt, 58,72%.

Django's `vi` locale has no thousands grouping, so the project formats numbers itself.
"""

from decimal import Decimal


def vn_number(value, decimals: int = 0) -> str:
    """3000 -> "3.000"; 58.7179 with decimals=2 -> "58,72"; None -> ""."""
    if value is None or value == "":
        return ""
    text = f"{Decimal(str(value)):,.{decimals}f}"
    return text.replace(",", " ").replace(".", ",").replace(" ", ".")


def vn_percent(value, decimals: int = 2) -> str:
    """58.72 -> "58,72%"; None (no denominator) -> "–"."""
    if value is None or value == "":
        return "–"
    return f"{vn_number(value, decimals)}%"
