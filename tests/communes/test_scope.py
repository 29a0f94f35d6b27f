"""The scope predicate: one commune (with predecessors), one province, or everything."""

from communes.models import Commune
from communes.scope import scope_of, scope_q


def test_clerk_sees_own_commune_and_its_predecessors(clerk, commune, neighbour_commune):
    ids = set(Commune.objects.filter(scope_q(clerk, "pk")).values_list("code", flat=True))
    assert ids == {"05293", "05284"}
    assert scope_of(clerk).can_change_dossiers


def test_inspector_sees_the_province_only(inspector, commune, neighbour_commune, far_commune):
    codes = set(Commune.objects.filter(scope_q(inspector, "pk")).values_list("code", flat=True))
    assert codes == {"05293", "05284", "05305"}
    assert not scope_of(inspector).can_change_dossiers


def test_admin_sees_everything(admin_user, commune, far_commune):
    assert Commune.objects.filter(scope_q(admin_user, "pk")).count() == Commune.objects.count()


def test_user_without_role_sees_nothing(db, commune):
    from tests.factories import UserFactory

    assert not Commune.objects.filter(scope_q(UserFactory(), "pk")).exists()


def test_department_user_sees_no_dossier_scope(province, commune):
    from communes.choices import Role
    from tests.factories import DepartmentFactory, StaffProfileFactory

    department = DepartmentFactory(province=province, name="Sở Y tế", short_name="Sở Y tế")
    user = StaffProfileFactory(department=department, department_user=True).user
    scope = scope_of(user)

    assert (scope.role, scope.province_id) == (Role.DEPARTMENT, province.pk)
    assert scope.department_id == department.pk
    assert scope.is_staff_member
    assert not scope.can_change_dossiers
    assert not scope.covers(commune.pk)
    assert not Commune.objects.filter(scope_q(user, "pk")).exists()
