"""`python manage.py seed_demo`: the demo data of `make run`. Safe to run again."""

from django.core.management.base import BaseCommand

from portal.demo import seed_demo


class Command(BaseCommand):
    help = "Nạp dữ liệu mẫu: đơn vị hành chính, lịch nghỉ lễ, trung tâm phục vụ và tài khoản demo."

    def handle(self, *args, **options):
        result = seed_demo()
        self.stdout.write(
            self.style.SUCCESS(
                "Dữ liệu mẫu đã sẵn sàng: "
                f"đơn vị hành chính {'đã cập nhật' if result.units_changed else 'không đổi'}, "
                f"{result.calendar_days_created} ngày lịch mới, "
                f"{result.centres_created} trung tâm mới, "
                f"{len(result.accounts_created)} tài khoản mới."
            )
        )
