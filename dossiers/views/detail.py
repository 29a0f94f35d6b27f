"""Placeholder: being written."""

from django.http import HttpResponse
from django.views import View


class _Pending(View):
    def dispatch(self, request, *args, **kwargs):
        return HttpResponse("Chưa hoàn thành.", status=501)


class DossierDetailView(_Pending):
    pass


class DossierMoveView(_Pending):
    pass


class DossierEditView(_Pending):
    pass
