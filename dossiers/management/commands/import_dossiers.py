"""`manage.py import_dossiers FILE [--dry-run]`: import dossiers from a CSV or XLSX export."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from dossiers.importing import ImportRefused, import_dossiers


class Command(BaseCommand):
    help = (
        "Nhập hồ sơ từ tệp CSV hoặc Excel (.xlsx) xuất từ hệ thống một cửa của tỉnh, cho mọi đơn vị "
        "(định dạng: docs/import-format.md). Kiểm tra mọi dòng trước; có một dòng lỗi thì không nhập gì."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path, help="Tệp .csv (UTF-8) hoặc .xlsx.")
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="Chỉ kiểm tra (chạy thử cả quá trình rồi hoàn tác), không lưu gì.",
        )

    def handle(self, *args, **options):
        path, dry_run = options["file"], options["dry_run"]
        try:
            data = path.read_bytes()
        except OSError as exc:
            raise CommandError(f"Không đọc được tệp {path} ({exc.strerror or exc}).") from exc
        try:
            result = import_dossiers(data, path.name, actor=None, scope=None, dry_run=dry_run)
        except ImportRefused as exc:
            for problem in exc.problems:
                self.stderr.write(str(problem))
            raise CommandError(
                f"Tệp có {len(exc.problems)} lỗi; chưa nhập hồ sơ nào vào cơ sở dữ liệu."
            ) from exc

        for line, code in result.skipped:
            self.stdout.write(f"Dòng {line}: {code} đã có, bỏ qua.")
        if dry_run:
            self.stdout.write(
                self.style.SUCCESS(
                    f"Kiểm tra xong, tệp hợp lệ: {len(result.created)} hồ sơ sẽ được nhập, "
                    f"{len(result.skipped)} hồ sơ đã có (bỏ qua). Chưa lưu gì (--dry-run)."
                )
            )
        else:
            self.stdout.write(
                self.style.SUCCESS(
                    f"Đã nhập {len(result.created)} hồ sơ; {len(result.skipped)} hồ sơ đã có, bỏ qua."
                )
            )
