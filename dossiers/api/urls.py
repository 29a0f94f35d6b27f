from rest_framework.routers import SimpleRouter

from .procedures import ProcedureViewSet
from .views import DossierViewSet

router = SimpleRouter()
router.register("procedures", ProcedureViewSet, basename="procedure")
router.register("dossiers", DossierViewSet, basename="dossier")

urlpatterns = router.urls
