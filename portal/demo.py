"""The demo data `make run` shows: real units and calendar, service centres, the province's
departments, demo accounts, the procedure catalogue, dossiers from 1/1/2025 to today
(dossiers.demo_data) and the seed article's inspection visit (portal.demo_inspections).

Every step is idempotent, so `manage.py seed_demo` can run again at any time and changes
nothing the second time.
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
from dossiers.catalogue import load_procedures
from dossiers.demo_data import seed_demo_dossiers

from .demo_accounts import DEMO_ACCOUNTS
from .demo_figures import compute_demo_figures, seed_walk_in_visits
from .demo_inspections import ensure_departments, seed_demo_inspections

DEMO_PROVINCE = "25"  # Phú Thọ, the province of the seed article
OFFICE_HOURS = "Thứ Hai – Thứ Sáu: 07:00–11:30 và 13:30–17:00"


@dataclass
class DemoResult:
    units_changed: bool = False
    calendar_days_created: int = 0
    centres_created: int = 0
    departments_created: int = 0
    accounts_created: list[str] = field(default_factory=list)
    procedures_created: int = 0
    dossiers_created: int = 0
    visits_created: int = 0  # days with walk-in visits
    inspections_created: int = 0  # working-group visits (buổi kiểm tra)


def agency_code_for(commune: Commune) -> str:
    """The prefix of the centre's dossier codes: H + province code + . + commune code ("H25.05293")."""
    return f"H{commune.province.code}.{commune.code}"


def local_name(unit: Commune) -> str:
    """ "xã Thượng Cốc": the kind in lower case, as it reads inside a sentence; the name as written."""
    return f"{unit.get_kind_display().lower()} {unit.name}"


def predecessor_agency_code(unit: Commune) -> str:
    """ "X17.05284" for Văn Sơn, a unit that ended on 30/6/2025: X for a unit that no longer exists,
    then the province and unit codes it had. A merged commune often keeps a predecessor's code
    (new Thượng Cốc is 05293, like the old one), so "H25.05293" is taken by the new unit; and the
    X prefix cannot collide with any current unit's H code, whatever its province."""
    return f"X{unit.province.code}.{unit.code}"


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


def ensure_predecessor_centres(province_code: str) -> int:
    """Give each unit absorbed into a current unit of the province its one-stop desk (Bộ phận Tiếp
    nhận và Trả kết quả, the pre-2025 name), so its dossiers have codes; return how many were made."""
    units = (
        Commune.objects.filter(
            successions__successor__province__code=province_code,
            successions__successor__valid_to__isnull=True,
            valid_to__isnull=False,
            service_centre__isnull=True,
        )
        .distinct()
        .select_related("province")
    )
    centres = [
        ServiceCentre(
            commune=unit,
            name=f"Bộ phận Tiếp nhận và Trả kết quả {local_name(unit)}",
            agency_code=predecessor_agency_code(unit),
            address=", ".join(
                part
                for part in (f"Trụ sở UBND {local_name(unit)}", unit.district_name, unit.province.full_name)
                if part
            ),
            office_hours=OFFICE_HOURS,
        )
        for unit in units
    ]
    ServiceCentre.objects.bulk_create(centres)
    return len(centres)


def seed_demo(*, scale: float = 1.0, dossiers: bool = True) -> DemoResult:
    """Load everything the demo needs; safe to run again.

    `scale` multiplies the dossier volumes (1.0: the seed communes at their July 2025 rate, the
    other units one to three dossiers a working day); the seed article's figures hold at any scale.
    `dossiers=False` skips the dossiers. Dossiers are generated only while the province has none.
    The inspection visit is recorded once the seed communes have dossiers.
    """
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
        result.centres_created += ensure_predecessor_centres(DEMO_PROVINCE)
        # Before the accounts: a department user names its department.
        result.departments_created = ensure_departments(DEMO_PROVINCE)
        for account in DEMO_ACCOUNTS:
            # Existing accounts keep their password: a rerun must not rewrite (re-salt) anything.
            _, created = save_staff(
                account.username,
                account.role,
                commune_code=account.commune_code,
                province_code=account.province_code,
                password=None if account.username in existing else account.password,
                full_name=account.full_name,
                department=account.department,
            )
            if created:
                result.accounts_created.append(account.username)
    result.procedures_created = load_procedures().created
    if dossiers:
        result.dossiers_created = seed_demo_dossiers(DEMO_PROVINCE, scale=scale)
    today = timezone.localdate()
    result.visits_created = seed_walk_in_visits(today)
    if result.dossiers_created or result.visits_created:
        compute_demo_figures(today)
    # After the figures: the visit freezes the July 2025 figures of the three communes.
    result.inspections_created = seed_demo_inspections(DEMO_PROVINCE, today)
    return result
