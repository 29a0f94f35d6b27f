"""Dossier speed bench (issue 3, item 11): prints figures, asserts nothing. Not part of the tests.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres .venv/bin/python bench/dossier_bench.py

PostgreSQL only. The database named in DATABASE_URL is left alone: the bench uses the database
BENCH_DATABASE (default "portal_bench") on the same server, creates and migrates it if needed,
and FILLS it with about 1,000,000 demo dossiers (about 4 million events) from the demo generator
(dossiers.demo_data), one commune (Thượng Cốc, 05293, with its predecessors) holding 20,000 of
them. That takes several minutes the first time; a later run finds the data and goes straight to
the measurements, and an interrupted one resumes with the units that have no dossiers yet.
Drop the database when done: `dropdb portal_bench`.

Then, in-process (server time, no network):
  (a) N POST /api/v1/dossiers/ with the demo clerk's token (DRF's APIClient), twice: with Celery
      tasks queued (an in-memory broker stands in for Redis: what a server with a broker does) and
      eager (no broker, as `make run`: the commune's figures are recomputed inside the request);
      the dossiers created are deleted afterwards;
  (b) the worklist /ho-so/ of the 20,000-dossier commune as its clerk (django.test.Client), with
      page_size 50 and 200: timings and the number of SQL queries.

Environment: BENCH_DATABASE, BENCH_DOSSIERS (1000000), BENCH_COMMUNE_DOSSIERS (20000),
BENCH_API_REQUESTS (300), BENCH_WORKLIST_RENDERS (50).
"""

from __future__ import annotations

import dataclasses
import gc
import logging
import os
import statistics
import sys
import time
import warnings
from pathlib import Path
from urllib.parse import urlsplit

BASE_DIR = Path(__file__).resolve().parent.parent
PROVINCE = "25"
BENCH_COMMUNE = "05293"  # Thượng Cốc: its demo clerk is canbo.thuongcoc
CLERK = "canbo.thuongcoc"
CHUNK = 60_000  # dossiers written per transaction


class BenchError(Exception):
    """A part of the bench could not run; the message says why."""


def bench_database_url(url: str, name: str) -> str:
    """The URL of database `name` on the server of `url`; SystemExit unless that is PostgreSQL."""
    parts = urlsplit(url or "")
    if parts.scheme not in ("postgres", "postgresql", "pgsql", "postgis"):
        raise SystemExit(
            "Bench chỉ chạy trên PostgreSQL: đặt DATABASE_URL=postgres://... "
            f"(hiện tại: {parts.scheme or 'SQLite mặc định'}). The bench refuses to run on SQLite."
        )
    return parts._replace(path=f"/{name}").geturl()


def ensure_database(url: str) -> bool:
    """Create the bench database if missing; True when it was created."""
    import psycopg2

    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    admin = psycopg2.connect(
        dbname="postgres",
        user=parts.username or None,
        password=parts.password or None,
        host=parts.hostname or None,
        port=parts.port or None,
    )
    admin.autocommit = True
    try:
        with admin.cursor() as cursor:
            cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
            if cursor.fetchone():
                return False
            cursor.execute(f'CREATE DATABASE "{name}"')
            return True
    finally:
        admin.close()


def percentile(values, p):
    """Nearest-rank percentile of `values` (p in 0..100)."""
    ordered = sorted(values)
    rank = max(1, -(-len(ordered) * p // 100))
    return ordered[int(rank) - 1]


# --- data -----------------------------------------------------------------------------------------


def populate(target: int, commune_target: int) -> None:
    """About `target` dossiers in the province, `commune_target` of them in BENCH_COMMUNE's scope."""
    from django.utils import timezone

    from communes.calendar_store import get_working_calendar
    from communes.models import Commune
    from dossiers.demo_data import DEMO_SEED, procedure_options, unit_plans, write_drafts
    from dossiers.demo_plan import DemoPlanner
    from dossiers.models import Dossier, FiguresBacklog, Procedure

    now = timezone.now()
    planner = DemoPlanner(
        get_working_calendar(), procedure_options(Procedure.objects.active()), now, DEMO_SEED
    )
    plans = unit_plans(PROVINCE, 1.0, timezone.localdate(), DEMO_SEED)
    group = set(
        Commune.objects.filter(code=BENCH_COMMUNE, valid_to__isnull=True).values_list("pk", flat=True)
    )
    group |= set(Commune.objects.filter(successions__successor__in=group).values_list("pk", flat=True))
    new_unit = next(p for p in plans if p.code == BENCH_COMMUNE and p.commune_id in group and p.quota)

    # The commune's new unit makes up what its predecessors leave of `commune_target`; every other
    # unit scales alike to make up the rest of `target`.
    predecessors = sum(
        planner.expected_count(p) for p in plans if p.commune_id in group and p is not new_unit
    )
    free_new = planner.expected_count(dataclasses.replace(new_unit, rate=1.0)) - new_unit.quota.total
    new_rate = (commune_target - predecessors - new_unit.quota.total) / free_new
    others = [p for p in plans if p.commune_id not in group]
    fixed = sum(p.quota.total for p in others if p.quota)
    scale = (target - commune_target - fixed) / (sum(planner.expected_count(p) for p in others) - fixed)
    plans = [
        dataclasses.replace(p, rate=new_rate)
        if p is new_unit
        else p
        if p.commune_id in group
        else dataclasses.replace(p, rate=p.rate * scale)
        for p in plans
    ]

    done = set(Dossier.objects.values_list("commune_id", flat=True).distinct())
    todo = [p for p in plans if p.commune_id not in done]
    if not todo:
        print(f"Dữ liệu đã có: {Dossier.objects.count():,} hồ sơ (bỏ qua bước tạo dữ liệu).")
        return
    print(f"Tạo hồ sơ cho {len(todo)}/{len(plans)} đơn vị (hệ số {scale:.2f}) ...", flush=True)
    centres = dict(
        Commune.objects.filter(pk__in=[p.commune_id for p in plans]).values_list("pk", "service_centre")
    )
    started, written, batch = time.perf_counter(), 0, []
    gc.disable()
    try:
        for plan in todo:
            batch.extend(planner.plan_unit(plan))
            if len(batch) >= CHUNK or plan is todo[-1]:
                write_drafts(batch, centres)  # one transaction: an interruption loses this chunk only
                written += len(batch)
                batch = []
                print(f"  {written:,} hồ sơ, {time.perf_counter() - started:.0f} s", flush=True)
    finally:
        gc.enable()
    # The dossier bench reads no figures: forget the stale marks rather than recompute 600 units
    # (the request bench would otherwise recompute the commune's whole history on its first POST).
    FiguresBacklog.objects.all().delete()


def analyze() -> None:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


# --- measurements --------------------------------------------------------------------------------


def clerk_user():
    from django.contrib.auth import get_user_model

    return get_user_model().objects.get(username=CLERK)


def bench_api(n: int, *, eager: bool) -> list[float]:
    """Milliseconds of N dossier creations through the API; the dossiers are deleted afterwards."""
    from django.urls import NoReverseMatch, reverse
    from rest_framework.authtoken.models import Token
    from rest_framework.test import APIClient

    from dossiers.models import Dossier, Procedure
    from portal.celery import app

    try:
        url = reverse("api:dossier-list")
    except NoReverseMatch as exc:
        raise BenchError("API /api/v1/dossiers/ chưa có (dossiers/api chưa sẵn sàng).") from exc
    token, _ = Token.objects.get_or_create(user=clerk_user())
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    procedure = Procedure.objects.filter(is_active=True, processing_days__gt=0).order_by("code").first()
    payload = {
        "procedure": procedure.code,
        "channel": "direct",
        "applicant_name": "Bùi Văn Thử",
        "applicant_id_number": "000000000001",  # synthetic: province code 000 does not exist
        "applicant_phone": "0600000001",
        "applicant_address": "Xóm Mới, xã Thượng Cốc, tỉnh Phú Thọ",
    }
    was_eager = app.conf.task_always_eager
    app.conf.task_always_eager = eager
    codes, times = [], []
    try:
        for _ in range(n + 5):  # the first five warm caches up and are not counted
            started = time.perf_counter()
            response = client.post(url, payload, format="json")
            elapsed = (time.perf_counter() - started) * 1000
            if response.status_code != 201:
                raise BenchError(f"POST {url} trả về {response.status_code}: {response.content[:300]!r}")
            codes.append(response.json()["code"])
            times.append(elapsed)
    finally:
        app.conf.task_always_eager = was_eager
        Dossier.objects.filter(code__in=codes).delete()
    return times[5:]


def bench_worklist(n: int, page_size: int) -> tuple[list[float], int, int]:
    """(milliseconds of N renders, SQL queries of one render, dossiers in the clerk's worklist)."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from dossiers.models import Dossier

    user = clerk_user()
    client = Client()
    client.force_login(user)
    url = f"/ho-so/?page_size={page_size}"
    for _ in range(3):
        response = client.get(url)
        if response.status_code != 200:
            raise BenchError(f"GET {url} trả về {response.status_code}.")
    with CaptureQueriesContext(connection) as captured:
        client.get(url)
    queries = len(captured)  # now: the next request's start clears the connection's query log
    times = []
    for _ in range(n):
        started = time.perf_counter()
        client.get(url)
        times.append((time.perf_counter() - started) * 1000)
    return times, queries, Dossier.objects.visible_to(user).count()


def main() -> int:
    name = os.environ.get("BENCH_DATABASE", "portal_bench")
    url = bench_database_url(os.environ.get("DATABASE_URL", ""), name)
    created = ensure_database(url)
    os.environ["DATABASE_URL"] = url
    os.environ["DEBUG"] = "0"  # a bench with DEBUG on would time the query log too
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")
    sys.path.insert(0, str(BASE_DIR))
    import django

    django.setup()
    from django.core.management import call_command
    from django.test.utils import setup_test_environment

    from dossiers.models import Dossier, DossierEvent
    from portal.demo import seed_demo

    setup_test_environment()  # the test client's host name, in-memory e-mail
    logging.getLogger("celery").setLevel(logging.WARNING)  # one line per eager task otherwise
    logging.getLogger("kombu").setLevel(logging.ERROR)
    warnings.filterwarnings("ignore", message="No directory at")  # static files are not served here
    print(f"Cơ sở dữ liệu bench: {name} ({'vừa tạo' if created else 'đã có'}) — bench fills it.")
    call_command("migrate", verbosity=0)
    seed_demo(dossiers=False)
    started = time.perf_counter()
    populate(
        int(os.environ.get("BENCH_DOSSIERS", 1_000_000)),
        int(os.environ.get("BENCH_COMMUNE_DOSSIERS", 20_000)),
    )
    analyze()
    print(f"Dữ liệu và ANALYZE: {time.perf_counter() - started:.0f} s")
    print(f"Hồ sơ: {Dossier.objects.count():,}; bước xử lý: {DossierEvent.objects.count():,}")

    rows, failures = [], []
    n_api = int(os.environ.get("BENCH_API_REQUESTS", 300))
    for eager, label in ((False, "tasks queued"), (True, "tasks eager")):
        try:
            times = bench_api(n_api, eager=eager)
            rows.append((f"POST /api/v1/dossiers/ ({label})", len(times), times, None))
        except BenchError as exc:
            failures.append(f"(a) {label}: {exc}")
    n_pages = int(os.environ.get("BENCH_WORKLIST_RENDERS", 50))
    for size in (50, 200):
        try:
            times, queries, visible = bench_worklist(n_pages, size)
            rows.append((f"GET /ho-so/?page_size={size} ({visible:,} hồ sơ)", len(times), times, queries))
        except BenchError as exc:
            failures.append(f"(b) page_size={size}: {exc}")

    print()
    print(
        f"{'measure (server time, ms)':<52} {'n':>4} {'p50':>8} {'p95':>8} {'p99':>8} {'max':>8} {'SQL':>5}"
    )
    for label, n, times, queries in rows:
        print(
            f"{label:<52} {n:>4} {statistics.median(times):>8.1f} {percentile(times, 95):>8.1f} "
            f"{percentile(times, 99):>8.1f} {max(times):>8.1f} {'' if queries is None else queries:>5}"
        )
    for failure in failures:
        print(f"KHÔNG ĐO ĐƯỢC {failure}", file=sys.stderr)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
