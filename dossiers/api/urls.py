from django.urls import path
from rest_framework.routers import SimpleRouter

from .procedures import ProcedureViewSet
from .stats_views import StatsCommunesView, StatsDailyView, StatsFieldsView, StatsSummaryView
from .views import DossierViewSet

router = SimpleRouter()
router.register("procedures", ProcedureViewSet, basename="procedure")
router.register("dossiers", DossierViewSet, basename="dossier")

urlpatterns = router.urls
urlpatterns += [
    path("stats/summary/", StatsSummaryView.as_view(), name="stats-summary"),
    path("stats/daily/", StatsDailyView.as_view(), name="stats-daily"),
    path("stats/communes/", StatsCommunesView.as_view(), name="stats-communes"),
    path("stats/fields/", StatsFieldsView.as_view(), name="stats-fields"),
]
