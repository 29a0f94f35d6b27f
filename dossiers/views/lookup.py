"""The public look-up at /tra-cuu/: where a citizen's dossier stands (the receipt slip's QR code).

Anyone may use it, signed in or not, usually on a phone. It shows only what the holder of the
receipt slip needs: code, status in plain words, procedure, dates, the receiving centre, and the
applicant's initials ("N** V** A"). The ID number, phone and address are never even read: the
query loads only the public columns, and the template gets a `PublicDossier`, not the model.

Guessing codes must not pay: look-ups are rate limited per client and overall (dossiers.ratelimit),
and an unknown code and a malformed one get the same answer — same status, same template branch,
same text. Both also cost the same: every look-up runs exactly one indexed query on the unique
code; a malformed code (or one longer than the column) is searched as "", which no dossier has.

The URL holds the code, so responses are neither cached nor indexed nor sent on as a Referer.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.core.exceptions import ObjectDoesNotExist
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _
from django.views import View

from .. import ratelimit
from ..choices import Status
from ..codes import is_well_formed
from ..models import Dossier
from ..privacy import mask_name
from ..ratelimit import RateLimit

#: Look-ups (requests carrying a code) per client address, and for everyone together.
PER_CLIENT_LIMIT = RateLimit(requests=20, seconds=600)
OVERALL_LIMIT = RateLimit(requests=600, seconds=60)
RATE_SCOPE = "public-lookup"
#: How much of the typed text is echoed back into the field.
MAX_ECHO = 60

#: Status -> (wording for citizens, what it means for them, tone for the badge).
PUBLIC_STATUS = {
    Status.SUBMITTED: (
        _("Mới đăng ký, chờ tiếp nhận"),
        _("Hồ sơ nộp trực tuyến đang chờ cán bộ kiểm tra và tiếp nhận."),
        "waiting",
    ),
    Status.RECEIVED: (_("Đã tiếp nhận, chờ xử lý"), "", "progress"),
    Status.REFUSED: (
        _("Không được tiếp nhận"),
        _("Vui lòng liên hệ nơi tiếp nhận hồ sơ để biết lý do."),
        "ended",
    ),
    Status.PROCESSING: (_("Đang xử lý"), "", "progress"),
    Status.SUPPLEMENT_REQUESTED: (
        _("Cần bổ sung giấy tờ"),
        _(
            "Vui lòng liên hệ nơi tiếp nhận hồ sơ để biết giấy tờ cần bổ sung. Thời hạn giải quyết "
            "tạm dừng đến khi nhận đủ giấy tờ; ngày hẹn trả kết quả sẽ được lùi tương ứng."
        ),
        "action",
    ),
    Status.FEE_REQUESTED: (
        _("Cần thực hiện nghĩa vụ tài chính"),
        _(
            "Vui lòng nộp phí, lệ phí hoặc thuế theo thông báo. Thời hạn giải quyết tạm dừng trong "
            "thời gian này; ngày hẹn trả kết quả sẽ được lùi tương ứng."
        ),
        "action",
    ),
    Status.WITHDRAWN: (_("Đã rút hồ sơ theo yêu cầu của công dân"), "", "ended"),
    Status.STOPPED: (
        _("Dừng xử lý"),
        _("Vui lòng liên hệ nơi tiếp nhận hồ sơ để biết lý do."),
        "ended",
    ),
    Status.RESOLVED: (
        _("Đã có kết quả, mời nhận kết quả"),
        _("Mời ông/bà mang giấy tiếp nhận đến nơi tiếp nhận hồ sơ để nhận kết quả."),
        "done",
    ),
    Status.RETURNED: (_("Đã trả kết quả"), "", "done"),
}

#: The only columns a look-up reads: nothing personal beyond the name, which is masked at once.
PUBLIC_COLUMNS = (
    "code",
    "status",
    "applicant_name",
    "submitted_at",
    "received_at",
    "due_at",
    "finished_at",
    "returned_at",
    "procedure__code",
    "procedure__name",
    "commune__name",
    "commune__kind",
    "commune__service_centre__name",
    "commune__service_centre__phone",
)


@dataclass(frozen=True)
class PublicDossier:
    """What the public may know about a dossier."""

    code: str
    status: int
    status_label: str
    status_hint: str
    status_tone: str
    procedure_code: str
    procedure_name: str
    masked_name: str
    centre_name: str
    centre_phone: str
    submitted_at: dt.datetime
    received_at: dt.datetime | None
    due_at: dt.datetime | None
    finished_at: dt.datetime | None
    returned_at: dt.datetime | None

    @property
    def is_paused(self) -> bool:
        return self.status in (Status.SUPPLEMENT_REQUESTED, Status.FEE_REQUESTED)

    @property
    def has_result(self) -> bool:
        return self.status in (Status.RESOLVED, Status.RETURNED)


def normalize(raw: str) -> str:
    """Codes are matched after trimming and upper-casing: " h25.05293-250729-0001 " finds it."""
    return raw.strip().upper()


def find_public_dossier(raw: str) -> PublicDossier | None:
    """The dossier with code `raw` as the public sees it, or None; always exactly one query."""
    code = normalize(raw)
    max_length = Dossier._meta.get_field("code").max_length
    # A malformed code runs the same query as an unknown one (see the module docstring).
    candidate = code if len(code) <= max_length and is_well_formed(code) else ""
    try:
        dossier = (
            Dossier.objects.select_related("procedure", "commune__service_centre")
            .only(*PUBLIC_COLUMNS)
            .order_by()
            .get(code=candidate)
        )
    except Dossier.DoesNotExist:
        return None
    commune = dossier.commune
    try:
        centre = commune.service_centre
        centre_name, centre_phone = centre.name, centre.phone
    except ObjectDoesNotExist:  # a unit merged away before it had a centre on record
        centre_name, centre_phone = commune.full_name, ""
    label, hint, tone = PUBLIC_STATUS.get(dossier.status, (dossier.get_status_display(), "", "progress"))
    return PublicDossier(
        code=dossier.code,
        status=dossier.status,
        status_label=str(label),
        status_hint=str(hint),
        status_tone=tone,
        procedure_code=dossier.procedure.code,
        procedure_name=dossier.procedure.name,
        masked_name=mask_name(dossier.applicant_name),
        centre_name=centre_name,
        centre_phone=centre_phone,
        submitted_at=dossier.submitted_at,
        received_at=dossier.received_at,
        due_at=dossier.due_at,
        finished_at=dossier.finished_at,
        returned_at=dossier.returned_at,
    )


def _private(response):
    """The URL holds the code: keep the answer out of caches, search engines and Referer headers."""
    response["Cache-Control"] = "no-store"
    response["X-Robots-Tag"] = "noindex, nofollow"
    response["Referrer-Policy"] = "no-referrer"
    return response


class PublicLookupView(View):
    """GET /tra-cuu/[?code=...]: the form, and the answer when a code is given. No login."""

    http_method_names = ["get", "head"]
    template_name = "dossiers/public_lookup.html"

    def get(self, request):
        raw = request.GET.get("code", "")
        context = {"code_input": normalize(raw)[:MAX_ECHO]}
        if not raw.strip():
            return self.respond(context)
        refusal = ratelimit.check(request, RATE_SCOPE, per_client=PER_CLIENT_LIMIT, overall=OVERALL_LIMIT)
        if refusal is not None:
            minutes = -(-refusal.retry_after // 60)
            response = self.respond({**context, "refusal": refusal, "retry_minutes": minutes}, status=429)
            response["Retry-After"] = str(refusal.retry_after)
            return response
        dossier = find_public_dossier(raw)
        return self.respond({**context, "searched": True, "dossier": dossier})

    def respond(self, context, status=200):
        return _private(render(self.request, self.template_name, context, status=status))
