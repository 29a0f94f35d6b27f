"""HTML views of the administrative units (placeholder until the helper fills it in)."""

from django.contrib.auth.mixins import LoginRequiredMixin
from django.views.generic import DetailView, ListView

from .models import Commune


class CommuneListView(LoginRequiredMixin, ListView):
    model = Commune
    template_name = "communes/commune_list.html"


class CommuneDetailView(LoginRequiredMixin, DetailView):
    model = Commune
    template_name = "communes/commune_detail.html"
