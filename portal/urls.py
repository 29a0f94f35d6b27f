from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularRedocView, SpectacularSwaggerView

from . import views
from .api.auth import ObtainTokenView

api_v1 = [
    path("", include("communes.api.urls")),
    path("", include("dossiers.api.urls")),
    path("", include("inspections.api.urls")),
    path("auth/token/", ObtainTokenView.as_view(), name="auth-token"),
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("docs/", SpectacularSwaggerView.as_view(url_name="api:schema"), name="swagger-ui"),
    path("redoc/", SpectacularRedocView.as_view(url_name="api:schema"), name="redoc"),
]

urlpatterns = [
    path("", views.HomeView.as_view(), name="home"),
    path("dang-nhap/", auth_views.LoginView.as_view(redirect_authenticated_user=True), name="login"),
    path("dang-xuat/", auth_views.LogoutView.as_view(), name="logout"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("", include("communes.urls")),
    path("", include("dossiers.urls")),
    path("", include("portal.dashboards.urls")),
    path("kiem-tra/", include("inspections.urls")),
    path("quan-tri/", admin.site.urls),
    path("api/v1/", include((api_v1, "api"))),
]
