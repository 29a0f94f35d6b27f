"""The site shell: the home page every signed-in user lands on."""

from django.contrib.auth.mixins import LoginRequiredMixin
from django.views.generic import TemplateView

from communes.scope import scope_of


class HomeView(LoginRequiredMixin, TemplateView):
    template_name = "portal/home.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        scope = scope_of(self.request.user)
        profile = getattr(self.request.user, "staff_profile", None)
        context["profile"] = profile
        context["scope"] = scope
        return context
