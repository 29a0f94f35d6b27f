"""`create_staff`: one command creates or updates an account with its role and scope, or saves nothing."""

import io

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command

from communes.choices import Role
from communes.models import StaffProfile
from communes.staff import save_staff

User = get_user_model()
PASSWORD = "Mat-khau-moi-2025"


@pytest.fixture(autouse=True)
def _fast_hasher_and_no_env_password(settings, monkeypatch):
    # The default PBKDF2 costs about a second per hash; the algorithm is not under test here.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    monkeypatch.delenv("STAFF_PASSWORD", raising=False)


class FakeStdin(io.StringIO):
    def __init__(self, tty):
        super().__init__()
        self._tty = tty

    def isatty(self):
        return self._tty


def run(*args, tty=False, **options):
    """Run the command as from a script (stdin not a terminal) unless `tty`; return its output."""
    out = io.StringIO()
    call_command("create_staff", *args, stdout=out, stdin=FakeStdin(tty), **options)
    return out.getvalue()


def profile_of(username):
    return StaffProfile.objects.select_related("user", "commune", "province").get(user__username=username)


@pytest.mark.parametrize(
    ("role", "scope_args", "is_admin"),
    [
        (Role.CLERK, ["--commune", "05293"], False),
        (Role.LEADER, ["--commune", "05293"], False),
        (Role.INSPECTOR, ["--province", "25"], False),
        (Role.ADMIN, [], True),
    ],
)
def test_creates_each_role_with_its_scope(monkeypatch, commune, role, scope_args, is_admin):
    monkeypatch.setenv("STAFF_PASSWORD", PASSWORD)
    out = run("nguyenvan", "--role", role, *scope_args, "--full-name", "Nguyễn Văn An")

    profile = profile_of("nguyenvan")
    assert profile.role == role
    commune_code = profile.commune.code if profile.commune else None
    province_code = profile.province.code if profile.province else None
    assert commune_code == ("05293" if "--commune" in scope_args else None)
    assert province_code == ("25" if "--province" in scope_args else None)
    user = profile.user
    assert user.check_password(PASSWORD)
    assert user.get_full_name() == "Nguyễn Văn An"
    assert user.is_active
    assert user.is_staff is is_admin
    assert user.is_superuser is is_admin
    assert "Đã tạo tài khoản «nguyenvan»" in out
    assert PASSWORD not in out


def test_rerun_updates_role_scope_and_password(monkeypatch, commune):
    monkeypatch.setenv("STAFF_PASSWORD", PASSWORD)
    run("nguyenvan", "--role", "clerk", "--commune", "05293")
    user_id = profile_of("nguyenvan").user_id

    monkeypatch.setenv("STAFF_PASSWORD", "Mat-khau-thu-hai-2025")
    out = run("nguyenvan", "--role", "inspector", "--province", "25")

    profile = profile_of("nguyenvan")
    assert profile.user_id == user_id
    assert User.objects.filter(username="nguyenvan").count() == 1
    assert StaffProfile.objects.filter(user_id=user_id).count() == 1
    assert (profile.role, profile.commune, profile.province.code) == (Role.INSPECTOR, None, "25")
    assert profile.user.check_password("Mat-khau-thu-hai-2025")
    assert "Đã cập nhật tài khoản «nguyenvan»" in out


def test_rerun_as_admin_then_back_to_clerk_toggles_django_admin_access(monkeypatch, commune):
    monkeypatch.setenv("STAFF_PASSWORD", PASSWORD)
    run("nguyenvan", "--role", "admin")
    assert profile_of("nguyenvan").user.is_superuser

    run("nguyenvan", "--role", "clerk", "--commune", "05293")
    user = profile_of("nguyenvan").user
    assert (user.is_staff, user.is_superuser) == (False, False)


def test_rerun_without_password_keeps_it_and_the_name(monkeypatch, commune):
    monkeypatch.setenv("STAFF_PASSWORD", PASSWORD)
    run("nguyenvan", "--role", "clerk", "--commune", "05293", "--full-name", "Nguyễn Văn An")
    monkeypatch.delenv("STAFF_PASSWORD")

    out = run("nguyenvan", "--role", "leader", "--commune", "05293")

    profile = profile_of("nguyenvan")
    assert profile.role == Role.LEADER
    assert profile.user.check_password(PASSWORD)
    assert profile.user.get_full_name() == "Nguyễn Văn An"
    assert "Mật khẩu giữ nguyên" in out


def test_new_account_without_password_and_without_terminal_is_refused(commune):
    with pytest.raises(CommandError, match="Tài khoản mới cần mật khẩu"):
        run("nguyenvan", "--role", "clerk", "--commune", "05293")
    assert not User.objects.filter(username="nguyenvan").exists()


def test_interactive_prompt_asks_twice(monkeypatch, commune):
    answers = iter([PASSWORD, PASSWORD])
    prompts = []
    monkeypatch.setattr(
        "communes.management.commands.create_staff.getpass.getpass",
        lambda prompt: prompts.append(prompt) or next(answers),
    )
    run("nguyenvan", "--role", "clerk", "--commune", "05293", tty=True)

    assert prompts == ["Mật khẩu: ", "Nhập lại mật khẩu: "]
    assert profile_of("nguyenvan").user.check_password(PASSWORD)


def test_interactive_prompt_mismatch_saves_nothing(monkeypatch, commune):
    answers = iter([PASSWORD, "khac-han-roi-2025"])
    monkeypatch.setattr(
        "communes.management.commands.create_staff.getpass.getpass", lambda prompt: next(answers)
    )
    with pytest.raises(CommandError, match="không khớp"):
        run("nguyenvan", "--role", "clerk", "--commune", "05293", tty=True)
    assert not User.objects.filter(username="nguyenvan").exists()


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--role", "clerk", "--commune", "99999"], "Không có đơn vị cấp xã mã «99999»"),
        (["--role", "inspector", "--province", "98"], "Không có tỉnh, thành phố mã «98»"),
        (["--role", "clerk", "--commune", "05293", "--province", "25"], "gắn với một xã, không gắn với tỉnh"),
        (["--role", "clerk"], "cần mã xã"),
        (["--role", "inspector", "--commune", "05293"], "gắn với một tỉnh, không gắn với xã"),
        (["--role", "admin", "--province", "25"], "không gắn với xã hay tỉnh nào"),
        (["--role", "chairman"], "Vai trò «chairman» không hợp lệ"),
    ],
)
def test_bad_scope_is_refused_and_nothing_saved(monkeypatch, commune, args, message):
    monkeypatch.setenv("STAFF_PASSWORD", PASSWORD)
    with pytest.raises(CommandError, match=message):
        run("nguyenvan", *args)
    assert not User.objects.filter(username="nguyenvan").exists()
    assert not StaffProfile.objects.exists()


def test_failed_rerun_leaves_the_existing_account_untouched(monkeypatch, commune):
    monkeypatch.setenv("STAFF_PASSWORD", PASSWORD)
    run("nguyenvan", "--role", "clerk", "--commune", "05293", "--full-name", "Nguyễn Văn An")
    monkeypatch.setenv("STAFF_PASSWORD", "Mat-khau-thu-hai-2025")

    with pytest.raises(CommandError):
        run("nguyenvan", "--role", "inspector", "--province", "98", "--full-name", "Tên Khác")

    profile = profile_of("nguyenvan")
    assert (profile.role, profile.commune.code, profile.province) == (Role.CLERK, "05293", None)
    assert profile.user.check_password(PASSWORD)
    assert profile.user.get_full_name() == "Nguyễn Văn An"


def test_ended_unit_is_refused_for_a_clerk_with_its_successor_named(monkeypatch, commune):
    monkeypatch.setenv("STAFF_PASSWORD", PASSWORD)
    # Văn Sơn 05284 ended on 30/6/2025, absorbed by Thượng Cốc 05293.
    with pytest.raises(CommandError, match=r"30/06/2025.*Xã Thượng Cốc \(05293\)"):
        run("nguyenvan", "--role", "clerk", "--commune", "05284")
    assert not User.objects.filter(username="nguyenvan").exists()


def test_code_with_an_ended_and_a_current_version_takes_the_current_one(monkeypatch, province):
    from tests.factories import CommuneFactory

    # Quyết Thắng's code 05323 was old Chí Đạo's until 30/6/2025.
    CommuneFactory(code="05323", name="Chí Đạo", province=province, ended=True)
    current = CommuneFactory(code="05323", name="Quyết Thắng", province=province)
    monkeypatch.setenv("STAFF_PASSWORD", PASSWORD)

    run("nguyenvan", "--role", "leader", "--commune", "05323")

    assert profile_of("nguyenvan").commune == current


def test_weak_password_is_refused_by_the_password_validators(monkeypatch, commune):
    monkeypatch.setenv("STAFF_PASSWORD", "ngan")
    with pytest.raises(CommandError, match="Mật khẩu quá ngắn"):
        run("nguyenvan", "--role", "clerk", "--commune", "05293")
    assert not User.objects.filter(username="nguyenvan").exists()


# --- The service directly: the stable error codes callers switch on ---------------------------


@pytest.mark.parametrize(
    ("kwargs", "code"),
    [
        ({"role": "clerk", "commune_code": "99999"}, "unknown-commune"),
        ({"role": "clerk", "commune_code": "05284"}, "unknown-commune"),
        ({"role": "inspector", "province_code": "98"}, "unknown-province"),
        ({"role": "clerk", "commune_code": "05293", "province_code": "25"}, "scope-mismatch"),
        ({"role": "leader"}, "scope-mismatch"),
        ({"role": "inspector", "commune_code": "05293"}, "scope-mismatch"),
        ({"role": "admin", "commune_code": "05293"}, "scope-mismatch"),
        ({"role": "chairman"}, "unknown-role"),
        ({"role": "clerk", "commune_code": "05293", "password": None}, "password-required"),
        ({"role": "clerk", "commune_code": "05293", "password": "ngan"}, "invalid-password"),
    ],
)
def test_service_errors_carry_a_stable_code(commune, kwargs, code):
    kwargs = {"password": PASSWORD, **kwargs}
    with pytest.raises(ValidationError) as caught:
        save_staff("nguyenvan", **kwargs)
    assert caught.value.code == code
    assert not User.objects.filter(username="nguyenvan").exists()


def test_service_refuses_an_ended_province(db):
    import datetime as dt

    from tests.factories import ProvinceFactory

    ProvinceFactory(code="17", name="Hòa Bình", full_name="Tỉnh Hòa Bình", valid_to=dt.date(2025, 6, 30))
    with pytest.raises(ValidationError) as caught:
        save_staff("nguyenvan", Role.INSPECTOR, province_code="17", password=PASSWORD)
    assert caught.value.code == "unknown-province"


def test_service_returns_the_user_and_whether_it_was_created(commune):
    user, created = save_staff("nguyenvan", Role.CLERK, commune_code="05293", password=PASSWORD)
    assert created
    same, created_again = save_staff("nguyenvan", Role.LEADER, commune_code="05293")
    assert (same.pk, created_again) == (user.pk, False)


# --- Department users (cán bộ sở, ngành) ---------------------------------------------------------


@pytest.fixture
def departments(province):
    from tests.factories import DepartmentFactory

    return {
        "khcn": DepartmentFactory(province=province, name="Sở Khoa học và Công nghệ", short_name="Sở KH&CN"),
        "yte": DepartmentFactory(province=province, name="Sở Y tế", short_name="Sở Y tế"),
    }


@pytest.mark.parametrize("name", ["Sở KH&CN", "Sở Khoa học và Công nghệ", "so kh&cn", "  Sở   KH&CN "])
def test_department_user_is_created_with_its_department_and_province(monkeypatch, departments, name):
    monkeypatch.setenv("STAFF_PASSWORD", PASSWORD)
    out = run("sokhcn", "--role", "department", "--province", "25", "--department", name)

    profile = profile_of("sokhcn")
    assert (profile.role, profile.commune, profile.province.code) == (Role.DEPARTMENT, None, "25")
    assert profile.department == departments["khcn"]
    assert (profile.user.is_staff, profile.user.is_superuser) == (False, False)
    assert "Cán bộ sở, ngành, Sở Khoa học và Công nghệ, Tỉnh Phú Thọ (25)" in out


def test_rerun_moves_a_department_user_to_a_commune_without_department(monkeypatch, commune, departments):
    monkeypatch.setenv("STAFF_PASSWORD", PASSWORD)
    run("nguyenvan", "--role", "department", "--province", "25", "--department", "Sở Y tế")
    run("nguyenvan", "--role", "clerk", "--commune", "05293")

    profile = profile_of("nguyenvan")
    assert (profile.role, profile.commune.code, profile.province, profile.department) == (
        Role.CLERK,
        "05293",
        None,
        None,
    )


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--role", "department", "--province", "25"], "cần tên sở, ngành"),
        (["--role", "department", "--department", "Sở KH&CN"], "cần mã tỉnh"),
        (["--role", "department", "--commune", "05293", "--department", "Sở KH&CN"], "không gắn với xã"),
        (
            ["--role", "department", "--province", "25", "--department", "Sở Tư pháp"],
            "Tỉnh Phú Thọ không có sở, ngành «Sở Tư pháp». Các sở, ngành đã khai báo: Sở KH&CN, Sở Y tế.",
        ),
        (["--role", "inspector", "--province", "25", "--department", "Sở KH&CN"], "không gắn với sở, ngành"),
        (["--role", "clerk", "--commune", "05293", "--department", "Sở KH&CN"], "không gắn với sở, ngành"),
    ],
)
def test_bad_department_scope_is_refused_and_nothing_saved(monkeypatch, commune, departments, args, message):
    monkeypatch.setenv("STAFF_PASSWORD", PASSWORD)
    with pytest.raises(CommandError, match=message):
        run("nguyenvan", *args)
    assert not User.objects.filter(username="nguyenvan").exists()


def test_department_of_another_province_is_unknown_here(monkeypatch, commune, other_province):
    from tests.factories import DepartmentFactory

    DepartmentFactory(province=other_province, name="Sở Khoa học và Công nghệ", short_name="Sở KH&CN")
    with pytest.raises(ValidationError) as caught:
        save_staff("nguyenvan", Role.DEPARTMENT, province_code="25", department="Sở KH&CN", password=PASSWORD)
    assert caught.value.code == "unknown-department"


def test_profile_clean_fills_and_checks_the_department_province(departments, other_province):
    from tests.factories import DepartmentFactory, UserFactory

    profile = StaffProfile(user=UserFactory(), role=Role.DEPARTMENT, department=departments["khcn"])
    profile.full_clean()
    assert profile.province == departments["khcn"].province

    elsewhere = DepartmentFactory(province=other_province, name="Sở Tư pháp", short_name="Sở TP")
    profile = StaffProfile(
        user=UserFactory(), role=Role.DEPARTMENT, province=departments["khcn"].province, department=elsewhere
    )
    with pytest.raises(ValidationError) as caught:
        profile.full_clean()
    assert caught.value.message_dict == {"department": ["Sở, ngành «Sở Tư pháp» không thuộc tỉnh đã chọn."]}


@pytest.mark.parametrize(
    "values",
    [
        {"role": Role.DEPARTMENT, "province": "province"},  # no department
        {"role": Role.INSPECTOR, "province": "province", "department": "khcn"},
        {"role": Role.ADMIN, "department": "khcn"},
    ],
)
def test_database_refuses_a_department_that_does_not_fit_the_role(departments, province, values):
    from django.db import IntegrityError, transaction

    from tests.factories import UserFactory

    fields = {
        "role": values["role"],
        "province": province if "province" in values else None,
        "department": departments[values["department"]] if "department" in values else None,
    }
    with pytest.raises(IntegrityError), transaction.atomic():
        StaffProfile.objects.create(user=UserFactory(), **fields)
