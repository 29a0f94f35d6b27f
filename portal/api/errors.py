"""API error responses: every error body carries a stable machine `code`.

DRF's default body for a ValidationError is the field map only; clients need a
top-level code they can switch on (e.g. "invalid", "not_found", "illegal-transition").
"""

from django.core.exceptions import ValidationError as DjangoValidationError
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler


def _first_code(detail):
    if isinstance(detail, list) and detail:
        return _first_code(detail[0])
    if isinstance(detail, dict) and detail:
        return _first_code(next(iter(detail.values())))
    return getattr(detail, "code", None)


def exception_handler(exc, context):
    if isinstance(exc, DjangoValidationError):
        # Domain errors raised by services: expose their message(s) and stable code.
        messages = exc.message_dict if hasattr(exc, "error_dict") else {"non_field_errors": exc.messages}
        inner = (
            [e for errors in exc.error_dict.values() for e in errors] if hasattr(exc, "error_dict") else []
        )
        inner += exc.error_list if hasattr(exc, "error_list") else []
        code = getattr(exc, "code", None) or next((e.code for e in inner if e.code), None)
        return Response(
            {"code": code or "invalid", "detail": " ".join(exc.messages), "errors": messages},
            status=status.HTTP_400_BAD_REQUEST,
        )
    response = drf_exception_handler(exc, context)
    if response is None:
        return None
    if isinstance(exc, exceptions.ValidationError):
        response.data = {"code": _first_code(exc.detail) or "invalid", "errors": exc.detail}
    elif isinstance(response.data, dict) and "detail" in response.data:
        # Django's Http404/PermissionDenied reach here too and have no `detail` of their own.
        code = getattr(exc, "default_code", None) or _first_code(getattr(exc, "detail", None))
        response.data["code"] = code or ("not_found" if response.status_code == 404 else "error")
    return response
