"""Loading provinces, commune-level units and mergers from the CSV files (`manage.py load_units`)."""

import datetime as dt
import io
import unicodedata

import pytest
from django.core.management import call_command, execute_from_command_line
from django.db import connections

from communes.models import Commune, Merger, Province
from communes.unit_files import UnitFileError, read_unit_files
from communes.unit_loading import (
    BUNDLED_MERGERS,
    BUNDLED_PROVINCES,
    BUNDLED_UNITS,
    DEFAULT_LEGAL_BASIS,
    REFORM_DATE,
    load_units,
)

pytestmark = pytest.mark.django_db
ENDED = dt.date(2025, 6, 30)
UNITS = BUNDLED_UNITS.name
MERGERS = BUNDLED_MERGERS.name


@pytest.fixture
def loaded():
    return load_units()


@pytest.fixture
def files(tmp_path):
    """Editable copies of the bundled files: {"provinces" | "units" | "mergers": path}."""
    paths = {}
    for key, source in (
        ("provinces", BUNDLED_PROVINCES),
        ("units", BUNDLED_UNITS),
        ("mergers", BUNDLED_MERGERS),
    ):
        paths[key] = tmp_path / source.name
        paths[key].write_bytes(source.read_bytes())
    return paths


def append(path, *lines):
    with path.open("a", encoding="utf-8") as f:
        f.writelines(f"{line}\n" for line in lines)


def replace_header(path, header):
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    path.write_text(header + "\n" + "".join(lines[1:]), encoding="utf-8")


def problems_of(files):
    with pytest.raises(UnitFileError) as exc:
        read_unit_files(files["provinces"], files["units"], files["mergers"])
    return [(p.file, p.line, p.message) for p in exc.value.problems]


def dump():
    return [list(model.objects.order_by("pk").values()) for model in (Province, Commune, Merger)]


def table_counts():
    return Province.objects.count(), Commune.objects.count(), Merger.objects.count()


def test_bundled_files_load_every_province_unit_and_merger(loaded):
    assert (loaded.provinces.created, loaded.communes.created, loaded.mergers.created) == (36, 627, 482)
    assert Province.objects.count() == 36
    assert Province.objects.filter(valid_to__isnull=True).count() == 34
    hoa_binh = Province.objects.get(code="17")
    assert (hoa_binh.name, hoa_binh.full_name, hoa_binh.valid_to) == ("Hoà Bình", "Tỉnh Hoà Bình", ENDED)
    assert Province.objects.get(code="26").name == "Vĩnh Phúc"
    assert Province.objects.get(code="25").valid_to is None
    assert Commune.objects.current().filter(province__code="25", valid_from=REFORM_DATE).count() == 148
    assert Commune.objects.filter(valid_from=None, valid_to=ENDED).count() == 479
    assert Merger.objects.count() == 482
    assert set(Merger.objects.values_list("effective_date", "legal_basis")) == {
        (REFORM_DATE, DEFAULT_LEGAL_BASIS)
    }


def test_new_thuong_coc_has_its_three_predecessors(loaded):
    new = Commune.objects.get(code="05293", valid_from=REFORM_DATE)
    assert (new.full_name, new.province.code, new.valid_to) == ("Xã Thượng Cốc", "25", None)
    predecessors = {
        (m.absorbed.code, m.absorbed.name, m.share) for m in new.absorptions.select_related("absorbed")
    }
    assert predecessors == {
        ("05272", "Miền Đồi", "whole"),
        ("05284", "Văn Sơn", "whole"),
        ("05293", "Thượng Cốc", "whole"),
    }
    old = Commune.objects.get(code="05293", valid_from=None)
    assert (old.kind, old.district_name, old.province.code, old.valid_to) == (
        "xa",
        "Huyện Lạc Sơn",
        "17",
        ENDED,
    )


def test_the_same_name_is_not_the_same_code(loaded):
    old_quyet_thang = Commune.objects.get(code="05299")
    successor = old_quyet_thang.successions.get().successor
    assert (successor.code, successor.name, successor.valid_from) == ("05323", "Quyết Thắng", REFORM_DATE)
    assert Commune.objects.get(code="05323", valid_from=None).name == "Chí Đạo"


def test_a_split_unit_has_two_successors(loaded):
    vay_nua = Commune.objects.get(code="04891", valid_from=None)
    assert vay_nua.name == "Vầy Nưa"
    shares = {(m.successor.code, m.share) for m in vay_nua.successions.select_related("successor")}
    assert shares == {("04891", "part"), ("04828", "remainder")}


def test_old_kind_prefixes_are_stripped(loaded):
    ha_hoa = Commune.objects.get(code="08053", valid_from=None)
    assert (ha_hoa.kind, ha_hoa.name, ha_hoa.province.code) == ("thi_tran", "Hạ Hoà", "25")
    assert Commune.objects.get(code="04792", valid_from=None).kind == "phuong"


def test_loading_twice_changes_nothing(loaded, django_assert_max_num_queries):
    before = dump()
    with django_assert_max_num_queries(8):  # a handful of set-based queries, not one per row
        again = load_units()
    assert not again.changed
    assert (again.provinces.unchanged, again.communes.unchanged, again.mergers.unchanged) == (36, 627, 482)
    assert dump() == before


def test_reloading_restores_edited_rows(loaded):
    Province.objects.filter(code="17").update(valid_to=None, name="Hòa Bình")
    van_son = Commune.objects.get(code="05284")
    van_son.name = "Văn Sơn Sửa"
    van_son.province = Province.objects.get(code="25")
    van_son.save()
    Merger.objects.filter(absorbed=van_son).update(share="part", legal_basis="")
    result = load_units(legal_basis="Nghị quyết thử")
    assert (result.provinces.updated, result.provinces.unchanged) == (1, 35)
    assert (result.communes.updated, result.communes.unchanged) == (1, 626)
    assert (result.mergers.updated, result.mergers.created) == (482, 0)
    assert Province.objects.filter(code="17", name="Hoà Bình", valid_to=ENDED).exists()
    van_son.refresh_from_db()
    assert (van_son.name, van_son.province.code, van_son.search_text) == ("Văn Sơn", "17", "xa van son 05284")
    assert van_son.successions.get().share == "whole"
    assert set(Merger.objects.values_list("legal_basis", flat=True)) == {"Nghị quyết thử"}


def test_search_finds_loaded_units_without_diacritics(loaded):
    assert {(c.code, c.valid_from) for c in Commune.objects.search("thuong coc")} == {
        ("05293", None),
        ("05293", REFORM_DATE),
    }
    assert [c.code for c in Commune.objects.current().search("quyet thang")] == ["05323"]


def test_bulk_created_search_text_matches_save(loaded):
    for commune in Commune.objects.all():
        stored = commune.search_text
        commune.save()
        assert commune.search_text == stored


def test_files_with_bad_rows_load_nothing_and_name_every_bad_line(files):
    append(files["units"], "0529,Thử,Xã Thử,xa,25", "09999,Thử,Thị trấn Thử,thi_tran,25")
    append(files["mergers"], "05293,Xã Thượng Cốc,09992,Xã Thử,Huyện Lạc Sơn,17,Tỉnh Hoà Bình,all,b,s")
    with pytest.raises(UnitFileError) as exc:
        load_units(files["provinces"], files["units"], files["mergers"])
    reported = {(p.file, p.line): p.message for p in exc.value.problems}
    assert "Mã xã “0529” không hợp lệ" in reported[UNITS, 150]
    assert "Loại đơn vị “thi_tran” không hợp lệ" in reported[UNITS, 151]
    assert "Phạm vi “all” không hợp lệ" in reported[MERGERS, 484]
    assert len(exc.value.problems) == 3
    assert f"{UNITS}:150: Mã xã" in str(exc.value)
    assert table_counts() == (0, 0, 0)


def test_bad_files_leave_loaded_data_untouched(loaded, files):
    append(files["mergers"], "09990,Xã Thử,09991,Xã Thử,Huyện Lạc Sơn,17,Tỉnh Hoà Bình,whole,b,s")
    before = dump()
    with pytest.raises(UnitFileError):
        load_units(files["provinces"], files["units"], files["mergers"])
    assert dump() == before


@pytest.mark.parametrize(
    ("key", "bad_line", "line", "fragment"),
    [
        ("provinces", "1,Thử,Tỉnh Thử", 36, "Mã tỉnh “1” không hợp lệ: phải gồm đúng 2 chữ số"),
        ("provinces", "01,Hà Nội,Thành phố Hà Nội", 36, "Mã tỉnh 01 trùng với dòng 2"),
        ("units", "05293,Thượng Cốc,Xã Thượng Cốc,xa,25", 150, "Mã xã 05293 trùng với dòng"),
        ("units", "09998,Thử,Xã Thử,xa,99", 150, "Mã tỉnh 99 không có trong tệp provinces_2025.csv"),
        ("units", "09997,,Xã,xa,25", 150, "Cột name để trống"),
        ("units", "09996,Thử,Phường Thử,xa,25", 150, "không khớp loại và tên (“Xã Thử”)"),
        ("units", "09995,Thử,Xã Thử", 150, "Dòng có 3 giá trị, tiêu đề có 5 cột"),
        (
            "mergers",
            "09990,Xã Thử,09991,Xã Thử,Huyện Lạc Sơn,17,Tỉnh Hoà Bình,whole,b,s",
            484,
            "Mã xã mới 09990 không có trong tệp phu_tho_2025_units.csv",
        ),
        (
            "mergers",
            "05305,Xã Yên Phú,05284,Xã Văn Sơn Mới,Huyện Lạc Sơn,17,Tỉnh Hoà Bình,whole,b,s",
            484,
            "Mã xã cũ 05284 đã khai ở dòng 121 với tên “Xã Văn Sơn”, nay là “Xã Văn Sơn Mới”",
        ),
        (
            "mergers",
            "05305,Xã Yên Phú,09993,Ấp Thử,Huyện Lạc Sơn,17,Tỉnh Hoà Bình,whole,b,s",
            484,
            "Tên cũ “Ấp Thử” phải bắt đầu bằng loại đơn vị",
        ),
        (
            "mergers",
            "05305,Xã Yên Phú,09994,Xã Thử,Huyện Lạc Sơn,17,Tỉnh Hòa Bình,whole,b,s",
            484,
            "Mã tỉnh cũ 17 đã khai ở dòng 2 với tên tỉnh “Tỉnh Hoà Bình”",
        ),
        (
            "mergers",
            "05305,Xã Yên Phú,09994,Xã Thử,Huyện Lạc Sơn,17,Tỉnh Hoà Bình,part,b,s",
            484,
            "chỉ có một đơn vị kế thừa nên phạm vi phải là whole",
        ),
    ],
)
def test_each_bad_row_is_reported_with_its_line(files, key, bad_line, line, fragment):
    append(files[key], bad_line)
    problems = problems_of(files)
    assert len(problems) == 1, problems
    file, reported_line, message = problems[0]
    assert (file, reported_line) == (files[key].name, line)
    assert fragment in message


@pytest.mark.parametrize(
    ("header", "fragment"),
    [
        ("code,name,full_name,province_code", "Thiếu cột: kind."),
        ("code,name,full_name,kind,province_code,note", "Cột thừa hoặc lặp lại: note."),
    ],
)
def test_missing_or_extra_columns_are_reported_on_the_header(files, header, fragment):
    replace_header(files["units"], header)
    assert problems_of(files) == [(UNITS, 1, fragment)]


def test_a_file_that_is_not_utf8_is_reported(files):
    text = files["units"].read_text(encoding="utf-8")
    # What a spreadsheet on Windows writes for "CSV" without "UTF-8": cp1252, lossy for Vietnamese.
    files["units"].write_bytes(text.encode("cp1252", errors="replace"))
    assert problems_of(files) == [(UNITS, 2, "Tệp không phải mã UTF-8; hãy lưu lại tệp với mã hóa UTF-8.")]


def test_a_missing_file_is_reported(files):
    files["mergers"].unlink()
    assert problems_of(files) == [(MERGERS, None, f"Không tìm thấy tệp {files['mergers']}.")]


def test_byte_order_mark_and_decomposed_text_are_accepted(files):
    text = files["units"].read_text(encoding="utf-8")
    files["units"].write_text(unicodedata.normalize("NFD", text), encoding="utf-8-sig")
    units = {u.code: u for u in read_unit_files(files["provinces"], files["units"], files["mergers"]).units}
    assert len(units) == 148
    assert units["05293"].name == unicodedata.normalize("NFC", "Thượng Cốc")


def test_command_loads_the_bundled_files_and_prints_a_summary():
    out = io.StringIO()
    call_command("load_units", stdout=out)
    assert "Đơn vị cấp xã: 627 thêm mới, 0 cập nhật, 0 không đổi." in out.getvalue()
    assert "Sắp xếp, sáp nhập: 482 thêm mới" in out.getvalue()
    out = io.StringIO()
    call_command("load_units", "--legal-basis", "Nghị quyết thử", stdout=out)
    assert "Sắp xếp, sáp nhập: 0 thêm mới, 482 cập nhật, 0 không đổi." in out.getvalue()
    assert set(Merger.objects.values_list("legal_basis", flat=True)) == {"Nghị quyết thử"}


def test_command_exits_non_zero_and_lists_every_problem(files, capsys, monkeypatch):
    # run_from_argv closes the connections when it ends; the test's transaction still needs its own.
    monkeypatch.setattr(connections, "close_all", lambda: None)
    append(files["units"], "0529,Thử,Xã Thử,xa,25", "09999,Thử,Thị trấn Thử,thi_tran,25")
    argv = ["manage.py", "load_units", "--units", str(files["units"]), "--provinces", str(files["provinces"])]
    with pytest.raises(SystemExit) as exc:
        execute_from_command_line(argv)
    assert exc.value.code == 1
    err = capsys.readouterr().err
    assert f"{UNITS}:150: Mã xã “0529” không hợp lệ" in err
    assert f"{UNITS}:151: Loại đơn vị “thi_tran” không hợp lệ" in err
    assert "chưa lưu gì vào cơ sở dữ liệu" in err
    assert table_counts() == (0, 0, 0)
