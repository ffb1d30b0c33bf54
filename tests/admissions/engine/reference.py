"""A second, deliberately simple implementation of the admission rules, for checking the engine.

Plain Python objects, exact decimals, textbook one-proposal-at-a-time deferred acceptance, plain serial
dictatorship and immediate acceptance; it imports nothing from the engine. It also writes case directories
and the exact expected output text (results.csv and cutoffs.csv) from the contract in issue 6.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction
from pathlib import Path

PROGRAM_HEADER = ["program_id", "school_id", "batch", "capacity", "min_score", "feeder_school_id", "counties",
                  "rank_by", "rollover_to"]


@dataclass
class Prog:
    program_id: str
    school_id: str
    batch: int
    capacity: int
    min_score: str = ""
    feeder: str = ""
    counties: str = ""  # ";"-list as written
    rank_by: str = ""
    rollover_to: str = ""

    def row(self) -> list[str]:
        return [self.program_id, self.school_id, str(self.batch), str(self.capacity), self.min_score,
                self.feeder, self.counties, self.rank_by, self.rollover_to]


@dataclass
class Stu:
    student_id: str
    junior: str
    county: str
    values: dict[str, str]  # column -> text ("" = empty); must include "score"
    lottery: int


@dataclass
class Case:
    programs: list[Prog]
    students: list[Stu]
    prefs: list[tuple[str, int, int, str]]  # student_id, batch, rank, program_id
    tiebreak: list[str] = field(default_factory=list)
    mechanism: str = "deferred_acceptance"
    band_width: str | None = None

    def columns(self) -> list[str]:
        cols: list[str] = []
        for s in self.students:
            for c in s.values:
                if c not in cols:
                    cols.append(c)
        return cols


def csv_text(rows: list[list[str]]) -> str:
    buf = io.StringIO()
    csv.writer(buf, lineterminator="\n").writerows(rows)
    return buf.getvalue()


def policy_text(case: Case) -> str:
    lines = ["tiebreak = [" + ", ".join(f'"{t}"' for t in case.tiebreak) + "]"]
    if case.mechanism != "deferred_acceptance":
        lines.append(f'mechanism = "{case.mechanism}"')
    if case.band_width is not None:
        lines.append(f"band_width = {case.band_width}")
    return "\n".join(lines) + "\n"


def write_case(case: Case, d: Path, *, encoding: str = "utf-8", pref_order: list[int] | None = None,
               student_order: list[int] | None = None, program_order: list[int] | None = None) -> Path:
    """Write the four files; the *_order arguments permute rows (to test row-order independence)."""
    d.mkdir(parents=True, exist_ok=True)
    progs = [case.programs[i] for i in (program_order or range(len(case.programs)))]
    studs = [case.students[i] for i in (student_order or range(len(case.students)))]
    prefs = [case.prefs[i] for i in (pref_order or range(len(case.prefs)))]
    cols = case.columns()
    (d / "programs.csv").write_bytes(csv_text([PROGRAM_HEADER] + [p.row() for p in progs]).encode(encoding))
    srows = [["student_id", "junior_school_id", "county", *cols, "lottery", "name"]]
    srows += [[s.student_id, s.junior, s.county, *[s.values.get(c, "") for c in cols], str(s.lottery), "某某"]
              for s in studs]
    (d / "students.csv").write_bytes(csv_text(srows).encode(encoding))
    prow = [["student_id", "batch", "rank", "program_id"]] + [[a, str(b), str(r), p] for a, b, r, p in prefs]
    (d / "preferences.csv").write_bytes(csv_text(prow).encode(encoding))
    (d / "policy.toml").write_text(policy_text(case), encoding="utf-8")
    return d


def fmt(text: str) -> str:
    """The shortest exact decimal, as the contract prints numbers (612.50 → 612.5, 612.0 → 612)."""
    return format(Decimal(text).normalize(), "f")


def _eligible(case: Case, s: Stu, p: Prog) -> bool:
    if p.min_score and Decimal(s.values["score"]) < Decimal(p.min_score):
        return False
    if p.feeder and s.junior != p.feeder:
        return False
    if p.counties and s.county not in {c.strip() for c in p.counties.split(";")}:
        return False
    return s.values.get(p.rank_by or "score", "") != ""


def _priority(case: Case, p: Prog, s: Stu, rank: int) -> tuple:
    """Smaller tuple = ranked higher by program p."""
    value = Decimal(s.values[p.rank_by or "score"])
    base = (-value, *[-Decimal(s.values[t]) for t in case.tiebreak], s.lottery)
    if case.mechanism == "first_choice_first":
        band = (Fraction(str(value)) / Fraction(case.band_width)).__floor__()
        return (-band, rank, *base)
    return base


def deferred_acceptance(lists: dict[str, list[str]], capacity: dict[str, int], prio) -> dict[str, str]:
    """Textbook student-proposing DA, one proposal at a time. prio(program, student) -> sortable."""
    nxt = {s: 0 for s in lists}
    held: dict[str, list[str]] = {p: [] for p in capacity}
    free = sorted(lists)
    while free:
        s = free.pop()
        if nxt[s] >= len(lists[s]):
            continue
        p = lists[s][nxt[s]]
        nxt[s] += 1
        held[p].append(s)
        held[p].sort(key=lambda t: prio(p, t))
        while len(held[p]) > capacity[p]:
            free.append(held[p].pop())
    return {s: p for p, ss in held.items() for s in ss}


def serial_dictatorship(order: list[str], lists: dict[str, list[str]], capacity: dict[str, int]) -> dict[str, str]:
    """Students in order each take their first listed program with a seat left."""
    left = dict(capacity)
    out = {}
    for s in order:
        for p in lists.get(s, []):
            if left[p] > 0:
                left[p] -= 1
                out[s] = p
                break
    return out


def immediate_acceptance(lists: dict[str, list[str]], capacity: dict[str, int], prio) -> dict[str, str]:
    """Boston mechanism: round k, every student without a seat applies to their k-th choice; seats are
    given for good by priority. (first_choice_first with one band behaves like this.)"""
    left = dict(capacity)
    out: dict[str, str] = {}
    k = 0
    while True:
        applicants: dict[str, list[str]] = {}
        for s, lst in lists.items():
            if s not in out and k < len(lst):
                applicants.setdefault(lst[k], []).append(s)
        if not any(len(lst) > k for s, lst in lists.items() if s not in out):
            return out
        for p, ss in applicants.items():
            for s in sorted(ss, key=lambda t: prio(p, t))[: left[p]]:
                out[s] = p
                left[p] -= 1
        k += 1


@dataclass
class Expected:
    results: str
    cutoffs: str
    admitted: dict[str, str]
    capacity: dict[str, int]


def run(case: Case, algorithm: str = "da") -> Expected:
    """The whole contract: batches in order, eligibility, matching, rollovers; expected output text."""
    progs = {p.program_id: p for p in case.programs}
    studs = {s.student_id: s for s in case.students}
    capacity = {p.program_id: p.capacity for p in case.programs}
    admitted: dict[str, str] = {}
    rank_of: dict[tuple[str, str], int] = {}
    for sid, b, r, pid in case.prefs:
        rank_of[(sid, pid)] = r
    for b in sorted({p.batch for p in case.programs}):
        members = [p.program_id for p in case.programs if p.batch == b]
        lists: dict[str, list[str]] = {}
        for sid, pb, r, pid in sorted(case.prefs, key=lambda x: (x[0], x[2])):
            if pb != b or sid in admitted:
                continue
            if _eligible(case, studs[sid], progs[pid]):
                lists.setdefault(sid, []).append(pid)

        def prio(pid: str, sid: str) -> tuple:
            return _priority(case, progs[pid], studs[sid], rank_of[(sid, pid)])

        caps = {p: capacity[p] for p in members}
        if algorithm == "da":
            got = deferred_acceptance(lists, caps, prio)
        elif algorithm == "sd":  # valid only when every program ranks by the same column
            order = sorted(lists, key=lambda s: _priority(case, progs[members[0]], studs[s], 0))
            got = serial_dictatorship(order, lists, caps)
        else:
            got = immediate_acceptance(lists, caps, prio)
        admitted.update(got)
        for pid in members:
            p = progs[pid]
            if p.rollover_to:
                capacity[p.rollover_to] += capacity[pid] - sum(1 for v in got.values() if v == pid)
    res = [["student_id", "program_id", "batch", "choice_rank"]]
    for s in case.students:
        pid = admitted.get(s.student_id)
        res.append([s.student_id, "", "", ""] if pid is None
                   else [s.student_id, pid, str(progs[pid].batch), str(rank_of[(s.student_id, pid)])])
    cut = [["program_id", "capacity", "admitted", "cutoff_score", "last_choice_rank", "last_tiebreak"]]
    for p in case.programs:
        mine = [s for s, v in admitted.items() if v == p.program_id]
        if mine:
            last = max(mine, key=lambda s: _priority(case, p, studs[s], rank_of[(s, p.program_id)]))
            st = studs[last]
            cut.append([p.program_id, str(capacity[p.program_id]), str(len(mine)),
                        fmt(st.values[p.rank_by or "score"]), str(rank_of[(last, p.program_id)]),
                        ";".join(f"{t}={fmt(st.values[t])}" for t in case.tiebreak)])
        else:
            cut.append([p.program_id, str(capacity[p.program_id]), "0", "", "", ""])
    return Expected(csv_text(res), csv_text(cut), admitted, capacity)
