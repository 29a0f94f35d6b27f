from django.urls import path

from .views import catalogue, detail, imports, intake, lookup, printing, worklist

urlpatterns = [
    path("ho-so/", worklist.DossierListView.as_view(), name="dossier-list"),
    path("ho-so/xuat-excel/", worklist.DossierExportView.as_view(), name="dossier-export"),
    path("ho-so/tiep-nhan/", intake.DossierCreateView.as_view(), name="dossier-create"),
    path("ho-so/tiep-nhan/han-giai-quyet/", intake.DueDatePreviewView.as_view(), name="dossier-due-preview"),
    path("ho-so/tiep-nhan/thu-tuc/", intake.ProcedureSearchView.as_view(), name="procedure-search"),
    path("ho-so/nhap-tu-tep/", imports.DossierImportView.as_view(), name="dossier-import"),
    path("ho-so/<str:code>/", detail.DossierDetailView.as_view(), name="dossier-detail"),
    path("ho-so/<str:code>/chuyen-trang-thai/", detail.DossierMoveView.as_view(), name="dossier-move"),
    path("ho-so/<str:code>/sua/", detail.DossierEditView.as_view(), name="dossier-edit"),
    path("ho-so/<str:code>/phieu-tiep-nhan/", intake.ReceiptSlipView.as_view(), name="dossier-receipt"),
    # form: "02" supplement request, "04" apology letter, "06" process control slip.
    path("ho-so/<str:code>/in/mau-<str:form>/", printing.DossierPrintView.as_view(), name="dossier-print"),
    path("thu-tuc/", catalogue.ProcedureListView.as_view(), name="procedure-list"),
    path("tra-cuu/", lookup.PublicLookupView.as_view(), name="public-lookup"),
]
