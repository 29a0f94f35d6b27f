"""Demo dossiers for `seed_demo`: a province's dossiers from 1/1/2025 to today, written in bulk.

The three communes of the seed article get their July 2025 rate all year and, in the article's
windows, exactly its figures (DOMAIN.md §5, `ARTICLE`); the province's other units get one to
three dossiers a working day. Before 1/7/2025 the predecessor units receive (history is never
rewritten); from that day the new units do. dossiers.demo_plan builds every history in memory
with the services' rules; here they are written with one prepared INSERT per table
(executemany; COPY on PostgreSQL) — the ORM's bulk_create would take minutes on SQLite — with
the code counters set so that codes the clerks generate afterwards continue after the demo's
numbers, and each commune's figures marked stale as the services do.

Idempotent: nothing is written when the province's units already have dossiers.
"""

from __future__ import annotations

import datetime as dt
import gc
import io
import random
from collections import Counter, defaultdict
from dataclasses import dataclass

from django.core.management.color import no_style
from django.db import connection, transaction
from django.db.models import Max
from django.utils import timezone, translation

from communes.calendar_store import get_working_calendar
from communes.choices import Role
from communes.models import Commune, Merger, StaffProfile
from communes.text import fold

from .demo_plan import NO_RULES, DemoPlanner, DossierDraft, ProcedureOption, Quota, Rules, UnitPlan
from .figures_backlog import mark_stale
from .models import DailyCounter, Dossier, DossierEvent, Procedure
from .signals import dossier_changed

DEMO_SEED = 20250729  # the day of the working group's visit
DEMO_START = dt.date(2025, 1, 1)
LAST_OLD_DAY = dt.date(2025, 6, 30)  # predecessor units received until this day


@dataclass(frozen=True)
class ArticleCommune:
    code: str
    rate: float  # dossiers per working day: the article's July rate, used all year
    online_share: float
    quota: Quota


#: The seed article's figures (DOMAIN.md §5), imposed on the new units in its windows.
ARTICLE = (
    # Thượng Cốc, 1–28/7/2025: 390 received, 229 online (58,72%), none overdue.
    ArticleCommune(
        "05293", 19.5, 0.587,
        Quota(dt.date(2025, 7, 1), dt.date(2025, 7, 28), online=229, direct=157, postal=4,
              rules=Rules(never_late=True)),
    ),
    # Yên Phú, 1–27/7/2025: 603 received, 239 online and 364 direct.
    ArticleCommune(
        "05305", 31.7, 0.396,
        Quota(dt.date(2025, 7, 1), dt.date(2025, 7, 27), online=239, direct=364, postal=0),
    ),
    # Quyết Thắng, 1–28/7/2025: 350 received, 350 resolved, all on time, none overdue.
    ArticleCommune(
        "05323", 17.5, 0.45,
        Quota(dt.date(2025, 7, 1), dt.date(2025, 7, 28), online=158, direct=188, postal=4,
              rules=Rules(never_late=True, finish_by=dt.date(2025, 7, 28), no_exit=True)),
    ),
)  # fmt: skip

#: The seed communes' predecessors cleared their backlog before the merger, so the article's July
#: figures are the same with or without predecessors.
PREDECESSOR_RULES = Rules(until=LAST_OLD_DAY, finish_by=LAST_OLD_DAY)

#: Civil status and certification are most of a commune centre's work.
FIELD_SHARES = {"chung thuc": 4.0, "ho tich": 4.0}
OTHER_FIELDS_SHARE = 2.0
POPULAR = {"2.000815": 5, "1.001193": 4, "2.000884": 3, "2.000635": 3, "1.004873": 3, "1.000656": 2,
           "1.000894": 2}  # fmt: skip


def procedure_options(procedures) -> list[ProcedureOption]:
    """Active procedures weighted: each field's share split among its procedures, popular ones more."""
    by_field = Counter(fold(p.field) for p in procedures)
    others = [f for f in by_field if f not in FIELD_SHARES]
    options = []
    for p in sorted(procedures, key=lambda p: p.code):
        field = fold(p.field)
        share = FIELD_SHARES.get(field, OTHER_FIELDS_SHARE / max(len(others), 1))
        weight = share / by_field[field] * POPULAR.get(p.code, 1)
        options.append(ProcedureOption(p.pk, p.code, p.processing_days, p.online_level, weight))
    return options


def _in_sentence(name: str) -> str:
    """ "Huyện Lạc Sơn" -> "huyện Lạc Sơn", as it reads inside an address."""
    return name[:1].lower() + name[1:]


def _place(unit: Commune) -> str:
    with translation.override("vi"):
        parts = [f"{unit.get_kind_display().lower()} {unit.name}"]
    if unit.district_name:
        parts.append(_in_sentence(unit.district_name))
    parts.append(_in_sentence(unit.province.full_name))
    return ", ".join(parts)


def unit_plans(province_code: str, scale: float, today: dt.date, seed: int = DEMO_SEED) -> list[UnitPlan]:
    """The province's current units and their predecessors that have a service centre, with volumes."""
    current = list(
        Commune.objects.current()
        .filter(province__code=province_code, service_centre__isnull=False)
        .select_related("province", "service_centre")
    )
    mergers = list(
        Merger.objects.filter(successor__in=current, absorbed__service_centre__isnull=False).select_related(
            "absorbed__province", "absorbed__service_centre"
        )
    )
    clerks = dict(
        StaffProfile.objects.filter(role=Role.CLERK, commune__in=current)
        .order_by("-user__username")
        .values_list("commune_id", "user_id")
    )
    article = {a.code: a for a in ARTICLE}
    predecessors = defaultdict(list)
    for merger in mergers:
        predecessors[merger.successor_id].append(merger.absorbed)

    plans, old_rates = [], defaultdict(list)
    for unit in current:
        rng = random.Random(f"{seed}:volume:{unit.code}")
        seeded = article.get(unit.code)
        rate = seeded.rate if seeded else rng.uniform(1.0, 3.0)
        online = seeded.online_share if seeded else rng.uniform(0.4, 0.6)
        postal = 0.0 if seeded and seeded.quota.postal == 0 else rng.uniform(0.01, 0.04)
        plans.append(_plan(unit, rate * scale, online, postal, today, clerks.get(unit.pk), seeded))
        for old in predecessors[unit.pk]:
            # An old unit split between two new ones counts in both: average its shares.
            share = rate / len(predecessors[unit.pk]) * rng.uniform(0.7, 1.3)
            old_rates[old].append((share, online * 0.85, postal, seeded is not None))
    for old, shares in old_rates.items():
        rate = sum(s[0] for s in shares) / len(shares)
        rules = PREDECESSOR_RULES if any(s[3] for s in shares) else NO_RULES
        plans.append(_plan(old, rate * scale, shares[0][1], shares[0][2], today, None, None, rules))
    return plans


def _plan(unit, rate, online, postal, today, actor_id, seeded, rules=NO_RULES) -> UnitPlan:
    return UnitPlan(
        commune_id=unit.pk,
        code=unit.code,
        agency_code=unit.service_centre.agency_code,
        place=_place(unit),
        first_day=max(DEMO_START, unit.valid_from or DEMO_START),
        last_day=min(unit.valid_to or today, today),
        rate=rate,
        online_share=online,
        postal_share=postal,
        actor_id=actor_id,
        quota=seeded.quota if seeded else None,
        rules=rules,
    )


def seed_demo_dossiers(province_code: str, *, scale: float = 1.0, now=None, seed: int = DEMO_SEED) -> int:
    """Generate and write the province's demo dossiers; return how many (0 when it already has some)."""
    now = now or timezone.now()
    units = unit_plans(province_code, scale, timezone.localtime(now).date(), seed)
    if not units or Dossier.objects.filter(commune_id__in=[u.commune_id for u in units]).exists():
        return 0
    procedures = procedure_options(Procedure.objects.active())
    planner = DemoPlanner(get_working_calendar(), procedures, now, seed)
    centres = dict(
        Commune.objects.filter(pk__in=[u.commune_id for u in units]).values_list("pk", "service_centre")
    )
    # Millions of small objects and no reference cycles: the cyclic collector would only rescan them.
    collecting = gc.isenabled()
    gc.disable()
    try:
        drafts = [draft for unit in units for draft in planner.plan_unit(unit)]
        write_drafts(drafts, centres)
    finally:
        if collecting:
            gc.enable()
    return len(drafts)


# --- writing ----------------------------------------------------------------------------------


#: The columns written; a field added to the models later gets its default (dossiers.migrations).
DOSSIER_COLUMNS = (
    "id", "code", "commune_id", "procedure_id", "processing_days", "channel", "status",
    "applicant_name", "applicant_id_number", "applicant_phone", "applicant_address", "search_text",
    "submitted_at", "received_at", "due_at", "paused_at", "finished_at", "returned_at", "timeliness",
    "version", "created_at", "updated_at",
)  # fmt: skip
EVENT_COLUMNS = (
    "dossier_id",
    "seq",
    "from_status",
    "to_status",
    "at",
    "recorded_at",
    "actor_id",
    "note",
    "due_at",
)


def write_drafts(drafts: list[DossierDraft], centre_of: dict[int, int]) -> None:
    """Insert the dossiers, their events and the code counters in one transaction."""
    adapt = _datetime_adapter()
    with transaction.atomic(), connection.cursor() as cursor:
        first_id = (Dossier.objects.aggregate(top=Max("pk"))["top"] or 0) + 1
        dossier_rows, event_rows = [], []
        counters: dict[tuple[int, dt.date], int] = {}
        for pk, d in enumerate(drafts, start=first_id):
            # Created, updated and recorded as the history happened: a live demo, not back-dated.
            dossier_rows.append((
                pk, d.code, d.commune_id, d.procedure_id, d.processing_days, d.channel, d.status,
                d.applicant_name, d.applicant_id_number, d.applicant_phone, d.applicant_address,
                d.search_text, adapt(d.submitted_at), adapt(d.received_at), adapt(d.due_at),
                adapt(d.paused_at), adapt(d.finished_at), adapt(d.returned_at), d.timeliness,
                len(d.events), adapt(d.submitted_at), adapt(d.last_at),
            ))  # fmt: skip
            for seq, from_status, to_status, at, due_at, actor_id, note in d.events:
                at = adapt(at)
                event_rows.append((pk, seq, from_status, to_status, at, at, actor_id, note, adapt(due_at)))
            key = (centre_of[d.commune_id], d.submitted_at.date())
            counters[key] = max(counters.get(key, 0), int(d.code.rsplit("-", 1)[1]))
        _insert(cursor, Dossier, DOSSIER_COLUMNS, dossier_rows)
        _insert(cursor, DossierEvent, EVENT_COLUMNS, event_rows)
        _upsert_counters(cursor, counters)
        if connection.vendor == "postgresql":
            for sql in connection.ops.sequence_reset_sql(no_style(), [Dossier]):
                cursor.execute(sql)
        _announce(drafts)


def _datetime_adapter():
    """connection.ops.adapt_datetimefield_value, once per distinct moment (a dossier's dates are
    its events' moments, due dates are shared), without its per-value checks on SQLite: our
    moments are all aware, and SQLite stores them as naive text in the connection's zone."""
    if connection.vendor != "sqlite":
        return connection.ops.adapt_datetimefield_value
    zone, cache = connection.timezone, {None: None}

    def adapt(value):
        text = cache.get(value)
        if text is None and value is not None:
            text = cache[value] = str(value.astimezone(zone).replace(tzinfo=None))
        return text

    return adapt


def _insert(cursor, model, columns, rows, batch=5000) -> None:
    """Multi-row INSERTs (COPY on PostgreSQL); fields not in `columns` (but the key) get their default."""
    extra = [f for f in model._meta.concrete_fields if f.attname not in columns and not f.primary_key]
    if extra:
        defaults = tuple(f.get_db_prep_save(f.get_default(), connection) for f in extra)
        columns, rows = (*columns, *(f.attname for f in extra)), [row + defaults for row in rows]
    quote = connection.ops.quote_name
    table = quote(model._meta.db_table)
    names = ", ".join(quote(model._meta.get_field(c).column) for c in columns)
    if connection.vendor == "postgresql":
        _copy(cursor, table, names, rows)
        return
    sql = f"INSERT INTO {table} ({names}) VALUES ({', '.join(['%s'] * len(columns))})"
    for start in range(0, len(rows), batch):
        cursor.executemany(sql, rows[start : start + batch])


def _copy(cursor, table: str, names: str, rows, batch=100_000) -> None:
    """PostgreSQL's COPY, text format: several times faster than INSERT for a million rows."""

    def text(value):
        if value is None:
            return "\\N"
        if isinstance(value, str):
            return value.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r")
        return str(value)  # numbers; aware datetimes print with their offset

    for start in range(0, len(rows), batch):
        buffer = io.StringIO()
        buffer.writelines("\t".join(map(text, row)) + "\n" for row in rows[start : start + batch])
        buffer.seek(0)
        cursor.cursor.copy_expert(f"COPY {table} ({names}) FROM STDIN", buffer)


def _upsert_counters(cursor, counters: dict[tuple[int, dt.date], int]) -> None:
    """Codes generated later continue after the demo's numbers (as codes.reserve_imported_code)."""
    table = connection.ops.quote_name(DailyCounter._meta.db_table)
    rows = [(centre, connection.ops.adapt_datefield_value(day), n) for (centre, day), n in counters.items()]
    if connection.vendor == "postgresql":
        # COPY cannot upsert: through a temporary table, then one INSERT ... SELECT.
        cursor.execute(
            "CREATE TEMPORARY TABLE demo_counters (centre_id int, day date, last_value int) ON COMMIT DROP"
        )
        _copy(cursor, "demo_counters", "centre_id, day, last_value", rows)
        cursor.execute(
            f"INSERT INTO {table} (centre_id, day, last_value) "
            "SELECT centre_id, day, last_value FROM demo_counters "
            "ON CONFLICT (centre_id, day) DO UPDATE "
            f"SET last_value = GREATEST({table}.last_value, EXCLUDED.last_value)"
        )
        return
    cursor.executemany(
        f"INSERT INTO {table} (centre_id, day, last_value) VALUES (%s, %s, %s) ON CONFLICT (centre_id, day) "
        f"DO UPDATE SET last_value = MAX({table}.last_value, EXCLUDED.last_value)",
        rows,
    )


def _announce(drafts: list[DossierDraft]) -> None:
    """As services._changed does: mark each commune's figures stale from its first demo day, in
    this transaction (the statistics catch up from the mark: `manage.py compute_stats` or the beat
    job), then notify after commit. Nothing is queued per commune: hundreds of eager recomputes
    would make seeding take minutes."""
    since: dict[int, dt.date] = {}
    for d in drafts:
        day = d.submitted_at.date()
        if d.commune_id not in since or day < since[d.commune_id]:
            since[d.commune_id] = day
    for commune_id, day in sorted(since.items()):
        mark_stale(commune_id, day)

    def send():
        for commune_id, day in sorted(since.items()):
            dossier_changed.send(sender=Dossier, commune_id=commune_id, since=day)

    transaction.on_commit(send)
