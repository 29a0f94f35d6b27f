from django.urls import path

from . import views

urlpatterns = [
    path("don-vi/", views.CommuneListView.as_view(), name="commune-list"),
    path("don-vi/<str:code>/", views.CommuneDetailView.as_view(), name="commune-detail"),
]
