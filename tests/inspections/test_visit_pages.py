"""The visit pages: the list, recording a visit in one form, and the visit page that is the report.

Every refusal shows the service's message on the form that was sent, and nothing is saved.
"""

import datetime as dt
import re

import pytest
from django.contrib.staticfiles import finders

from inspections.models import Directive, Finding, Proposal, Visit, VisitedCommune
from inspections.services import record_visit

from . import pages_data
from .pages_data import THUONG_COC_FIGURES, figure_cells, page_text

# Fixtures shared by the page tests (tests/inspections/pages_data.py).
world = pages_data.world
thuong_coc_july = pages_data.thuong_coc_july
other_clerk = pages_data.other_clerk

CREATE = "/kiem-tra/ghi-nhan/"


def visit_url(visit):
    return f"/kiem-tra/{visit.pk}/"


def as_user(client, user):
    client.force_login(user)
    return client


# --- who opens what ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("role", "expected"),
    [
        ("clerk", 200),
        ("leader", 200),
        ("inspector", 200),
        ("department_user", 200),
        ("admin_user", 200),
        ("no_role_user", 403),
    ],
)
def test_the_visit_list_opens_for_every_staff_role(client, world, request, role, expected):
    response = as_user(client, request.getfixturevalue(role)).get("/kiem-tra/")
    assert response.status_code == expected


def test_the_list_holds_only_visits_in_scope(client, world, inspector, far_inspector, neighbour_clerk):
    content = page_text(as_user(client, inspector).get("/kiem-tra/"))
    assert f'data-visit="{world.visit.pk}"' in content
    assert f'data-visit="{world.far_visit.pk}"' not in content
    assert "Ghi nhận buổi kiểm tra" in content
    assert "Xã Thượng Cốc" in content and "Xã Yên Phú" in content

    content = page_text(as_user(client, neighbour_clerk).get("/kiem-tra/"))
    assert f'data-visit="{world.visit.pk}"' in content
    assert "Xã Yên Phú" in content
    assert "Xã Thượng Cốc" not in content  # another commune of the same visit stays out of sight
    assert "Ghi nhận buổi kiểm tra" not in content

    content = page_text(as_user(client, far_inspector).get("/kiem-tra/"))
    assert f'data-visit="{world.visit.pk}"' not in content
    assert f'data-visit="{world.far_visit.pk}"' in content


def test_anonymous_is_sent_to_log_in(client, world):
    for url in ("/kiem-tra/", CREATE, visit_url(world.visit)):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"] == f"/dang-nhap/?next={url}"


@pytest.mark.parametrize(
    ("role", "expected"),
    [
        ("clerk", 403),
        ("leader", 403),
        ("department_user", 403),
        ("inspector", 200),
        ("admin_user", 200),
    ],
)
def test_only_inspectors_and_admins_record_visits(client, request, working_group, department, role, expected):
    response = as_user(client, request.getfixturevalue(role)).get(CREATE)
    assert response.status_code == expected


@pytest.mark.parametrize(
    ("role", "expected"),
    [
        ("clerk", 200),
        ("leader", 200),
        ("neighbour_clerk", 200),
        ("other_clerk", 404),
        ("inspector", 200),
        ("far_inspector", 404),
        ("department_user", 200),
        ("health_user", 200),
        ("admin_user", 200),
    ],
)
def test_the_visit_page_opens_in_scope_only(client, world, request, role, expected):
    response = as_user(client, request.getfixturevalue(role)).get(visit_url(world.visit))
    assert response.status_code == expected


@pytest.mark.parametrize(
    ("role", "expected"),
    [
        ("clerk", 404),
        ("inspector", 404),
        ("department_user", 404),
        ("far_inspector", 200),
        ("admin_user", 200),
    ],
)
def test_another_provinces_visit_is_a_404(client, world, request, role, expected):
    response = as_user(client, request.getfixturevalue(role)).get(visit_url(world.far_visit))
    assert response.status_code == expected


# --- recording a visit -----------------------------------------------------------------------------


def test_the_form_offers_the_provinces_groups_and_communes(
    client, inspector, working_group, far_group, commune, far_commune
):
    content = page_text(as_user(client, inspector).get(CREATE))
    assert (
        f'<option value="{working_group.pk}" data-province="{working_group.province_id}" selected>' in content
    )
    assert f'value="{far_group.pk}"' not in content
    assert "Xã Thượng Cốc (05293)" in content
    # Văn Sơn ended at the merger: listed with its end, for visits recorded after the fact.
    assert 'Xã Văn Sơn (05284) <span class="ended">– đến 30/06/2025</span>' in content
    assert "Ba Đình" not in content
    assert 'data-from="2025-07-01"' in content
    assert '<input type="date" name="date" value="2025-08-05"' in content
    assert "/static/js/inspections.js" in content


def test_an_inspector_records_a_visit_and_sees_the_frozen_figures(
    client, inspector, working_group, commune, neighbour_commune, thuong_coc_july
):
    response = as_user(client, inspector).post(
        CREATE,
        {
            "group": working_group.pk,
            "date": "2025-07-29",
            "communes": ["05293", "05305"],
            "participants": "Tổ công tác số 10; lãnh đạo Sở KH&CN",
        },
    )
    visit = Visit.objects.get()
    assert response.status_code == 302
    assert response["Location"] == visit_url(visit)
    assert (visit.group, visit.date, visit.created_by) == (working_group, dt.date(2025, 7, 29), inspector)
    assert sorted(visit.visited_communes.values_list("commune__code", flat=True)) == ["05293", "05305"]

    response = client.get(visit_url(visit))
    content = page_text(response)
    assert "Đã ghi nhận buổi kiểm tra ngày 29/07/2025; số liệu của các xã đã được chốt." in content
    assert '<h1 id="report-title">Báo cáo kết quả kiểm tra</h1>' in content
    assert "Tổ công tác số 10, ngày 29/07/2025" in content
    assert "Số liệu từ ngày 01/07/2025 đến ngày 28/07/2025" in content
    assert figure_cells(content, "05293") == THUONG_COC_FIGURES
    assert figure_cells(content, "05305")["received_total"] == "0"
    assert figure_cells(content, "05305")["online_rate"] == "–"  # no receipt, no rate
    assert "Tổ công tác số 10; lãnh đạo Sở KH&amp;CN" in response.content.decode()


def test_a_period_chosen_on_the_form_applies_to_every_commune(
    client, inspector, working_group, commune, thuong_coc_july
):
    as_user(client, inspector).post(
        CREATE,
        {
            "group": working_group.pk,
            "date": "2025-07-29",
            "communes": ["05293"],
            "period_from": "2025-07-08",
            "period_to": "2025-07-14",
        },
    )
    entry = VisitedCommune.objects.get()
    assert (entry.period_from, entry.period_to) == (dt.date(2025, 7, 8), dt.date(2025, 7, 14))
    assert entry.snapshot["received_total"] == 21


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"communes": []}, "communes", "Buổi kiểm tra cần ít nhất một xã."),
        (
            {"date": "2025-06-30"},
            "communes",
            "Xã Thượng Cốc (mã 05293) chỉ có hiệu lực từ ngày 01/07/2025: không tồn tại vào ngày 30/06/2025.",
        ),
        (
            {"communes": ["05284"]},
            "communes",
            "Xã Văn Sơn (mã 05284) đã kết thúc hoạt động ngày 30/06/2025 (đã sắp xếp, sáp nhập): "
            "không tồn tại vào ngày 29/07/2025.",
        ),
        (
            {"communes": ["00004"]},
            "communes",
            "Phường Ba Đình (mã 00004) không thuộc Tỉnh Phú Thọ, địa bàn của Tổ công tác số 10.",
        ),
        ({"communes": ["99999"]}, "communes", "Không có đơn vị cấp xã mã «99999»."),
        (
            {"date": "2025-08-06"},
            "date",
            "Ngày kiểm tra 06/08/2025 ở tương lai: chỉ ghi nhận buổi kiểm tra đã diễn ra.",
        ),
        ({"date": "31/02/2025"}, "date", "Ngày kiểm tra không hợp lệ: nhập theo dạng dd/mm/yyyy."),
        ({"date": ""}, "date", "Cần nhập ngày kiểm tra."),
        ({"group": ""}, "group", "Cần chọn tổ công tác."),
        (
            {"period_from": "2025-07-01", "period_to": "2025-07-29"},
            "period_to",
            "Kỳ số liệu của Xã Thượng Cốc phải kết thúc trước ngày kiểm tra 29/07/2025 "
            "(đang chọn đến ngày 29/07/2025).",
        ),
        (
            {"period_from": "2025-07-20", "period_to": "2025-07-10"},
            "period_from",
            "Kỳ số liệu của Xã Thượng Cốc không hợp lệ: ngày bắt đầu 20/07/2025 "
            "sau ngày kết thúc 10/07/2025.",
        ),
        (
            {"period_from": "2025-07-01"},
            "period_to",
            "Nhập cả ngày bắt đầu và ngày kết thúc kỳ số liệu, hoặc để trống cả hai để dùng kỳ mặc định.",
        ),
    ],
)
def test_bad_input_shows_the_reason_and_saves_nothing(
    client, inspector, working_group, commune, far_commune, thuong_coc_july, data, field, message
):
    posted = {"group": working_group.pk, "date": "2025-07-29", "communes": ["05293"], **data}
    response = as_user(client, inspector).post(CREATE, posted)
    content = page_text(response)
    assert response.status_code == 400
    assert 'role="alert" id="form-errors"' in content
    assert f'data-field="{field}"' in content
    assert message in content
    assert not Visit.objects.exists()
    assert not VisitedCommune.objects.exists()


def test_another_provinces_group_is_refused(client, inspector, far_group, commune):
    response = as_user(client, inspector).post(
        CREATE, {"group": far_group.pk, "date": "2025-07-29", "communes": ["05293"]}
    )
    assert response.status_code == 400
    assert "Tổ công tác đã chọn không có hoặc không thuộc phạm vi của bạn." in page_text(response)
    assert not Visit.objects.exists()


def test_a_refused_form_keeps_what_was_typed(
    client, inspector, working_group, commune, neighbour_commune, quyet_thang
):
    response = as_user(client, inspector).post(
        CREATE,
        {
            "group": working_group.pk,
            "date": "2025-08-06",
            "communes": ["05293", "05305", "05323"],
            "participants": "Đoàn",
        },
    )
    content = page_text(response)
    assert content.count('name="communes" value="05293" checked') == 1
    assert 'name="communes" value="05305" checked' in content
    # 05323 was Chí Đạo until 30/6/2025, then Quyết Thắng: only the one of the chosen day is ticked.
    assert content.count('name="communes" value="05323"') == 2
    assert content.count('name="communes" value="05323" checked') == 1
    ticked = re.search(r'value="05323" checked>\s*<span>([^<(]+)\(', content).group(1).strip()
    assert ticked == "Xã Quyết Thắng"
    assert "Đoàn</textarea>" in content
    assert 'value="2025-08-06"' in content


# --- the visit page as the report ---------------------------------------------------------------


def test_the_report_reads_in_order(client, world, inspector):
    content = page_text(as_user(client, inspector).get(visit_url(world.visit)))
    order = [
        "Báo cáo kết quả kiểm tra",
        "Thông tin chung",
        "Tổ trưởng",
        "Nguyễn Văn Tổ, Tỉnh uỷ viên, Phó Chủ tịch UBND tỉnh",
        "Trần Văn Sở, Phó Giám đốc – Sở Khoa học và Công nghệ",
        "Tổ công tác số 10; Đảng ủy, UBND xã",
        "Kết quả kiểm tra tại Xã Thượng Cốc",
        "Số liệu tiếp nhận, giải quyết hồ sơ",
        "Khó khăn, vướng mắc",
        "Nhân sự",
        "Thiếu 02 công chức tại bộ phận một cửa.",
        "Hệ thống thông tin, cổng dịch vụ công",
        "Cổng dịch vụ công quá tải, không đăng nhập được.",
        "Kết luận tại xã",
        "Xã cần bố trí thêm công chức một cửa.",
        "Kết quả kiểm tra tại Xã Yên Phú",
        "Định danh điện tử VNeID",
        "Kiến nghị, đề xuất theo sở, ngành",
        "Sở Khoa học và Công nghệ",
        "Nâng cấp phần mềm một cửa và tập huấn tại xã.",
        "Sở Y tế",
        "Hướng dẫn về trạm y tế xã.",
        "Kết luận chung",
        "Các trung tâm vận hành ổn định, cần khắc phục hạ tầng.",
        "Nhiệm vụ được giao",
        "Rà soát quy trình tiếp nhận.",  # by due date: 31/7, 1/8, 4/8, 20/8, 31/8
        "Nâng cấp phần mềm một cửa cho các xã.",
        "Bố trí thêm 01 máy tính tại bộ phận một cửa.",
        "Tuyên truyền đăng ký VNeID mức 2.",
        "Hướng dẫn tổ chức trạm y tế xã.",
    ]
    position = content.find('id="report-title"')
    for text in order:
        found = content.find(text, position)
        assert found != -1, f"{text!r} missing or out of order"
        position = found + len(text)
    assert figure_cells(content, "05293") == THUONG_COC_FIGURES
    assert "Chờ xử lý" in content
    assert content.count('<span class="badge overdue">Quá hạn</span>') == 2
    assert "Đã hoàn thành" in content


def test_the_report_prints_without_navigation_buttons_or_forms(client, world, inspector):
    content = page_text(as_user(client, inspector).get(visit_url(world.visit)))
    assert '<link rel="stylesheet" href="/static/css/inspections.css">' in content
    assert '<button type="button" class="btn" data-print hidden>In báo cáo</button>' in content
    assert '<table class="report-letterhead" role="presentation">' in content
    assert "UBND TỈNH PHÚ THỌ" in content and "TỔ CÔNG TÁC SỐ 10" in content
    # Every form of the page sits in a part the print style hides.
    assert content.count('<form method="post"') == content.count('class="add-form no-print"') == 8
    with open(finders.find("css/inspections.css"), encoding="utf-8") as handle:
        css = handle.read()
    print_rules = css[css.index("@media print") :]
    hidden = re.search(r"@media print \{\s*([^{]+)\{ display: none !important; \}", print_rules).group(1)
    for selector in (
        ".site-header",
        ".no-print",
        "details.add-form",
        "form",
        "button",
        ".btn",
        ".breadcrumb",
    ):
        assert selector in hidden.replace(",", " ").split(), selector
    assert ".report-letterhead, .print-only { display: table" in print_rules
    with open(finders.find("js/inspections.js"), encoding="utf-8") as handle:
        script = handle.read()
    assert "window.print()" in script


def test_a_clerk_reads_only_its_own_communes_part(client, world, clerk):
    content = page_text(as_user(client, clerk).get(visit_url(world.visit)))
    assert 'data-commune="05293"' in content
    assert 'data-commune="05305"' not in content
    assert "Nhiều người dân chưa có tài khoản VNeID mức 2." not in content
    assert "Hướng dẫn về trạm y tế xã." not in content  # Yên Phú's proposal
    assert "Bố trí thêm 01 máy tính tại bộ phận một cửa." in content  # its own directive
    assert "Nâng cấp phần mềm một cửa cho các xã." not in content  # a department's
    assert "Thêm khó khăn, vướng mắc" not in content
    assert '<form method="post" action="/kiem-tra/' not in content


def test_a_department_reads_its_own_proposals_and_directives(client, world, department_user):
    content = page_text(as_user(client, department_user).get(visit_url(world.visit)))
    assert 'data-commune="05293"' in content and 'data-commune="05305"' in content
    assert "Nâng cấp phần mềm một cửa và tập huấn tại xã." in content
    assert "Hướng dẫn về trạm y tế xã." not in content
    assert "Nâng cấp phần mềm một cửa cho các xã." in content
    assert "Hướng dẫn tổ chức trạm y tế xã." not in content
    assert "Bố trí thêm 01 máy tính" not in content
    assert "Giao nhiệm vụ</summary>" not in content


def test_an_inspector_gets_the_forms_and_the_commune_links(client, world, inspector):
    content = page_text(as_user(client, inspector).get(visit_url(world.visit)))
    for summary in (
        "Thêm khó khăn, vướng mắc",
        "Thêm kiến nghị, đề xuất",
        "Sửa kết luận, kỳ số liệu",
        "Sửa thành phần, kết luận chung",
        "Giao nhiệm vụ",
    ):
        assert f">{summary}</summary>" in content
    assert 'href="/kiem-tra/xa/05293/"' in content
    # The department list is the province's only.
    assert '<optgroup label="Sở, ngành">' in content
    assert content.count('value="d:') == 2


# --- adding to a visit ------------------------------------------------------------------------------


def test_adding_a_finding_a_proposal_and_a_directive(client, world, inspector, department, commune):
    entry = world.yen_phu
    as_user(client, inspector)
    response = client.post(
        f"/kiem-tra/xa-duoc-kiem-tra/{entry.pk}/kho-khan/",
        {f"f{entry.pk}-category": "training", f"f{entry.pk}-text": "  Cán bộ chưa được tập huấn.  "},
    )
    assert response.status_code == 302
    assert response["Location"] == f"{visit_url(world.visit)}#xa-{entry.pk}"
    assert (
        Finding.objects.get(visited_commune=entry, category="training").text == "Cán bộ chưa được tập huấn."
    )

    client.post(
        f"/kiem-tra/xa-duoc-kiem-tra/{entry.pk}/kien-nghi/",
        {f"p{entry.pk}-text": "Bổ sung máy đăng ký VNeID.", f"p{entry.pk}-department": department.pk},
    )
    assert Proposal.objects.filter(visited_commune=entry, department=department).count() == 1

    response = client.post(
        f"/kiem-tra/{world.visit.pk}/giao-nhiem-vu/",
        {
            "directive-text": "Cử cán bộ hỗ trợ xã.",
            "directive-assignee": f"d:{department.pk}",
            "directive-due_date": "2025-09-15",
            "directive-visited_commune": entry.pk,
        },
    )
    assert response["Location"] == f"{visit_url(world.visit)}#nhiem-vu"
    directive = Directive.objects.get(text="Cử cán bộ hỗ trợ xã.")
    assert (directive.department, directive.visited_commune, directive.created_by) == (
        department,
        entry,
        inspector,
    )

    client.post(
        f"/kiem-tra/{world.visit.pk}/giao-nhiem-vu/",
        {
            "directive-text": "Sắp xếp phòng một cửa.",
            "directive-assignee": "c:05293",
            "directive-due_date": "2025-09-01",
        },
    )
    assert Directive.objects.get(text="Sắp xếp phòng một cửa.").commune == commune

    content = page_text(client.get(visit_url(world.visit)))
    assert "Tập huấn, bồi dưỡng" in content and "Cán bộ chưa được tập huấn." in content
    assert "Bổ sung máy đăng ký VNeID." in content
    assert "Cử cán bộ hỗ trợ xã." in content and "15/09/2025" in content
    assert "Đã giao nhiệm vụ." in content


def test_conclusions_and_a_new_period_refreeze_the_figures(client, world, inspector):
    entry = world.thuong_coc
    as_user(client, inspector)
    response = client.post(
        f"/kiem-tra/xa-duoc-kiem-tra/{entry.pk}/",
        {
            f"vc{entry.pk}-conclusion": "Kết luận mới.",
            f"vc{entry.pk}-period_from": "2025-07-01",
            f"vc{entry.pk}-period_to": "2025-07-07",
        },
    )
    assert response.status_code == 302
    entry.refresh_from_db()
    assert entry.conclusion == "Kết luận mới."
    assert (entry.snapshot["received_total"], entry.snapshot["resolved_late"]) == (21, 7)

    client.post(
        f"/kiem-tra/{world.visit.pk}/thanh-phan-ket-luan/",
        {"visit-participants": "Đoàn công tác", "visit-conclusion": "Kết luận chung mới."},
    )
    world.visit.refresh_from_db()
    assert (world.visit.participants, world.visit.conclusion) == ("Đoàn công tác", "Kết luận chung mới.")
    content = page_text(client.get(visit_url(world.visit)))
    assert "Số liệu từ ngày 01/07/2025 đến ngày 07/07/2025" in content
    assert "Kết luận chung mới." in content


@pytest.mark.parametrize(
    ("path", "data", "field", "message"),
    [
        (
            "finding",
            {"category": "staffing", "text": "   "},
            "text",
            "Cần nhập nội dung khó khăn, vướng mắc.",
        ),
        ("finding", {"category": "", "text": "Thiếu máy"}, "category", "Cần chọn nhóm khó khăn, vướng mắc."),
        (
            "finding",
            {"category": "weather", "text": "Mưa"},
            "category",
            "Nhóm khó khăn, vướng mắc không hợp lệ.",
        ),
        ("proposal", {"text": "", "department": "DEPT"}, "text", "Cần nhập nội dung kiến nghị, đề xuất."),
        (
            "proposal",
            {"text": "Hỗ trợ", "department": ""},
            "department",
            "Cần chọn sở, ngành nhận kiến nghị.",
        ),
        (
            "proposal",
            {"text": "Hỗ trợ", "department": "FAR"},
            "department",
            "Sở, ngành đã chọn không thuộc tỉnh của tổ công tác.",
        ),
        (
            "commune",
            {"conclusion": "x", "period_from": "2025-07-01", "period_to": "2025-07-29"},
            "period_to",
            "Kỳ số liệu của Xã Thượng Cốc phải kết thúc trước ngày kiểm tra 29/07/2025 "
            "(đang chọn đến ngày 29/07/2025).",
        ),
    ],
)
def test_bad_input_on_a_commune_part_is_shown_there(
    client, world, inspector, department, far_department, path, data, field, message
):
    entry = world.thuong_coc
    prefix, url = {
        "finding": (f"f{entry.pk}", f"/kiem-tra/xa-duoc-kiem-tra/{entry.pk}/kho-khan/"),
        "proposal": (f"p{entry.pk}", f"/kiem-tra/xa-duoc-kiem-tra/{entry.pk}/kien-nghi/"),
        "commune": (f"vc{entry.pk}", f"/kiem-tra/xa-duoc-kiem-tra/{entry.pk}/"),
    }[path]
    ids = {"DEPT": str(department.pk), "FAR": str(far_department.pk)}
    posted = {f"{prefix}-{name}": ids.get(value, value) for name, value in data.items()}
    counts = (Finding.objects.count(), Proposal.objects.count())
    entry.refresh_from_db()
    snapshot = (entry.snapshot, entry.conclusion)

    response = as_user(client, inspector).post(url, posted)
    content = page_text(response)
    assert response.status_code == 400
    assert message in content
    assert f'data-field="{field}"' in content
    assert "Chưa lưu được: vui lòng xem thông báo tại biểu mẫu đang mở bên dưới." in content
    opened = {"finding": "kho-khan", "proposal": "kien-nghi", "commune": "ket-luan"}[path]
    assert f'id="xa-{entry.pk}-{opened}" open>' in content
    assert (Finding.objects.count(), Proposal.objects.count()) == counts
    entry.refresh_from_db()
    assert (entry.snapshot, entry.conclusion) == snapshot


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"text": ""}, "text", "Cần nhập nội dung nhiệm vụ."),
        ({"assignee": ""}, "assignee", "Nhiệm vụ giao cho đúng một đơn vị: chọn một sở, ngành hoặc một xã."),
        ({"assignee": "c:00004"}, "assignee", "Đơn vị thực hiện đã chọn không hợp lệ."),
        (
            {"due_date": "2025-07-28"},
            "due_date",
            "Hạn hoàn thành 28/07/2025 trước ngày kiểm tra 29/07/2025: hạn phải từ ngày kiểm tra trở đi.",
        ),
        ({"due_date": ""}, "due_date", "Cần nhập hạn hoàn thành."),
        ({"due_date": "hôm qua"}, "due_date", "Hạn hoàn thành không hợp lệ: nhập theo dạng dd/mm/yyyy."),
    ],
)
def test_bad_directives_are_refused_with_the_reason(
    client, world, inspector, department, data, field, message
):
    posted = {"text": "Hỗ trợ xã", "assignee": f"d:{department.pk}", "due_date": "2025-09-01", **data}
    count = Directive.objects.count()
    response = as_user(client, inspector).post(
        f"/kiem-tra/{world.visit.pk}/giao-nhiem-vu/", {f"directive-{k}": v for k, v in posted.items()}
    )
    content = page_text(response)
    assert response.status_code == 400
    assert message in content
    assert f'data-field="{field}"' in content
    assert 'id="giao-nhiem-vu" open>' in content
    assert Directive.objects.count() == count


@pytest.mark.parametrize(
    ("role", "expected"),
    [
        ("clerk", 403),
        ("department_user", 403),
        ("far_inspector", 404),
        ("inspector", 302),
        ("admin_user", 302),
    ],
)
def test_only_the_provinces_inspectors_add_to_a_visit(client, world, request, role, expected):
    entry = world.thuong_coc
    response = as_user(client, request.getfixturevalue(role)).post(
        f"/kiem-tra/xa-duoc-kiem-tra/{entry.pk}/kho-khan/",
        {f"f{entry.pk}-category": "other", f"f{entry.pk}-text": "Ghi chú"},
    )
    assert response.status_code == expected
    assert Finding.objects.filter(text="Ghi chú").exists() == (expected == 302)


def test_the_pages_cost_a_fixed_number_of_queries(
    client, world, inspector, working_group, commune, neighbour_commune, django_assert_max_num_queries
):
    for day in range(1, 5):
        record_visit(inspector, working_group, dt.date(2025, 7, day), [commune, neighbour_commune])
    as_user(client, inspector)
    with django_assert_max_num_queries(13):
        response = client.get("/kiem-tra/")
    assert len(response.context["visits"]) == 5
    with django_assert_max_num_queries(14):
        response = client.get(visit_url(world.visit))
    assert response.status_code == 200
