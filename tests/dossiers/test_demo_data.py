"""Demo dossiers: the seed article's figures exactly, the services' rules, units' lifetimes, a real mix.

The demo is generated at a small scale with a fixed `now` (30/9/2025 10:00), so the numbers do
not depend on the day the tests run.
"""

import datetime as dt
import importlib.util
import itertools
import random
from collections import Counter
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from django.db.models import F, OuterRef, Q, Subquery

from communes.calendar_store import get_working_calendar
from communes.models import Commune
from communes.text import fold
from communes.unit_loading import load_units
from dossiers.codes import is_well_formed, next_code
from dossiers.models import DailyCounter, Dossier, DossierEvent, FiguresBacklog
from dossiers.services import move_dossier, receive_dossier
from portal.demo import ensure_predecessor_centres, ensure_service_centres
from tests.factories import CommuneFactory, ProcedureFactory, ServiceCentreFactory, StaffProfileFactory

VN = ZoneInfo("Asia/Ho_Chi_Minh")
NOW = dt.datetime(2025, 9, 30, 10, 0, tzinfo=VN)
PENDING, RUNNING = (2, 4, 5, 6), (2, 4)


def local(day: dt.date, hour=0) -> dt.datetime:
    return dt.datetime(day.year, day.month, day.day, hour, tzinfo=VN)


@pytest.fixture
def demo(vn_calendar):
    """Phú Thọ's units and centres, a catalogue stand-in, a clerk, and the demo at 2% volume."""
    return seed(0.02)


def seed(scale):
    from dossiers.demo_data import seed_demo_dossiers

    load_units()
    ensure_service_centres("25")
    ensure_predecessor_centres("25")
    for code, days, field, level in [
        ("9.000100", 0, "Chứng thực", "partial"),
        ("9.000101", 0, "Hộ tịch", "full"),
        ("9.000102", 3, "Hộ tịch", "full"),
        ("9.000103", 5, "Hộ tịch", "partial"),
        ("9.000104", 2, "Chứng thực", "partial"),
        ("9.000105", 10, "Bảo trợ xã hội", "full"),
        ("9.000106", 15, "Đất đai", "partial"),
        ("9.000107", 30, "Đất đai", "info"),
    ]:
        ProcedureFactory(code=code, processing_days=days, field=field, online_level=level)
    clerk = StaffProfileFactory(commune=Commune.objects.get(code="05293", valid_to__isnull=True)).user
    created = seed_demo_dossiers("25", scale=scale, now=NOW)
    assert created == Dossier.objects.count() > 2000
    return clerk


def unit(code, *, new=True):
    return Commune.objects.get(code=code, valid_to__isnull=new)


def received(commune, first, last):
    return Dossier.objects.filter(commune=commune, received_at__date__range=(first, last))


def state_at_end_of(commune, day):
    """The commune's dossiers received by the end of `day`, with their status and due date then."""
    end = local(day + dt.timedelta(days=1))
    last = DossierEvent.objects.filter(dossier=OuterRef("pk"), at__lt=end).order_by("-seq")
    return Dossier.objects.filter(commune=commune, received_at__lt=end).annotate(
        status_then=Subquery(last.values("to_status")[:1]), due_then=Subquery(last.values("due_at")[:1])
    )


def overdue_at_end_of(commune, day):
    """DOMAIN.md §5: pending, not paused, and its due date is `day` or earlier."""
    next_day = local(day + dt.timedelta(days=1))
    return state_at_end_of(commune, day).filter(status_then__in=RUNNING, due_then__lt=next_day)


def moved_in(commune, to_status, first, last):
    return Dossier.objects.filter(
        commune=commune,
        events__to_status=to_status,
        events__at__gte=local(first),
        events__at__lt=local(last + dt.timedelta(days=1)),
    )


def test_the_seed_article_figures_exactly(demo):
    july1 = dt.date(2025, 7, 1)
    # Thượng Cốc, 1–28/7/2025: 390 received, 229 online (58,72%), none overdue.
    thuong_coc, end = unit("05293"), dt.date(2025, 7, 28)
    assert received(thuong_coc, july1, end).count() == 390
    assert received(thuong_coc, july1, end).filter(channel="online").count() == 229
    assert not moved_in(thuong_coc, 9, july1, end).filter(timeliness="late").exists()
    for day in (july1 + dt.timedelta(days=n) for n in range(28)):
        assert not overdue_at_end_of(thuong_coc, day).exists(), day

    # Yên Phú, 1–27/7/2025: 603 received = 239 online + 364 direct.
    yen_phu = received(unit("05305"), july1, dt.date(2025, 7, 27))
    assert Counter(yen_phu.values_list("channel", flat=True)) == {"online": 239, "direct": 364}

    # Quyết Thắng, 1–28/7/2025: 350 received, 350 resolved, 100% on time, none overdue.
    quyet_thang = unit("05323")
    assert received(quyet_thang, july1, end).count() == 350
    resolved = moved_in(quyet_thang, 9, july1, end)
    assert resolved.count() == 350
    assert set(resolved.values_list("timeliness", flat=True)) <= {"early", "on_time"}
    assert not moved_in(quyet_thang, 7, july1, end).exists()
    assert not moved_in(quyet_thang, 8, july1, end).exists()
    assert not state_at_end_of(quyet_thang, end).filter(status_then__in=PENDING).exists()
    carried_over = state_at_end_of(quyet_thang, dt.date(2025, 6, 30)).filter(status_then__in=PENDING).count()
    assert carried_over + 350 == 350 + 0 + 0 + 0  # + received = resolved + withdrawn + stopped + pending

    # The same with the predecessors: they cleared their backlog by 30/6/2025.
    for code in ("05293", "05305", "05323"):
        old_units = Commune.objects.filter(successions__successor=unit(code))
        assert old_units.count() == 3
        assert not Dossier.objects.filter(commune__in=old_units, finished_at__gte=local(july1)).exists()
        assert not Dossier.objects.filter(
            commune__in=old_units, finished_at__isnull=True, received_at__isnull=False
        ).exists()


def test_units_receive_only_while_they_exist(demo):
    ended = Dossier.objects.filter(commune__valid_to__isnull=False)
    assert ended.exists()
    assert not ended.filter(
        Q(received_at__date__gt=F("commune__valid_to")) | Q(submitted_at__date__gt=F("commune__valid_to"))
    ).exists()
    new = Dossier.objects.filter(commune__valid_from__isnull=False)
    assert new.exists()
    assert not new.filter(
        Q(received_at__date__lt=F("commune__valid_from")) | Q(submitted_at__date__lt=F("commune__valid_from"))
    ).exists()
    # Predecessors' codes carry their own agency code, which no current centre uses.
    sample = Dossier.objects.filter(commune=unit("05284", new=False)).first()
    assert sample.code.startswith("X17.05284-")


def test_rows_are_what_the_services_would_store(demo):
    dossiers = list(Dossier.objects.order_by("pk"))
    events = {}
    for event in DossierEvent.objects.order_by("dossier_id", "seq"):
        events.setdefault(event.dossier_id, []).append(event)
    for d in dossiers:
        history = events[d.pk]
        assert [e.seq for e in history] == list(range(1, len(history) + 1))
        assert history[0].from_status is None
        assert all(a.to_status == b.from_status and a.at <= b.at for a, b in itertools.pairwise(history))
        assert d.status == history[-1].to_status and d.version == len(history)
        assert d.search_text == fold(f"{d.code} {d.applicant_name}")
        assert is_well_formed(d.code) and len(d.applicant_id_number) == 12
        d.full_clean(validate_unique=False, validate_constraints=False)  # the database checked those
    # Codes continue after the demo's numbers: the next one of a busy day is free.
    centre = unit("05293").service_centre
    assert next_code(centre, dt.date(2025, 7, 15)) not in {d.code for d in dossiers}
    day_codes = [d.code for d in dossiers if d.code.startswith("H25.05293-250715-")]
    assert DailyCounter.objects.get(centre=centre, day=dt.date(2025, 7, 15)).last_value == len(day_codes) + 1
    # As the services do, each commune's figures are marked stale from its first day.
    first_days = {}
    for d in dossiers:
        day = d.submitted_at.astimezone(VN).date()
        first_days[d.commune_id] = min(day, first_days.get(d.commune_id, day))
    assert dict(FiguresBacklog.objects.values_list("commune_id", "since")) == first_days


def test_the_bench_script_imports_and_refuses_sqlite():
    path = Path(__file__).resolve().parents[2] / "bench" / "dossier_bench.py"
    spec = importlib.util.spec_from_file_location("dossier_bench", path)
    bench = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(bench)
    with pytest.raises(SystemExit, match="PostgreSQL"):
        bench.bench_database_url("sqlite:////tmp/portal.sqlite3", "portal_bench")
    url = bench.bench_database_url("postgres://portal:secret@db:5432/portal", "portal_bench")
    assert url == "postgres://portal:secret@db:5432/portal_bench"
    assert bench.percentile(range(1, 101), 95) == 95


def test_a_realistic_mix(vn_calendar):
    seed(0.25)
    received = Dossier.objects.exclude(received_at=None)
    n = received.count()
    channels = Counter(received.values_list("channel", flat=True))
    assert 0.4 <= channels["online"] / n <= 0.6
    assert 0 < channels["postal"] / n <= 0.05
    paused = received.filter(events__to_status=5).distinct().count()
    assert 0.02 <= paused / n <= 0.12
    finished = Counter(received.values_list("status", flat=True))
    assert finished[10] > 0.75 * n
    assert 0 < finished[7] < 0.04 * n and 0 < finished[8] < 0.02 * n
    late = received.filter(timeliness="late").count()
    assert 0 < late < 0.05 * n
    # Same-day procedures are resolved the day they are received.
    same_day = received.filter(processing_days=0, events__to_status=9)
    assert all(d.finished_at.astimezone(VN).date() == d.received_at.astimezone(VN).date() for d in same_day)
    # Recent weeks: pending dossiers, some overdue now; every moment on a working day in office hours.
    assert received.filter(status__in=PENDING).count() > 10
    assert received.overdue(NOW).exists()
    assert Dossier.objects.filter(status=1).exists() and Dossier.objects.filter(status=3).exists()
    calendar = get_working_calendar()
    for at in DossierEvent.objects.values_list("at", flat=True):
        local_at = at.astimezone(VN)
        assert calendar.is_working_day(local_at.date()), at
        assert dt.time(7) <= local_at.time() < dt.time(17) and at <= NOW, at


def test_replaying_histories_through_the_services_gives_the_same_dossiers(demo):
    """The bulk path follows the services' rules: replay sampled histories with the same moments."""
    fresh = CommuneFactory(code="99999", valid_from=None, province=unit("05293").province)
    ServiceCentreFactory(commune=fresh, agency_code="REPLAY")
    everything = Dossier.objects.order_by("pk")
    interesting = [
        everything.filter(events__to_status=5),
        everything.filter(events__to_status=6),
        everything.filter(timeliness="late"),
        everything.filter(status__in=[1, 3, 7, 8]),
        everything.filter(status__in=PENDING),
        everything.filter(processing_days=0),
    ]
    sample = {d.pk for qs in interesting for d in qs.distinct()[:8]}
    sample |= set(random.Random(3).sample(list(everything.values_list("pk", flat=True)), 40))
    assert len(sample) > 60
    for original in Dossier.objects.filter(pk__in=sample).select_related("procedure"):
        history = list(original.events.order_by("seq"))
        first = history[0]
        replay = receive_dossier(
            commune=fresh,
            procedure=original.procedure,
            channel=original.channel,
            applicant_name=original.applicant_name,
            applicant_id_number=original.applicant_id_number,
            applicant_phone=original.applicant_phone,
            applicant_address=original.applicant_address,
            actor=first.actor,
            at=first.at,
            status=first.to_status,
            note=first.note,
        )
        for event in history[1:]:
            replay = move_dossier(replay, event.to_status, actor=event.actor, at=event.at, note=event.note)
        for name in ("status", "submitted_at", "received_at", "due_at", "paused_at", "finished_at",
                     "returned_at", "timeliness", "version", "processing_days"):  # fmt: skip
            assert getattr(replay, name) == getattr(original, name), (original.code, name)
        assert list(
            replay.events.values_list("seq", "from_status", "to_status", "at", "due_at", "actor")
        ) == [(e.seq, e.from_status, e.to_status, e.at, e.due_at, e.actor_id) for e in history], original.code
