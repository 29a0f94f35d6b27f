"""Reading and checking the administrative-unit CSV files before anything is saved.

Three files describe one reform round (see communes/data/README.md): the provinces, the new
commune-level units, and one row per predecessor of each new unit. An administrator edits them by
hand, so every problem is collected with its file and line and reported at once: one pass fixes
the whole file instead of one error per attempt.
"""

import csv
import io
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from portal.datafiles import DataFileError, Problem

from .choices import MergerShare, UnitKind

PROVINCE_COLUMNS = ("code", "name", "full_name")
UNIT_COLUMNS = ("code", "name", "full_name", "kind", "province_code")
MERGER_COLUMNS = (
    *("new_code", "new_name", "old_code", "old_name", "old_district_name"),
    *("old_province_code", "old_province_name", "share", "basis", "source_name"),
)
# Thị trấn ended with the districts on 1 July 2025: a new unit cannot be one.
NEW_KINDS = (UnitKind.XA, UnitKind.PHUONG, UnitKind.DAC_KHU)
OLD_NAME_PREFIXES = {"Xã ": UnitKind.XA, "Phường ": UnitKind.PHUONG, "Thị trấn ": UnitKind.THI_TRAN}
PROVINCE_NAME_PREFIXES = ("Tỉnh ", "Thành phố ")
# ASCII digits only: \d would also accept other scripts' digits.
_PROVINCE_CODE = re.compile(r"[0-9]{2}")
_COMMUNE_CODE = re.compile(r"[0-9]{5}")


class UnitFileError(DataFileError):
    """The unit files cannot be loaded; `problems` lists every reason, file and line."""


@dataclass(frozen=True)
class ProvinceRow:
    line: int
    code: str
    name: str
    full_name: str


@dataclass(frozen=True)
class UnitRow:
    """A commune-level unit that exists from the reform date on."""

    line: int
    code: str
    name: str
    full_name: str
    kind: str
    province_code: str


@dataclass(frozen=True)
class MergerRow:
    """One predecessor of a new unit; `old_name` is the short name, its kind prefix stripped."""

    line: int
    new_code: str
    new_name: str
    old_code: str
    old_kind: str
    old_name: str
    old_full_name: str
    old_district_name: str
    old_province_code: str
    old_province_full_name: str
    share: str
    basis: str
    source_name: str

    @property
    def old_province_name(self):
        return strip_province_prefix(self.old_province_full_name)


@dataclass(frozen=True)
class UnitFiles:
    provinces: tuple[ProvinceRow, ...]
    units: tuple[UnitRow, ...]
    mergers: tuple[MergerRow, ...]

    def predecessors(self):
        """One row per old unit (a split unit appears on several merger rows): {old_code: row}."""
        return {row.old_code: row for row in reversed(self.mergers)}

    def old_provinces(self):
        """Provinces known only from the merger file: {code: full name}."""
        current = {p.code for p in self.provinces}
        found = {row.old_province_code: row.old_province_full_name for row in reversed(self.mergers)}
        return {code: name for code, name in sorted(found.items()) if code not in current}


def strip_province_prefix(full_name):
    """'Tỉnh Hoà Bình' -> 'Hoà Bình'; 'Thành phố Hà Nội' -> 'Hà Nội'."""
    for prefix in PROVINCE_NAME_PREFIXES:
        if full_name.startswith(prefix):
            return full_name.removeprefix(prefix)
    return full_name


def split_old_name(full_name):
    """'Thị trấn Hạ Hoà' -> ('thi_tran', 'Hạ Hoà'); (None, '') when the prefix is unknown."""
    for prefix, kind in OLD_NAME_PREFIXES.items():
        if full_name.startswith(prefix):
            return kind, full_name.removeprefix(prefix).strip()
    return None, ""


def read_unit_files(provinces_path, units_path, mergers_path):
    """Parse and cross-check the three files; raise UnitFileError listing every problem."""
    problems = []
    provinces_file = _CsvFile(provinces_path, PROVINCE_COLUMNS, problems)
    units_file = _CsvFile(units_path, UNIT_COLUMNS, problems)
    mergers_file = _CsvFile(mergers_path, MERGER_COLUMNS, problems)
    provinces = _check_provinces(provinces_file)
    # A file that could not be read is not used to judge the others: its problem is reported already.
    units = _check_units(units_file, provinces if provinces_file.readable else None, provinces_file.name)
    mergers = _check_mergers(mergers_file, units if units_file.readable else None, units_file.name)
    if problems:
        raise UnitFileError(problems)
    return UnitFiles(tuple(provinces.values()), tuple(u for u in units.values() if u), tuple(mergers))


class _CsvFile:
    """Rows of one CSV file as (line, {column: stripped NFC value}); problems go to a shared list."""

    def __init__(self, path, columns, problems):
        self.path = Path(path)
        self.name = self.path.name
        self.columns = columns
        self.problems = problems
        self.header = None
        self.readable = False
        self.text = self._decode()
        if self.text is not None:
            self._check_header()

    def problem(self, line, message):
        self.problems.append(Problem(self.name, line, message))

    def _decode(self):
        try:
            raw = self.path.read_bytes()
        except FileNotFoundError:
            self.problem(None, f"Không tìm thấy tệp {self.path}.")
            return None
        except OSError as exc:
            self.problem(None, f"Không đọc được tệp {self.path} ({exc.strerror or exc}).")
            return None
        try:
            # utf-8-sig: spreadsheet programs save "CSV UTF-8" with a byte-order mark; accept it.
            text = raw.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            line = raw[: exc.start].count(b"\n") + 1
            self.problem(line, "Tệp không phải mã UTF-8; hãy lưu lại tệp với mã hóa UTF-8.")
            return None
        # Composed and decomposed Vietnamese look alike but compare unequal: store one form.
        return unicodedata.normalize("NFC", text)

    def _check_header(self):
        self.reader = csv.reader(io.StringIO(self.text, newline=""))
        header = next(self.reader, None)
        if not header:
            self.problem(1, "Tệp rỗng: thiếu dòng tiêu đề.")
            return
        self.header = [column.strip() for column in header]
        missing = [c for c in self.columns if c not in self.header]
        extra = [c for i, c in enumerate(self.header) if c not in self.columns or c in self.header[:i]]
        if missing:
            self.problem(1, f"Thiếu cột: {', '.join(missing)}.")
        if extra:
            self.problem(1, f"Cột thừa hoặc lặp lại: {', '.join(extra)}.")
        self.readable = not missing and not extra

    def rows(self):
        if not self.readable:
            return
        last_line = self.reader.line_num
        for fields in self.reader:
            line, last_line = last_line + 1, self.reader.line_num
            if not any(f.strip() for f in fields):
                continue  # blank line, e.g. at the end of a hand-edited file
            if len(fields) != len(self.header):
                self.problem(line, f"Dòng có {len(fields)} giá trị, tiêu đề có {len(self.header)} cột.")
                continue
            yield line, {c: v.strip() for c, v in zip(self.header, fields, strict=True)}


def _require(file, line, row, columns):
    empty = [c for c in columns if not row[c]]
    for column in empty:
        file.problem(line, f"Cột {column} để trống.")
    return not empty


def _check_code(file, line, value, pattern, label, digits):
    if pattern.fullmatch(value):
        return True
    file.problem(line, f"{label} “{value}” không hợp lệ: phải gồm đúng {digits} chữ số.")
    return False


def _check_unique(file, line, seen, key, message):
    if key in seen:
        file.problem(line, f"{message} trùng với dòng {seen[key]}.")
        return False
    seen[key] = line
    return True


def _check_provinces(file):
    provinces, seen = {}, {}
    for line, row in file.rows():
        ok = _require(file, line, row, ("name", "full_name"))
        if _check_code(file, line, row["code"], _PROVINCE_CODE, "Mã tỉnh", 2):
            ok = _check_unique(file, line, seen, row["code"], f"Mã tỉnh {row['code']}") and ok
            if ok:
                provinces[row["code"]] = ProvinceRow(line, row["code"], row["name"], row["full_name"])
    return provinces


def _check_units(file, provinces, provinces_name):
    """{code: UnitRow, or None when the row has a problem but its code is still known}."""
    units, seen = {}, {}
    for line, row in file.rows():
        ok = _require(file, line, row, ("name", "full_name"))
        code, kind, province_code = row["code"], row["kind"], row["province_code"]
        if _check_code(file, line, code, _COMMUNE_CODE, "Mã xã", 5):
            ok = _check_unique(file, line, seen, code, f"Mã xã {code}") and ok
        else:
            ok = False
        if kind not in NEW_KINDS:
            file.problem(line, f"Loại đơn vị “{kind}” không hợp lệ: chỉ nhận {', '.join(NEW_KINDS)}.")
            ok = False
        elif row["name"] and row["full_name"] != f"{UnitKind(kind).label} {row['name']}":
            expected = f"{UnitKind(kind).label} {row['name']}"
            file.problem(line, f"Tên đầy đủ “{row['full_name']}” không khớp loại và tên (“{expected}”).")
            ok = False
        if not _check_code(file, line, province_code, _PROVINCE_CODE, "Mã tỉnh", 2):
            ok = False
        elif provinces is not None and province_code not in provinces:
            file.problem(line, f"Mã tỉnh {province_code} không có trong tệp {provinces_name}.")
            ok = False
        # A faulty unit stays known, so the merger rows that name it are not flagged as well.
        units[code] = UnitRow(line, code, row["name"], row["full_name"], kind, province_code) if ok else None
    return units


def _check_mergers(file, units, units_name):
    mergers, pairs, old_units, old_provinces = [], {}, {}, {}
    for line, row in file.rows():
        merger = _check_merger_row(file, line, row, units, units_name)
        new, old, province = row["new_code"], row["old_code"], row["old_province_code"]
        unique = _check_unique(file, line, pairs, (new, old), f"Cặp mã mới {new}, mã cũ {old}")
        same_unit = _check_same(file, line, old_units, old, f"Mã xã cũ {old}", row, _OLD_UNIT_FIELDS)
        same_province = _check_same(
            file, line, old_provinces, province, f"Mã tỉnh cũ {province}", row, _OLD_PROVINCE_FIELDS
        )
        if merger and unique and same_unit and same_province:
            mergers.append(merger)
    _check_shares(file, mergers)
    return mergers


def _check_merger_row(file, line, row, units, units_name):
    """The checks one row can pass or fail on its own; the MergerRow, or None."""
    ok = _require(file, line, row, ("new_name", "old_name", "old_province_name"))
    new_code = row["new_code"]
    if not _check_code(file, line, new_code, _COMMUNE_CODE, "Mã xã mới", 5):
        ok = False
    elif units is not None and new_code not in units:
        file.problem(line, f"Mã xã mới {new_code} không có trong tệp {units_name}.")
        ok = False
    elif units is not None and units[new_code] and row["new_name"] != units[new_code].full_name:
        expected = units[new_code].full_name
        file.problem(line, f"Tên mới “{row['new_name']}” khác tên trong tệp {units_name} (“{expected}”).")
        ok = False
    ok = _check_code(file, line, row["old_code"], _COMMUNE_CODE, "Mã xã cũ", 5) and ok
    ok = _check_code(file, line, row["old_province_code"], _PROVINCE_CODE, "Mã tỉnh cũ", 2) and ok
    old_kind, old_name = split_old_name(row["old_name"])
    if row["old_name"] and not old_name:
        prefixes = ", ".join(f"“{p.strip()}”" for p in OLD_NAME_PREFIXES)
        file.problem(line, f"Tên cũ “{row['old_name']}” phải bắt đầu bằng loại đơn vị ({prefixes}).")
        ok = False
    if row["share"] not in MergerShare.values:
        allowed = ", ".join(MergerShare.values)
        file.problem(line, f"Phạm vi “{row['share']}” không hợp lệ: chỉ nhận {allowed}.")
        ok = False
    if not ok:
        return None
    copied = ("new_code", "new_name", "old_code", "old_district_name", "old_province_code", "share")
    return MergerRow(
        line=line,
        old_kind=old_kind,
        old_name=old_name,
        old_full_name=row["old_name"],
        old_province_full_name=row["old_province_name"],
        basis=row["basis"],
        source_name=row["source_name"],
        **{column: row[column] for column in copied},
    )


_OLD_UNIT_FIELDS = {"old_name": "tên", "old_district_name": "huyện", "old_province_code": "mã tỉnh"}
_OLD_PROVINCE_FIELDS = {"old_province_name": "tên tỉnh"}


def _check_same(file, line, first_rows, key, label, row, fields):
    """A key seen again must repeat the same values: a split unit is one unit, not two."""
    if key not in first_rows:
        first_rows[key] = (line, row)
        return True
    first_line, first = first_rows[key]
    ok = True
    for column, what in fields.items():
        if row[column] != first[column]:
            was, now = first[column], row[column]
            file.problem(line, f"{label} đã khai ở dòng {first_line} với {what} “{was}”, nay là “{now}”.")
            ok = False
    return ok


def _check_shares(file, mergers):
    """An old unit with one successor went to it whole; one split between several did not."""
    by_old = {}
    for row in mergers:
        by_old.setdefault(row.old_code, []).append(row)
    for old_code, rows in by_old.items():
        if len(rows) == 1 and rows[0].share != MergerShare.WHOLE:
            message = f"Mã xã cũ {old_code} chỉ có một đơn vị kế thừa nên phạm vi phải là whole."
            file.problem(rows[0].line, message)
        elif len(rows) > 1:
            lines = ", ".join(str(r.line) for r in rows)
            message = f"Mã xã cũ {old_code} được chia cho nhiều đơn vị (dòng {lines}): không thể là whole."
            for row in (r for r in rows if r.share == MergerShare.WHOLE):
                file.problem(row.line, message)
