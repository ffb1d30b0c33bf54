"""Rotation (交流轮岗): where a person worked on a given day, each county's yearly rotation rate against the
target, how many more moves reach it, and who is due to rotate.

Rule: seed 003 §三(五), 持续推进校长和教师交流 … 每年交流人员比例要超过15%; seed 002 §三(三) 校际流动 to fill
structural shortages.

Definitions (docs/people.md):
- headcount of a county in year Y: the principals and teachers (``eligible``) working at one of its schools on
  1 January of Y, as rebuilt from the dated moves;
- movers of a county in year Y: the eligible people with at least one rotation move dated in Y that left a
  school of the county (a person who moves twice in a year counts once);
- rate = movers / headcount; the target is met when the rate is strictly above 15%.
"""

from __future__ import annotations

import datetime as dt
import math
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from fractions import Fraction

from gaozhong.common.standards import ROTATION_MIN_SHARE, ROTATION_REFERENCE

__all__ = [
    "ROTATION_TARGET", "DUE_AFTER_YEARS", "Person", "MoveEvent", "CountyRate", "Candidate", "Proposal", "school_at",
    "county_rates", "moves_needed", "years_at_school", "due_for_rotation",
]

#: The yearly share of principals and teachers that should rotate, to be exceeded. Rule: seed 003 §三(五), > 15%.
ROTATION_TARGET = ROTATION_MIN_SHARE

#: Years at one school after which a principal or teacher is proposed for rotation. A platform setting (the
#: seeds fix the yearly share only); counties may pass their own.
DUE_AFTER_YEARS = 6.0


@dataclass(frozen=True)
class Person:
    person_id: int
    hire_date: dt.date
    current_school: int | None
    eligible: bool = True  # a principal or teacher (not support staff, not a county 教研员)


@dataclass(frozen=True)
class MoveEvent:
    """One dated move. ``rotation`` is True for 交流轮岗 moves (they count toward the rate); a hire has
    ``from_school`` None."""

    person_id: int
    on: dt.date
    from_school: int | None
    to_school: int | None
    rotation: bool
    seq: int = 0  # tie-break for two moves on one day (record order)


def _sorted(moves: Iterable[MoveEvent]) -> list[MoveEvent]:
    return sorted(moves, key=lambda m: (m.on, m.seq))


def school_at(person: Person, moves: Sequence[MoveEvent], on: dt.date) -> int | None:
    """The school ``person`` worked at on day ``on`` (None before the hire date or when at no school).

    The last move dated on or before ``on`` says where they went; with none, the first later move says where
    they came from; with no move at all, they have been at their current school since the hire date.
    """
    if on < person.hire_date:
        return None
    mine = _sorted(m for m in moves if m.person_id == person.person_id)
    before = [m for m in mine if m.on <= on]
    if before:
        return before[-1].to_school
    if mine:
        return mine[0].from_school
    return person.current_school


@dataclass(frozen=True)
class CountyRate:
    county_id: int
    year: int
    headcount: int
    movers: int

    @property
    def rate(self) -> Fraction:
        return Fraction(self.movers, self.headcount) if self.headcount else Fraction(0)

    @property
    def percent(self) -> float:
        """The rate in percent, one decimal (for display)."""
        return round(float(self.rate) * 100, 1)

    @property
    def meets(self) -> bool:
        """Rule: seed 003 §三(五), 每年交流人员比例要超过15% (strictly above)."""
        return self.headcount > 0 and self.rate > ROTATION_TARGET

    @property
    def needed(self) -> int:
        return moves_needed(self.headcount, self.movers)


def moves_needed(headcount: int, movers: int) -> int:
    """How many more people must rotate for the share to exceed 15% (0 when it already does).

    Rule: seed 003 §三(五): the smallest m with m / headcount > 15% is floor(0.15 × headcount) + 1.
    """
    if headcount <= 0:
        return 0
    smallest = math.floor(ROTATION_TARGET * headcount) + 1
    return max(0, smallest - movers)


def county_rates(people: Iterable[Person], moves: Iterable[MoveEvent], school_county: Mapping[int, int],
                 years: Iterable[int]) -> list[CountyRate]:
    """Each county's rotation figures for each year in ``years`` (counties with schools in ``school_county``).

    Rule: seed 003 §三(五), 每年交流人员比例要超过15%.
    """
    people = [p for p in people if p.eligible]
    eligible = {p.person_id for p in people}
    by_person: dict[int, list[MoveEvent]] = defaultdict(list)
    all_moves = _sorted(moves)
    for m in all_moves:
        by_person[m.person_id].append(m)
    counties = sorted(set(school_county.values()))
    out = []
    for year in sorted(set(years)):
        start = dt.date(year, *ROTATION_REFERENCE)
        head: dict[int, int] = defaultdict(int)
        for p in people:
            s = school_at(p, by_person.get(p.person_id, []), start)
            if s is not None and s in school_county:
                head[school_county[s]] += 1
        movers: dict[int, set[int]] = defaultdict(set)
        for m in all_moves:
            if m.rotation and m.on.year == year and m.person_id in eligible and m.from_school in school_county:
                movers[school_county[m.from_school]].add(m.person_id)
        out += [CountyRate(c, year, head[c], len(movers[c])) for c in counties]
    return out


def years_at_school(person: Person, moves: Sequence[MoveEvent], on: dt.date) -> float:
    """Years ``person`` has been at their current school on ``on``: since the last move into it, else since
    the hire date (365.25-day years)."""
    mine = _sorted(m for m in moves if m.person_id == person.person_id and m.on <= on)
    since = person.hire_date
    if mine and mine[-1].to_school == person.current_school:
        since = max(since, mine[-1].on)
    return max(0.0, (on - since).days / 365.25)


@dataclass(frozen=True)
class Candidate:
    person_id: int
    school_id: int
    county_id: int
    subjects: tuple[str, ...]
    years: float
    leader: bool = False  # 校长 or 副校长: due by years alone, no subject matching


@dataclass(frozen=True)
class Proposal:
    person_id: int
    school_id: int
    years: float
    subject: str | None  # the subject the proposal is matched on
    home_surplus: float  # teachers of that subject above need at the home school (negative: short there)
    destinations: tuple[tuple[int, float], ...]  # (school id, teachers short of the subject), most short first
    leader: bool = False


def due_for_rotation(candidates: Iterable[Candidate], gaps: Mapping[tuple[int, str], float],
                     school_county: Mapping[int, int], min_years: float = DUE_AFTER_YEARS) -> list[Proposal]:
    """Principals and teachers at their school for ``min_years`` or more, ranked for a rotation proposal.

    ``gaps`` maps (school, subject) to teachers available minus teachers needed (see ``staffing``). For a
    teacher, each of their subjects is matched with the schools of the same county that lack it; the subject
    with destinations and the largest surplus at home is proposed. Order: those with a destination first, among
    them those whose home school keeps at least one spare teacher of the subject, then longest at the school,
    then person id. Rule: seed 003 §三(五) 交流轮岗, seed 002 §三(三) 校际流动 for structural shortages.
    """
    by_county: dict[int, list[int]] = defaultdict(list)
    for school, county in school_county.items():
        by_county[county].append(school)
    out = []
    for c in candidates:
        if c.years < min_years:
            continue
        best: tuple | None = None
        if not c.leader:
            for subject in sorted(set(c.subjects)):
                home = float(gaps.get((c.school_id, subject), 0.0))
                dests = sorted(
                    ((s, -float(gaps[(s, subject)])) for s in by_county[c.county_id]
                     if s != c.school_id and (s, subject) in gaps and gaps[(s, subject)] < 0),
                    key=lambda d: (-d[1], d[0]),
                )
                key = (bool(dests), home, subject)
                if best is None or (key[0], key[1]) > (best[0][0], best[0][1]):
                    best = (key, subject, home, tuple(dests))
        if best is None:
            out.append(Proposal(c.person_id, c.school_id, c.years, None, 0.0, (), c.leader))
        else:
            _, subject, home, dests = best
            out.append(Proposal(c.person_id, c.school_id, c.years, subject, home, dests, c.leader))
    out.sort(key=lambda p: (0 if p.destinations else 1, 0 if p.home_surplus >= 1 else 1, -p.years, p.person_id))
    return out
