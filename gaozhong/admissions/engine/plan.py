"""Next year's enrolment plans (S4) and county retention of top candidates — pure functions, exact arithmetic.

Rule: seed 003 §三(二)3, 按各县（市、区）参考人数、高中学校办学质量、第一次录取完成率科学合理分配高中招生计划.
:func:`propose_plans` turns those three inputs into a proposal per school and shows what each input changed.

Rule: seed 002 §二, 县域普通高中生源流失现象得到根本扭转. :func:`county_retention` reports, per county and year,
the share of the county's top 10 / 20 / 30 % candidates admitted to a school of their own county.

>>> from fractions import Fraction
>>> schools = [SchoolPlanInput("A", "X", 100, True, 100), SchoolPlanInput("B", "X", 100, False, 50)]
>>> [(p.school_id, p.proposed) for p in propose_plans(schools, [CountyCandidates("X", 1000, 1100)])]
[('A', 165), ('B', 55)]
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction

__all__ = [
    "SchoolPlanInput",
    "CountyCandidates",
    "PlanProposal",
    "propose_plans",
    "largest_remainder",
    "Candidate",
    "RetentionRow",
    "county_retention",
]


@dataclass(frozen=True, slots=True)
class SchoolPlanInput:
    """A senior high school's last plan, quality flag and last year's first-round admissions (第一次录取)."""

    school_id: str
    county: str
    last_plan: int
    quality: bool
    first_round_admitted: int


@dataclass(frozen=True, slots=True)
class CountyCandidates:
    """参考人数: candidates sitting the exam in a county, last year and next year."""

    county: str
    last_year: int
    next_year: int


@dataclass(frozen=True, slots=True)
class PlanProposal:
    """A proposed plan and the seats each input moved it by; the effects add up to proposed - last_plan."""

    school_id: str
    county: str
    last_plan: int
    proposed: int
    fill_rate: Fraction  # first-round admitted / last plan (capped at 1)
    effect_candidates: int  # county total follows its candidates
    effect_fill_rate: int  # schools that did not fill in the first round give up seats
    effect_quality: int  # quality schools get a larger share
    note: str = ""


def largest_remainder(total: int, weights: list[tuple[str, Fraction]]) -> dict[str, int]:
    """Split ``total`` seats in proportion to the weights: floors first, then one seat each by the larger
    remainder, ties to the smaller id. Weights must not all be zero unless ``total`` is 0."""
    whole = sum((w for _, w in weights), Fraction(0))
    if whole == 0:
        if total:
            raise ValueError("cannot split seats over weights that are all zero")
        return {k: 0 for k, _ in weights}
    exact = {k: total * w / whole for k, w in weights}
    seats = {k: v.numerator // v.denominator for k, v in exact.items()}
    left = total - sum(seats.values())
    for k in sorted(exact, key=lambda k: (-(exact[k] - seats[k]), k))[:left]:
        seats[k] += 1
    return seats


def _round_half_up(x: Fraction) -> int:
    return (2 * x.numerator + x.denominator) // (2 * x.denominator)


def propose_plans(
    schools: list[SchoolPlanInput],
    counties: list[CountyCandidates],
    *,
    quality_weight: Fraction = Fraction(3, 2),
) -> list[PlanProposal]:
    """Propose next year's plan of every school, in three steps whose effects are reported separately.

    Rule: seed 003 §三(二)3 (参考人数, 办学质量, 第一次录取完成率).

    1. Candidates: a county's total is last year's total × next-year candidates / last-year candidates
       (rounded half up), split over its schools in proportion to their last plans.
    2. Fill rate: the split weights become last plan × first-round fill rate (capped at 1), so a school that
       did not fill in the first round gives seats to those that did.
    3. Quality: quality schools' weights are multiplied by ``quality_weight``.

    Each split is by :func:`largest_remainder`, so a county's proposals add up to its total exactly.
    A county without candidate figures is an error (ValueError), as is a county whose last plans are all 0.
    """
    by_county: dict[str, list[SchoolPlanInput]] = {}
    for s in schools:
        by_county.setdefault(s.county, []).append(s)
    figures = {c.county: c for c in counties}
    out: dict[str, PlanProposal] = {}
    for county, members in by_county.items():
        if county not in figures or figures[county].last_year <= 0:
            raise ValueError(f"no candidate figures (参考人数) for county {county!r}")
        fig = figures[county]
        last_total = sum(s.last_plan for s in members)
        total = _round_half_up(Fraction(last_total * fig.next_year, fig.last_year))
        fill = {
            s.school_id: min(Fraction(1), Fraction(s.first_round_admitted, s.last_plan)) if s.last_plan else Fraction(0)
            for s in members
        }
        step1 = largest_remainder(total, [(s.school_id, Fraction(s.last_plan)) for s in members])
        note = ""
        w2 = [(s.school_id, s.last_plan * fill[s.school_id]) for s in members]
        if sum(w for _, w in w2) == 0:
            step2, note = step1, "第一次录取均为 0，未按完成率调整 (no first-round admissions: fill rate not applied)"
        else:
            step2 = largest_remainder(total, w2)
        w3 = [(s.school_id, w * (quality_weight if s.quality else 1)) for s, (_, w) in zip(members, w2)]
        step3 = step2 if sum(w for _, w in w3) == 0 else largest_remainder(total, w3)
        for s in members:
            k = s.school_id
            out[k] = PlanProposal(
                school_id=k,
                county=county,
                last_plan=s.last_plan,
                proposed=step3[k],
                fill_rate=fill[k],
                effect_candidates=step1[k] - s.last_plan,
                effect_fill_rate=step2[k] - step1[k],
                effect_quality=step3[k] - step2[k],
                note=note,
            )
    return [out[s.school_id] for s in schools]


@dataclass(frozen=True, slots=True)
class Candidate:
    """One exam candidate of a year: home county, score, and the county of the school admitting them."""

    year: int
    student_id: str
    county: str
    score: Fraction | int | float | str
    admitted_county: str | None


@dataclass(frozen=True, slots=True)
class RetentionRow:
    year: int
    county: str
    top_percent: int
    group_size: int  # candidates in the top group (ties at the boundary score all included)
    retained: int  # of them admitted to a school of their own county
    share: Fraction  # retained / group_size
    change: Fraction | None  # share minus the previous year's share (None for the first year)


def top_group(members: list[Candidate], pct: int) -> list[Candidate]:
    """The top ``pct`` % of one county's candidates of one year: the ceil(pct × n / 100) highest scores, plus
    everyone tied with the lowest of them (equal scores are never split); highest first."""
    members = sorted(members, key=lambda c: -Fraction(str(c.score)))
    k = -((-pct * len(members)) // 100)
    if k == 0:
        return []
    floor_score = Fraction(str(members[k - 1].score))
    return [c for c in members if Fraction(str(c.score)) >= floor_score]


@dataclass(frozen=True)
class DestinationRow:
    year: int
    county: str
    top_percent: int
    group_size: int
    destination: str | None  # the county of the school admitted to; None = no seat
    count: int


def top_destinations(candidates: list[Candidate], pct: int = 10) -> list[DestinationRow]:
    """Where each county's top ``pct`` % candidates (as :func:`top_group`) were admitted, per year: one row per
    destination county (None for no seat), by county, year, then the largest count first.

    Rule: seed 002 §二 and §三(一) — 县域生源流失 and 跨区域招生 show as top candidates admitted elsewhere."""
    groups: dict[tuple[str, int], list[Candidate]] = {}
    for c in candidates:
        groups.setdefault((c.county, c.year), []).append(c)
    rows: list[DestinationRow] = []
    for county, year in sorted(groups):
        top = top_group(groups[(county, year)], pct)
        counts: dict[str | None, int] = {}
        for c in top:
            counts[c.admitted_county] = counts.get(c.admitted_county, 0) + 1
        for dest, n in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0] is None, kv[0] or "")):
            rows.append(DestinationRow(year, county, pct, len(top), dest, n))
    return rows


def county_retention(candidates: list[Candidate], percents: tuple[int, ...] = (10, 20, 30)) -> list[RetentionRow]:
    """Share of each county's top candidates admitted in their own county, per year, with the change.

    Rule: seed 002 §二, 县域普通高中生源流失现象得到根本扭转 (county schools keep their students).

    The top p % of a county's n candidates in a year are the ceil(p × n / 100) highest scores, plus everyone
    tied with the lowest of them (so equal scores are never split). Rows are ordered by county, top percent
    and year.
    """
    groups: dict[tuple[str, int], list[Candidate]] = {}
    for c in candidates:
        groups.setdefault((c.county, c.year), []).append(c)
    rows: list[RetentionRow] = []
    for county in sorted({k[0] for k in groups}):
        years = sorted(y for (c, y) in groups if c == county)
        for pct in percents:
            previous: Fraction | None = None
            for year in years:
                top = top_group(groups[(county, year)], pct)
                if not top:
                    continue
                kept = sum(1 for c in top if c.admitted_county == county)
                share = Fraction(kept, len(top))
                rows.append(RetentionRow(year, county, pct, len(top), kept, share,
                                         None if previous is None else share - previous))
                previous = share
    return rows
