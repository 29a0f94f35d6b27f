from rest_framework.routers import SimpleRouter

from .directive_views import DirectiveViewSet
from .views import DepartmentViewSet, WorkingGroupViewSet
from .visit_views import FindingViewSet, ProposalViewSet, VisitViewSet

router = SimpleRouter()
router.register("departments", DepartmentViewSet, basename="department")
router.register("working-groups", WorkingGroupViewSet, basename="working-group")
router.register("visits", VisitViewSet, basename="visit")
router.register("findings", FindingViewSet, basename="finding")
router.register("proposals", ProposalViewSet, basename="proposal")
router.register("directives", DirectiveViewSet, basename="directive")

urlpatterns = router.urls
