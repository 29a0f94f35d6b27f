"""Domain errors of the dossier workflow, each with a stable code the API returns and tests assert."""

from django.core.exceptions import ValidationError

ILLEGAL_TRANSITION = "illegal-transition"
INVALID_TIME = "invalid-time"
COMMUNE_INACTIVE = "commune-inactive"
STALE_VERSION = "stale-version"
INVALID_INITIAL_STATUS = "invalid-initial-status"
PROCEDURE_INACTIVE = "procedure-inactive"
NO_SERVICE_CENTRE = "no-service-centre"
DUPLICATE_CODE = "duplicate-code"
READ_ONLY_FIELD = "read-only-field"


class DossierError(ValidationError):
    """A refusal a clerk or an API client can act on: `code` is stable, the message Vietnamese."""

    def __init__(self, message, code, params=None):
        super().__init__(message, code=code, params=params)
        self.error_code = code
