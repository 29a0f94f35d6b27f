"""How the dossier services' refusals (DossierError) answer over HTTP.

The stable code travels unchanged; only the status differs: a move the workflow forbids is a
conflict with the dossier's current state (409), a save based on an older version fails its
precondition (412), and everything else is bad input the client can fix (400).
"""

from rest_framework import serializers, status
from rest_framework.response import Response

from dossiers import errors
from dossiers.errors import DossierError

STATUS_BY_CODE = {
    errors.ILLEGAL_TRANSITION: status.HTTP_409_CONFLICT,
    errors.STALE_VERSION: status.HTTP_412_PRECONDITION_FAILED,
}


def status_for(code: str) -> int:
    return STATUS_BY_CODE.get(code, status.HTTP_400_BAD_REQUEST)


def dossier_error_response(exc: DossierError) -> Response:
    """{"code": ..., "detail": ...}: the same body shape as the project's other API errors."""
    return Response(
        {"code": exc.error_code, "detail": " ".join(str(m) for m in exc.messages)},
        status=status_for(exc.error_code),
    )


class DossierErrorSerializer(serializers.Serializer):
    """Schema of an error body: a stable code, and a message (refusals) or field messages (bad input)."""

    code = serializers.CharField(help_text="Stable machine code, e.g. illegal-transition, stale-version.")
    detail = serializers.CharField(
        required=False, help_text="A refusal's message for the clerk (Vietnamese by default)."
    )
    errors = serializers.DictField(
        child=serializers.ListField(child=serializers.CharField()),
        required=False,
        help_text="Bad input: messages by field name.",
    )
