"""A second, deliberately simple implementation of the admission rules, for checking the engine.

Plain Python objects, exact decimals, textbook one-proposal-at-a-time deferred acceptance, plain serial
dictatorship and immediate acceptance; it imports nothing from the engine. It also writes case directories
and the exact expected output text (results.csv and cutoffs.csv) from the contract in issue 6, and — for the
高中阶段 extension of issue 17 — schools.csv, the programs' major and special_type, the new policy settings and a
补录 round, with every output file of the contract (:func:`expected_files`).
"""

from __future__ import annotations

import csv
import io
import random
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
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
    major: str = ""
    special_type: str = ""  # "" / 艺术 / 体育

    def row(self, extended: bool = False) -> list[str]:
        base = [self.program_id, self.school_id, str(self.batch), str(self.capacity), self.min_score,
                self.feeder, self.counties, self.rank_by, self.rollover_to]
        return base + [self.major, self.special_type] if extended else base


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
    # 高中阶段 (issue 17): all optional; a case without them is in the earlier format.
    schools: dict[str, tuple[str, str]] | None = None  # school_id -> (county, level 普高/中职)
    settings: dict[str, str] = field(default_factory=dict)  # further policy.toml lines, value as TOML text
    declined: list[str] | None = None  # 补录: students who declined their first-round seat (None = no 补录)
    seats: dict[str, int] | None = None  # 补录 seats.csv (None = every seat left)
    prefs2: list[tuple[str, int, int, str]] = field(default_factory=list)  # 补录 choices

    def extended(self) -> bool:
        return any(p.major or p.special_type for p in self.programs)

    def setting(self, key: str) -> str | None:
        v = self.settings.get(key)
        return None if v is None else v.strip('"')

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
    lines += [f"{k} = {v}" for k, v in case.settings.items()]
    return "\n".join(lines) + "\n"


def write_case(case: Case, d: Path, *, encoding: str = "utf-8", pref_order: list[int] | None = None,
               student_order: list[int] | None = None, program_order: list[int] | None = None,
               shuffle: random.Random | None = None) -> Path:
    """Write the case's files; the *_order arguments permute rows (to test row-order independence), and
    ``shuffle`` permutes the rows of schools.csv and of the 补录 files."""
    d.mkdir(parents=True, exist_ok=True)
    progs = [case.programs[i] for i in (program_order or range(len(case.programs)))]
    studs = [case.students[i] for i in (student_order or range(len(case.students)))]
    prefs = [case.prefs[i] for i in (pref_order or range(len(case.prefs)))]
    cols = case.columns()
    ext = case.extended()
    header = PROGRAM_HEADER + (["major", "special_type"] if ext else [])
    (d / "programs.csv").write_bytes(csv_text([header] + [p.row(ext) for p in progs]).encode(encoding))
    srows = [["student_id", "junior_school_id", "county", *cols, "lottery", "name"]]
    srows += [[s.student_id, s.junior, s.county, *[s.values.get(c, "") for c in cols], str(s.lottery), "某某"]
              for s in studs]
    (d / "students.csv").write_bytes(csv_text(srows).encode(encoding))
    prow = [["student_id", "batch", "rank", "program_id"]] + [[a, str(b), str(r), p] for a, b, r, p in prefs]
    (d / "preferences.csv").write_bytes(csv_text(prow).encode(encoding))
    (d / "policy.toml").write_text(policy_text(case), encoding="utf-8")

    def mixed(rows: list) -> list:
        rows = list(rows)
        if shuffle is not None:
            shuffle.shuffle(rows)
        return rows

    if case.schools is not None:
        rows = mixed([[sid, c, lv, "学校"] for sid, (c, lv) in case.schools.items()])
        (d / "schools.csv").write_text(csv_text([["school_id", "county", "level", "name"]] + rows), encoding="utf-8")
    if case.declined is not None:
        sd = d / "supplementary"
        sd.mkdir(exist_ok=True)
        first = first_round(case)
        (sd / "first_round.csv").write_text(csv_text(first.results_rows), encoding="utf-8")
        (sd / "declined.csv").write_text(csv_text([["student_id"]] + mixed([[s] for s in case.declined])), encoding="utf-8")
        if case.seats is not None:
            rows = mixed([[p, str(n)] for p, n in case.seats.items()])
            (sd / "seats.csv").write_text(csv_text([["program_id", "seats"]] + rows), encoding="utf-8")
        rows = mixed([[a, str(b), str(r), p] for a, b, r, p in case.prefs2])
        (sd / "preferences.csv").write_text(csv_text([["student_id", "batch", "rank", "program_id"]] + rows), encoding="utf-8")
    return d


def fmt(text: str) -> str:
    """The shortest exact decimal, as the contract prints numbers (612.50 → 612.5, 612.0 → 612)."""
    return format(Decimal(text).normalize(), "f")


def _eligible(case: Case, s: Stu, p: Prog) -> bool:
    if p.min_score and Decimal(s.values["score"]) < Decimal(p.min_score):
        return False
    if p.special_type and case.setting("special_min_score") is not None:
        if Decimal(s.values["score"]) < Decimal(case.setting("special_min_score")):
            return False
    if p.feeder and s.junior != p.feeder:
        return False
    counties = {c.strip() for c in p.counties.split(";")} - {""}
    if counties and counties != {"全市"} and s.county not in counties:
        return False
    value = s.values.get(p.rank_by or "score", "")
    if value == "":
        return False
    if p.special_type and case.setting("special_min_test_score") is not None:
        if Decimal(value) < Decimal(case.setting("special_min_test_score")):
            return False
    return True


def in_range(s: Stu, p: Prog) -> bool:
    """The student's county is in the program's 招生范围 (empty or 全市 = the whole city)."""
    counties = {c.strip() for c in p.counties.split(";")} - {""}
    return not counties or counties == {"全市"} or s.county in counties


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
    results_rows: list[list[str]] = field(default_factory=list)
    cutoff_rows: list[list[str]] = field(default_factory=list)
    rank_of: dict[tuple[str, str], int] = field(default_factory=dict)


def _one_round(case: Case, prefs: list[tuple[str, int, int, str]], capacity: dict[str, int], taking_part,
               algorithm: str, rollovers: bool) -> tuple[dict[str, str], dict[tuple[str, str], int]]:
    """Batches in order over ``prefs`` for the students ``taking_part`` accepts; ``capacity`` is updated by
    the rollovers (if ``rollovers``)."""
    progs = {p.program_id: p for p in case.programs}
    studs = {s.student_id: s for s in case.students}
    admitted: dict[str, str] = {}
    rank_of: dict[tuple[str, str], int] = {}
    for sid, b, r, pid in prefs:
        rank_of[(sid, pid)] = r
    for b in sorted({p.batch for p in case.programs}):
        members = [p.program_id for p in case.programs if p.batch == b]
        lists: dict[str, list[str]] = {}
        for sid, pb, r, pid in sorted(prefs, key=lambda x: (x[0], x[2])):
            if pb != b or sid in admitted or not taking_part(sid):
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
            if p.rollover_to and rollovers:
                capacity[p.rollover_to] += capacity[pid] - sum(1 for v in got.values() if v == pid)
    return admitted, rank_of


def _cutoff_rows(case: Case, admitted: dict[str, str], capacity: dict[str, int],
                 rank_of: dict[tuple[str, str], int]) -> list[list[str]]:
    studs = {s.student_id: s for s in case.students}
    cut = []
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
    return cut


RESULTS_HEADER = ["student_id", "program_id", "batch", "choice_rank"]
CUTOFFS_HEADER = ["program_id", "capacity", "admitted", "cutoff_score", "last_choice_rank", "last_tiebreak"]


def run(case: Case, algorithm: str = "da") -> Expected:
    """The whole contract of the first (main) round: batches in order, eligibility, matching, rollovers;
    expected output text."""
    progs = {p.program_id: p for p in case.programs}
    capacity = {p.program_id: p.capacity for p in case.programs}
    admitted, rank_of = _one_round(case, case.prefs, capacity, lambda s: True, algorithm, rollovers=True)
    res = [RESULTS_HEADER]
    for s in case.students:
        pid = admitted.get(s.student_id)
        res.append([s.student_id, "", "", ""] if pid is None
                   else [s.student_id, pid, str(progs[pid].batch), str(rank_of[(s.student_id, pid)])])
    cut = _cutoff_rows(case, admitted, capacity, rank_of)
    return Expected(csv_text(res), csv_text([CUTOFFS_HEADER] + cut), admitted, capacity, res, cut, rank_of)


first_round = run


def rate(num: int, den: int) -> str:
    if den == 0:
        return ""
    return str((Decimal(num) / Decimal(den)).quantize(Decimal("0.0001"), rounding=ROUND_HALF_UP))


@dataclass
class Second:
    """The 补录 round as the reference computes it."""

    left: dict[str, int]
    seats: dict[str, int]
    admitted: dict[str, str]  # 补录 admissions
    rank_of: dict[tuple[str, str], int]
    final: dict[str, tuple[str, int, int]]  # student -> (program, choice rank, round)


def second_round(case: Case, first: Expected | None = None) -> Second:
    """Seats left after the first round (a declined seat is free again; seats rolled on are gone), the seats
    offered (seats.csv or all left), and the 补录 batches over the students without a standing seat."""
    first = first or run(case)
    declined = set(case.declined or [])
    rolled = {p.program_id: bool(p.rollover_to) for p in case.programs}
    left = {}
    for p in case.programs:
        got = [s for s, v in first.admitted.items() if v == p.program_id]
        base = 0 if rolled[p.program_id] else first.capacity[p.program_id] - len(got)
        left[p.program_id] = base + sum(1 for s in got if s in declined)
    seats = left if case.seats is None else {p.program_id: case.seats.get(p.program_id, 0) for p in case.programs}
    stands = {s: v for s, v in first.admitted.items() if s not in declined}
    admitted, rank_of = _one_round(case, case.prefs2, dict(seats), lambda s: s not in stands, "da", rollovers=False)
    final = {s: (p, first.rank_of[(s, p)], 1) for s, p in stands.items()}
    final.update({s: (p, rank_of[(s, p)], 2) for s, p in admitted.items()})
    return Second(left, dict(seats), admitted, rank_of, final)


def expected_files(case: Case) -> dict[str, str]:
    """Every output file of ``gaozhong admissions run`` for the case."""
    progs = {p.program_id: p for p in case.programs}
    first = run(case)
    if case.declined is None:
        files = {"results.csv": first.results, "cutoffs.csv": first.cutoffs}
        final = {s: p for s, p in first.admitted.items()}
        if case.schools is None:
            return files
    else:
        sec = second_round(case, first)
        res = [RESULTS_HEADER + ["round"]]
        for s in case.students:
            got = sec.final.get(s.student_id)
            res.append([s.student_id, "", "", "", ""] if got is None
                       else [s.student_id, got[0], str(progs[got[0]].batch), str(got[1]), str(got[2])])
        cut = [["round"] + CUTOFFS_HEADER] + [["1", *r] for r in first.cutoff_rows]
        cut += [["2", *r] for r in _cutoff_rows(case, sec.admitted, sec.seats, sec.rank_of)]
        files = {"results.csv": csv_text(res), "cutoffs.csv": csv_text(cut)}
        final = {s: v[0] for s, v in sec.final.items()}
    plan: dict[str, int] = {}
    for p in case.programs:
        plan[p.school_id] = plan.get(p.school_id, 0) + p.capacity
    fill = [["school_id", "plan", "first_round_admitted", "first_round_fill_rate", "final_admitted", "final_fill_rate"]]
    for sid in sorted(plan):
        a = sum(1 for v in first.admitted.values() if progs[v].school_id == sid)
        f = sum(1 for v in final.values() if progs[v].school_id == sid)
        fill.append([sid, str(plan[sid]), str(a), rate(a, plan[sid]), str(f), rate(f, plan[sid])])
    files["fill_rates.csv"] = csv_text(fill)
    if case.schools is not None:
        files["general_vocational.csv"] = general_vocational(case, final)
    return files


def general_vocational(case: Case, final: dict[str, str] | None) -> str:
    """general_vocational.csv: 普高 and 中职 plan seats by the school's county, admissions by the school's and
    by the student's county, and the city."""
    assert case.schools is not None
    progs = {p.program_id: p for p in case.programs}
    studs = {s.student_id: s for s in case.students}
    counties = {c for c, _ in case.schools.values()}
    if final is not None:
        counties |= {s.county for s in case.students}
    rows = [["scope", "county", "basis", "general", "vocational", "general_share"]]

    def add(scope: str, county: str, basis: str, levels: list[str]) -> None:
        g, v = levels.count("普高"), levels.count("中职")
        rows.append([scope, county, basis, str(g), str(v), rate(g, g + v)])

    def plan_levels(keep) -> list[str]:
        return [lv for p in case.programs for lv in [case.schools[p.school_id][1]] * p.capacity if keep(p)]

    def admitted_levels(keep) -> list[str]:
        return [case.schools[progs[p].school_id][1] for s, p in (final or {}).items() if keep(s, p)]

    for c in sorted(counties):
        add("county", c, "plan", plan_levels(lambda p: case.schools[p.school_id][0] == c))
        if final is not None:
            add("county", c, "admitted", admitted_levels(lambda s, p: case.schools[progs[p].school_id][0] == c))
            add("county", c, "admitted_home", admitted_levels(lambda s, p: studs[s].county == c))
    add("city", "", "plan", plan_levels(lambda p: True))
    if final is not None:
        add("city", "", "admitted", admitted_levels(lambda s, p: True))
    return csv_text(rows)


def publicity(case: Case) -> str:
    """publicity.csv: per 特长生 program (file order), the applicants who meet its rules, best first."""
    studs = {s.student_id: s for s in case.students}
    rows = [["program_id", "school_id", "special_type", "student_id", "test_score", "score", "position"]]
    for p in case.programs:
        if not p.special_type:
            continue
        applicants = sorted({sid for sid, _, _, pid in case.prefs if pid == p.program_id
                             and _eligible(case, studs[sid], p)},
                            key=lambda sid: _priority(Case([], [], [], case.tiebreak), p, studs[sid], 0))
        for k, sid in enumerate(applicants, start=1):
            st = studs[sid]
            rows.append([p.program_id, p.school_id, p.special_type, sid, fmt(st.values[p.rank_by or "score"]),
                         fmt(st.values["score"]), str(k)])
    return csv_text(rows)
