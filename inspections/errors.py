"""Domain errors of the inspections, each with a stable code the API returns and tests assert.

A refusal for bad input is an InspectionError (a ValidationError: message in Vietnamese, `code`
stable). Acting outside one's role or province is django.core.exceptions.PermissionDenied.
"""

from django.core.exceptions import ValidationError

#: The visit date is after today.
VISIT_IN_FUTURE = "visit-in-future"
#: A visit names no commune.
NO_COMMUNES = "no-communes"
#: The same commune twice in one visit.
DUPLICATE_COMMUNE = "duplicate-commune"
#: A commune (or a department) of another province than the working group's.
OUTSIDE_PROVINCE = "outside-province"
#: The commune did not exist on the visit date (units are versions: see communes.models.Commune).
COMMUNE_INACTIVE = "commune-inactive"
#: A commune code that names no unit.
UNKNOWN_COMMUNE = "unknown-commune"
#: A figures period that ends on or after the visit date.
PERIOD_NOT_BEFORE_VISIT = "period-not-before-visit"
#: A figures period that starts after its end, or is longer than 3 years.
INVALID_PERIOD = "invalid-period"
#: A period given for a commune that is not on the visit.
PERIOD_FOR_UNKNOWN_COMMUNE = "period-for-unknown-commune"
#: A text that must not be empty (finding, proposal, directive, progress note).
TEXT_REQUIRED = "text-required"
#: A finding category that is not one of FindingCategory.
INVALID_CATEGORY = "invalid-category"
#: A status that is not allowed here (ProposalStatus / DirectiveStatus).
INVALID_STATUS = "invalid-status"
#: A proposal marked answered without an answer.
ANSWER_REQUIRED = "answer-required"
#: A directive assigned to nobody or to both a department and a commune.
INVALID_ASSIGNEE = "invalid-assignee"
#: A directive due before the date of its visit.
DUE_BEFORE_VISIT = "due-before-visit"
#: A visited commune that belongs to another visit.
VISITED_COMMUNE_MISMATCH = "visited-commune-mismatch"
#: A progress date in the future or before the visit.
INVALID_DATE = "invalid-date"
#: A working group number already used in the province.
DUPLICATE_GROUP = "duplicate-group"
#: Editing or deleting a proposal already accepted or answered.
PROPOSAL_ANSWERED = "proposal-answered"


class InspectionError(ValidationError):
    """A refusal an inspector or an API client can act on: `code` is stable, the message Vietnamese."""

    def __init__(self, message, code, params=None):
        super().__init__(message, code=code, params=params)
        self.error_code = code
