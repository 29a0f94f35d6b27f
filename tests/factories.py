"""factory_boy factories shared by the test suite."""

import datetime as dt

import factory
from django.contrib.auth import get_user_model

from communes.choices import Role, UnitKind
from communes.models import CalendarDay, Commune, Merger, Province, ServiceCentre, StaffProfile


class ProvinceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Province
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"{(n % 89) + 10:02d}")
    name = factory.Sequence(lambda n: f"Tỉnh thử {n}")
    full_name = factory.LazyAttribute(lambda o: f"Tỉnh {o.name}")


class CommuneFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Commune

    code = factory.Sequence(lambda n: f"{90000 + n:05d}")
    name = factory.Sequence(lambda n: f"Xã Thử {n}")
    kind = UnitKind.XA
    province = factory.SubFactory(ProvinceFactory)
    valid_from = dt.date(2025, 7, 1)
    valid_to = None

    class Params:
        # A unit that ended at the July 2025 reform.
        ended = factory.Trait(valid_from=None, valid_to=dt.date(2025, 6, 30))


class MergerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Merger

    absorbed = factory.SubFactory(CommuneFactory, ended=True)
    successor = factory.SubFactory(CommuneFactory)
    effective_date = dt.date(2025, 7, 1)
    legal_basis = "Nghị quyết số 1676/NQ-UBTVQH15"


class ServiceCentreFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ServiceCentre

    commune = factory.SubFactory(CommuneFactory)
    name = factory.LazyAttribute(lambda o: f"Trung tâm Phục vụ hành chính công {o.commune.full_name}")
    agency_code = factory.LazyAttribute(lambda o: f"X{o.commune.code}")


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    password = factory.PostGenerationMethodCall("set_password", "mat-khau-thu-01")

    @factory.post_generation
    def _save(obj, create, extracted, **kwargs):
        if create:
            obj.save()


class StaffProfileFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = StaffProfile

    user = factory.SubFactory(UserFactory)
    role = Role.CLERK
    commune = factory.SubFactory(CommuneFactory)
    province = None

    class Params:
        leader = factory.Trait(role=Role.LEADER)
        inspector = factory.Trait(
            role=Role.INSPECTOR, commune=None, province=factory.SubFactory(ProvinceFactory)
        )
        admin = factory.Trait(role=Role.ADMIN, commune=None, province=None)
        # A department user: give `department=`; its province follows the department's.
        department_user = factory.Trait(
            role=Role.DEPARTMENT, commune=None, province=factory.SelfAttribute("department.province")
        )


class CalendarDayFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CalendarDay
        django_get_or_create = ("date",)

    date = dt.date(2025, 9, 2)
    kind = "day_off"
    name = "Quốc khánh"


class ProcedureFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "dossiers.Procedure"
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"9.{900000 + n:06d}")
    name = factory.Sequence(lambda n: f"Thủ tục thử {n}")
    field = "Hộ tịch"
    processing_days = 3
    fee = None
    online_level = "full"


class DepartmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "inspections.Department"
        django_get_or_create = ("province", "short_name")

    province = factory.SubFactory(ProvinceFactory)
    name = factory.Sequence(lambda n: f"Sở Thử nghiệm {n}")
    short_name = factory.Sequence(lambda n: f"Sở TN{n}")


class WorkingGroupFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "inspections.WorkingGroup"
        django_get_or_create = ("province", "number")

    province = factory.SubFactory(ProvinceFactory)
    number = factory.Sequence(lambda n: n + 1)
    name = factory.LazyAttribute(lambda o: f"Tổ công tác số {o.number}")
    leader_name = "Nguyễn Văn Tổ"
    leader_title = "Phó Chủ tịch UBND tỉnh"
