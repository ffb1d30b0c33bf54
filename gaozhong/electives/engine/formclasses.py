"""``form-classes``: put the students of a grade into K admin classes (分班) around their elective choices.

With ``fix = 2`` (定二走一) as many students as possible share two electives with their *whole* class, i.e.
sit in a class in which every member chose the same two subjects (a *pure* class); with ``fix = 1`` (定一走二)
one. Sizes are balanced (they differ by at most one) and never exceed ``max_size``. A small CP-SAT model picks
how many pure classes each subject set gets and which students fill them; the remaining students fill the
remaining (mixed) classes in order of their choices, so mixed classes still share what they can.

``fixed_electives`` of a student is what every member of their class chose (the 套餐 case gives three); the
student walks (走班) for the rest of their electives.

Rule: seed 000 §二 and 001 §二 (选课走班教学管理机制); seed 002 §三(七), 班额 ≤ 55.
"""

from __future__ import annotations

import csv
import io
from collections import Counter
from dataclasses import dataclass
from itertools import combinations
from pathlib import Path

from gaozhong.common.errors import ProblemList

from .reading import read_csv
from .sat import cp_model, run
from .types import Infeasible, NoTimetableFound

__all__ = ["read_choices", "form_admin_classes", "render_assignment", "ClassPlan"]


def read_choices(path: str | Path) -> list[tuple[str, tuple[str, ...]]]:
    """STUDENTS.csv with columns ``student_id, electives``; raises InputError naming file, line and column."""
    p = Path(path)
    problems = ProblemList()
    rows = read_csv(p, ("student_id", "electives"), problems)
    out: list[tuple[str, tuple[str, ...]]] = []
    seen_ids: set[str] = set()
    name = p.name
    for line, r in rows:
        ok = True
        sid = r["student_id"]
        if not sid:
            problems.add(name, line, "student_id", "为空 (empty)"); ok = False
        elif sid in seen_ids:
            problems.add(name, line, "student_id", f"学生 “{sid}” 重复 (duplicate student id)"); ok = False
        seen_ids.add(sid)
        electives = [e.strip() for e in r["electives"].split(";")] if r["electives"] else []
        if not electives:
            problems.add(name, line, "electives", "为空 (no electives chosen)"); ok = False
        seen: set[str] = set()
        for e in electives:
            if not e:
                problems.add(name, line, "electives", "有空的科目 (empty subject in the list)"); ok = False
            elif e in seen:
                problems.add(name, line, "electives", f"科目 “{e}” 选了两次 (subject chosen twice)"); ok = False
            seen.add(e)
        if ok:
            out.append((sid, tuple(electives)))
    if not rows and not problems:
        problems.add(name, None, None, "没有数据行 (no data rows)")
    problems.raise_if_any()
    return out


@dataclass
class ClassPlan:
    class_ids: list[str]
    members: dict[str, list[str]]  # class id -> student ids
    common: dict[str, tuple[str, ...]]  # class id -> electives every member chose
    choices: dict[str, tuple[str, ...]]
    fix: int
    order: list[str]  # student ids in input order

    def class_of(self) -> dict[str, str]:
        return {s: c for c, ms in self.members.items() for s in ms}

    def fixed(self, sid: str, cid: str) -> tuple[str, ...]:
        return tuple(e for e in self.choices[sid] if e in self.common[cid])

    def summary(self) -> list[str]:
        cls = self.class_of()
        walks = Counter(len(self.choices[s]) - len(self.fixed(s, cls[s])) for s in self.order)
        sharing = sum(1 for s in self.order if len(self.fixed(s, cls[s])) >= self.fix)
        sizes = [len(m) for m in self.members.values()]
        mode = "定二走一" if self.fix == 2 else "定一走二"
        lines = [f"{mode}: {sharing} / {len(self.order)} 名学生与全班共享 {self.fix} 门以上选考 "
                 f"(students sharing ≥ {self.fix} electives with their whole class)",
                 f"行政班 (admin classes): {len(self.class_ids)}, 班额 (sizes) {min(sizes)}–{max(sizes)}"]
        for w in sorted(walks):
            lines.append(f"  走 {w} 科 (walk for {w} subject{'s' if w != 1 else ''}): {walks[w]} 名学生 (students)")
        return lines


def form_admin_classes(students: list[tuple[str, tuple[str, ...]]], *, classes: int, max_size: int, fix: int,
                       time_limit: float = 60.0, seed: int = 0) -> ClassPlan:
    N, K = len(students), classes
    if N > K * max_size:
        raise Infeasible([f"{N} 名学生放不进 {K} 个班额不超过 {max_size} 的行政班 (最多 {K * max_size} 人) "
                          f"({N} students do not fit in {K} classes of at most {max_size})"])
    if K > N:
        raise Infeasible([f"行政班数 {K} 多于学生数 {N} (more classes than students)"])
    base, extra = divmod(N, K)
    choices = dict(students)
    combos = Counter(frozenset(e) for _, e in students)
    subjects = sorted({e for _, es in students for e in es})
    sets = [frozenset(c) for c in combinations(subjects, fix)]
    combo_list = sorted(combos, key=lambda c: (-combos[c], sorted(c)))
    m = cp_model.CpModel()
    p = {F: m.new_int_var(0, K, "p") for F in sets}
    e = {F: m.new_int_var(0, min(K, extra), "e") for F in sets}
    w = {}
    for F in sets:
        m.add(e[F] <= p[F])
        terms = []
        for c in combo_list:
            if F <= c:
                w[F, c] = m.new_int_var(0, combos[c], "w")
                terms.append(w[F, c])
        m.add(sum(terms) == base * p[F] + e[F]) if terms else m.add(p[F] == 0)
    for c in combo_list:
        vs = [w[F, c] for F in sets if (F, c) in w]
        if vs:
            m.add(sum(vs) <= combos[c])
    m.add(sum(p.values()) <= K)
    m.add(sum(e.values()) <= extra)
    m.add(extra - sum(e.values()) <= K - sum(p.values()))
    m.maximize(sum(base * p[F] + e[F] for F in sets))
    status, solver = run(m, time_limit=time_limit, seed=seed)
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        raise NoTimetableFound("分班模型未在时限内求解 (no assignment found in time)")
    # Deal students: pure classes first (by subject set), then the rest in order of their choices.
    pool: dict[frozenset, list[str]] = {c: [] for c in combo_list}
    for sid, es in students:
        pool[frozenset(es)].append(sid)
    groups: list[tuple[list[str], int]] = []  # (members, size)
    extras_left = extra
    for F in sorted(sets, key=sorted):
        n_pure, n_big = solver.value(p[F]), solver.value(e[F])
        if not n_pure:
            continue
        takers: list[str] = []
        for c in combo_list:
            if (F, c) in w:
                k = solver.value(w[F, c])
                takers += pool[c][:k]
                pool[c] = pool[c][k:]
        pos = 0
        for q in range(n_pure):
            size = base + (1 if q < n_big else 0)
            groups.append((takers[pos:pos + size], size))
            pos += size
        extras_left -= n_big
    rest = [sid for c in sorted(combo_list, key=sorted) for sid in pool[c]]
    n_mixed = K - len(groups)
    pos = 0
    for q in range(n_mixed):
        size = base + (1 if q < extras_left else 0)
        groups.append((rest[pos:pos + size], size))
        pos += size
    assert pos == len(rest) and sum(len(g) for g, _ in groups) == N
    width = max(2, len(str(K)))
    ids = [f"C{q + 1:0{width}d}" for q in range(K)]
    members = {cid: g for cid, (g, _) in zip(ids, groups)}
    common = {}
    for cid, ms in members.items():
        inter = set(choices[ms[0]]) if ms else set()
        for s in ms[1:]:
            inter &= set(choices[s])
        common[cid] = tuple(sorted(inter))
    return ClassPlan(ids, members, common, choices, fix, [s for s, _ in students])


def render_assignment(plan: ClassPlan) -> str:
    """ASSIGN.csv: ``student_id, admin_class_id, fixed_electives`` in the input order of students."""
    cls = plan.class_of()
    buf = io.StringIO()
    wr = csv.writer(buf, lineterminator="\n")
    wr.writerow(["student_id", "admin_class_id", "fixed_electives"])
    for sid in plan.order:
        wr.writerow([sid, cls[sid], ";".join(plan.fixed(sid, cls[sid]))])
    return buf.getvalue()
