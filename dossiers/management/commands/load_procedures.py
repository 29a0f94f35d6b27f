"""`manage.py load_procedures [FILE]`: load the procedure catalogue from a CSV file."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from dossiers.catalogue import BUNDLED_PROCEDURES, CatalogueFileError, load_procedures


class Command(BaseCommand):
    help = (
        "Nạp danh mục thủ tục hành chính từ tệp CSV (mặc định: dossiers/data/procedures.csv). "
        "Tệp có lỗi thì không lưu gì; nạp lại cùng tệp không thay đổi gì."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "file",
            nargs="?",
            type=Path,
            default=BUNDLED_PROCEDURES,
            help="Tệp CSV các cột code,name,field,processing_days,fee,fee_note,online_level,source.",
        )

    def handle(self, *args, **options):
        try:
            counts = load_procedures(options["file"])
        except CatalogueFileError as exc:
            for problem in exc.problems:
                self.stderr.write(str(problem))
            raise CommandError(
                f"Tệp danh mục thủ tục có {len(exc.problems)} lỗi; chưa lưu gì vào cơ sở dữ liệu."
            ) from exc

        self.stdout.write(
            f"Thủ tục hành chính: {counts.created} thêm mới, {counts.updated} cập nhật, "
            f"{counts.unchanged} không đổi."
        )
        if counts.changed:
            self.stdout.write(self.style.SUCCESS("Đã lưu danh mục thủ tục."))
        else:
            self.stdout.write(self.style.SUCCESS("Danh mục đã khớp với tệp, không có gì thay đổi."))
