from django.urls import path

from .views import communes, directives, proposals, visit_edits, visit_items, visits

# Mounted under /kiem-tra/ (portal/urls.py).
urlpatterns = [
    path("", visits.VisitListView.as_view(), name="visit-list"),
    path("ghi-nhan/", visits.RecordVisitView.as_view(), name="visit-create"),
    path("<int:pk>/", visits.VisitDetailView.as_view(), name="visit-detail"),
    path("<int:pk>/thanh-phan-ket-luan/", visit_edits.VisitTextsView.as_view(), name="visit-texts"),
    path("<int:pk>/giao-nhiem-vu/", visit_edits.DirectiveCreateView.as_view(), name="visit-directive"),
    path("xa-duoc-kiem-tra/<int:pk>/", visit_edits.VisitedCommuneView.as_view(), name="visited-commune"),
    path(
        "xa-duoc-kiem-tra/<int:pk>/kho-khan/", visit_edits.FindingCreateView.as_view(), name="visit-finding"
    ),
    path(
        "xa-duoc-kiem-tra/<int:pk>/kien-nghi/",
        visit_edits.ProposalCreateView.as_view(),
        name="visit-proposal",
    ),
    path("kho-khan/<int:pk>/sua/", visit_items.FindingEditView.as_view(), name="finding-edit"),
    path("kho-khan/<int:pk>/xoa/", visit_items.FindingDeleteView.as_view(), name="finding-delete"),
    path("kien-nghi/<int:pk>/sua/", visit_items.ProposalEditView.as_view(), name="proposal-edit"),
    path("kien-nghi/<int:pk>/xoa/", visit_items.ProposalDeleteView.as_view(), name="proposal-delete"),
    path("nhiem-vu/", directives.DirectiveBoardView.as_view(), name="directive-board"),
    path("nhiem-vu/<int:pk>/", directives.DirectiveDetailView.as_view(), name="directive-detail"),
    path("nhiem-vu/<int:pk>/tien-do/", directives.DirectiveProgressView.as_view(), name="directive-progress"),
    path("nhiem-vu/<int:pk>/sua/", directives.DirectiveEditView.as_view(), name="directive-edit"),
    path("kien-nghi/", proposals.ProposalListView.as_view(), name="proposal-list"),
    path("kien-nghi/<int:pk>/tra-loi/", proposals.ProposalAnswerView.as_view(), name="proposal-answer"),
    path("xa/", communes.CommuneInspectionsView.as_view(), name="inspection-commune-own"),
    path("xa/<str:code>/", communes.CommuneInspectionsView.as_view(), name="inspection-commune"),
]
