"""指标到校: split a share of each quality high school's plan into seats for individual junior high schools.

Rule: seed 002 §三(一), 优质普通高中指标到校不低于 50%. All arithmetic is exact (``fractions.Fraction``): the
quota of a school is ``ceil(share × plan)``, so 0.55 × 100 is 55 seats, not the 56 a floating-point ceiling of
55.00000000000001 would give.

>>> from fractions import Fraction
>>> s = [QuotaSchool("G1", "城区", 100, True, "county")]
>>> j = [JuniorSchool("J1", "城区", 300, False), JuniorSchool("J2", "城区", 100, True)]
>>> [(r.junior_school_id, r.seats) for r in allocate_quotas(s, j, Fraction("0.55")).rows]
[('J1', 41), ('J2', 14)]
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction

__all__ = [
    "MIN_SHARE",
    "QuotaSchool",
    "JuniorSchool",
    "QuotaRow",
    "QuotaWarning",
    "QuotaSplit",
    "quota_total",
    "allocate_quotas",
]

#: Rule: seed 002 §三(一), 指标到校 ≥ 50% of a quality school's plan.
MIN_SHARE = Fraction(1, 2)


@dataclass(frozen=True, slots=True)
class QuotaSchool:
    """A senior high school from schools.csv. ``scope`` is ``county`` or ``city`` (where its quotas go)."""

    school_id: str
    county: str
    plan: int
    quality: bool
    scope: str | None


@dataclass(frozen=True, slots=True)
class JuniorSchool:
    """A junior high school from juniors.csv; ``weak`` schools (薄弱初中) get remainder seats first."""

    junior_school_id: str
    county: str
    graduates: int
    weak: bool


@dataclass(frozen=True, slots=True)
class QuotaRow:
    school_id: str
    junior_school_id: str
    seats: int


@dataclass(frozen=True, slots=True)
class QuotaWarning:
    school_id: str
    message: str  # Chinese with the English in brackets


@dataclass(frozen=True, slots=True)
class QuotaSplit:
    """Rows with seats > 0 (schools in input order, junior schools in input order) and warnings."""

    rows: tuple[QuotaRow, ...]
    totals: dict[str, int]  # quality school -> Q = ceil(share × plan)
    warnings: tuple[QuotaWarning, ...]


def quota_total(share: Fraction, plan: int) -> int:
    """Rule: seed 002 §三(一), 指标到校 ≥ 50%: Q = ceil(share × plan), computed exactly."""
    q = Fraction(share) * plan
    return -((-q.numerator) // q.denominator)


def allocate_quotas(
    schools: list[QuotaSchool],
    juniors: list[JuniorSchool],
    share: Fraction,
    min_seats: int = 0,
) -> QuotaSplit:
    """Split Q = ceil(share × plan) of every quality school over its eligible junior schools.

    Rule: seed 002 §三(一), 优质普通高中指标到校不低于 50%.

    Eligible junior schools have graduates > 0 and lie in the school's county (scope ``county``) or anywhere
    in the city (scope ``city``). If ``min_seats`` N > 0 and Q ≥ N × (eligible count), each first gets N seats.
    The rest R is split in proportion to graduates: every school gets floor(R × g / G), then the seats left
    over go one each, in this order: weak schools first, then the larger fractional remainder, then fewer
    graduates, then the smaller junior_school_id. The seats add up to Q exactly. A quality school with no
    eligible junior school gets no rows and a warning.
    """
    share = Fraction(share)
    rows: list[QuotaRow] = []
    totals: dict[str, int] = {}
    warnings: list[QuotaWarning] = []
    for school in schools:
        if not school.quality:
            continue
        q = quota_total(share, school.plan)
        totals[school.school_id] = q
        if q == 0:
            continue
        eligible = [
            j for j in juniors
            if j.graduates > 0 and (school.scope == "city" or j.county == school.county)
        ]
        if not eligible:
            where = "全市 (in the city)" if school.scope == "city" else f"{school.county} (in its county)"
            warnings.append(QuotaWarning(
                school.school_id,
                f"优质高中 {school.school_id} 的 {q} 个指标到校名额无法分配：{where}没有毕业生人数大于 0 的初中 "
                f"(no eligible junior school; {q} quota seats of {school.school_id} not split)",
            ))
            continue
        seats = _split_school(q, eligible, min_seats, school, warnings)
        for j in eligible:
            if seats[j.junior_school_id] > 0:
                rows.append(QuotaRow(school.school_id, j.junior_school_id, seats[j.junior_school_id]))
    return QuotaSplit(tuple(rows), totals, tuple(warnings))


def _split_school(
    q: int,
    eligible: list[JuniorSchool],
    min_seats: int,
    school: QuotaSchool,
    warnings: list[QuotaWarning],
) -> dict[str, int]:
    n = len(eligible)
    base = 0
    if min_seats > 0:
        if q >= min_seats * n:
            base = min_seats
        else:
            warnings.append(QuotaWarning(
                school.school_id,
                f"优质高中 {school.school_id} 的指标数 {q} 少于 {min_seats} × {n} 所初中，未执行每校保底名额，"
                f"全部按毕业生人数分配 (Q = {q} < min-seats {min_seats} × {n} eligible junior schools: "
                "no minimum applied, all seats split by graduates)",
            ))
    rest = q - base * n
    total_grad = sum(j.graduates for j in eligible)
    seats: dict[str, int] = {}
    remainder: dict[str, int] = {}  # numerator over total_grad: compares fractions exactly
    for j in eligible:
        whole, rem = divmod(rest * j.graduates, total_grad)
        seats[j.junior_school_id] = base + whole
        remainder[j.junior_school_id] = rem
    left = rest - sum(s - base for s in seats.values())
    order = sorted(
        eligible,
        key=lambda j: (not j.weak, -remainder[j.junior_school_id], j.graduates, j.junior_school_id),
    )
    for j in order[:left]:
        seats[j.junior_school_id] += 1
    return seats
