"""`manage.py load_units`: load provinces, commune-level units and mergers from CSV files."""

import argparse
import datetime as dt
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from communes.unit_loading import (
    BUNDLED_MERGERS,
    BUNDLED_PROVINCES,
    BUNDLED_UNITS,
    DEFAULT_LEGAL_BASIS,
    REFORM_DATE,
    UnitFileError,
    load_units,
)


def _iso_date(value):
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"Ngày “{value}” không hợp lệ, cần dạng YYYY-MM-DD.") from None


class Command(BaseCommand):
    help = (
        "Nạp danh mục tỉnh, đơn vị hành chính cấp xã và các trường hợp sắp xếp, sáp nhập từ tệp CSV "
        "(mặc định: bộ tệp kèm theo trong communes/data/). Tệp có lỗi thì không lưu gì."
    )

    def add_arguments(self, parser):
        parser.add_argument("--provinces", type=Path, default=BUNDLED_PROVINCES, help="Tệp danh sách tỉnh.")
        parser.add_argument("--units", type=Path, default=BUNDLED_UNITS, help="Tệp đơn vị cấp xã mới.")
        parser.add_argument(
            "--mergers", type=Path, default=BUNDLED_MERGERS, help="Tệp đơn vị cũ và đơn vị kế thừa."
        )
        parser.add_argument(
            "--legal-basis",
            default=DEFAULT_LEGAL_BASIS,
            help="Căn cứ pháp lý ghi cho mọi trường hợp sắp xếp (mặc định: Nghị quyết 1676/NQ-UBTVQH15).",
        )
        parser.add_argument(
            "--effective-date",
            type=_iso_date,
            default=REFORM_DATE,
            help="Ngày đơn vị mới có hiệu lực, YYYY-MM-DD (mặc định: 2025-07-01).",
        )

    def handle(self, *args, **options):
        try:
            result = load_units(
                options["provinces"],
                options["units"],
                options["mergers"],
                legal_basis=options["legal_basis"],
                effective_date=options["effective_date"],
            )
        except UnitFileError as exc:
            for problem in exc.problems:
                self.stderr.write(str(problem))
            raise CommandError(
                f"Tệp dữ liệu có {len(exc.problems)} lỗi; chưa lưu gì vào cơ sở dữ liệu."
            ) from exc
        except ValueError as exc:
            raise CommandError(str(exc)) from exc

        self.stdout.write("Kết quả nạp dữ liệu đơn vị hành chính:")
        for label, counts in (
            ("Tỉnh, thành phố", result.provinces),
            ("Đơn vị cấp xã", result.communes),
            ("Sắp xếp, sáp nhập", result.mergers),
        ):
            self.stdout.write(
                f"  {label}: {counts.created} thêm mới, {counts.updated} cập nhật, "
                f"{counts.unchanged} không đổi."
            )
        if result.changed:
            self.stdout.write(self.style.SUCCESS("Đã lưu dữ liệu."))
        else:
            self.stdout.write(self.style.SUCCESS("Dữ liệu đã khớp với tệp, không có gì thay đổi."))
