"""The worklist (/ho-so/) and its Excel export (/ho-so/xuat-excel/).

Both start from `Dossier.objects.visible_to(user)`, filter through the shared `DossierFilterSet`
and order the same way, so the file holds exactly what the page lists, nothing out of scope.
"""

from __future__ import annotations

import datetime as dt
import re

from django.core.paginator import Paginator
from django.db.models import Case, F, IntegerField, Value, When
from django.http import HttpResponseBadRequest, StreamingHttpResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.generic import ListView

from communes.choices import COMMUNE_ROLES
from communes.models import Commune, Province, ServiceCentre
from communes.scope import scope_of
from portal.formatting import vn_number
from portal.mixins import StaffRequiredMixin

from .. import export, workflow
from ..choices import Channel, Status
from ..filtersets import DossierFilterSet
from ..models import Dossier, Procedure
from ..privacy import mask_id_number, sees_personal_data

PAGE_SIZE = 50
MAX_PAGE_SIZE = 200
PAGE_SIZE_CHOICES = (50, 100, 200)

#: Sortable columns: the `ordering` values the FilterSet accepts and what clicking a header does first.
SORTABLE = {"due_at": "due_at", "received_at": "-received_at", "code": "code"}

#: Statuses that still need the centre's action: they come first in the default order.
_ACTIONABLE = sorted({Status.SUBMITTED, *workflow.PENDING})

#: Parameters the quick-filter chips set; a chip replaces them and keeps the other filters.
_CHIP_KEYS = ("status", "overdue", "due_within")
QUICK_FILTERS = (
    ("overdue", gettext_lazy("Quá hạn"), {"overdue": ["true"]}),
    ("today", gettext_lazy("Đến hạn hôm nay"), {"due_within": ["0"]}),
    ("3days", gettext_lazy("Đến hạn trong 3 ngày"), {"due_within": ["3"]}),
    ("paused", gettext_lazy("Đang tạm dừng"), {"status": [str(s) for s in sorted(workflow.PAUSED)]}),
)


def ordering_expressions(requested):
    """ORDER BY for the `ordering` values (["-due_at"], ...), nulls last, the id as tiebreak.

    With no choice: dossiers awaiting action (statuses 1, 2, 4, 5, 6) before finished ones, each
    by due date ascending, so the first page of a busy centre is what is due next, not January's.
    """
    if not requested:
        return [
            Case(When(status__in=_ACTIONABLE, then=Value(0)), default=Value(1), output_field=IntegerField()),
            F("due_at").asc(nulls_last=True),
            F("id").asc(),
        ]
    expressions = []
    for value in requested:
        name = value.lstrip("-")
        expr = F(name).desc(nulls_last=True) if value.startswith("-") else F(name).asc(nulls_last=True)
        expressions.append(expr)
    expressions.append(F("id").desc() if requested[0].startswith("-") else F("id").asc())
    return expressions


def describe_filters(filterset) -> list[str]:
    """The applied filters in words ("Trạng thái: Đang xử lý"), for the export's title row."""
    if not filterset.is_valid():
        return []
    lines = []
    for name, value in filterset.form.cleaned_data.items():
        if value in (None, "", []) or name == "ordering":
            continue
        label = filterset.form.fields[name].label
        if name == "status":
            text = ", ".join(f"{v} – {Status(v).label}" for v in sorted(value))
        elif name == "channel":
            text = Channel(value).label
        elif name == "overdue":
            text = _("Có") if value else _("Không")
        elif isinstance(value, dt.date):
            text = f"{value:%d/%m/%Y}"
        elif name == "due_within":
            text = vn_number(value)
        else:
            text = str(value)
        lines.append(f"{label}: {text}")
    return lines


def scope_caption(user) -> tuple[str, str]:
    """What the list covers in words, and the tag for a file name.

    ("Xã Thượng Cốc (H25.05293)", "H25.05293") for a commune's staff, the province for an inspector.
    """
    scope = scope_of(user)
    if scope.commune_id is not None:
        centre = ServiceCentre.objects.select_related("commune").filter(commune_id=scope.commune_id).first()
        if centre is not None:
            return f"{centre.commune.full_name} ({centre.agency_code})", centre.agency_code
        commune = Commune.objects.get(pk=scope.commune_id)
        return commune.full_name, commune.code
    if scope.province_id is not None:
        province = Province.objects.get(pk=scope.province_id)
        return province.full_name, f"tinh-{province.code}"
    return _("Tất cả đơn vị"), "tat-ca"


def _chip_is_active(params, values) -> bool:
    """The request's status/deadline filters are exactly the chip's."""
    return all(sorted(params.getlist(name)) == sorted(values.get(name, [])) for name in _CHIP_KEYS)


class DossierFilteringMixin(StaffRequiredMixin):
    """The scoped, filtered and ordered dossiers of the request, shared by the page and the file."""

    def filtered_dossiers(self):
        user = self.request.user
        base = Dossier.objects.visible_to(user).select_related("commune", "procedure")
        self.filterset = DossierFilterSet(self.request.GET, queryset=base, request=self.request)
        if not self.filterset.is_valid():
            return base.none()
        requested = self.filterset.form.cleaned_data.get("ordering") or []
        return self.filterset.qs.order_by(*ordering_expressions(requested))


class DossierListView(DossierFilteringMixin, ListView):
    """A commune's (an inspector's province's, an admin's) dossiers, filtered, sorted, 50 a page."""

    template_name = "dossiers/dossier_list.html"
    context_object_name = "dossiers"
    paginate_by = PAGE_SIZE

    def get_queryset(self):
        self.now = timezone.now()
        return self.filtered_dossiers().with_is_overdue(self.now)

    def get_paginate_by(self, queryset):
        try:
            size = int(self.request.GET.get("page_size", PAGE_SIZE))
        except ValueError:
            return PAGE_SIZE
        return min(max(size, 1), MAX_PAGE_SIZE)

    def paginate_queryset(self, queryset, page_size):
        """The page's ids from a narrow sorted query, then only those rows with their joins.

        A commune has tens of thousands of dossiers: sorting ids is cheap, sorting every joined
        row to keep 50 is not. A page number past the end (filters narrowed since) shows the
        last page, not a 404.
        """
        paginator = Paginator(queryset.values_list("pk", flat=True), page_size)
        page = paginator.get_page(self.request.GET.get(self.page_kwarg))
        ids = list(page.object_list)
        rows = queryset.order_by().in_bulk(ids)
        page.object_list = [rows[pk] for pk in ids]
        return paginator, page, page.object_list, page.has_other_pages()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user, params = self.request.user, self.request.GET
        scope = scope_of(user)
        today = timezone.localdate(self.now)
        for dossier in context["dossiers"]:
            self._decorate(dossier, user, scope, today)
        procedures = list(Procedure.objects.visible_to(user).only("code", "name", "field").order_by("code"))
        caption, _tag = scope_caption(user)
        context.update(
            filterset=self.filterset,
            caption=caption,
            procedures=procedures,
            fields=sorted({p.field for p in procedures}),
            statuses=Status.choices,
            channels=Channel.choices,
            page_sizes=PAGE_SIZE_CHOICES,
            selected={
                "status": params.getlist("status"),
                "channel": params.get("channel", ""),
                "procedure": params.get("procedure", ""),
                "field": params.get("field", ""),
                "commune": params.get("commune", ""),
                "overdue": params.get("overdue", ""),
                "due_within": params.get("due_within", ""),
                "received_from": params.get("received_from", ""),
                "received_to": params.get("received_to", ""),
                "search": params.get("search", ""),
                "ordering": params.get("ordering", ""),
                "page_size": str(self.get_paginate_by(None)),
            },
            show_commune=scope.role not in COMMUNE_ROLES,
            can_receive=scope.can_change_dossiers and scope.role in COMMUNE_ROLES,
            chips=self._chips(),
            sort_links=self._sort_links(),
            export_url=f"{reverse('dossier-export')}?{self._params_without('page').urlencode()}".rstrip("?"),
        )
        if context["show_commune"] and scope.commune_ids is not None:
            context["communes_in_scope"] = (
                Commune.objects.filter(id__in=scope.commune_ids).only("code", "name", "kind").order_by("code")
            )
        return context

    @staticmethod
    def _decorate(dossier, user, scope, today):
        """Per-row display values, computed in Python: no query per row."""
        full = sees_personal_data(user, dossier)
        dossier.id_number_shown = (
            dossier.applicant_id_number if full else mask_id_number(dossier.applicant_id_number)
        )
        dossier.id_number_masked = not full
        dossier.due_today = (
            dossier.status in workflow.RUNNING
            and not dossier.is_overdue_now
            and dossier.due_at is not None
            and timezone.localtime(dossier.due_at).date() == today
        )
        dossier.status_group = (
            "paused"
            if dossier.status in workflow.PAUSED
            else "running"
            if dossier.status in workflow.RUNNING
            else "waiting"
            if dossier.status == Status.SUBMITTED
            else "done"
            if dossier.status in (Status.RESOLVED, Status.RETURNED)
            else "ended"
        )
        # A predecessor unit's dossier in a commune clerk's list (Văn Sơn's in Thượng Cốc's).
        dossier.other_unit = scope.commune_id is not None and dossier.commune_id != scope.commune_id

    def _params_without(self, *keys):
        params = self.request.GET.copy()
        for key in (*keys, "page"):
            params.pop(key, None)
        return params

    def _chips(self):
        """Quick filters: each sets its parameters over the other filters; the active one clears."""
        current = self.request.GET
        chips = []
        for key, label, values in QUICK_FILTERS:
            active = _chip_is_active(current, values)
            params = self._params_without(*_CHIP_KEYS)
            if not active:
                for name, v in values.items():
                    params.setlist(name, v)
            query = params.urlencode()
            chips.append({"key": key, "label": label, "active": active, "url": f"?{query}" if query else "?"})
        return chips

    def _sort_links(self):
        """Per sortable column: the link (first click per SORTABLE, then flips) and aria-sort."""
        requested = self.filterset.form.cleaned_data.get("ordering") if self.filterset.is_valid() else None
        current = requested[0] if requested else "due_at"
        links = {}
        for name, first in SORTABLE.items():
            if current.lstrip("-") == name:
                direction = "descending" if current.startswith("-") else "ascending"
                target = name if current.startswith("-") else f"-{name}"
            else:
                direction, target = "none", first
            params = self._params_without("ordering")
            params["ordering"] = target
            links[name] = {"url": f"?{params.urlencode()}", "sort": direction}
        return links


class DossierExportView(DossierFilteringMixin, View):
    """The filtered worklist as .xlsx: same scope, filters and order; masked unless own commune."""

    def get(self, request, *args, **kwargs):
        dossiers = self.filtered_dossiers()
        if not self.filterset.is_valid():
            problems = "; ".join(
                f"{self.filterset.form.fields[name].label}: {' '.join(errors)}"
                for name, errors in self.filterset.errors.items()
            )
            return HttpResponseBadRequest(
                _("Bộ lọc chưa hợp lệ, chưa xuất được tệp: %(problems)s") % {"problems": problems},
                content_type="text/plain; charset=utf-8",
            )
        now = timezone.now()
        caption, tag = scope_caption(request.user)
        commune_code = self.filterset.form.cleaned_data.get("commune")
        # Name the file after the chosen unit, if it is one (the value is the visitor's own text).
        if re.fullmatch(r"\d{5}", commune_code or "") and scope_of(request.user).commune_id is None:
            tag = commune_code
        response = StreamingHttpResponse(
            export.stream_workbook(
                dossiers.with_is_overdue(now),
                user=request.user,
                caption=caption,
                filters=describe_filters(self.filterset),
                exported_at=now,
            ),
            content_type=export.XLSX_CONTENT_TYPE,
        )
        filename = export.export_filename(tag, timezone.localdate(now))
        response["Content-Disposition"] = content_disposition_header(True, filename)
        # Personal data: never kept by a shared cache or the browser's disk cache.
        response["Cache-Control"] = "private, no-store"
        return response
