"""Dossier codes: {agency code}-{yyMMdd}-{NNNN}, the sequence restarting every day per centre.

The next number comes from one atomic upsert on the centre's counter row, so two clerks saving
in the same instant get different numbers on PostgreSQL and on SQLite alike (both support
INSERT ... ON CONFLICT ... RETURNING). The row lock it takes is held until the transaction ends.
"""

import datetime as dt
import re

from django.db import connection

from communes.models import ServiceCentre

from .models import DailyCounter

CODE_PATTERN = re.compile(r"^[A-Z0-9.]{2,20}-\d{6}-\d{4,}$")


def format_code(agency_code: str, day: dt.date, number: int) -> str:
    return f"{agency_code}-{day:%y%m%d}-{number:04d}"


def is_well_formed(code: str) -> bool:
    return bool(CODE_PATTERN.match(code or ""))


def next_code(centre: ServiceCentre, day: dt.date) -> str:
    """Reserve the next number of `day` for `centre`; call inside the saving transaction."""
    table = connection.ops.quote_name(DailyCounter._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} (centre_id, day, last_value) VALUES (%s, %s, 1) "
            f"ON CONFLICT (centre_id, day) DO UPDATE SET last_value = {table}.last_value + 1 "
            "RETURNING last_value",
            [centre.pk, day],
        )
        (number,) = cursor.fetchone()
    return format_code(centre.agency_code, day, number)


def reserve_imported_code(centre: ServiceCentre, day: dt.date, number: int) -> None:
    """An imported code takes its number: later generated codes of that day continue after it."""
    table = connection.ops.quote_name(DailyCounter._meta.db_table)
    greatest = "GREATEST" if connection.vendor == "postgresql" else "MAX"
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} (centre_id, day, last_value) VALUES (%s, %s, %s) "
            f"ON CONFLICT (centre_id, day) DO UPDATE SET last_value = {greatest}({table}.last_value, %s)",
            [centre.pk, day, number, number],
        )
