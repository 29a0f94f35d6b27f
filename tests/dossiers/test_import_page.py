"""The upload page /ho-so/nhap-tu-tep/: clerks, leaders and admins import their own commune's dossiers."""

import datetime as dt

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile

from dossiers.data import make_sample
from dossiers.models import Dossier
from tests.factories import ServiceCentreFactory

from .test_import import NOW, PAUSED_AND_RETURNED, PERSONAL, csv_bytes, row

URL = "/ho-so/nhap-tu-tep/"


@pytest.fixture(autouse=True)
def _now():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def ready(centre, procedure, vn_calendar):
    return centre


def upload(client, data, name="ho_so.csv", dry_run=False):
    payload = {"file": SimpleUploadedFile(name, data)}
    if dry_run:
        payload["dry_run"] = "on"
    return client.post(URL, payload)


def test_the_page_offers_the_form_the_samples_and_the_columns(client, clerk):
    client.force_login(clerk)

    content = client.get(URL).content.decode()

    assert "<h1>Nhập hồ sơ từ tệp</h1>" in content
    assert 'type="file"' in content and 'accept=".csv,.xlsx"' in content
    assert "Kiểm tra trước" in content
    assert 'href="?mau=csv"' in content and 'href="?mau=xlsx"' in content
    assert "<code>thoi_diem_tiep_nhan</code>" in content  # the column summary
    assert "10 – Đã trả kết quả" in content  # the times each status needs


@pytest.mark.parametrize("kind", ["csv", "xlsx"])
def test_the_sample_files_download(client, clerk, kind):
    client.force_login(clerk)

    response = client.get(URL, {"mau": kind})

    assert response.status_code == 200
    assert response["Content-Disposition"] == f'attachment; filename="sample_import.{kind}"'
    path = make_sample.CSV_PATH if kind == "csv" else make_sample.XLSX_PATH
    assert b"".join(response.streaming_content) == path.read_bytes()


def test_an_unknown_sample_is_not_found(client, clerk):
    client.force_login(clerk)

    assert client.get(URL, {"mau": "pdf"}).status_code == 404


def test_a_clerk_imports_a_file_of_their_commune(client, clerk, ready):
    client.force_login(clerk)

    response = upload(client, csv_bytes([PAUSED_AND_RETURNED]))

    assert response.status_code == 200
    assert "Đã nhập 1 hồ sơ; 0 hồ sơ đã có, bỏ qua." in response.content.decode()
    dossier = Dossier.objects.get()
    assert dossier.status == 10
    assert set(dossier.events.values_list("actor", flat=True)) == {clerk.pk}

    again = upload(client, csv_bytes([PAUSED_AND_RETURNED])).content.decode()
    assert "Đã nhập 0 hồ sơ; 1 hồ sơ đã có, bỏ qua." in again
    assert "đã có, bỏ qua" in again and "H25.05293-250829-0001" in again
    assert Dossier.objects.count() == 1


def test_a_dry_run_from_the_page_saves_nothing(client, clerk, ready):
    client.force_login(clerk)

    response = upload(client, csv_bytes([PAUSED_AND_RETURNED]), dry_run=True)

    content = response.content.decode()
    assert "Kiểm tra xong: tệp hợp lệ, chưa lưu gì." in content
    assert "1 hồ sơ sẽ được nhập" in content
    assert not Dossier.objects.exists()


def test_rows_of_another_commune_are_refused_and_nothing_is_imported(client, clerk, ready, neighbour_commune):
    ServiceCentreFactory(commune=neighbour_commune, agency_code="H25.05305")
    client.force_login(clerk)
    rows = [row(), row(ma_ho_so="H25.05305-250829-0001", ma_don_vi="05305")]

    response = upload(client, csv_bytes(rows))

    assert response.status_code == 400
    content = response.content.decode()
    assert "có 1 lỗi: chưa nhập hồ sơ nào" in content
    assert '<td class="num">3</td>' in content
    assert "Hồ sơ của Xã Yên Phú (mã 05305) nằm ngoài phạm vi tài khoản của bạn" in content
    assert not Dossier.objects.exists()


def test_a_predecessor_unit_is_in_the_clerks_scope(client, clerk, ready, commune):
    van_son = commune.absorptions.get().absorbed
    ServiceCentreFactory(commune=van_son, agency_code="H17.05284")
    client.force_login(clerk)
    june = row(ma_ho_so="H17.05284-250627-0001", ma_don_vi="05284", thoi_diem_tiep_nhan="27/06/2025 09:00")

    response = upload(client, csv_bytes([june]))

    assert response.status_code == 200
    assert Dossier.objects.get().commune == van_son


def test_a_leader_may_import(client, leader, ready):
    client.force_login(leader)

    assert upload(client, csv_bytes([row()])).status_code == 200
    assert Dossier.objects.count() == 1


def test_an_admin_may_import_for_any_commune(client, admin_user, ready, neighbour_commune):
    ServiceCentreFactory(commune=neighbour_commune, agency_code="H25.05305")
    client.force_login(admin_user)
    rows = [row(), row(ma_ho_so="H25.05305-250829-0001", ma_don_vi="05305")]

    assert upload(client, csv_bytes(rows)).status_code == 200
    assert Dossier.objects.count() == 2


def test_an_inspector_is_forbidden(client, inspector, ready):
    client.force_login(inspector)

    assert client.get(URL).status_code == 403
    assert upload(client, csv_bytes([row()])).status_code == 403
    assert not Dossier.objects.exists()


def test_an_anonymous_visitor_is_sent_to_log_in(client, ready):
    response = upload(client, csv_bytes([row()]))

    assert response.status_code == 302
    assert response["Location"].startswith("/dang-nhap/")
    assert not Dossier.objects.exists()


def test_the_error_table_shows_no_personal_data(client, clerk, ready):
    client.force_login(clerk)
    bad = row(so_dinh_danh="00120300456", so_dien_thoai="09123", ma_thu_tuc="1.999999")

    content = upload(client, csv_bytes([bad])).content.decode()

    assert "Số định danh cá nhân phải gồm đúng 12 chữ số." in content
    for secret in ("00120300456", "09123", PERSONAL["ho_ten"], "Xóm Đồng"):
        assert secret not in content


def test_a_file_of_the_wrong_kind_or_too_big_is_refused(client, clerk, ready, monkeypatch):
    client.force_login(clerk)

    response = upload(client, b"%PDF-1.4", name="ho_so.pdf")
    assert response.status_code == 400
    assert "Chỉ nhận tệp CSV hoặc Excel (.xlsx)." in response.content.decode()

    monkeypatch.setattr("dossiers.views.imports.MAX_BYTES", 10)
    response = upload(client, csv_bytes([row()]))
    assert response.status_code == 400
    assert "Tệp lớn quá" in response.content.decode()
    assert not Dossier.objects.exists()


def test_the_page_takes_fewer_rows_than_the_command(client, clerk, ready, monkeypatch):
    monkeypatch.setattr("dossiers.views.imports.PAGE_MAX_ROWS", 1)
    client.force_login(clerk)
    rows = [row(), row(ma_ho_so="H25.05293-250829-0002")]

    content = upload(client, csv_bytes(rows)).content.decode()

    assert "Tệp có hơn 1 hồ sơ" in content
    assert not Dossier.objects.exists()


def test_times_on_the_page_are_shown_the_vietnamese_way(client, clerk, ready):
    client.force_login(clerk)
    future = row(thoi_diem_tiep_nhan=(NOW + dt.timedelta(days=1)).strftime("%d/%m/%Y %H:%M"))

    content = upload(client, csv_bytes([future])).content.decode()

    assert "“Thời điểm tiếp nhận” (01/10/2025 09:00) ở tương lai." in content
