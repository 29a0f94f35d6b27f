"""The province dashboard's panel of directives: open and overdue per department, in ONE query.

`directives_by_department(user, province_id)` feeds templates/inspections/_directives_by_department.html
(the context name is `directives_by_department`). It is one GROUP BY over the directives the user
may see in the province: a row per department with open (not done) directives, and one row for
those given to communes; each row links to the directive board, filtered.
"""

from __future__ import annotations

import datetime as dt

from django.db.models import Count, F
from django.urls import reverse
from django.utils.http import urlencode

from .models import Directive
from .querysets import overdue_q


def directives_by_department(user, province_id: int, today: dt.date | None = None) -> list[dict]:
    """[{department_id, name, short_name, open, overdue, url, overdue_url}], departments by name,
    then the communes' row (department_id None); only rows with open directives."""
    rows = (
        Directive.objects.visible_to(user)
        .filter(visit__group__province_id=province_id)
        .open()
        .values("department_id", name=F("department__name"), short_name=F("department__short_name"))
        .annotate(open=Count("pk"), overdue=Count("pk", filter=overdue_q(today)))
        .order_by(F("department__name").asc(nulls_last=True))
    )
    board = reverse("directive-board")
    result = []
    for row in rows:
        if row["department_id"] is None:
            query = {"theo": "xa"}
        else:
            query = {"theo": "so-nganh", "department": row["department_id"]}
        result.append(
            {
                **row,
                "url": f"{board}?{urlencode(query)}",
                "overdue_url": f"{board}?{urlencode({**query, 'overdue': 'true'})}",
            }
        )
    return result
