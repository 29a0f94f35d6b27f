"""The demo data `make run` shows: real units and calendar, a service centre per commune, demo accounts.

Every step is idempotent, so `manage.py seed_demo` can run again at any time and changes
nothing the second time. Later issues add dossiers and inspections here.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from communes.calendar_store import default_years, seed_from_holidays_package
from communes.models import Commune, ServiceCentre
from communes.staff import save_staff
from communes.unit_loading import load_units

from .demo_accounts import DEMO_ACCOUNTS

DEMO_PROVINCE = "25"  # Phú Thọ, the province of the seed article
OFFICE_HOURS = "Thứ Hai – Thứ Sáu: 07:00–11:30 và 13:30–17:00"


@dataclass
class DemoResult:
    units_changed: bool = False
    calendar_days_created: int = 0
    centres_created: int = 0
    accounts_created: list[str] = field(default_factory=list)


def agency_code_for(commune: Commune) -> str:
    """The prefix of the centre's dossier codes: H + province code + . + commune code ("H25.05293")."""
    return f"H{commune.province.code}.{commune.code}"


def local_name(unit: Commune) -> str:
    """ "xã Thượng Cốc": the kind in lower case, as it reads inside a sentence; the name as written."""
    return f"{unit.get_kind_display().lower()} {unit.name}"


def ensure_service_centres(province_code: str) -> int:
    """Give every current unit of the province a service centre if it has none; return how many were made."""
    units = (
        Commune.objects.current()
        .filter(province__code=province_code, service_centre__isnull=True)
        .select_related("province")
    )
    centres = [
        ServiceCentre(
            commune=unit,
            name=f"Trung tâm Phục vụ hành chính công {local_name(unit)}",
            agency_code=agency_code_for(unit),
            address=f"Trụ sở UBND {local_name(unit)}, {unit.province.full_name}",
            office_hours=OFFICE_HOURS,
        )
        for unit in units
    ]
    ServiceCentre.objects.bulk_create(centres)
    return len(centres)


def seed_demo() -> DemoResult:
    """Load everything the demo needs; safe to run again."""
    result = DemoResult()
    result.units_changed = load_units().changed
    result.calendar_days_created = seed_from_holidays_package(default_years(timezone.localdate())).created
    existing = set(
        get_user_model()
        .objects.filter(username__in=[a.username for a in DEMO_ACCOUNTS])
        .values_list("username", flat=True)
    )
    with transaction.atomic():
        result.centres_created = ensure_service_centres(DEMO_PROVINCE)
        for account in DEMO_ACCOUNTS:
            # Existing accounts keep their password: a rerun must not rewrite (re-salt) anything.
            _, created = save_staff(
                account.username,
                account.role,
                commune_code=account.commune_code,
                province_code=account.province_code,
                password=None if account.username in existing else account.password,
                full_name=account.full_name,
            )
            if created:
                result.accounts_created.append(account.username)
    return result
