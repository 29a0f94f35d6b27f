"""Walk-in visits (/luot-giao-dich/): the day's count of citizens who came to the centre.

Clerks and leaders record today's number for their own centre and may correct it the same day;
an administrator picks a commune and a day to correct. Every save goes through
dossiers.visits.record_walk_in_visits, which marks the figures stale and has them recomputed.
"""

from __future__ import annotations

import datetime as dt

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View

from communes.choices import Role
from communes.models import Commune
from communes.scope import scope_of
from dossiers.models import WalkInVisits
from dossiers.visits import INVALID_COUNT, MAX_VISITS, record_walk_in_visits
from portal.formatting import vn_number
from portal.mixins import RoleRequiredMixin

#: How many days the table of recorded counts covers, ending at the day shown.
HISTORY_DAYS = 30


class WalkInVisitsForm(forms.Form):
    """The count (range checked by the service, so the page shows its message and code)."""

    date = forms.DateField(label=gettext_lazy("Ngày"), widget=forms.HiddenInput)
    count = forms.IntegerField(
        label=gettext_lazy("Số lượt người dân đến giao dịch hôm nay"),
        widget=forms.NumberInput(attrs={"min": 0, "max": MAX_VISITS, "step": 1, "inputmode": "numeric"}),
        error_messages={
            "required": gettext_lazy("Vui lòng nhập số lượt."),
            "invalid": gettext_lazy("Số lượt phải là số nguyên."),
        },
    )


class AdminWalkInVisitsForm(WalkInVisitsForm):
    """An administrator's correction: any unit (by code) and any past day."""

    commune = forms.CharField(
        label=gettext_lazy("Mã đơn vị cấp xã"),
        max_length=5,
        min_length=5,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "pattern": "[0-9]{5}", "size": 7}),
    )
    date = forms.DateField(label=gettext_lazy("Ngày"), widget=forms.DateInput(attrs={"type": "date"}))
    count = forms.IntegerField(
        label=gettext_lazy("Số lượt người dân đến giao dịch"),
        widget=WalkInVisitsForm.base_fields["count"].widget,
        error_messages=WalkInVisitsForm.base_fields["count"].error_messages,
    )

    field_order = ["commune", "date", "count"]

    def clean_commune(self):
        code = self.cleaned_data["commune"].strip()
        if not code.isdigit():
            raise ValidationError(_("Mã đơn vị cấp xã gồm đúng 5 chữ số."), code="invalid-commune")
        return code


def _unit_for_code(code: str, day: dt.date) -> Commune | None:
    """The version of the unit `code` that existed on `day`, else the newest one."""
    units = Commune.objects.filter(code=code)
    return units.active_on(day).first() or units.latest_version(code)


def _parse_day(value: str | None, default: dt.date) -> dt.date:
    try:
        return dt.date.fromisoformat(value) if value else default
    except ValueError:
        return default


class WalkInVisitsView(RoleRequiredMixin, View):
    allowed_roles = frozenset({Role.CLERK, Role.LEADER, Role.ADMIN})
    template_name = "dashboards/walk_in_visits.html"

    def dispatch(self, request, *args, **kwargs):
        self.scope = scope_of(request.user)
        self.today = timezone.localdate()
        return super().dispatch(request, *args, **kwargs)

    @property
    def is_admin(self) -> bool:
        return self.scope.is_admin

    # --- GET ------------------------------------------------------------------------------------

    def get(self, request):
        if self.is_admin:
            day = min(_parse_day(request.GET.get("date"), self.today), self.today)
            code = (request.GET.get("commune") or "").strip()
            unit = _unit_for_code(code, day) if code else None
            initial = {"commune": code, "date": day}
            if code and unit is None:
                messages.error(request, _("Không tìm thấy đơn vị có mã %(code)s.") % {"code": code})
        else:
            day = self.today
            unit = Commune.objects.get(pk=self.scope.commune_id)
            initial = {"date": day}
        recorded = self._recorded(unit, day)
        if unit is not None and day in recorded:
            initial["count"] = recorded[day].count
        form_class = AdminWalkInVisitsForm if self.is_admin else WalkInVisitsForm
        return self._render(form_class(initial=initial), unit, day, recorded)

    # --- POST -----------------------------------------------------------------------------------

    def post(self, request):
        form_class = AdminWalkInVisitsForm if self.is_admin else WalkInVisitsForm
        form = form_class(request.POST)
        unit = None if self.is_admin else Commune.objects.get(pk=self.scope.commune_id)
        day = self.today
        if form.is_valid():
            day = form.cleaned_data["date"]
            if self.is_admin:
                unit = _unit_for_code(form.cleaned_data["commune"], day)
                if unit is None:
                    form.add_error(
                        "commune",
                        _("Không tìm thấy đơn vị có mã %(code)s.") % {"code": form.cleaned_data["commune"]},
                    )
        if form.is_valid():
            try:
                record = record_walk_in_visits(unit, day, form.cleaned_data["count"], request.user)
            except ValidationError as exc:
                for error in exc.error_list:
                    form.add_error("count" if error.code == INVALID_COUNT else None, error)
            else:
                messages.success(
                    request,
                    _(
                        "Đã ghi nhận %(count)s lượt người dân đến giao dịch ngày %(day)s của %(unit)s. "
                        "Số liệu trên bảng điều khiển được cập nhật sau ít phút."
                    )
                    % {"count": vn_number(record.count), "day": f"{day:%d/%m/%Y}", "unit": unit.full_name},
                )
                return redirect(self._admin_url(unit, day) if self.is_admin else reverse("walk-in-visits"))
        shown = min(day, self.today) if self.is_admin else self.today
        return self._render(form, unit, shown, self._recorded(unit, shown), status=400)

    # --- helpers --------------------------------------------------------------------------------

    @staticmethod
    def _admin_url(unit, day: dt.date) -> str:
        return reverse("walk-in-visits") + "?" + urlencode({"commune": unit.code, "date": day.isoformat()})

    def _recorded(self, unit, last: dt.date) -> dict[dt.date, WalkInVisits]:
        if unit is None:
            return {}
        first = last - dt.timedelta(days=HISTORY_DAYS - 1)
        rows = WalkInVisits.objects.filter(commune=unit, date__gte=first, date__lte=last).select_related(
            "recorded_by"
        )
        return {row.date: row for row in rows}

    def _render(self, form, unit, day, recorded, status=200):
        history = []
        for d in (day - dt.timedelta(days=i) for i in range(HISTORY_DAYS)):
            row = recorded.get(d)
            recorder = row.recorded_by if row is not None else None
            history.append(
                {
                    "date": d,
                    "record": row,
                    "recorder": (recorder.get_full_name() or recorder.get_username()) if recorder else "",
                    "edit_url": self._admin_url(unit, d) if self.is_admin and unit is not None else "",
                    "is_shown_day": d == day,
                }
            )
        context = {
            "form": form,
            "unit": unit,
            "day": day,
            "today": self.today,
            "already_recorded": unit is not None and day in recorded,
            "is_admin": self.is_admin,
            "history": history,
            "history_total": sum(row.count for row in recorded.values()),
            "history_days_recorded": len(recorded),
            "max_visits": MAX_VISITS,
        }
        return render(self.request, self.template_name, context, status=status)
