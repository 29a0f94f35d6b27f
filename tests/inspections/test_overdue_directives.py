"""A directive is overdue when its due date (local) has passed and it is not done."""

import datetime as dt

import pytest
import time_machine

from inspections.choices import DirectiveStatus
from inspections.models import Directive
from inspections.services import add_progress, create_directive, record_visit

from .conftest import TODAY, VISIT_DAY, VN


@pytest.fixture
def directives(inspector, working_group, commune, department):
    visit = record_visit(inspector, working_group, VISIT_DAY, [commune])

    def make(text, due, status=None):
        directive = create_directive(inspector, visit, text, due, department=department)
        if status:
            add_progress(inspector, directive, "Cập nhật", status)
        return directive

    return {
        "late": make("Quá hạn, chưa làm", dt.date(2025, 8, 4)),
        "late_in_progress": make("Quá hạn, đang làm", dt.date(2025, 7, 31), DirectiveStatus.IN_PROGRESS),
        "late_but_done": make("Quá hạn nhưng đã xong", dt.date(2025, 8, 1), DirectiveStatus.DONE),
        "due_today": make("Hạn hôm nay", TODAY),
        "later": make("Còn hạn", dt.date(2025, 8, 31)),
    }


def texts(queryset):
    return {d.text for d in queryset}


def test_overdue_filter_property_and_annotation_agree(directives):
    expected = {"Quá hạn, chưa làm", "Quá hạn, đang làm"}
    assert texts(Directive.objects.overdue()) == expected
    assert texts(d for d in Directive.objects.all() if d.is_overdue) == expected
    assert texts(d for d in Directive.objects.with_is_overdue() if d.is_overdue_now) == expected
    assert texts(Directive.objects.not_overdue()) == {"Quá hạn nhưng đã xong", "Hạn hôm nay", "Còn hạn"}
    assert texts(Directive.objects.open()) == {
        "Quá hạn, chưa làm",
        "Quá hạn, đang làm",
        "Hạn hôm nay",
        "Còn hạn",
    }


def test_overdue_first_then_by_due_date(directives):
    assert [d.text for d in Directive.objects.overdue_first()] == [
        "Quá hạn, đang làm",
        "Quá hạn, chưa làm",
        "Quá hạn nhưng đã xong",
        "Hạn hôm nay",
        "Còn hạn",
    ]


def test_the_day_is_the_local_one(directives):
    # 23:30 UTC on 5/8 is already 6/8 in Hà Nội: the directive due on 5/8 is now overdue.
    with time_machine.travel(dt.datetime(2025, 8, 5, 23, 30, tzinfo=dt.UTC), tick=False):
        assert "Hạn hôm nay" in texts(Directive.objects.overdue())
        assert Directive.objects.get(text="Hạn hôm nay").is_overdue
    with time_machine.travel(dt.datetime(2025, 8, 5, 23, 59, tzinfo=VN), tick=False):
        assert "Hạn hôm nay" not in texts(Directive.objects.overdue())


def test_an_explicit_day_can_be_asked(directives):
    assert texts(Directive.objects.overdue(today=dt.date(2025, 9, 1))) == {
        "Quá hạn, chưa làm",
        "Quá hạn, đang làm",
        "Hạn hôm nay",
        "Còn hạn",
    }
