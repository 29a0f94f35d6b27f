"""`seed_demo`: the demo of `make run` — real units, calendar, centres and accounts; rerun changes nothing."""

import io

import pytest
from django.contrib.auth import authenticate, get_user_model
from django.core import serializers
from django.core.management import call_command

from communes.models import CalendarDay, Commune, Merger, Province, ServiceCentre, StaffProfile
from communes.scope import scope_of
from portal.demo_accounts import DEMO_ACCOUNTS

pytestmark = pytest.mark.django_db

DEMO_MODELS = (Province, Commune, Merger, ServiceCentre, CalendarDay, StaffProfile, get_user_model())


def dump():
    return {m.__name__: serializers.serialize("json", m.objects.order_by("pk")) for m in DEMO_MODELS}


def seed():
    out = io.StringIO()
    call_command("seed_demo", stdout=out)
    return out.getvalue()


def test_seed_demo_loads_units_centres_and_accounts():
    assert "6 tài khoản mới" in seed()
    assert Commune.objects.current().filter(province__code="25").count() == 148
    centre = ServiceCentre.objects.get(commune__code="05293")
    assert centre.agency_code == "H25.05293"
    assert centre.name == "Trung tâm Phục vụ hành chính công xã Thượng Cốc"
    assert CalendarDay.objects.filter(date="2026-02-17", kind="day_off").exists()
    for account in DEMO_ACCOUNTS:
        user = authenticate(username=account.username, password=account.password)
        assert user is not None, account.username
        assert user.staff_profile.role == account.role


def test_demo_clerk_scope_is_the_new_commune_and_its_predecessors():
    seed()
    clerk = get_user_model().objects.get(username="canbo.thuongcoc")
    codes = set(Commune.objects.filter(pk__in=scope_of(clerk).commune_ids).values_list("code", flat=True))
    assert codes == {"05293", "05284", "05272"}


def test_seed_demo_twice_changes_nothing():
    seed()
    before = dump()
    assert "0 tài khoản mới" in seed()
    assert dump() == before
