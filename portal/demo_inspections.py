"""The demo's inspection: the seed article's visit of Tổ công tác số 10 on 29/7/2025.

The province's departments (sở, ngành), the working group led by Quách Tất Liêm, Tỉnh uỷ viên,
Phó Chủ tịch UBND tỉnh, its visit to Thượng Cốc, Yên Phú and Quyết Thắng with each commune's
figures frozen by inspections.services.record_visit (over the article's periods, so the snapshots
show its 390/229, 603/239/364 and 350/350), the difficulties and proposals the communes raised,
the leader's conclusions, the directives that came out of them and their follow-up.

Everything goes through inspections.services, as the demo inspector (`totruong.phutho`), the
demo department users and the commune leader would enter it. The article names no member of the
group but its leader, so members are recorded as their departments' leadership ("Lãnh đạo Sở Tư
pháp"), not as made-up people. The article reports the difficulties and proposals as the three
communes' together ("các xã đã nêu", "các xã đề nghị"), so each visited commune carries them.

Idempotent: departments and the group are created only when missing, the visit (with all that
hangs on it) only when the group has no visit on 29/7/2025, in one transaction.
"""

from __future__ import annotations

import datetime as dt
from typing import NamedTuple

from django.contrib.auth import get_user_model
from django.db import transaction

from communes.models import Province
from dossiers.models import Dossier
from inspections import services
from inspections.choices import DirectiveStatus, FindingCategory, ProposalStatus
from inspections.models import Department, Proposal, Visit, WorkingGroup

VISIT_DAY = dt.date(2025, 7, 29)
GROUP_NUMBER = 10
LEADER_NAME = "Quách Tất Liêm"
LEADER_TITLE = "Tỉnh uỷ viên, Phó Chủ tịch UBND tỉnh"

# (full name, short name). Sở Y tế is not on the group but receives the health-station proposal.
DEPARTMENTS = (
    ("Sở Khoa học và Công nghệ", "Sở KH&CN"),
    ("Sở Tư pháp", "Sở Tư pháp"),
    ("Sở Nông nghiệp và Môi trường", "Sở NN&MT"),
    ("Sở Nội vụ", "Sở Nội vụ"),
    ("Sở Tài chính", "Sở Tài chính"),
    ("Sở Y tế", "Sở Y tế"),
    ("Công an tỉnh", "Công an tỉnh"),
    ("Văn phòng UBND tỉnh", "VP UBND tỉnh"),
)
# "Tham gia đoàn có lãnh đạo các Sở: ..." in the article's order.
MEMBER_DEPARTMENTS = (
    "Sở KH&CN",
    "Sở Tư pháp",
    "Sở NN&MT",
    "Sở Nội vụ",
    "Sở Tài chính",
    "Công an tỉnh",
    "VP UBND tỉnh",
)

# Demo accounts (portal/demo_accounts.py) that act here; a missing one acts as the system (None).
INSPECTOR = "totruong.phutho"
STI_USER = "sokhcn.phutho"  # Sở KH&CN
POLICE_USER = "congan.phutho"  # Công an tỉnh
THUONG_COC_LEADER = "lanhdao.thuongcoc"

PARTICIPANTS = (
    f"Tổ công tác số 10 của tỉnh do đồng chí {LEADER_NAME}, {LEADER_TITLE} làm Tổ trưởng; "
    "lãnh đạo các Sở: Khoa học và Công nghệ, Tư pháp, Nông nghiệp và Môi trường, Nội vụ, Tài chính, "
    "Công an tỉnh và Văn phòng UBND tỉnh; lãnh đạo UBND và Trung tâm Phục vụ hành chính công các xã "
    "Thượng Cốc, Yên Phú, Quyết Thắng."
)

CONCLUSION = (
    f"Đồng chí {LEADER_NAME}, Phó Chủ tịch UBND tỉnh ghi nhận và đánh giá cao sự chủ động của lãnh "
    "đạo, cán bộ xã Thượng Cốc, xã Yên Phú đã nỗ lực triển khai công việc, đảm bảo chính quyền mới "
    "sau sắp xếp đi vào hoạt động ngay, không gián đoạn.\n"
    "Đồng chí Phó Chủ tịch UBND tỉnh đề nghị:\n"
    "- Các xã chủ động khắc phục khó khăn, đảm bảo hoạt động thông suốt của TTPVHCC, đáp ứng nhu cầu "
    "giải quyết thủ tục hành chính của nhân dân.\n"
    "- Rà soát lại việc sắp xếp, bố trí cán bộ theo năng lực, sở trường, đảm bảo hiệu quả hoạt động "
    "của bộ máy chính quyền địa phương.\n"
    "- Tập trung tháo gỡ khó khăn, vướng mắc, giải quyết kịp thời những vấn đề mới phát sinh tại cơ "
    "sở sau sáp nhập.\n"
    "- Tăng cường công tác đào tạo, bồi dưỡng, tập huấn chuyên môn nghiệp vụ cho đội ngũ cán bộ, công "
    "chức, chuẩn hóa nguồn nhân lực cấp xã.\n"
    "Đối với những đề xuất, kiến nghị của 3 xã, đồng chí Phó Chủ tịch UBND tỉnh giao nhiệm vụ cụ thể "
    "cho các sở, ngành liên quan tổng hợp, báo cáo cấp có thẩm quyền giải quyết trong thời gian sớm "
    "nhất, góp phần từng bước xây dựng nền hành chính hiện đại, chuyên nghiệp và phục vụ người dân "
    "tốt hơn."
)

# The figures period of each commune: the article's (Yên Phú's ends on 27/7, the others' on the
# default day before the visit).
PERIODS = {
    "05293": (dt.date(2025, 7, 1), dt.date(2025, 7, 28)),
    "05305": (dt.date(2025, 7, 1), dt.date(2025, 7, 27)),
    "05323": (dt.date(2025, 7, 1), dt.date(2025, 7, 28)),
}

# What the article says of each commune, then what the leader asked of it.
COMMUNE_CONCLUSIONS = {
    "05293": (
        "Xã Thượng Cốc được hình thành trên cơ sở sáp nhập toàn bộ diện tích tự nhiên, quy mô dân số "
        "của 3 xã Thượng Cốc, Văn Sơn và Miền Đồi. Sau khi chính thức thực hiện vận hành chính quyền 2 "
        "cấp, UBND xã đã ban hành Quy chế làm việc và phân công nhiệm vụ đối với các lãnh đạo và thành "
        "viên UBND xã. Việc tiếp nhận, giải quyết và trả kết quả hồ sơ thủ tục hành chính tại TTPVHCC "
        "xã được thực hiện thông suốt, kịp thời phục vụ nhu cầu giao dịch của công dân. Từ ngày "
        "1–28/7/2025, TTPVHCC xã đã tiếp nhận 390 hồ sơ, trong đó 229 hồ sơ trực tuyến, đạt tỷ lệ "
        "58,72%, không có hồ sơ quá hạn.\n"
        "Tổ trưởng ghi nhận và đánh giá cao sự chủ động của lãnh đạo, cán bộ xã, đảm bảo chính quyền "
        "mới sau sắp xếp đi vào hoạt động ngay, không gián đoạn; đề nghị xã rà soát lại việc sắp xếp, "
        "bố trí cán bộ theo năng lực, sở trường."
    ),
    "05305": (
        "Xã Yên Phú được sáp nhập trên cơ sở hợp nhất 3 đơn vị hành chính Yên Phú, Bình Hẻm và Xuất "
        "Hóa. Đến nay, tổ chức bộ máy của UBND xã được sắp xếp, tổ chức ổn định và đi vào hoạt động có "
        "nề nếp, phát huy được hiệu quả vai trò quản lý nhà nước trên từng lĩnh vực công tác được giao. "
        "Từ ngày 1–27/7/2025, TTPVHCC đã tiếp nhận 603 hồ sơ, trong đó 239 hồ sơ trực tuyến, 364 hồ sơ "
        "trực tiếp.\n"
        "Tổ trưởng ghi nhận và đánh giá cao sự chủ động của lãnh đạo, cán bộ xã, đảm bảo chính quyền "
        "mới sau sắp xếp đi vào hoạt động ngay, không gián đoạn; đề nghị xã rà soát lại việc sắp xếp, "
        "bố trí cán bộ theo năng lực, sở trường."
    ),
    "05323": (
        "UBND xã Quyết Thắng được thành lập trên cơ sở sáp nhập 3 xã Định Cư, Chí Đạo và Quyết Thắng. "
        "Từ ngày 1–28/7/2025, TTPVHCC xã đã tiếp trên 3.000 lượt người dân đến giao dịch, trong đó "
        "tiếp nhận 350 hồ sơ, đã giải quyết 350 hồ sơ, đạt 100%. Không có hồ sơ quá hạn.\n"
        "Tổ trưởng đề nghị xã chủ động khắc phục khó khăn, đảm bảo hoạt động thông suốt của TTPVHCC; "
        "tập trung tháo gỡ khó khăn, vướng mắc, giải quyết kịp thời những vấn đề mới phát sinh tại cơ "
        "sở sau sáp nhập; rà soát lại việc sắp xếp, bố trí cán bộ theo năng lực, sở trường."
    ),
}

# "Tại buổi làm việc, các xã đã nêu những khó khăn, vướng mắc ...": the article's words.
FINDINGS = (
    (
        FindingCategory.STAFFING,
        "Về tổ chức bộ máy, số lượng cán bộ, công chức sau sáp nhập nhiều nhưng biên chế chưa bố trí "
        "hợp lý. Một số vị trí kiêm nhiệm nhiều việc, áp lực cao.",
    ),
    (FindingCategory.PREMISES_EQUIPMENT, "Trụ sở làm việc, cơ sở vật chất chưa đáp ứng quy mô mới."),
    (
        FindingCategory.IT_SYSTEMS,
        "Cổng Dịch vụ công quốc gia đôi lúc quá tải, không cho phép đăng nhập, dẫn đến khó khăn trong "
        "việc hướng dẫn công dân nộp hồ sơ giải quyết thủ tục hành chính.",
    ),
    (
        FindingCategory.EID_VNEID,
        "Một số người dân chưa cài đặt VNeID mức độ 1, mức độ 2 gặp nhiều khó khăn trong giao dịch "
        "thủ tục hành chính.",
    ),
    (
        FindingCategory.TRAINING,
        "Một số công chức còn lúng túng do chưa được tập huấn nghiệp vụ chuyên môn.",
    ),
    (
        FindingCategory.SPECIALIST_STAFF,
        "Chưa có cán bộ chuyên ngành công nghệ thông tin phục vụ cho công việc chuyển đổi số.",
    ),
    (FindingCategory.SPECIALIST_STAFF, "Chưa có cán bộ chuyên ngành về y tế."),
)

# "Các xã đề nghị ...": (addressed department's short name, text).
PROPOSALS = (
    (
        "Sở KH&CN",
        "Nâng cấp phần mềm một cửa motcua.phutho.gov.vn và tổ chức tập huấn trực tiếp tại xã cho cán "
        "bộ tiếp nhận và giải quyết thủ tục hành chính.",
    ),
    ("Sở Nội vụ", "Cùng Sở Y tế hướng dẫn việc thành lập Trạm y tế xã."),
    ("Sở Y tế", "Cùng Sở Nội vụ hướng dẫn việc thành lập Trạm y tế xã."),
    ("Sở Tài chính", "Hướng dẫn thực hiện công tác tài chính kế toán xã."),
    (
        "Công an tỉnh",
        "Bố trí thêm máy móc hỗ trợ cài đặt VNeID mức độ 2 tại Công an xã, đảm bảo thuận tiện cho nhân dân.",
    ),
    ("Sở Nội vụ", "Tăng cường tập huấn nghiệp vụ chuyên môn cho các cán bộ công chức xã."),
)

# Departments' replies: (department, status, answer, by whom), given to every commune's proposal.
ANSWERS = (
    (
        "Sở KH&CN",
        ProposalStatus.ANSWERED,
        "Sở KH&CN đã tổ chức tập huấn trực tiếp tại các xã Thượng Cốc, Yên Phú, Quyết Thắng cho cán "
        "bộ tiếp nhận và giải quyết thủ tục hành chính (ngày 12–14/8/2025); việc nâng cấp phần mềm "
        "motcua.phutho.gov.vn đang được triển khai cùng đơn vị cung cấp phần mềm.",
        STI_USER,
    ),
    (
        "Công an tỉnh",
        ProposalStatus.ACCEPTED,
        "Công an tỉnh tiếp thu, bố trí thêm thiết bị hỗ trợ cài đặt VNeID mức độ 2 tại Công an xã.",
        POLICE_USER,
    ),
)


class Note(NamedTuple):
    """A progress note: the day it reports on, by whom, what, and the status it moves to."""

    day: dt.date
    author: str
    text: str
    status: str | None = None


class DirectivePlan(NamedTuple):
    """A directive of the visit: for a department (short name) or a commune (code)."""

    text: str
    due: dt.date | None  # None: the end of the current year (a standing task, not overdue yet)
    department: str | None = None
    commune: str | None = None
    notes: tuple[Note, ...] = ()


def _staff_review(code: str, notes: tuple[Note, ...] = ()) -> DirectivePlan:
    return DirectivePlan(
        "Rà soát lại việc sắp xếp, bố trí cán bộ theo năng lực, sở trường, đảm bảo hiệu quả hoạt động "
        "của bộ máy chính quyền địa phương; báo cáo kết quả về Sở Nội vụ.",
        dt.date(2025, 8, 31),
        commune=code,
        notes=notes,
    )


# The conclusions as tasks. Due dates in 2025 are past now: those not done show as overdue.
DIRECTIVES = (
    DirectivePlan(
        "Tổng hợp kết quả kiểm tra và các đề xuất, kiến nghị của các xã Thượng Cốc, Yên Phú, Quyết "
        "Thắng; thông báo kết luận của Tổ trưởng tới các sở, ngành và các xã, theo dõi, đôn đốc thực "
        "hiện.",
        dt.date(2025, 8, 8),
        department="VP UBND tỉnh",
        notes=(
            Note(
                dt.date(2025, 8, 6),
                INSPECTOR,
                "Văn phòng UBND tỉnh đã ban hành thông báo kết luận của Tổ trưởng Tổ công tác số 10, "
                "gửi các sở, ngành và UBND các xã.",
                DirectiveStatus.DONE,
            ),
        ),
    ),
    DirectivePlan(
        "Tổ chức tập huấn trực tiếp tại xã cho cán bộ tiếp nhận và giải quyết thủ tục hành chính "
        "của các xã Thượng Cốc, Yên Phú, Quyết Thắng.",
        dt.date(2025, 8, 15),
        department="Sở KH&CN",
        notes=(
            Note(
                dt.date(2025, 8, 5),
                STI_USER,
                "Đã thống nhất lịch tập huấn với 3 xã: ngày 12/8 tại Thượng Cốc, 13/8 tại Yên Phú, "
                "14/8 tại Quyết Thắng.",
                DirectiveStatus.IN_PROGRESS,
            ),
            Note(
                dt.date(2025, 8, 14),
                STI_USER,
                "Đã tập huấn trực tiếp tại 3 xã cho cán bộ tiếp nhận và giải quyết thủ tục hành chính "
                "về sử dụng phần mềm motcua.phutho.gov.vn.",
                DirectiveStatus.DONE,
            ),
        ),
    ),
    DirectivePlan(
        "Nâng cấp phần mềm một cửa motcua.phutho.gov.vn theo kiến nghị của các xã; phối hợp với đơn vị "
        "vận hành Cổng Dịch vụ công quốc gia khắc phục tình trạng quá tải, không đăng nhập được.",
        dt.date(2025, 9, 30),
        department="Sở KH&CN",
        notes=(
            Note(
                dt.date(2025, 8, 20),
                STI_USER,
                "Đã làm việc với đơn vị cung cấp phần mềm, thống nhất danh mục chức năng cần nâng cấp; "
                "đang nâng cấp máy chủ.",
                DirectiveStatus.IN_PROGRESS,
            ),
        ),
    ),
    DirectivePlan(
        "Chủ trì, phối hợp với Sở Nội vụ hướng dẫn các xã việc thành lập Trạm y tế xã.",
        dt.date(2025, 8, 31),
        department="Sở Y tế",
    ),
    DirectivePlan(
        "Hướng dẫn các xã thực hiện công tác tài chính kế toán xã.",
        dt.date(2025, 8, 31),
        department="Sở Tài chính",
        notes=(
            Note(
                dt.date(2025, 8, 22),
                INSPECTOR,
                "Sở Tài chính báo cáo đã có văn bản hướng dẫn các xã thực hiện công tác tài chính kế "
                "toán xã.",
                DirectiveStatus.DONE,
            ),
        ),
    ),
    DirectivePlan(
        "Bố trí thêm máy móc hỗ trợ cài đặt VNeID mức độ 2 tại Công an các xã Thượng Cốc, Yên Phú, "
        "Quyết Thắng, đảm bảo thuận tiện cho nhân dân.",
        dt.date(2025, 9, 15),
        department="Công an tỉnh",
        notes=(
            Note(
                dt.date(2025, 9, 10),
                POLICE_USER,
                "Đã bố trí thêm 01 bộ thiết bị hỗ trợ cài đặt VNeID mức độ 2 tại Công an xã Quyết Thắng; "
                "đang bố trí cho Công an xã Thượng Cốc và Yên Phú.",
                DirectiveStatus.IN_PROGRESS,
            ),
        ),
    ),
    DirectivePlan(
        "Tăng cường đào tạo, bồi dưỡng, tập huấn chuyên môn nghiệp vụ cho đội ngũ cán bộ, công chức "
        "cấp xã, chuẩn hóa nguồn nhân lực cấp xã.",
        None,
        department="Sở Nội vụ",
        notes=(
            Note(
                dt.date(2025, 9, 5),
                INSPECTOR,
                "Sở Nội vụ báo cáo đã xây dựng kế hoạch bồi dưỡng cán bộ, công chức cấp xã; đang tổ "
                "chức các lớp theo kế hoạch.",
                DirectiveStatus.IN_PROGRESS,
            ),
        ),
    ),
    _staff_review(
        "05293",
        (
            Note(
                dt.date(2025, 8, 25),
                THUONG_COC_LEADER,
                "UBND xã đã rà soát, phân công lại nhiệm vụ của công chức theo năng lực, sở trường; "
                "giảm kiêm nhiệm tại Trung tâm Phục vụ hành chính công xã.",
                DirectiveStatus.DONE,
            ),
        ),
    ),
    _staff_review(
        "05305",
        (
            Note(
                dt.date(2025, 8, 28),
                INSPECTOR,
                "Xã Yên Phú báo cáo đang rà soát vị trí việc làm của công chức sau sáp nhập.",
                DirectiveStatus.IN_PROGRESS,
            ),
        ),
    ),
    _staff_review("05323"),
)


def ensure_departments(province_code: str) -> int:
    """Create the province's departments named in the article that are missing; return how many."""
    province = Province.objects.get(code=province_code)
    existing = set(Department.objects.filter(province=province).values_list("name", flat=True))
    rows = [
        Department(province=province, name=name, short_name=short)
        for name, short in DEPARTMENTS
        if name not in existing
    ]
    Department.objects.bulk_create(rows)
    return len(rows)


def _ensure_group(province: Province, departments: dict[str, Department], inspector) -> WorkingGroup:
    group = WorkingGroup.objects.filter(province=province, number=GROUP_NUMBER).first()
    if group is not None:
        return group
    return services.create_working_group(
        inspector,
        province,
        GROUP_NUMBER,
        LEADER_NAME,
        leader_title=LEADER_TITLE,
        members=[
            {
                "name": f"Lãnh đạo {departments[short].name}",
                "title": "Thành viên Tổ công tác",
                "department": departments[short],
            }
            for short in MEMBER_DEPARTMENTS
        ],
    )


@transaction.atomic
def seed_demo_inspections(province_code: str, today: dt.date) -> int:
    """Record the seed article's visit with its follow-up unless it is there; return visits created.

    Needs the demo dossiers of the three communes (their July 2025 figures are frozen): without
    them, or before the last note's day, it records nothing, so a later run can.
    """
    province = Province.objects.get(code=province_code)
    last_day = max(note.day for plan in DIRECTIVES for note in plan.notes)
    if today <= last_day or not Dossier.objects.filter(commune__code__in=PERIODS).exists():
        return 0
    ensure_departments(province_code)
    departments = {d.short_name: d for d in Department.objects.filter(province=province)}
    users = {
        user.get_username(): user
        for user in get_user_model().objects.filter(
            username__in=[INSPECTOR, STI_USER, POLICE_USER, THUONG_COC_LEADER]
        )
    }
    inspector = users.get(INSPECTOR)
    group = _ensure_group(province, departments, inspector)
    if Visit.objects.filter(group=group, date=VISIT_DAY).exists():
        return 0

    visit = services.record_visit(
        inspector,
        group,
        VISIT_DAY,
        list(PERIODS),
        participants=PARTICIPANTS,
        conclusion=CONCLUSION,
        periods=PERIODS,
    )
    entries = {entry.commune.code: entry for entry in visit.visited_communes.select_related("commune")}
    for code, entry in entries.items():
        services.update_visited_commune(inspector, entry, conclusion=COMMUNE_CONCLUSIONS[code])
        for category, text in FINDINGS:
            services.add_finding(inspector, entry, category, text)
        for short, text in PROPOSALS:
            services.add_proposal(inspector, entry, text, departments[short])
    for short, status, answer, author in ANSWERS:
        addressed = Proposal.objects.filter(visited_commune__visit=visit, department=departments[short])
        for proposal in addressed.order_by("pk"):
            services.answer_proposal(users.get(author), proposal, status, answer)

    for plan in DIRECTIVES:
        directive = services.create_directive(
            inspector,
            visit,
            plan.text,
            plan.due or dt.date(today.year, 12, 31),
            department=departments[plan.department] if plan.department else None,
            commune=entries[plan.commune].commune if plan.commune else None,
            visited_commune=entries.get(plan.commune),
        )
        for note in plan.notes:
            services.add_progress(users.get(note.author), directive, note.text, note.status, note.day)
    return 1
