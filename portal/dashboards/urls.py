from django.urls import path

from . import commune, province, reports, visits

urlpatterns = [
    path("bang-dieu-khien/tinh/", province.ProvinceDashboardView.as_view(), name="province-dashboard"),
    path("bang-dieu-khien/xa/", commune.CommuneDashboardView.as_view(), name="commune-dashboard-own"),
    path("bang-dieu-khien/xa/<str:code>/", commune.CommuneDashboardView.as_view(), name="commune-dashboard"),
    path("luot-giao-dich/", visits.WalkInVisitsView.as_view(), name="walk-in-visits"),
    path("bao-cao/mau-ii-06a.xlsx", reports.FormII06aView.as_view(), name="report-ii06a"),
    path("bao-cao/xep-hang.csv", reports.RankingCsvView.as_view(), name="report-ranking-csv"),
    path("bao-cao/so-lieu-ngay.csv", reports.DailyCsvView.as_view(), name="report-daily-csv"),
]
