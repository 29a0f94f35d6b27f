"""The procedure catalogue file, its loader and `manage.py load_procedures`."""

import csv
import io
import re
import subprocess
import sys
import unicodedata
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from dossiers.catalogue import (
    BUNDLED_PROCEDURES,
    COLUMNS,
    CatalogueFileError,
    Counts,
    load_procedures,
    read_procedures,
)
from dossiers.models import Procedure
from tests.factories import ProcedureFactory

ROOT = Path(__file__).resolve().parents[2]
HEADER = ",".join(COLUMNS)
GOOD_ROW = "1.001193,Thủ tục đăng ký khai sinh,Hộ tịch,0,,Miễn lệ phí,full,test"


def write(tmp_path, *lines, name="procedures.csv", encoding="utf-8"):
    path = tmp_path / name
    path.write_bytes(("\n".join(lines) + "\n").encode(encoding))
    return path


def bundled_rows():
    with BUNDLED_PROCEDURES.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


# --- The bundled file ----------------------------------------------------------------------------


def test_bundled_file_has_at_least_30_real_procedures_with_sources():
    rows = bundled_rows()
    assert len(rows) >= 30
    assert tuple(rows[0]) == COLUMNS
    codes = [row["code"] for row in rows]
    assert len(set(codes)) == len(codes)
    assert all(re.fullmatch(r"[0-9]\.[0-9]{6}", code) for code in codes)
    assert all(row["source"].strip() for row in rows), "every row names where it was confirmed"
    # Birth registration, as DOMAIN.md names it, is the same-day procedure 1.001193.
    birth = next(row for row in rows if row["code"] == "1.001193")
    assert birth["processing_days"] == "0"
    assert "khai sinh" in birth["name"]


def test_bundled_file_covers_the_commune_fields():
    fields = {row["field"] for row in bundled_rows()}
    assert {"Hộ tịch", "Chứng thực", "Đất đai", "Bảo trợ xã hội", "Người có công"} <= fields


def test_bundled_file_excludes_police_procedures():
    # Residence registration (đăng ký thường trú 1.004222, tạm trú 1.004194) belongs to the police.
    codes = {row["code"] for row in bundled_rows()}
    assert not codes & {"1.004222", "1.004194", "1.003677", "1.010038"}


def test_bundled_file_loads_every_row(db):
    counts = load_procedures()
    rows = bundled_rows()
    assert counts == Counts(created=len(rows), updated=0, unchanged=0)
    assert Procedure.objects.count() == len(rows)
    birth = Procedure.objects.get(code="1.001193")
    assert (birth.field, birth.processing_days, birth.fee, birth.online_level) == ("Hộ tịch", 0, None, "full")
    copy = Procedure.objects.get(code="2.000815")
    assert copy.fee == Decimal("2000")
    assert copy.fee_note.startswith("2.000 đồng/trang")
    assert Procedure.objects.search("khai sinh").filter(code="1.001193").exists()


def test_loading_twice_changes_nothing(db):
    first = load_procedures()
    before = list(Procedure.objects.order_by("code").values())
    second = load_procedures()
    assert second == Counts(created=0, updated=0, unchanged=first.total)
    assert list(Procedure.objects.order_by("code").values()) == before


def test_reload_updates_changed_rows_and_keeps_the_rest(db, tmp_path):
    ProcedureFactory(code="1.001193", name="Tên cũ", field="Hộ tịch", processing_days=3, online_level="info")
    admin_addition = ProcedureFactory(code="9.999999", name="Thủ tục riêng của tỉnh")
    retired = ProcedureFactory(
        code="1.000894", name="Thủ tục đăng ký kết hôn", field="Hộ tịch", processing_days=0
    )
    retired.is_active = False
    retired.save()
    path = write(
        tmp_path,
        HEADER,
        GOOD_ROW,
        "1.000894,Thủ tục đăng ký kết hôn,Hộ tịch,0,,,full,test",
        "2.000815,Chứng thực bản sao từ bản chính,Chứng thực,0,2000,2.000 đồng/trang,partial,test",
    )

    counts = load_procedures(path)

    # 1.000894 matches the file (the is_active switch is not part of it): unchanged.
    assert counts == Counts(created=1, updated=1, unchanged=1)
    birth = Procedure.objects.get(code="1.001193")
    assert (birth.name, birth.processing_days, birth.fee_note) == (
        "Thủ tục đăng ký khai sinh",
        0,
        "Miễn lệ phí",
    )
    assert birth.search_text == "1.001193 thu tuc dang ky khai sinh ho tich"
    assert Procedure.objects.filter(pk=admin_addition.pk).exists()
    # An administrator's "not in use" survives a reload of the file.
    assert Procedure.objects.get(code="1.000894").is_active is False
    assert Procedure.objects.search("chung thuc").get().code == "2.000815"


def test_utf8_with_byte_order_mark_and_decomposed_text_are_accepted(db, tmp_path):
    decomposed = "1.001193,Thủ tục đăng ký khai sinh,Hộ tịch,0,,,full,test"
    path = write(tmp_path, HEADER, unicodedata.normalize("NFD", decomposed), encoding="utf-8-sig")
    load_procedures(path)
    assert Procedure.objects.get().name == "Thủ tục đăng ký khai sinh"


# --- Bad files -----------------------------------------------------------------------------------


def test_bad_file_loads_nothing_and_names_every_bad_line(db, tmp_path):
    path = write(
        tmp_path,
        HEADER,
        GOOD_ROW,  # line 2: fine
        "1001193,Tên,Hộ tịch,0,,,full,x",  # 3: code format
        "1.000656,,Hộ tịch,0,,,full,x",  # 4: no name
        "1.000657,Tên,,0,,,full,x",  # 5: no field
        "1.000658,Tên,Hộ tịch,ba,,,full,x",  # 6: days not a number
        "1.000659,Tên,Hộ tịch,366,,,full,x",  # 7: days out of range
        "1.000660,Tên,Hộ tịch,-1,,,full,x",  # 8: negative days
        "1.000661,Tên,Hộ tịch,1,-5,,full,x",  # 9: negative fee
        "1.000662,Tên,Hộ tịch,1,8.000,,full,x",  # 10: fee with a separator
        "1.000663,Tên,Hộ tịch,1,,,toan-trinh,x",  # 11: unknown online level
        "1.001193,Trùng,Hộ tịch,0,,,full,x",  # 12: duplicate of line 2
        "1.000664,Tên,Hộ tịch",  # 13: too few values
        "",
        "1.000665,Tên,Hộ tịch,2,,,partial,x",  # 15: fine (after a blank line)
    )

    with pytest.raises(CatalogueFileError) as caught:
        load_procedures(path)

    by_line = {}
    for problem in caught.value.problems:
        assert problem.file == "procedures.csv"
        by_line.setdefault(problem.line, []).append(problem.message)
    assert sorted(by_line) == [3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13]
    assert "Mã thủ tục “1001193” không hợp lệ" in by_line[3][0]
    assert "name" in by_line[4][0]
    assert "field" in by_line[5][0]
    assert all("Thời hạn giải quyết" in by_line[line][0] for line in (6, 7, 8))
    assert all("Phí, lệ phí" in by_line[line][0] for line in (9, 10))
    assert "Mức độ trực tuyến “toan-trinh”" in by_line[11][0]
    assert "trùng với dòng 2" in by_line[12][0]
    assert "3 giá trị" in by_line[13][0]
    assert Procedure.objects.count() == 0


def test_a_row_with_several_problems_reports_each(tmp_path):
    path = write(tmp_path, HEADER, "x,,,abc,-1,,maybe,")
    with pytest.raises(CatalogueFileError) as caught:
        read_procedures(path)
    assert [p.line for p in caught.value.problems] == [2] * 6


@pytest.mark.parametrize(
    ("lines", "expected"),
    [
        (["code,name,field,processing_days,fee,online_level", GOOD_ROW], "Thiếu cột: fee_note."),
        ([HEADER + ",extra", GOOD_ROW + ",x"], "Cột thừa hoặc lặp lại: extra."),
        ([HEADER], "Tệp không có thủ tục nào."),
        ([""], "Tệp rỗng: thiếu dòng tiêu đề."),
    ],
)
def test_broken_files_are_refused_whole(tmp_path, lines, expected):
    with pytest.raises(CatalogueFileError) as caught:
        read_procedures(write(tmp_path, *lines))
    assert [p.message for p in caught.value.problems] == [expected]


def test_missing_and_non_utf8_files_are_refused(tmp_path):
    with pytest.raises(CatalogueFileError, match="Không tìm thấy tệp"):
        read_procedures(tmp_path / "khong-co.csv")
    # A spreadsheet's legacy "CSV" export: Windows-1252 bytes, not UTF-8, from line 2 on.
    path = write(tmp_path, HEADER, "1.001193,Đăng ký khai sinh,Hộ tịch,0,,,full,x")
    path.write_bytes(path.read_bytes().replace("Đăng".encode(), b"\xd0\xe3ng"))
    with pytest.raises(CatalogueFileError, match="UTF-8") as caught:
        read_procedures(path)
    assert caught.value.problems[0].line == 2


# --- The management command ----------------------------------------------------------------------


def test_command_loads_the_bundled_file_and_reports_in_vietnamese(db):
    out = io.StringIO()
    call_command("load_procedures", stdout=out)
    assert f"{len(bundled_rows())} thêm mới, 0 cập nhật, 0 không đổi" in out.getvalue()

    out = io.StringIO()
    call_command("load_procedures", str(BUNDLED_PROCEDURES), stdout=out)
    assert "0 thêm mới, 0 cập nhật" in out.getvalue()
    assert "không có gì thay đổi" in out.getvalue()


def test_command_writes_each_problem_to_stderr_and_fails(db, tmp_path):
    path = write(tmp_path, HEADER, "1.0,Tên,Hộ tịch,0,,,full,x", "1.000656,Tên,Hộ tịch,0,,,sometimes,x")
    err = io.StringIO()
    with pytest.raises(CommandError, match="có 2 lỗi; chưa lưu gì"):
        call_command("load_procedures", str(path), stdout=io.StringIO(), stderr=err)
    lines = err.getvalue().splitlines()
    assert lines[0].startswith("procedures.csv:2: Mã thủ tục “1.0”")
    assert lines[1].startswith("procedures.csv:3: Mức độ trực tuyến")
    assert Procedure.objects.count() == 0


def test_command_exit_status_is_non_zero_for_a_bad_file(tmp_path):
    # A real process: the exit status is what a shell script or CI sees. The file is refused
    # before any database access, so no database is needed.
    path = write(tmp_path, HEADER, "1.001193,Tên,Hộ tịch,mười,,,full,x")
    result = subprocess.run(
        [sys.executable, "manage.py", "load_procedures", str(path)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 1
    assert "procedures.csv:2: Thời hạn giải quyết “mười” không hợp lệ" in result.stderr
    assert "chưa lưu gì" in result.stderr
