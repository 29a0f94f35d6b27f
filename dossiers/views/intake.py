"""Placeholder: being written."""

from django.http import HttpResponse
from django.views import View


class _Pending(View):
    def dispatch(self, request, *args, **kwargs):
        return HttpResponse("Chưa hoàn thành.", status=501)


class DossierCreateView(_Pending):
    pass


class DueDatePreviewView(_Pending):
    pass


class ProcedureSearchView(_Pending):
    pass


class ReceiptSlipView(_Pending):
    pass
