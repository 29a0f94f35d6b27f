"""`seed_demo`: the demo of `make run` — units, calendar, centres, departments, accounts, catalogue,
dossiers and the seed article's visit (tests/portal/test_demo_inspections.py checks its content).

A second run changes nothing.
The dossiers run at 1% of the default volume here (the seed article's windows are always complete);
tests/dossiers/test_demo_data.py checks their figures and rules.
"""

import io

import pytest
from django.contrib.auth import authenticate, get_user_model
from django.core import serializers
from django.core.management import call_command

from communes.models import CalendarDay, Commune, Merger, Province, ServiceCentre, StaffProfile
from communes.scope import scope_of
from dossiers.models import DailyCounter, Dossier, DossierEvent, Procedure
from inspections.models import Department, Directive, Proposal, Visit, VisitedCommune, WorkingGroup
from portal.demo_accounts import DEMO_ACCOUNTS

pytestmark = pytest.mark.django_db

DEMO_MODELS = (
    Province,
    Commune,
    Merger,
    ServiceCentre,
    CalendarDay,
    StaffProfile,
    get_user_model(),
    Procedure,
    Dossier,
    DossierEvent,
    DailyCounter,
    Department,
    WorkingGroup,
    Visit,
    VisitedCommune,
    Proposal,
    Directive,
)


def dump():
    return {m.__name__: serializers.serialize("json", m.objects.order_by("pk")) for m in DEMO_MODELS}


def seed(*options):
    out = io.StringIO()
    call_command("seed_demo", *options, stdout=out)
    return out.getvalue()


def test_seed_demo_loads_units_centres_and_accounts():
    assert f"{len(DEMO_ACCOUNTS)} tài khoản mới" in seed("--no-dossiers")
    assert Commune.objects.current().filter(province__code="25").count() == 148
    centre = ServiceCentre.objects.get(commune__code="05293", commune__valid_to__isnull=True)
    assert centre.agency_code == "H25.05293"
    assert centre.name == "Trung tâm Phục vụ hành chính công xã Thượng Cốc"
    assert CalendarDay.objects.filter(date="2026-02-17", kind="day_off").exists()
    assert Procedure.objects.count() >= 30
    assert not Dossier.objects.exists()
    # The departments are there for the department accounts; the visit waits for the dossiers.
    assert Department.objects.filter(province__code="25").count() == 8
    assert not Visit.objects.exists()
    for account in DEMO_ACCOUNTS:
        user = authenticate(username=account.username, password=account.password)
        assert user is not None, account.username
        assert user.staff_profile.role == account.role
        if account.department:
            assert user.staff_profile.department.short_name == account.department


def test_predecessor_units_get_their_own_agency_codes():
    seed("--no-dossiers")
    old = ServiceCentre.objects.get(commune__code="05293", commune__valid_to__isnull=False)
    assert old.agency_code == "X17.05293"  # X: the unit no longer exists; 17: old Hòa Bình
    assert old.name == "Bộ phận Tiếp nhận và Trả kết quả xã Thượng Cốc"
    absorbed = Commune.objects.filter(successions__successor__province__code="25").distinct()
    assert ServiceCentre.objects.filter(commune__in=absorbed).count() == absorbed.count()
    codes = list(ServiceCentre.objects.values_list("agency_code", flat=True))
    assert len(codes) == len(set(codes))


def test_demo_clerk_scope_is_the_new_commune_and_its_predecessors():
    seed("--no-dossiers")
    clerk = get_user_model().objects.get(username="canbo.thuongcoc")
    codes = set(Commune.objects.filter(pk__in=scope_of(clerk).commune_ids).values_list("code", flat=True))
    assert codes == {"05293", "05284", "05272"}


def test_seed_demo_with_dossiers_twice_changes_nothing():
    out = seed("--scale", "0.01")
    created = Dossier.objects.count()
    assert created > 1343  # at least the seed article's 390 + 603 + 350
    assert f"{created} hồ sơ mới" in out
    assert "1 buổi kiểm tra mới" in out
    # The demo clerks act on their commune's dossiers.
    clerk = get_user_model().objects.get(username="canbo.thuongcoc")
    assert DossierEvent.objects.filter(actor=clerk, dossier__commune__code="05293").exists()
    before = dump()
    assert "0 tài khoản mới" in seed("--scale", "0.01")
    out = seed()
    assert "0 hồ sơ mới" in out and "0 buổi kiểm tra mới" in out
    assert dump() == before
