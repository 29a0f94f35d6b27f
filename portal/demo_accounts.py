"""The demo accounts: created by `manage.py seed_demo`, printed by `scripts/run.py`.

Plain Python with no imports from Django or the project, so that scripts/run.py can read it
with the standard library alone. Demo passwords are public: never seed them on a real server.
"""

from typing import NamedTuple


class DemoAccount(NamedTuple):
    username: str
    password: str
    role_label: str  # Vietnamese label, as communes.choices.Role shows it
    scope: str  # what the account sees, for the console banner
    role: str  # a communes.choices.Role value
    commune_code: str | None = None  # for the commune roles (clerk, leader)
    province_code: str | None = None  # for the province roles (inspector, department)
    full_name: str = ""  # a made-up person: demo data only
    department: str | None = None  # for the department role: the department's short name


DEMO_ACCOUNTS: tuple[DemoAccount, ...] = (
    DemoAccount(
        "quantri",
        "demo-quantri-2025",
        "Quản trị hệ thống",
        "toàn hệ thống",
        "admin",
        full_name="Quản trị hệ thống",
    ),
    DemoAccount(
        "canbo.thuongcoc",
        "demo-canbo-2025",
        "Cán bộ tiếp nhận",
        "Xã Thượng Cốc (05293)",
        "clerk",
        commune_code="05293",
        full_name="Bùi Thị Hạnh",
    ),
    DemoAccount(
        "lanhdao.thuongcoc",
        "demo-lanhdao-2025",
        "Lãnh đạo xã",
        "Xã Thượng Cốc (05293)",
        "leader",
        commune_code="05293",
        full_name="Đinh Công Thành",
    ),
    DemoAccount(
        "canbo.yenphu",
        "demo-canbo-2025",
        "Cán bộ tiếp nhận",
        "Xã Yên Phú (05305)",
        "clerk",
        commune_code="05305",
        full_name="Đinh Thị Lan",
    ),
    DemoAccount(
        "canbo.quyetthang",
        "demo-canbo-2025",
        "Cán bộ tiếp nhận",
        "Xã Quyết Thắng (05323)",
        "clerk",
        commune_code="05323",
        full_name="Bùi Văn Minh",
    ),
    DemoAccount(
        "totruong.phutho",
        "demo-totruong-2025",
        "Thành viên tổ công tác",
        "Tỉnh Phú Thọ (25)",
        "inspector",
        province_code="25",
        full_name="Nguyễn Văn Hùng",
    ),
    DemoAccount(
        "sokhcn.phutho",
        "demo-songanh-2025",
        "Cán bộ sở, ngành",
        "Sở Khoa học và Công nghệ, Tỉnh Phú Thọ (25)",
        "department",
        province_code="25",
        full_name="Trần Minh Đức",
        department="Sở KH&CN",
    ),
    DemoAccount(
        "congan.phutho",
        "demo-songanh-2025",
        "Cán bộ sở, ngành",
        "Công an tỉnh, Tỉnh Phú Thọ (25)",
        "department",
        province_code="25",
        full_name="Hà Văn Quân",
        department="Công an tỉnh",
    ),
)
