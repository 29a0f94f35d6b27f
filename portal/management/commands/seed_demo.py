"""`python manage.py seed_demo`: the demo data of `make run`. Safe to run again."""

from django.core.management.base import BaseCommand, CommandError

from portal.demo import seed_demo


class Command(BaseCommand):
    help = (
        "Nạp dữ liệu mẫu: đơn vị hành chính, lịch nghỉ lễ, trung tâm phục vụ, sở, ngành, tài khoản demo, "
        "danh mục thủ tục, hồ sơ từ 01/01/2025 đến hôm nay và buổi kiểm tra ngày 29/07/2025 của "
        "Tổ công tác số 10."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--scale",
            type=float,
            default=1.0,
            help="Hệ số số lượng hồ sơ mẫu (mặc định 1; 0.1 để thử nhanh, 5 để có nhiều dữ liệu). "
            "Số liệu của bài báo (tháng 7/2025) luôn đúng với mọi hệ số.",
        )
        parser.add_argument("--no-dossiers", action="store_true", help="Không tạo hồ sơ mẫu.")

    def handle(self, *args, scale, no_dossiers, **options):
        if scale < 0:
            raise CommandError("--scale phải là số không âm.")
        result = seed_demo(scale=scale, dossiers=not no_dossiers)
        self.stdout.write(
            self.style.SUCCESS(
                "Dữ liệu mẫu đã sẵn sàng: "
                f"đơn vị hành chính {'đã cập nhật' if result.units_changed else 'không đổi'}, "
                f"{result.calendar_days_created} ngày lịch mới, "
                f"{result.centres_created} trung tâm mới, "
                f"{result.departments_created} sở, ngành mới, "
                f"{len(result.accounts_created)} tài khoản mới, "
                f"{result.procedures_created} thủ tục mới, "
                f"{result.dossiers_created} hồ sơ mới, {result.visits_created} ngày có lượt giao dịch mới, "
                f"{result.inspections_created} buổi kiểm tra mới."
            )
        )
