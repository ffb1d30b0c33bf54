"""Typed inputs and results of the admission engine: a validated case in, per-student and per-program results out.

A case is column-oriented (NumPy arrays and a Polars series of ids) so that a city of a million students fits
in memory and runs in seconds. Indices refer to rows in the order of the input files: program ``i`` is row
``i`` of programs.csv, student ``j`` is row ``j`` of students.csv. :func:`readcase.read_case` and
:func:`readcase.case_from_tables` are the only constructors; both validate everything first.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from functools import cached_property
from fractions import Fraction

import numpy as np
import polars as pl

__all__ = [
    "ENGINE_VERSION",
    "MECHANISMS",
    "Policy",
    "Programs",
    "Students",
    "Preferences",
    "Schools",
    "Supplementary",
    "AdmissionCase",
    "ChoiceStatus",
    "Ineligible",
    "AdmissionResult",
    "ChoiceExplanation",
    "StudentExplanation",
]

#: Part of every run's digest: a change that can alter any output must change this string.
ENGINE_VERSION = "gaozhong-admissions 1.0"

MECHANISMS = ("deferred_acceptance", "first_choice_first")
#: School levels of schools.csv: 普通高中 and 中等职业学校 (seed 002 §三(一): 高中阶段学校).
LEVELS = ("普高", "中职")
#: 特殊类型招生 of programs.csv's special_type: art and sport 特长生 (seed 002 §三(一), 规范特殊类型招生).
SPECIAL_TYPES = ("艺术", "体育")
#: The ``counties`` entry that states a city-wide 招生范围 explicitly.
CITY_WIDE = "全市"


@dataclass(frozen=True, slots=True)
class Policy:
    """policy.toml: tie-break columns (higher wins, in order, then lower ``lottery``) and the mechanism.

    ``band_width`` is used only by ``first_choice_first``: programs rank applicants by score band first
    (``floor(value / band_width)``, higher band first), then by the rank at which the applicant listed them.
    """

    tiebreak: tuple[str, ...] = ()
    mechanism: str = "deferred_acceptance"
    band_width: Fraction | None = None
    # 高中阶段 settings (issue 17); the defaults are the behaviour of cases written before them.
    admission_range: str = "open"  # "required": every program states its 招生范围 (counties or 全市)
    out_of_range: str = "skip"  # "refuse": a choice outside the program's 招生范围 is an input error
    special_share: Fraction | None = None  # 特长生 seats ≤ this share of the school's plan
    special_min_score: Fraction | None = None  # minimum 中考 score for 特长生 programs
    special_min_test_score: Fraction | None = None  # minimum 专业测试 score (the program's rank_by value)
    supplementary_declined: bool = False  # 补录: candidates who declined their first-round seat may take part

    def extended(self) -> dict:
        """The 高中阶段 settings that differ from their defaults (what the digest adds for them)."""
        out = {}
        for name, default in (("admission_range", "open"), ("out_of_range", "skip"), ("special_share", None),
                              ("special_min_score", None), ("special_min_test_score", None),
                              ("supplementary_declined", False)):
            value = getattr(self, name)
            if value != default:
                out[name] = str(value) if isinstance(value, Fraction) else value
        return out


@dataclass(frozen=True, eq=False)
class Programs:
    """programs.csv, one entry per row in file order."""

    program_id: list[str]
    school_id: list[str]
    batch: np.ndarray  # int64
    capacity: np.ndarray  # int64, own seats (without seats rolled in)
    min_score: np.ndarray  # float64, NaN = no minimum
    feeder: np.ndarray  # int32 index into AdmissionCase.junior_ids, -1 = any junior school
    counties: list[tuple[str, ...]]  # empty tuple = any county
    county_allowed: np.ndarray  # bool [program, county code]; all True for programs without a county list
    rank_by: list[str]
    rollover_to: np.ndarray  # int32 program index, -1 = none
    major: list[str | None] | None = None  # 专业 (optional column major), None = the column is absent
    special_type: list[str | None] | None = None  # 艺术 / 体育 特长生 program, None = the column is absent

    def __len__(self) -> int:
        return len(self.program_id)

    def special(self) -> np.ndarray:
        """bool per program: a 特长生 (special_type) program."""
        if self.special_type is None:
            return np.zeros(len(self), dtype=bool)
        return np.asarray([t is not None for t in self.special_type], dtype=bool)


@dataclass(frozen=True, eq=False)
class Schools:
    """schools.csv (optional): every school of programs.csv with its county and level (普高 or 中职)."""

    school_id: list[str]
    county: list[str]
    level: list[str]

    def level_of(self) -> dict[str, str]:
        return dict(zip(self.school_id, self.level))

    def county_of(self) -> dict[str, str]:
        return dict(zip(self.school_id, self.county))


@dataclass(frozen=True, eq=False)
class Students:
    """students.csv in file order; ``values`` holds every numeric column the case uses (NaN = empty)."""

    student_id: pl.Series
    junior: np.ndarray  # int32 index into AdmissionCase.junior_ids
    county: np.ndarray  # int32 index into AdmissionCase.county_names
    values: dict[str, np.ndarray]  # float64 per column: "score", rank_by and tie-break columns
    lottery: np.ndarray  # int64, unique

    def __len__(self) -> int:
        return len(self.student_id)


@dataclass(frozen=True, eq=False)
class Preferences:
    """preferences.csv sorted by (student, batch, rank): row ``r`` is one listed choice."""

    student: np.ndarray  # int32
    batch: np.ndarray  # int64
    rank: np.ndarray  # int64
    program: np.ndarray  # int32

    def __len__(self) -> int:
        return len(self.student)


@dataclass(frozen=True, eq=False)
class Supplementary:
    """supplementary/ (optional): the 补录 round after the published first round.

    ``first_program`` is the first round's admission per student as published (first_round.csv, checked against
    the case's own first round); ``declined`` marks students who declined that seat; ``seats`` the seats each
    program offers in 补录 (seats.csv, or every seat left); ``preferences`` the new choices.
    """

    first_program: np.ndarray  # int32 per student, -1 = no seat in the first round
    first_rank: np.ndarray  # int64 per student: choice_rank as published, -1 = none
    first_line: np.ndarray  # int64 per student: its line in first_round.csv
    declined: np.ndarray  # bool per student
    seats: np.ndarray  # int64 per program: seats offered (seats.csv; -1 = every seat left, no seats.csv)
    seats_line: np.ndarray  # int64 per program: its line in seats.csv (0 = not listed)
    preferences: Preferences


@dataclass(frozen=True, eq=False)
class AdmissionCase:
    """A validated admission case: everything a run depends on."""

    programs: Programs
    students: Students
    preferences: Preferences
    policy: Policy
    junior_ids: list[str]
    county_names: list[str]
    batches: tuple[int, ...] = field(default=())  # ascending, every batch that has a program
    schools: Schools | None = None  # schools.csv, if the case has one
    supplementary: Supplementary | None = None  # supplementary/, if the case is a 补录 round


class ChoiceStatus(enum.IntEnum):
    """What happened to one listed choice."""

    ADMITTED = 0  # admitted through this choice
    NOT_NEEDED = 1  # the student was admitted through an earlier choice of the same batch
    EARLIER_BATCH = 2  # the student was admitted in an earlier batch and took no part in this one
    NOT_ADMITTED = 3  # eligible, but the program filled with applicants it ranks higher
    INELIGIBLE = 4  # skipped: see the Ineligible flags of the row


class Ineligible(enum.IntFlag):
    """Why a choice was skipped (several may hold)."""

    NONE = 0
    BELOW_MIN_SCORE = 1  # score < min_score
    OTHER_JUNIOR_SCHOOL = 2  # 指标到校 seat for another junior school (feeder_school_id)
    OTHER_COUNTY = 4  # program admits only the listed counties
    NO_RANK_VALUE = 8  # the student has no value in the program's rank_by column
    BELOW_MIN_TEST_SCORE = 16  # 特长生 program: 专业测试 score below special_min_test_score


@dataclass(frozen=True, eq=False)
class AdmissionResult:
    """Outcome of :func:`run_admission` with what a per-student page and the cutoff table need."""

    case: AdmissionCase
    program_of: np.ndarray  # int32 per student, -1 = not admitted
    choice_rank_of: np.ndarray  # int64 per student, -1 = not admitted
    capacity: np.ndarray  # int64 per program: own seats + seats rolled in
    admitted: np.ndarray  # int64 per program
    rolled_out: np.ndarray  # int64 per program: unfilled seats passed to rollover_to
    last_student: np.ndarray  # int32 per program: the admitted student the program ranks lowest, -1 = none
    last_choice_rank: np.ndarray  # int64 per program: the rank at which last_student listed it, -1 = none
    row_ineligible: np.ndarray  # uint8 Ineligible flags per preference row that took part (0 otherwise)
    row_band: np.ndarray | None = None  # int64 score band per row (first_choice_first only)

    @cached_property
    def row_status(self) -> np.ndarray:
        """int8 :class:`ChoiceStatus` of every preference row (computed on first use)."""
        return choice_status(self)

    def batch_of(self) -> np.ndarray:
        """Batch of each student's admission (-1 = not admitted)."""
        out = np.full(len(self.program_of), -1, dtype=np.int64)
        hit = self.program_of >= 0
        out[hit] = self.case.programs.batch[self.program_of[hit]]
        return out


@dataclass(frozen=True, slots=True)
class ChoiceExplanation:
    """One listed choice and its outcome, with the program's cutoff and the student's own values."""

    batch: int
    rank: int
    program_id: str
    status: ChoiceStatus
    ineligible: Ineligible
    reasons: tuple[str, ...]  # human-readable, Chinese with English in brackets
    rank_by: str
    student_value: float | None  # the student's value in rank_by
    cutoff_value: float | None  # rank_by value of the program's last admitted student
    cutoff_choice_rank: int | None
    cutoff_tiebreak: str  # e.g. "cme=281;math=118"


@dataclass(frozen=True, slots=True)
class StudentExplanation:
    """A per-student page: admission (if any) and every choice of every batch."""

    student_id: str
    program_id: str | None
    batch: int | None
    choice_rank: int | None
    choices: tuple[ChoiceExplanation, ...]


def choice_status(result: AdmissionResult, rows: np.ndarray | slice | None = None) -> np.ndarray:
    """ChoiceStatus of the given preference rows (all rows by default); see :class:`ChoiceStatus`."""
    case = result.case
    pr, prog = case.preferences, case.programs
    sel = slice(None) if rows is None else rows
    s = pr.student[sel]
    batch, rank = pr.batch[sel], pr.rank[sel]
    got = result.program_of[s]
    got_batch = np.where(got >= 0, prog.batch[np.maximum(got, 0)], np.iinfo(np.int64).max)
    got_rank = result.choice_rank_of[s]
    inel = result.row_ineligible[sel]
    status = np.full(len(s), int(ChoiceStatus.NOT_ADMITTED), dtype=np.int8)
    status[inel != 0] = ChoiceStatus.INELIGIBLE
    this_batch = (got_batch == batch) & (inel == 0)
    status[this_batch & (rank == got_rank)] = ChoiceStatus.ADMITTED
    status[this_batch & (rank > got_rank)] = ChoiceStatus.NOT_NEEDED
    status[got_batch < batch] = ChoiceStatus.EARLIER_BATCH
    return status
