"""Placeholder: being written."""

from django.http import HttpResponse
from django.views import View


class _Pending(View):
    def dispatch(self, request, *args, **kwargs):
        return HttpResponse("Chưa hoàn thành.", status=501)


class CommuneDashboardView(_Pending):
    pass
