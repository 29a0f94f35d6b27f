"""Personal data: who sees a citizen's ID number, phone and address in full, and the masks.

Full values only for the staff of the dossier's own commune (clerk or leader whose commune scope
covers it); everyone else — inspectors, admins, other communes, the public — gets masks.
"""

from communes.choices import COMMUNE_ROLES
from communes.scope import scope_of


def sees_personal_data(user, dossier) -> bool:
    scope = scope_of(user)
    return scope.role in COMMUNE_ROLES and scope.covers(dossier.commune_id)


def mask_id_number(value: str) -> str:
    """ "001203004567" -> "********4567"."""
    if not value:
        return ""
    return "*" * max(len(value) - 4, 0) + value[-4:]


def mask_phone(value: str) -> str:
    """ "0912345678" -> "******5678"."""
    if not value:
        return ""
    return "*" * max(len(value) - 4, 0) + value[-4:]


def mask_address(value: str) -> str:
    """Only the last part stays: "Số 5, thôn Đồng, xã Thượng Cốc" -> "***, xã Thượng Cốc"."""
    if not value:
        return ""
    parts = [p.strip() for p in value.split(",") if p.strip()]
    return "***" if len(parts) <= 1 else f"***, {parts[-1]}"


def mask_name(value: str) -> str:
    """ "Nguyễn Văn An" -> "N** V** A": initials only, the public look-up's form."""
    words = value.split()
    if not words:
        return ""
    return " ".join([f"{w[0]}**" for w in words[:-1]] + [words[-1][0]])
