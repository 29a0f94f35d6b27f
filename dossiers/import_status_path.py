"""The status path of an imported row: from its status and times to the steps that replay it.

A row gives the dossier's current status and the times of the path that led there. TIME_RULES says
which times each status needs and which it may have; `check_path` turns the times into the steps
intake -> ... -> status (a pause of the right kind included), each an allowed workflow move, in
time order and not in the future, or reports why they do not make one.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.utils.translation import gettext as _

from . import workflow
from .choices import Channel, Status
from .import_columns import format_time, quoted_label
from .import_problems import safe_echo

NOP, TIEP_NHAN, XU_LY = "thoi_diem_nop", "thoi_diem_tiep_nhan", "thoi_diem_xu_ly"
TAM_DUNG, TIEP_TUC = "thoi_diem_tam_dung", "thoi_diem_tiep_tuc"
KET_THUC, TRA = "thoi_diem_ket_thuc", "thoi_diem_tra_ket_qua"
TIME_COLUMNS = (NOP, TIEP_NHAN, XU_LY, TAM_DUNG, TIEP_TUC, KET_THUC, TRA)

#: For each status: the time columns a row needs, and those it may have; the others stay empty.
#: (Also: a pause needs the processing time; a resumption needs the pause; see check_path.)
TIME_RULES: dict[int, tuple[tuple[str, ...], tuple[str, ...]]] = {
    1: ((NOP,), ()),
    2: ((TIEP_NHAN,), (NOP,)),
    3: ((NOP, KET_THUC), ()),
    4: ((TIEP_NHAN, XU_LY), (NOP, TAM_DUNG, TIEP_TUC)),
    5: ((TIEP_NHAN, XU_LY, TAM_DUNG), (NOP,)),
    6: ((TIEP_NHAN, XU_LY, TAM_DUNG), (NOP,)),
    7: ((TIEP_NHAN, KET_THUC), (NOP, XU_LY, TAM_DUNG, TIEP_TUC)),
    8: ((TIEP_NHAN, XU_LY, KET_THUC), (NOP, TAM_DUNG, TIEP_TUC)),
    9: ((TIEP_NHAN, KET_THUC), (NOP, XU_LY, TAM_DUNG, TIEP_TUC)),
    10: ((TIEP_NHAN, KET_THUC, TRA), (NOP, XU_LY, TAM_DUNG, TIEP_TUC)),
}
#: Statuses where a pause may stay open (no resumption time): paused now, or withdrawn while paused.
OPEN_PAUSE = frozenset({Status.SUPPLEMENT_REQUESTED, Status.FEE_REQUESTED, Status.WITHDRAWN})


@dataclass(frozen=True)
class Step:
    """One move of the replay: to `status` at `at`, the time read from the row's `column`."""

    status: int
    at: dt.datetime
    column: str


def check_path(status, channel, times, pause_kind_text, now, problem):
    """The steps from intake to `status`, or None after reporting why the times do not make one."""
    required, optional = TIME_RULES[status]
    label = f"{status} ({Status(status).label})"
    ok = True
    for column in required:
        if column not in times:
            problem(
                _("Thiếu %(column)s: bắt buộc với trạng thái %(status)s.")
                % {"column": quoted_label(column), "status": label}
            )
            ok = False
    for column in times:
        if column not in required and column not in optional:
            problem(
                _("%(column)s phải để trống với trạng thái %(status)s.")
                % {"column": quoted_label(column), "status": label}
            )
            ok = False
    if TAM_DUNG in times and XU_LY not in times:
        problem(
            _("Có %(pause)s thì phải có %(start)s: chỉ tạm dừng khi đang xử lý.")
            % {"pause": quoted_label(TAM_DUNG), "start": quoted_label(XU_LY)}
        )
        ok = False
    if TIEP_TUC in times and TAM_DUNG not in times:
        problem(
            _("Có %(resume)s thì phải có %(pause)s.")
            % {"resume": quoted_label(TIEP_TUC), "pause": quoted_label(TAM_DUNG)}
        )
        ok = False
    if TAM_DUNG in times and TIEP_TUC not in times and status not in OPEN_PAUSE:
        problem(
            _("Trạng thái %(status)s có %(pause)s thì phải có %(resume)s.")
            % {"status": label, "pause": quoted_label(TAM_DUNG), "resume": quoted_label(TIEP_TUC)}
        )
        ok = False
    pause_kind = _pause_kind(status, times, pause_kind_text, problem)
    if status in (Status.SUBMITTED, Status.REFUSED) and channel != Channel.ONLINE:
        problem(
            _("Chỉ hồ sơ trực tuyến mới có trạng thái 1 hoặc 3 (chưa được tiếp nhận)."),
            "invalid-initial-status",
        )
        ok = False
    if channel != Channel.ONLINE and NOP in times and TIEP_NHAN in times and times[NOP] != times[TIEP_NHAN]:
        problem(
            _(
                "Hồ sơ trực tiếp, qua bưu chính được tiếp nhận ngay khi nộp: "
                "để trống %(nop)s hoặc ghi bằng %(receipt)s."
            )
            % {"nop": quoted_label(NOP), "receipt": quoted_label(TIEP_NHAN)}
        )
        ok = False
    if not ok or pause_kind is None:
        return None

    steps = []
    # An online dossier accepted later starts at 1; submitted and received at once, at 2.
    if NOP in times and (TIEP_NHAN not in times or times[NOP] != times[TIEP_NHAN]):
        steps.append(Step(Status.SUBMITTED, times[NOP], NOP))
    if TIEP_NHAN in times:
        steps.append(Step(Status.RECEIVED, times[TIEP_NHAN], TIEP_NHAN))
    if XU_LY in times:
        steps.append(Step(Status.PROCESSING, times[XU_LY], XU_LY))
    if TAM_DUNG in times:
        steps.append(Step(pause_kind, times[TAM_DUNG], TAM_DUNG))
    if TIEP_TUC in times:
        steps.append(Step(Status.PROCESSING, times[TIEP_TUC], TIEP_TUC))
    if KET_THUC in times:
        finish = Status.RESOLVED if status == Status.RETURNED else status
        steps.append(Step(finish, times[KET_THUC], KET_THUC))
    if TRA in times:
        steps.append(Step(Status.RETURNED, times[TRA], TRA))

    for before, after in zip(steps, steps[1:], strict=False):
        if after.at < before.at:
            problem(
                _(
                    "%(after)s (%(at)s) trước %(before)s (%(previous)s): "
                    "các bước phải theo đúng thứ tự thời gian."
                )
                % {
                    "after": quoted_label(after.column),
                    "at": format_time(after.at),
                    "before": quoted_label(before.column),
                    "previous": format_time(before.at),
                },
                "invalid-time",
            )
            ok = False
    for step in steps:
        if step.at > now:
            problem(
                _("%(column)s (%(at)s) ở tương lai.")
                % {"column": quoted_label(step.column), "at": format_time(step.at)},
                "invalid-time",
            )
            ok = False
    moves_ok = all(workflow.is_allowed(a.status, b.status) for a, b in zip(steps, steps[1:], strict=False))
    if ok and (not moves_ok or steps[-1].status != status):  # a safety net: the rules above prevent it
        problem(
            _("Các thời điểm không tạo thành quá trình xử lý hợp lệ dẫn tới trạng thái %(status)s.")
            % {"status": label}
        )
        ok = False
    return steps if ok else None


def _pause_kind(status, times, text, problem):
    """5 (supplement) or 6 (fees): the status of the pause the row describes; None when invalid."""
    if text == "":
        return status if status in workflow.PAUSED else Status.SUPPLEMENT_REQUESTED
    if TAM_DUNG not in times:
        problem(_("“Loại tạm dừng” chỉ ghi khi có %(pause)s.") % {"pause": quoted_label(TAM_DUNG)})
        return None
    if text not in ("5", "6"):
        problem(
            _("“Loại tạm dừng” “%(value)s” không hợp lệ: 5 (bổ sung giấy tờ) hoặc 6 (nghĩa vụ tài chính).")
            % {"value": safe_echo(text)}
        )
        return None
    if status in workflow.PAUSED and int(text) != status:
        problem(_("“Loại tạm dừng” phải trùng trạng thái %(status)d.") % {"status": status})
        return None
    return int(text)
