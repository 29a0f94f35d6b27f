"""Hypothesis strategies: random dossier histories over the months around the July 2025 reform.

A history is a plan, not database rows: which unit receives each dossier, through which channel,
under which procedure, and the timed list of statuses it goes through. The property test replays
it through the real services. The allowed moves are written out here from DOMAIN.md §3 rather than
imported from dossiers.workflow, so the generator does not inherit a mistake in the code it tests.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

from hypothesis import strategies as st

VN = ZoneInfo("Asia/Ho_Chi_Minh")

#: The reform day: the predecessor unit receives only before it, the new units only from it.
REFORM = dt.date(2025, 7, 1)
#: The span the histories live in: weekends, and the 1–2/9/2025 National Day holidays at its end.
SPAN_FIRST = dt.date(2025, 6, 23)
SPAN_LAST = dt.date(2025, 9, 2)
#: "Now" while the histories are entered: every event is back-dated relative to it.
NOW = dt.datetime(2025, 9, 3, 10, 0, tzinfo=VN)
TODAY = NOW.date()
LATEST_EVENT = NOW  # events may be entered up to this very moment, never after

#: Units a dossier can belong to, and the local days on which they accept dossiers.
PREDECESSOR, SUCCESSOR, NEIGHBOUR = "predecessor", "successor", "neighbour"
RECEIVING_WINDOW = {
    PREDECESSOR: (SPAN_FIRST, REFORM - dt.timedelta(days=1)),  # Văn Sơn, ended 30/6/2025
    SUCCESSOR: (REFORM, SPAN_LAST),  # new Thượng Cốc, from 1/7/2025
    NEIGHBOUR: (SPAN_FIRST, SPAN_LAST),  # a unit that lives through the reform
}

#: Procedures by processing time in working days (0 = same day).
PROCEDURE_DAYS = (0, 3, 7)

# DOMAIN.md §3, written out independently of dossiers.workflow. The moves that lead deeper come
# first: Hypothesis favours the first choices.
MOVES = {
    1: (2, 3),
    2: (4, 9, 7),
    4: (5, 9, 6, 7, 8),
    5: (4, 7),
    6: (4, 7),
    9: (10,),
}
# How likely each next status is, so histories go deep (several pauses) more often than they stop.
WEIGHTS = {2: 3, 3: 1, 4: 6, 5: 3, 6: 2, 7: 1, 8: 1, 9: 3, 10: 1}

# Hours of day, local: before opening, office hours, the last minute, after closing, late night.
HOURS = (0, 6, 7, 9, 12, 16, 17, 18, 22, 23)


@dataclass
class DossierPlan:
    unit: str
    procedure: int  # index into PROCEDURE_DAYS
    channel: str
    events: list[tuple[int, dt.datetime]] = field(default_factory=list)  # (to_status, at)


@dataclass
class History:
    units: tuple[str, ...]
    dossiers: list[DossierPlan]
    order: list[int]  # the interleaving: dossier index per applied event, in the order clerks enter them
    split: int  # how many of `order` are entered before the first full recompute
    visits: dict[tuple[str, dt.date], int]

    @property
    def event_count(self) -> int:
        return len(self.order)


def _moment(day: dt.date, hour: int, minute: int) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour, minute), tzinfo=VN)


gaps = st.one_of(
    st.just(dt.timedelta(0)),  # two moves at the same instant
    st.integers(1, 180).map(lambda m: dt.timedelta(minutes=m)),  # same day, usually
    st.integers(1, 36).map(lambda h: dt.timedelta(hours=h)),  # across midnight
    st.integers(1, 25).map(lambda d: dt.timedelta(days=d)),  # across due dates and weekends
)


@st.composite
def dossier_plans(draw, units: tuple[str, ...]) -> DossierPlan:
    unit = draw(st.sampled_from(units))
    channel = draw(st.sampled_from(["online", "direct", "postal"]))
    plan = DossierPlan(unit=unit, procedure=draw(st.integers(0, len(PROCEDURE_DAYS) - 1)), channel=channel)
    window_first, window_last = RECEIVING_WINDOW[unit]
    day = window_first + dt.timedelta(days=draw(st.integers(0, (window_last - window_first).days)))
    at = _moment(day, draw(st.sampled_from(HOURS)), draw(st.sampled_from([0, 1, 30, 59])))
    # Online submissions may wait for acceptance (status 1); everything else is received at once.
    status = 1 if channel == "online" and draw(st.booleans()) else 2
    plan.events.append((status, at))
    while status in MOVES and len(plan.events) < 7:
        if draw(st.integers(0, 9)) >= 8:  # a clerk has not got further (yet)
            break
        options = MOVES[status]
        nxt = draw(st.sampled_from([s for s in options for _ in range(WEIGHTS[s])]))
        at = min(at + draw(gaps), LATEST_EVENT)  # entered now at the latest, never in the future
        if nxt == 2 and unit == PREDECESSOR and at.date() >= REFORM:
            nxt = 3  # the ended unit can no longer accept it: refused instead
        plan.events.append((nxt, at))
        status = nxt
    return plan


@st.composite
def histories(draw, max_dossiers: int = 8) -> History:
    units = draw(
        st.sampled_from(
            [
                (PREDECESSOR,),
                (SUCCESSOR,),
                (NEIGHBOUR,),
                (PREDECESSOR, SUCCESSOR),  # a merged unit "with predecessors"
                (PREDECESSOR, SUCCESSOR, NEIGHBOUR),
            ]
        )
    )
    plans = draw(st.lists(dossier_plans(units), min_size=1, max_size=max_dossiers))
    tokens = [i for i, plan in enumerate(plans) for _ in plan.events]
    order = draw(st.permutations(tokens))
    split = draw(st.integers(0, len(order)))
    visit_days = st.dates(min_value=SPAN_FIRST, max_value=SPAN_LAST)
    visits = draw(
        st.dictionaries(st.tuples(st.sampled_from(units), visit_days), st.integers(0, 400), max_size=3)
    )
    return History(units=units, dossiers=plans, order=list(order), split=split, visits=visits)


@st.composite
def periods(draw, first: dt.date, last: dt.date) -> tuple[dt.date, dt.date]:
    """A period [F, T] inside [first, last]; short ones and single days are as likely as long ones."""
    f = first + dt.timedelta(days=draw(st.integers(0, (last - first).days)))
    length = draw(st.one_of(st.just(0), st.integers(0, 7), st.integers(0, (last - f).days)))
    return f, min(last, f + dt.timedelta(days=length))
