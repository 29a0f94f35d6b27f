"""Text folding for search that ignores Vietnamese diacritics and case."""

import unicodedata

# đ/Đ are letters of their own, not a d with a combining mark: NFD leaves them alone.
_SPECIAL = str.maketrans({"đ": "d", "Đ": "d"})


def fold(text: str) -> str:
    """'Xã Thượng Cốc' -> 'xa thuong coc'; whitespace collapsed."""
    decomposed = unicodedata.normalize("NFD", (text or "").translate(_SPECIAL))
    stripped = "".join(ch for ch in decomposed if unicodedata.category(ch) != "Mn")
    return " ".join(stripped.lower().split())
