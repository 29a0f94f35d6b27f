"""Loading the administrative-unit files into Province, Commune and Merger rows.

Everything is checked first (communes.unit_files); only files without a single problem are written,
in one transaction, as an upsert on natural keys: Province.code, Commune (code, valid_from) and
Merger (absorbed, successor). Loading the same files again changes nothing. Rows the files do not
mention are left alone: history is never rewritten, and an administrator's additions survive.
"""

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

from django.db import transaction

from portal.datafiles import Counts

from . import generation
from .models import Commune, Merger, Province
from .text import fold
from .unit_files import UnitFileError, read_unit_files, strip_province_prefix

__all__ = [
    "BUNDLED_MERGERS",
    "BUNDLED_PROVINCES",
    "BUNDLED_UNITS",
    "DEFAULT_LEGAL_BASIS",
    "REFORM_DATE",
    "Counts",
    "LoadResult",
    "UnitFileError",
    "load_units",
]

DATA_DIR = Path(__file__).resolve().parent / "data"
BUNDLED_PROVINCES = DATA_DIR / "provinces_2025.csv"
BUNDLED_UNITS = DATA_DIR / "phu_tho_2025_units.csv"
BUNDLED_MERGERS = DATA_DIR / "phu_tho_2025_mergers.csv"

REFORM_DATE = dt.date(2025, 7, 1)
DEFAULT_LEGAL_BASIS = (
    "Nghị quyết số 1676/NQ-UBTVQH15 ngày 16/6/2025 của Ủy ban Thường vụ Quốc hội "
    "về việc sắp xếp các đơn vị hành chính cấp xã của tỉnh Phú Thọ năm 2025"
)
LEGAL_BASIS_MAX_LENGTH = Merger._meta.get_field("legal_basis").max_length


@dataclass
class LoadResult:
    """What one load did, per model."""

    provinces: Counts = field(default_factory=Counts)
    communes: Counts = field(default_factory=Counts)
    mergers: Counts = field(default_factory=Counts)

    @property
    def changed(self):
        return any(c.created or c.updated for c in (self.provinces, self.communes, self.mergers))


def load_units(
    provinces_path=BUNDLED_PROVINCES,
    units_path=BUNDLED_UNITS,
    mergers_path=BUNDLED_MERGERS,
    *,
    legal_basis=DEFAULT_LEGAL_BASIS,
    effective_date=REFORM_DATE,
):
    """Load one reform round: the new units start on `effective_date`, their predecessors end the day before.

    Raises UnitFileError (nothing written) when a file has any problem, ValueError for a legal basis
    too long to store.
    """
    legal_basis = (legal_basis or "").strip()
    if len(legal_basis) > LEGAL_BASIS_MAX_LENGTH:
        raise ValueError(f"Căn cứ pháp lý dài quá {LEGAL_BASIS_MAX_LENGTH} ký tự.")
    files = read_unit_files(provinces_path, units_path, mergers_path)
    last_old_day = effective_date - dt.timedelta(days=1)
    result = LoadResult()
    with transaction.atomic():
        province_ids = _upsert_provinces(files, last_old_day, result.provinces)
        unit_ids = _upsert_communes(files, province_ids, effective_date, last_old_day, result.communes)
        _upsert_mergers(files, unit_ids, effective_date, legal_basis, result.mergers)
        if result.changed:
            generation.bump()  # bulk writes send no signal
    return result


def _diff(existing, wanted, counts):
    """Split wanted {key: {field: value}} into keys to create and (row, changed fields) to update."""
    to_create, to_update = [], []
    for key, values in wanted.items():
        row = existing.get(key)
        if row is None:
            to_create.append(key)
            continue
        changed = [name for name, value in values.items() if getattr(row, name) != value]
        for name in changed:
            setattr(row, name, values[name])
        if changed:
            to_update.append((row, changed))
    counts.created += len(to_create)
    counts.updated += len(to_update)
    counts.unchanged += len(wanted) - len(to_create) - len(to_update)
    return to_create, to_update


def _upsert_provinces(files, last_old_day, counts):
    wanted = {
        p.code: {"name": p.name, "full_name": p.full_name, "valid_from": None, "valid_to": None}
        for p in files.provinces
    }
    # Old provinces (Hòa Bình, Vĩnh Phúc) appear only as a predecessor's province; they ended.
    for code, full_name in files.old_provinces().items():
        wanted[code] = {
            "name": strip_province_prefix(full_name),
            "full_name": full_name,
            "valid_from": None,
            "valid_to": last_old_day,
        }
    existing = Province.objects.in_bulk(list(wanted), field_name="code")
    to_create, to_update = _diff(existing, wanted, counts)
    if to_update:
        Province.objects.bulk_update(
            [row for row, _ in to_update], ["name", "full_name", "valid_from", "valid_to"]
        )
    Province.objects.bulk_create(Province(code=code, **wanted[code]) for code in to_create)
    return dict(Province.objects.filter(code__in=wanted).values_list("code", "pk"))


def _upsert_communes(files, province_ids, effective_date, last_old_day, counts):
    """Returns {(code, valid_from): pk} for every version the files describe."""
    wanted = {}
    # Predecessors first: a predecessor that kept its code must end before its successor can be
    # the one current unit with that code (constraint commune_one_current_per_code).
    for old in files.predecessors().values():
        wanted[(old.old_code, None)] = {
            "name": old.old_name,
            "kind": old.old_kind,
            "province_id": province_ids[old.old_province_code],
            "district_name": old.old_district_name,
            "valid_to": last_old_day,
        }
    for unit in files.units:
        wanted[(unit.code, effective_date)] = {
            "name": unit.name,
            "kind": unit.kind,
            "province_id": province_ids[unit.province_code],
            "district_name": "",
            "valid_to": None,
        }
    codes = {code for code, _ in wanted}
    existing = {(c.code, c.valid_from): c for c in Commune.objects.filter(code__in=codes)}
    to_create, to_update = _diff(existing, wanted, counts)
    for row, changed in to_update:
        row.save(update_fields=changed)  # save() refreshes search_text; updates are rare
    new_rows = [
        Commune(code=code, valid_from=valid_from, **wanted[code, valid_from])
        for code, valid_from in to_create
    ]
    for row in new_rows:
        # bulk_create skips Commune.save(): fill search_text exactly as it does.
        row.search_text = fold(f"{row.get_kind_display()} {row.name} {row.code}")
    Commune.objects.bulk_create(new_rows)
    if new_rows:
        existing = {(c.code, c.valid_from): c for c in Commune.objects.filter(code__in=codes)}
    return {key: existing[key].pk for key in wanted}


def _upsert_mergers(files, unit_ids, effective_date, legal_basis, counts):
    wanted = {
        (unit_ids[m.old_code, None], unit_ids[m.new_code, effective_date]): {
            "effective_date": effective_date,
            "share": m.share,
            "legal_basis": legal_basis,
        }
        for m in files.mergers
    }
    successor_ids = {successor for _, successor in wanted}
    existing = {
        (m.absorbed_id, m.successor_id): m for m in Merger.objects.filter(successor_id__in=successor_ids)
    }
    to_create, to_update = _diff(existing, wanted, counts)
    if to_update:
        Merger.objects.bulk_update([row for row, _ in to_update], ["effective_date", "share", "legal_basis"])
    Merger.objects.bulk_create(
        Merger(absorbed_id=absorbed, successor_id=successor, **wanted[absorbed, successor])
        for absorbed, successor in to_create
    )
