"""The dossier status workflow (DOMAIN.md §3): the allowed moves and what each status counts as.

The one place that says which move is legal; services.py enforces it, the UI and the API ask it
which buttons to show.
"""

from django.utils.translation import gettext_lazy as _

from .choices import Status

S = Status

ALLOWED_MOVES: dict[int, frozenset[int]] = {
    S.SUBMITTED: frozenset({S.RECEIVED, S.REFUSED}),
    S.RECEIVED: frozenset({S.PROCESSING, S.WITHDRAWN, S.RESOLVED}),
    S.REFUSED: frozenset(),
    S.PROCESSING: frozenset({S.SUPPLEMENT_REQUESTED, S.FEE_REQUESTED, S.WITHDRAWN, S.STOPPED, S.RESOLVED}),
    S.SUPPLEMENT_REQUESTED: frozenset({S.PROCESSING, S.WITHDRAWN}),
    S.FEE_REQUESTED: frozenset({S.PROCESSING, S.WITHDRAWN}),
    S.WITHDRAWN: frozenset(),
    S.STOPPED: frozenset(),
    S.RESOLVED: frozenset({S.RETURNED}),
    S.RETURNED: frozenset(),
}

#: Received and not finished: counted as pending in the statistics.
PENDING = frozenset({S.RECEIVED, S.PROCESSING, S.SUPPLEMENT_REQUESTED, S.FEE_REQUESTED})
#: The clock is stopped while the citizen supplements documents or pays.
PAUSED = frozenset({S.SUPPLEMENT_REQUESTED, S.FEE_REQUESTED})
#: Pending and the clock running: such a dossier can become overdue.
RUNNING = PENDING - PAUSED
#: Statuses that end processing (finished_at is set when a dossier reaches one).
FINISHING = frozenset({S.REFUSED, S.WITHDRAWN, S.STOPPED, S.RESOLVED})
#: Statuses a dossier may be created in: online submissions start at 1, everything else at 2.
INITIAL = frozenset({S.SUBMITTED, S.RECEIVED})

#: The verb on a move's button, by target status (the label of the status is the noun).
MOVE_VERBS = {
    S.RECEIVED: _("Tiếp nhận"),
    S.REFUSED: _("Từ chối tiếp nhận"),
    S.PROCESSING: _("Chuyển xử lý"),
    S.SUPPLEMENT_REQUESTED: _("Yêu cầu bổ sung"),
    S.FEE_REQUESTED: _("Yêu cầu nộp phí, thuế"),
    S.WITHDRAWN: _("Rút hồ sơ"),
    S.STOPPED: _("Dừng xử lý"),
    S.RESOLVED: _("Hoàn thành xử lý"),
    S.RETURNED: _("Trả kết quả"),
}


def move_verb(from_status: int, to_status: int) -> str:
    """What the button says: back to processing after a pause reads "resume", not "start"."""
    if to_status == S.PROCESSING and from_status in PAUSED:
        return _("Tiếp tục xử lý")
    return MOVE_VERBS[to_status]


def allowed_moves(status: int) -> frozenset[int]:
    return ALLOWED_MOVES.get(status, frozenset())


def is_allowed(from_status: int, to_status: int) -> bool:
    return to_status in allowed_moves(from_status)
