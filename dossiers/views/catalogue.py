"""The procedure catalogue page (/thu-tuc/): what a centre handles, how long it takes, what it costs."""

from django.contrib.auth.mixins import LoginRequiredMixin
from django.views.generic import ListView

from dossiers.choices import OnlineLevel
from dossiers.filtersets import ProcedureFilterSet
from dossiers.models import Procedure


class ProcedureListView(LoginRequiredMixin, ListView):
    """The procedures in use, grouped by field, through `ProcedureFilterSet` (any signed-in account)."""

    template_name = "dossiers/procedure_list.html"
    context_object_name = "procedures"
    # A commune handles a few hundred procedures; a page holds a whole field or several.
    paginate_by = 100

    def get_queryset(self):
        base = Procedure.objects.visible_to(self.request.user).active()
        data = self.request.GET.copy()
        data.pop("page", None)
        data.pop("is_active", None)  # the page lists procedures in use only
        self.filterset = ProcedureFilterSet(data, queryset=base, request=self.request)
        if not self.filterset.is_valid():
            return base.none()
        return self.filterset.qs.order_by("field", "code")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        params = self.request.GET
        context.update(
            filterset=self.filterset,
            fields=(
                Procedure.objects.visible_to(self.request.user)
                .active()
                .order_by("field")
                .values_list("field", flat=True)
                .distinct()
            ),
            online_levels=OnlineLevel.choices,
            selected={
                "search": params.get("search", ""),
                "field": params.get("field", ""),
                "online_level": params.get("online_level", ""),
            },
        )
        return context
