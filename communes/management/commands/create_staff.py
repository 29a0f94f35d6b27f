"""Create or update a staff account: `manage.py create_staff USERNAME --role ROLE [--commune|--province]`.

A department user names its department within the province: `--role department --province 25
--department "Sở KH&CN"` (short name or full name).

There is deliberately no --password option: a password on the command line ends up in the shell
history and in `ps`. It comes from the STAFF_PASSWORD environment variable or an interactive prompt.
"""

import getpass
import os
import sys

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from communes.choices import Role
from communes.staff import resolve_scope, save_staff

PASSWORD_ENV = "STAFF_PASSWORD"


class Command(BaseCommand):
    help = (
        "Tạo hoặc cập nhật tài khoản cán bộ với vai trò và phạm vi. Mật khẩu lấy từ biến môi trường "
        f"{PASSWORD_ENV} hoặc được hỏi khi chạy; chạy lại để cập nhật tài khoản đã có."
    )
    # Lets tests pass a fake stdin through call_command, as createsuperuser does.
    stealth_options = ("stdin",)

    def add_arguments(self, parser):
        parser.add_argument("username", help="Tên đăng nhập.")
        # No argparse `choices`: its error is English; the service answers an unknown role in Vietnamese.
        parser.add_argument(
            "--role", required=True, metavar="|".join(Role.values), help="Vai trò của tài khoản."
        )
        parser.add_argument("--commune", dest="commune_code", help="Mã xã (cán bộ tiếp nhận, lãnh đạo xã).")
        parser.add_argument(
            "--province", dest="province_code", help="Mã tỉnh (thành viên tổ công tác, cán bộ sở, ngành)."
        )
        parser.add_argument(
            "--department",
            dest="department",
            help="Tên viết tắt hoặc tên đầy đủ của sở, ngành trong tỉnh, ví dụ «Sở KH&CN» "
            "(cán bộ sở, ngành).",
        )
        parser.add_argument("--full-name", dest="full_name", help="Họ và tên, ví dụ «Nguyễn Văn An».")

    def handle(self, *args, username, role, commune_code, province_code, department, full_name, **options):
        try:
            # Scope errors first, so nobody types a password twice for a typo in a code.
            resolve_scope(role, commune_code=commune_code, province_code=province_code, department=department)
            password = self._password(username, options.get("stdin") or sys.stdin)
            user, created = save_staff(
                username,
                role,
                commune_code=commune_code,
                province_code=province_code,
                department=department,
                password=password,
                full_name=full_name,
            )
        except ValidationError as exc:
            message = " ".join(exc.messages)
            if exc.code == "password-required":
                message += (
                    f" Đặt biến môi trường {PASSWORD_ENV} hoặc chạy lệnh trong cửa sổ dòng lệnh"
                    " để nhập mật khẩu."
                )
            raise CommandError(f"{message} Không có thay đổi nào được lưu.") from exc

        profile = user.staff_profile
        unit = profile.commune or profile.province
        where = f", {unit.full_name} ({unit.code})" if unit else ""
        if profile.department is not None:
            where = f", {profile.department.name}{where}"
        verb = "Đã tạo" if created else "Đã cập nhật"
        note = "" if created or password else " Mật khẩu giữ nguyên."
        self.stdout.write(
            self.style.SUCCESS(f"{verb} tài khoản «{username}»: {profile.get_role_display()}{where}.{note}")
        )

    def _password(self, username, stdin):
        """The password to set, or None to keep the current one (refused by the service for a new account)."""
        from_env = os.environ.get(PASSWORD_ENV)
        if from_env:
            return from_env
        if not (hasattr(stdin, "isatty") and stdin.isatty()):
            return None
        exists = get_user_model().objects.filter(**{get_user_model().USERNAME_FIELD: username}).exists()
        prompt = "Mật khẩu (để trống để giữ mật khẩu hiện tại): " if exists else "Mật khẩu: "
        first = getpass.getpass(prompt)
        if not first:
            return None
        if getpass.getpass("Nhập lại mật khẩu: ") != first:
            raise CommandError("Hai lần nhập mật khẩu không khớp. Không có thay đổi nào được lưu.")
        return first
