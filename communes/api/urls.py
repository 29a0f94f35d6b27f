from rest_framework.routers import DefaultRouter

from .views import CommuneViewSet, ProvinceViewSet

router = DefaultRouter()
router.register("provinces", ProvinceViewSet, basename="province")
router.register("communes", CommuneViewSet, basename="commune")

urlpatterns = router.urls
