"""`python manage.py compute_stats [--from DATE] [--to DATE] [--commune CODE]`: the Celery
recompute, run synchronously (e.g. after a bulk import, or to rebuild the whole history)."""

import datetime as dt
import time

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from communes.models import Commune
from dossiers.figures import recompute
from dossiers.models import Dossier


def _date(value):
    try:
        return dt.date.fromisoformat(value)
    except ValueError as exc:
        raise CommandError(f"Ngày “{value}” không hợp lệ: dùng dạng YYYY-MM-DD.") from exc


class Command(BaseCommand):
    help = "Tính lại số liệu ngày (tiếp nhận, giải quyết, tồn) của các đơn vị cho một khoảng ngày."

    def add_arguments(self, parser):
        parser.add_argument(
            "--from", dest="date_from", help="Ngày đầu (YYYY-MM-DD); mặc định: ngày hồ sơ sớm nhất."
        )
        parser.add_argument("--to", dest="date_to", help="Ngày cuối (YYYY-MM-DD); mặc định: hôm nay.")
        parser.add_argument("--commune", help="Mã đơn vị (5 chữ số); mặc định: mọi đơn vị.")

    def handle(self, *args, date_from=None, date_to=None, commune=None, **options):
        today = timezone.localdate()
        last = _date(date_to) if date_to else today
        if date_from:
            first = _date(date_from)
        else:
            earliest = Dossier.objects.order_by("submitted_at").values_list("submitted_at", flat=True).first()
            first = timezone.localtime(earliest).date() if earliest else last
        if last < first:
            raise CommandError("Ngày cuối phải từ ngày đầu trở đi.")
        ids = None
        if commune:
            ids = list(Commune.objects.filter(code=commune).values_list("pk", flat=True))
            if not ids:
                raise CommandError(f"Không có đơn vị mã {commune}.")
        started = time.monotonic()
        result = recompute(ids, first, last)
        self.stdout.write(
            self.style.SUCCESS(
                f"Đã tính số liệu {first:%d/%m/%Y}–{last:%d/%m/%Y} cho {result.communes} đơn vị: "
                f"{result.rows_written} dòng ngày trong {time.monotonic() - started:.1f} giây."
            )
        )
