"""`manage.py seed_calendar`: copy public holidays and make-up working days from the `holidays` package."""

from django.core.management.base import BaseCommand
from django.utils import timezone

from communes.calendar_store import default_years, seed_from_holidays_package


def describe_years(years: list[int]) -> str:
    """Years as a reader expects them: "2024–2027" when consecutive, "2024, 2026" otherwise."""
    if len(years) > 1 and years == list(range(years[0], years[-1] + 1)):
        return f"{years[0]}–{years[-1]}"
    return ", ".join(str(year) for year in years)


class Command(BaseCommand):
    help = (
        "Nạp ngày nghỉ lễ, Tết và ngày làm việc bù của Việt Nam từ thư viện holidays vào lịch làm việc. "
        "Ngày do quản trị viên nhập không bị thay đổi."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--years",
            nargs="+",
            type=int,
            metavar="NĂM",
            help="Các năm cần nạp (mặc định: từ CALENDAR_FIRST_YEAR đến năm nay + CALENDAR_YEARS_AHEAD).",
        )

    def handle(self, *args, years=None, **options):
        years = sorted(set(years or default_years(timezone.localdate())))
        result = seed_from_holidays_package(years)
        message = (
            f"Đã nạp lịch nghỉ lễ năm {describe_years(years)}: {result.created} ngày mới, "
            f"{result.updated} cập nhật, {result.unchanged} không đổi"
        )
        if result.deleted:
            message += f", {result.deleted} ngày bị xoá vì thư viện không còn liệt kê"
        if result.kept_admin:
            message += f", {result.kept_admin} ngày do quản trị viên nhập được giữ nguyên"
        self.stdout.write(message + ".")
