"""The demo dossiers' plan: who files what, when, and how each dossier moves (no database here).

A deterministic generator (one `random.Random` per unit, seeded from the unit's code) builds each
dossier's history move by move with the SAME rules as dossiers.services: a move is applied by
`DossierDraft.move`, which mirrors `services._apply` with the public helpers (the calendar's
`due_at`, `services.resumed_due_at`, `services.timeliness_of`). tests/dossiers/test_demo_data.py
replays sampled histories through the real services and compares the results.

Histories are planned in full and cut at `now`: a move planned for later than `now` has not
happened yet, so recent dossiers stay pending, some of them overdue. Every moment falls on a
working day within office hours. A `Quota` imposes exact receipt counts by channel on a window
(the seed article's figures); `Rules` keep chosen dossiers on time or finished by a given day.
"""

from __future__ import annotations

import bisect
import datetime as dt
import functools
import itertools
import math
import random
from dataclasses import dataclass

from communes.calendar import WorkingCalendar
from communes.text import fold

from . import workflow
from .choices import Channel, OnlineLevel, Status
from .codes import format_code
from .services import resumed_due_at, timeliness_of

S = Status
DAY = dt.timedelta(days=1)


@dataclass(frozen=True)
class ProcedureOption:
    id: int
    code: str
    processing_days: int
    online_level: str
    weight: float


@dataclass(frozen=True)
class Rules:
    """Constraints on the dossiers a unit receives up to `until` (inclusive); None = any day."""

    until: dt.date | None = None
    never_late: bool = False  # resolved on or before the due date, never overdue
    finish_by: dt.date | None = None  # reaches a finishing status by this day
    no_exit: bool = False  # neither refused, withdrawn nor stopped


@dataclass(frozen=True)
class Quota:
    """Exactly this many dossiers received (status 2) per channel on the working days first..last."""

    first: dt.date
    last: dt.date
    online: int
    direct: int
    postal: int
    rules: Rules = Rules()

    @property
    def total(self) -> int:
        return self.online + self.direct + self.postal


@dataclass(frozen=True)
class UnitPlan:
    """One receiving unit (a commune version) and its centre's agency code."""

    commune_id: int
    code: str
    agency_code: str
    place: str  # "xã Văn Sơn, tỉnh Hoà Bình": the applicants' address ends with it
    first_day: dt.date
    last_day: dt.date
    rate: float  # mean dossiers received per working day outside a quota window
    online_share: float
    postal_share: float
    actor_id: int | None = None  # the clerk who acts on its dossiers (None: not a demo account)
    quota: Quota | None = None
    rules: Rules = Rules()


class DossierDraft:
    """A dossier row and its events, built in memory exactly as the services would store them."""

    __slots__ = (
        "commune_id", "procedure_id", "processing_days", "channel", "status", "code",
        "applicant_name", "applicant_id_number", "applicant_phone", "applicant_address",
        "submitted_at", "received_at", "due_at", "paused_at", "finished_at", "returned_at",
        "timeliness", "events", "actor_id", "calendar", "now", "cut", "memo",
    )  # fmt: skip

    def __init__(self, unit: UnitPlan, procedure: ProcedureOption, channel: str, calendar, now, memo):
        self.commune_id, self.procedure_id = unit.commune_id, procedure.id
        self.processing_days, self.channel = procedure.processing_days, channel
        self.actor_id, self.calendar, self.now = unit.actor_id, calendar, now
        # Answers of the calendar and of timeliness_of, shared by a planner's drafts: their
        # results depend on local days only (the calendar's zone is the project's TIME_ZONE).
        self.memo = memo
        self.status = self.code = self.received_at = self.due_at = self.paused_at = None
        self.submitted_at = self.finished_at = self.returned_at = self.timeliness = None
        self.events: list[tuple] = []  # (seq, from_status, to_status, at, due_at, actor_id, note)
        self.cut = False  # a planned move fell after `now`: the rest of the history has not happened

    @property
    def last_at(self) -> dt.datetime:
        return self.events[-1][3]

    def move(self, to_status: int, at: dt.datetime, note: str = "") -> bool:
        """Apply one move as services.receive_dossier / services._apply do; False once cut at `now`."""
        if self.cut or at > self.now:
            self.cut = True
            return False
        from_status = self.status
        if from_status is None:  # receive_dossier: status 1 (online, not yet accepted) or 2
            self.submitted_at = at
        if to_status == S.RECEIVED:
            self.received_at = at
            # calendar.due_at depends only on the local day, before or after closing, and N.
            local = at.astimezone(self.calendar.tz)
            key = ("due", local.date(), local.time() < self.calendar.closes, self.processing_days)
            due_at = self.memo.get(key)
            if due_at is None:
                due_at = self.memo[key] = self.calendar.due_at(at, self.processing_days)
            self.due_at = due_at
        if from_status in workflow.PAUSED:
            if to_status == S.PROCESSING:
                self.due_at = resumed_due_at(self.calendar, self.due_at, self.paused_at, at)
            self.paused_at = None
        if to_status in workflow.PAUSED:
            self.paused_at = at
        if to_status in workflow.FINISHING:
            self.finished_at = at
        if to_status == S.RESOLVED:
            # services.timeliness_of compares local dates only: asked once per (day, due moment).
            key = ("timeliness", at.astimezone(self.calendar.tz).date(), self.due_at)
            timeliness = self.memo.get(key)
            if timeliness is None:
                timeliness = self.memo[key] = timeliness_of(at, self.due_at)
            self.timeliness = timeliness
        if to_status == S.RETURNED:
            self.returned_at = at
        self.status = to_status
        # The citizen submits online; every later step is the centre's.
        actor = None if to_status == S.SUBMITTED else self.actor_id
        self.events.append((len(self.events) + 1, from_status, to_status, at, self.due_at, actor, note))
        return True

    @property
    def search_text(self) -> str:
        """fold(f"{code} {applicant_name}") as Dossier.save() fills it; the code is upper-case
        ASCII without spaces, so that is its lower case, a space and the folded name (cached)."""
        return f"{self.code.lower()} {_folded(self.applicant_name)}"


_folded = functools.lru_cache(maxsize=None)(fold)


# --- invented applicants ------------------------------------------------------------------------


def _words(text: str, sep: str | None = None) -> tuple[str, ...]:
    return tuple(text.split(sep))


FAMILY = _words("Nguyễn Trần Lê Phạm Hoàng Bùi Đinh Quách Hà Vũ Đặng Đỗ Ngô Phùng Xa Cao Lường Hoàng Bạch")
MIDDLE_M = _words("Văn Văn Đức Công Minh Quang Hữu Tiến")
MIDDLE_F = _words("Thị Thị Thị Thu Ngọc Thanh Kim Hồng")
GIVEN_M = _words(
    "An Bình Cường Dũng Hải Hùng Khánh Lâm Long Mạnh Nam Phong Quân Sơn Tài Thắng Toàn Tuấn Việt"
)
GIVEN_F = _words(
    "Anh Chi Dung Duyên Hà Hằng Hoa Hương Lan Liên Loan Mai Nga Nhung Oanh Phượng Thảo Trang Yến"
)
HAMLETS = _words(
    "Xóm Đồng Bái|Xóm Chiềng|Xóm Mới|Xóm Bãi|Xóm Trên|Xóm Dưới|Xóm Bưng|Xóm Khả|Thôn Trung|"
    "Thôn Đoàn Kết|Thôn Tân Lập|Khu phố 1|Khu phố 2|Khu phố 3",
    "|",
)

NOTES = {
    S.REFUSED: "Hồ sơ không thuộc thẩm quyền giải quyết của xã; đã hướng dẫn công dân nộp đúng nơi.",
    S.SUPPLEMENT_REQUESTED: "Đề nghị bổ sung bản sao giấy tờ còn thiếu (Mẫu 02).",
    S.FEE_REQUESTED: "Đề nghị công dân nộp phí, lệ phí theo quy định.",
    S.WITHDRAWN: "Công dân có đơn đề nghị rút hồ sơ.",
    S.STOPPED: "Dừng xử lý: hồ sơ đang có tranh chấp, chờ cơ quan có thẩm quyền giải quyết (Mẫu 05).",
}


def applicant(rng: random.Random, place: str) -> tuple[str, str, str, str]:
    """An invented person. ID numbers start with 000, a province code that does not exist, and
    phones with 060, a prefix no Vietnamese mobile network uses: clearly synthetic, never real."""
    r = rng.random
    middle, given = (MIDDLE_M, GIVEN_M) if r() < 0.5 else (MIDDLE_F, GIVEN_F)
    name = f"{_pick(r, FAMILY)} {_pick(r, middle)} {_pick(r, given)}"
    id_number = f"000{int(r() * 10**9):09d}"
    phone = f"060{int(r() * 10**7):07d}" if r() < 0.8 else ""
    return name, id_number, phone, f"{_pick(r, HAMLETS)}, {place}"


def _pick(r, seq):
    return seq[int(r() * len(seq))]


def _randint(rng: random.Random, low: int, high: int) -> int:
    """Like rng.randint, several times faster (random.random is implemented in C)."""
    return low + int(rng.random() * (high - low + 1))


# --- the planner --------------------------------------------------------------------------------


NO_RULES = Rules()
#: Mondays are busier, Fridays quieter (make-up Saturdays quieter still): offices see this everywhere.
WEEKDAY_FACTORS = (1.25, 1.05, 1.0, 0.95, 0.8, 0.6, 0.6)
#: Shares of all dossiers (DOMAIN.md mix): supplement requests, fee requests, late, stopped.
SHARES = {"supplement": 0.08, "fee": 0.03, "late": 0.03, "stopped": 0.005}
WITHDRAWN = 0.01


class DemoPlanner:
    """Plans every unit's dossiers from its first to its last day, cut at `now`."""

    def __init__(self, calendar: WorkingCalendar, procedures: list[ProcedureOption], now, seed: int):
        if not procedures:
            raise ValueError("The demo dossiers need at least one procedure in the catalogue.")
        self.cal, self.now, self.seed = calendar, now.astimezone(calendar.tz), seed
        self.memo: dict[tuple, object] = {}
        self.days = _WorkingDays(calendar, dt.date(2024, 12, 1), self.now.date() + dt.timedelta(days=400))
        self.any_procedure = _Weighted(procedures)
        # Same-day procedures go straight from received to resolved, so pauses, lateness and stops
        # all fall on the others: scale their odds so the shares hold over all dossiers.
        multi_day = sum(p.weight for p in procedures if p.processing_days > 0) / self.any_procedure.total
        self.odds = {key: min(0.5, share / max(multi_day, 0.05)) for key, share in SHARES.items()}
        online = [p for p in procedures if p.online_level != OnlineLevel.INFO]
        self.online_procedure = _Weighted(online) if online else self.any_procedure
        opens = calendar.opens.hour * 60 + calendar.opens.minute
        closes = calendar.closes.hour * 60 + calendar.closes.minute
        # Receipts from a quarter of an hour after opening to a quarter before closing, outside
        # the 11:30–13:30 lunch break when the office hours include it.
        spans = [(opens + 15, min(690, closes - 15)), (max(810, opens + 15), closes - 15)]
        self.spans = [(a, b - a) for a, b in spans if b > a] or [(opens, closes - opens)]
        self.span_total = sum(length for _, length in self.spans)
        self.last_minute = dt.timedelta(minutes=closes - 1)

    # moments ---------------------------------------------------------------------------------

    def _random_moment(self, rng, day: dt.date) -> dt.datetime:
        seconds = int(rng.random() * self.span_total * 60)
        for start, length in self.spans:
            if seconds < length * 60:
                seconds += start * 60
                break
            seconds -= length * 60
        return self.days.midnight(day) + dt.timedelta(seconds=seconds)

    def _moment_on(self, rng, day: dt.date, after: dt.datetime) -> dt.datetime:
        """A time on `day` not before `after` (which is on `day` or earlier), before closing."""
        after_day = after.date()
        if after_day < day:
            return self._random_moment(rng, day)
        if after_day > day:
            raise ValueError(f"{day} is before the previous move ({after}).")
        later = after + dt.timedelta(seconds=180 + int(rng.random() * 5220))
        return max(after, min(later, self.days.midnight(day) + self.last_minute))

    def _day_between(self, rng, first: dt.date, last: dt.date) -> dt.date:
        """A random working day in [first, last] (`first` is one); `first` when there is none after it."""
        span = self.days.between(first, last)
        return first if span <= 0 else self.days.add(first, _randint(rng, 0, span))

    # units -----------------------------------------------------------------------------------

    def expected_count(self, unit: UnitPlan) -> float:
        """How many dossiers plan_unit gives on average up to yesterday (today's are cut at `now`)."""
        quota = unit.quota
        days = self.days.listed(unit.first_day, min(unit.last_day, self.now.date() - DAY))
        free = [d for d in days if quota is None or not quota.first <= d <= quota.last]
        return unit.rate * sum(WEEKDAY_FACTORS[d.weekday()] for d in free) + (quota.total if quota else 0)

    def plan_unit(self, unit: UnitPlan) -> list[DossierDraft]:
        """Every dossier of the unit, numbered per day in the order they were filed."""
        rng = random.Random(f"{self.seed}:{unit.code}:{unit.agency_code}")
        last = min(unit.last_day, self.now.date())
        days = self.days.listed(unit.first_day, last)
        quota = unit.quota
        by_day: dict[dt.date, list[str]] = {}
        if quota is not None:
            by_day = self._quota_channels(rng, quota, [d for d in days if quota.first <= d <= quota.last])
        drafts = []
        for day in days:
            if day in by_day:
                channels, rules = by_day[day], quota.rules
            else:
                mean = unit.rate * WEEKDAY_FACTORS[day.weekday()]
                channels = [self._channel(rng, unit) for _ in range(_poisson(rng, mean))]
                rules = unit.rules if unit.rules.until is None or day <= unit.rules.until else NO_RULES
            for channel in channels:
                draft = self._dossier(rng, unit, day, channel, rules, quota is not None and day in by_day)
                if draft is not None:
                    drafts.append(draft)
        self._number(unit, drafts)
        return drafts

    def _quota_channels(self, rng, quota: Quota, days: list[dt.date]) -> dict[dt.date, list[str]]:
        """Spread the quota's dossiers over its working days, busier some days than others."""
        if not days:
            return {}
        channels = [Channel.ONLINE] * quota.online + [Channel.DIRECT] * quota.direct
        channels += [Channel.POSTAL] * quota.postal
        rng.shuffle(channels)
        weights = [rng.uniform(0.7, 1.3) * (1.2 if d.weekday() == 0 else 1.0) for d in days]
        shares = [quota.total * w / sum(weights) for w in weights]
        counts = [int(s) for s in shares]
        # Largest remainders get the dossiers rounding left over, so the total is exact.
        for i in sorted(range(len(days)), key=lambda i: counts[i] - shares[i])[: quota.total - sum(counts)]:
            counts[i] += 1
        result, start = {}, 0
        for day, count in zip(days, counts, strict=True):
            result[day] = channels[start : start + count]
            start += count
        return result

    def _channel(self, rng, unit: UnitPlan) -> str:
        u = rng.random()
        if u < unit.online_share:
            return Channel.ONLINE
        return Channel.POSTAL if u < unit.online_share + unit.postal_share else Channel.DIRECT

    def _number(self, unit: UnitPlan, drafts: list[DossierDraft]) -> None:
        """Codes as next_code gives them: per centre and local day of filing, in filing order."""
        drafts.sort(key=lambda d: d.submitted_at)
        day, number = None, 0
        for draft in drafts:
            filed = draft.submitted_at.date()
            day, number = filed, (number + 1 if filed == day else 1)
            draft.code = format_code(unit.agency_code, filed, number)

    # one dossier -----------------------------------------------------------------------------

    def _dossier(self, rng, unit, day, channel, rules: Rules, must_receive: bool) -> DossierDraft | None:
        picker = self.online_procedure if channel == Channel.ONLINE else self.any_procedure
        draft = DossierDraft(unit, picker.pick(rng), channel, self.cal, self.now, self.memo)
        (draft.applicant_name, draft.applicant_id_number, draft.applicant_phone, draft.applicant_address) = (
            applicant(rng, unit.place)
        )
        received = self._random_moment(rng, day)
        if channel == Channel.ONLINE:
            # Submitted on the portal earlier that day or the working day before (same unit).
            before = day
            if rng.random() < 0.35:
                previous = self.days.previous(day)
                before = previous if previous >= unit.first_day else day
            submitted = self._random_moment(rng, before)
            if submitted > received:
                submitted, received = received, submitted
            if not draft.move(S.SUBMITTED, submitted):
                return None  # filed after `now`: it does not exist yet
            if not must_receive and not rules.no_exit and rng.random() < 0.015:
                draft.move(S.REFUSED, received, NOTES[S.REFUSED])
                return draft
        if not draft.move(S.RECEIVED, received) and draft.status is None:
            return None  # filed after `now`: it does not exist yet
        if draft.status == S.RECEIVED:
            self._process(rng, draft, rules)
        return draft

    def _process(self, rng, d: DossierDraft, rules: Rules) -> None:
        received_day = d.received_at.date()
        cap = rules.finish_by
        u = rng.random()
        if d.processing_days == 0:  # same-day procedures: 2 -> 9 within the day
            if not rules.no_exit and u < WITHDRAWN:
                d.move(S.WITHDRAWN, self._moment_on(rng, received_day, d.last_at), NOTES[S.WITHDRAWN])
                return
            if d.move(S.RESOLVED, self._moment_on(rng, received_day, d.last_at)):
                self._return(rng, d)
            return
        start_day = received_day
        if rng.random() < 0.2:
            following = self.days.add(received_day, 1)
            if cap is None or following <= cap:
                start_day = following
        d.move(S.PROCESSING, self._moment_on(rng, start_day, d.last_at))
        for kind, odds, longest in ((S.SUPPLEMENT_REQUESTED, "supplement", 6), (S.FEE_REQUESTED, "fee", 3)):
            if d.status == S.PROCESSING and rng.random() < self.odds[odds]:
                self._pause(rng, d, kind, longest, rules)
        if d.status != S.PROCESSING:
            return
        last_day, due_day = d.last_at.date(), d.due_at.astimezone(self.cal.tz).date()
        u, stopped, late = rng.random(), self.odds["stopped"], self.odds["late"]
        if not rules.no_exit and u < stopped + WITHDRAWN:
            to = S.STOPPED if u < stopped else S.WITHDRAWN
            exit_day = self._day_between(rng, last_day, due_day)
            d.move(to, self._moment_on(rng, min(exit_day, cap or exit_day), d.last_at), NOTES[to])
            return
        u = rng.random()
        if not rules.never_late and u < late:
            finish = self.days.add(due_day, _randint(rng, 1, 5))
        elif u < late + 0.25:  # on the due date; the rest early
            finish = due_day
        else:
            finish = self._day_between(rng, last_day, due_day - DAY)
        if cap is not None:
            finish = min(finish, cap)
        finish = max(finish, last_day)
        while not self.days.is_working(finish):
            finish -= DAY
        if d.move(S.RESOLVED, self._moment_on(rng, max(finish, last_day), d.last_at)):
            self._return(rng, d)

    def _pause(self, rng, d: DossierDraft, kind: int, longest: int, rules: Rules) -> None:
        last_day, due_day = d.last_at.date(), d.due_at.astimezone(self.cal.tz).date()
        paused_day = self._day_between(rng, last_day, due_day)
        resumed_day = self.days.add(paused_day, _randint(rng, 1, longest))
        if rules.finish_by is not None and resumed_day > rules.finish_by:
            return  # it would not fit before the day everything must be finished
        d.move(kind, self._moment_on(rng, paused_day, d.last_at), NOTES[kind])
        if kind == S.SUPPLEMENT_REQUESTED and not rules.no_exit and rng.random() < 0.05:
            d.move(S.WITHDRAWN, self._moment_on(rng, resumed_day, d.last_at), NOTES[S.WITHDRAWN])
            return
        d.move(S.PROCESSING, self._moment_on(rng, resumed_day, d.last_at))

    def _return(self, rng, d: DossierDraft) -> None:
        """Most results are collected, the same day or within a week."""
        if rng.random() < 0.04:
            return
        finished_day = d.finished_at.date()
        day = finished_day if rng.random() < 0.55 else self.days.add(finished_day, _randint(rng, 1, 5))
        d.move(S.RETURNED, self._moment_on(rng, day, d.last_at))


class _Weighted:
    """Weighted choice of procedures with precomputed cumulative weights."""

    def __init__(self, options: list[ProcedureOption]):
        self.options = options
        self.cumulative = list(itertools.accumulate(o.weight for o in options))
        self.total = self.cumulative[-1]

    def pick(self, rng: random.Random) -> ProcedureOption:
        return self.options[
            bisect.bisect(self.cumulative, rng.random() * self.total, 0, len(self.options) - 1)
        ]


class _WorkingDays:
    """The calendar's working days over a range, indexed: constant-time steps for choosing days.

    Only for picking random days; deadlines always come from the calendar itself.
    """

    def __init__(self, calendar: WorkingCalendar, first: dt.date, last: dt.date):
        self.calendar, self.tz = calendar, calendar.tz
        self.list: list[dt.date] = []
        self.rank: dict[dt.date, int] = {}  # every date: how many listed working days precede it
        day = first
        while day <= last:
            self.rank[day] = len(self.list)
            if calendar.is_working_day(day):
                self.list.append(day)
            day += DAY
        self.working = frozenset(self.list)
        self._midnights: dict[dt.date, dt.datetime] = {}

    def is_working(self, day: dt.date) -> bool:
        return day in self.working if day in self.rank else self.calendar.is_working_day(day)

    def add(self, day: dt.date, n: int) -> dt.date:
        """As WorkingCalendar.add_working_days: the n-th working day after `day` (n == 0: `day`)."""
        if n == 0:
            return day
        rank = self.rank.get(day)
        index = None if rank is None else rank + n - (0 if day in self.working else 1)
        if index is None or index >= len(self.list):
            return self.calendar.add_working_days(day, n)
        return self.list[index]

    def between(self, first: dt.date, last: dt.date) -> int:
        """Working days d with first < d <= last."""
        if first not in self.rank or last not in self.rank:
            return self.calendar.working_days_between(first, last)
        if last <= first:
            return 0
        return self.rank[last] + (last in self.working) - self.rank[first] - (first in self.working)

    def previous(self, day: dt.date) -> dt.date:
        day -= DAY
        while not self.is_working(day):
            day -= DAY
        return day

    def listed(self, first: dt.date, last: dt.date) -> list[dt.date]:
        """The working days in [first, last]."""
        if first in self.rank and last in self.rank:
            return [d for d in self.list if first <= d <= last]
        days = [first + dt.timedelta(days=n) for n in range((last - first).days + 1)]
        return [d for d in days if self.calendar.is_working_day(d)]

    def midnight(self, day: dt.date) -> dt.datetime:
        moment = self._midnights.get(day)
        if moment is None:
            moment = self._midnights[day] = dt.datetime(day.year, day.month, day.day, tzinfo=self.tz)
        return moment


def _poisson(rng: random.Random, mean: float) -> int:
    """A Poisson draw (Knuth) for small means, a rounded normal one for large means."""
    if mean <= 0:
        return 0
    if mean > 30:
        return max(0, round(rng.gauss(mean, math.sqrt(mean))))
    limit, k, p = math.exp(-mean), 0, rng.random()
    while p > limit:
        k += 1
        p *= rng.random()
    return k
