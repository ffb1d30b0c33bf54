"""Hypothesis strategies: small random admission cases with many ties, every optional rule and rollovers, and
the 高中阶段 cases of issue 17 (schools, 中职, 招生范围, 特长生 rules, 补录)."""

from __future__ import annotations

import random

from hypothesis import strategies as st

from . import reference as ref
from .reference import Case, Prog, Stu

COUNTIES = ["城区", "郊区", "阳城县"]
JUNIORS = ["J1", "J2", "J3"]
SCORES = ["3", "3.5", "4", "4.0", "04.5", "5", "5.50", "6", "612", "612.5"]


@st.composite
def cases(draw, *, mechanism: str = "deferred_acceptance", common: bool = False, max_students: int = 10) -> Case:
    batches = sorted(draw(st.lists(st.integers(1, 9), min_size=1, max_size=3, unique=True)))
    programs: list[Prog] = []
    for b in batches:
        for _ in range(draw(st.integers(1, 3))):
            i = len(programs)
            programs.append(Prog(
                program_id=f"P{i}",
                school_id=f"H{i % 2}",
                batch=b,
                capacity=draw(st.integers(0, 3)),
                min_score=draw(st.sampled_from(["", "", "4", "4.5"])),
                feeder=draw(st.sampled_from(["", "", "", "J1", "J2"])),
                counties=draw(st.sampled_from(["", "", "城区", "城区; 郊区"])),
                rank_by="" if common else draw(st.sampled_from(["", "", "score", "talent"])),
            ))
    for p in programs:  # rollover to a program of a later batch, sometimes
        later = [q.program_id for q in programs if q.batch > p.batch]
        if later and draw(st.booleans()):
            p.rollover_to = draw(st.sampled_from(later))
    n = draw(st.integers(1, max_students))
    lotteries = draw(st.permutations(list(range(100, 100 + n))))
    students = []
    for i in range(n):
        values = {
            "score": draw(st.sampled_from(SCORES)),
            "cme": str(draw(st.integers(0, 2))),
            "math": draw(st.sampled_from(["1", "2", "2.5"])),
            "talent": draw(st.sampled_from(["", "7", "8.5", "9"])),
        }
        students.append(Stu(f"S{i:02d}", draw(st.sampled_from(JUNIORS)), draw(st.sampled_from(COUNTIES)),
                            values, lotteries[i]))
    prefs = []
    for s in students:
        for b in batches:
            mine = [p.program_id for p in programs if p.batch == b]
            chosen = draw(st.lists(st.sampled_from(mine), unique=True, max_size=len(mine)))
            rank = 0
            for pid in chosen:
                rank += draw(st.sampled_from([1, 1, 1, 2]))  # ranks may have gaps
                prefs.append((s.student_id, b, rank, pid))
    tiebreak = draw(st.sampled_from([[], ["cme"], ["cme", "math"], ["math", "cme"]]))
    band = None
    if mechanism == "first_choice_first":
        band = draw(st.sampled_from(["0.5", "1", "2.5", "10000"]))
    return Case(programs, students, prefs, tiebreak, mechanism, band)


def city_case(seed: int, *, seniors: list[str], juniors: dict[str, str], county_of: dict[str, str], n_students: int = 60) -> Case:
    """A seeded city-like case over the given school and county codes (for the platform parity tests, where the
    ids must be the platform's): batch 1 特长 programs ranked by ``talent`` rolling over to 统招, batch 2 指标到校
    programs per (senior school, junior school) rolling over too, batch 3 统招 with some county limits and minimum
    scores; few distinct scores, so that ties go down the tie-break columns to the lottery. ``juniors`` maps a
    junior school to its county; ``county_of`` maps a senior school to its county. Students carry a numeric
    ``physics`` column no rule uses and a text ``name`` column (written by :func:`reference.write_case`)."""
    r = random.Random(seed)
    counties = sorted(set(juniors.values()) | set(county_of.values()))
    programs: list[Prog] = []
    for s in seniors:
        unified = Prog(f"{s}-TZ", s, 3, r.randint(2, 6), min_score=r.choice(["", "", "", "500"]),
                       counties=r.choice(["", "", county_of[s], ";".join(counties)]))
        if r.random() < 0.6:
            programs.append(Prog(f"{s}-TC", s, 1, r.randint(1, 2), min_score=r.choice(["", "7.5"]), rank_by="talent",
                                 rollover_to=unified.program_id))
        for j in juniors:
            if r.random() < 0.5:
                programs.append(Prog(f"{s}-ZB-{j}", s, 2, r.randint(0, 2), feeder=j, counties=r.choice(["", county_of[s]]),
                                     rollover_to=unified.program_id))
        programs.append(unified)
    lotteries = list(range(1, n_students + 1))
    r.shuffle(lotteries)
    students = []
    for i in range(n_students):
        j = r.choice(sorted(juniors))
        values = {"score": r.choice(["480", "500", "520.5", "540", "540", "560", "580"]), "cme": str(r.randint(0, 2)),
                  "math": r.choice(["1", "2", "2.5"]), "talent": r.choice(["", "", "", "7", "8.5", "9"]),
                  "physics": str(r.randint(50, 70))}
        students.append(Stu(f"26{seed:02d}{i:04d}", j, juniors[j], values, lotteries[i]))
    prefs = []
    for st in students:
        talent = [p for p in programs if p.batch == 1]
        if st.values["talent"] and talent:
            prefs.append((st.student_id, 1, 1, r.choice(talent).program_id))
        quota = [p for p in programs if p.batch == 2 and (p.feeder == st.junior or r.random() < 0.05)]
        for k, p in enumerate(r.sample(quota, k=min(len(quota), 2)), start=1):
            prefs.append((st.student_id, 2, k, p.program_id))
        unified = [p for p in programs if p.batch == 3]
        rank = 0
        for p in r.sample(unified, k=r.randint(0, min(len(unified), 4))):
            rank += r.choice([1, 1, 1, 2])
            prefs.append((st.student_id, 3, rank, p.program_id))
    tiebreak = r.choice([[], ["cme"], ["cme", "math"]])
    return Case(programs, students, prefs, tiebreak)


@st.composite
def stage_cases(draw, *, supplementary: bool | None = None, max_students: int = 10) -> Case:
    """A case of the 高中阶段 format (issue 17) built on :func:`cases`: schools.csv with 普高 and 中职 schools,
    a 中职 batch after the others (or 中职 programs in the same batch as 普高 ones), programs' major and
    special_type, the new policy settings (招生范围 required or refused outside, 特长生 share and minimums) and —
    if ``supplementary`` is true, or drawn when None — a 补录 round with declined seats, seats.csv and new
    choices of the students who may take part."""
    case = draw(cases(max_students=max_students))
    batches = sorted({p.batch for p in case.programs})
    # 中职 programs: a batch after the last (the usual order) or one of the existing batches.
    voc_batch = draw(st.sampled_from([batches[-1] + 1, batches[-1] + 1, batches[-1]]))
    n_voc = draw(st.integers(1, 3))
    for k in range(n_voc):
        case.programs.append(Prog(f"V{k}", f"Z{k % 2}", voc_batch, draw(st.integers(0, 3)),
                                  counties=draw(st.sampled_from(["", "全市", "城区", "郊区; 阳城县"])),
                                  major=draw(st.sampled_from(["机电技术应用", "会计事务", ""]))))
    for s in case.students:
        mine = [p.program_id for p in case.programs if p.batch == voc_batch and p.program_id.startswith("V")]
        chosen = draw(st.lists(st.sampled_from(mine), unique=True, max_size=len(mine)))
        ranks = [r for sid, b, r, _ in case.prefs if sid == s.student_id and b == voc_batch]
        rank = max(ranks, default=0)
        for pid in chosen:
            rank += 1
            case.prefs.append((s.student_id, voc_batch, rank, pid))
    levels = {}
    for p in case.programs:
        levels[p.school_id] = "中职" if p.school_id.startswith("Z") else "普高"
    case.schools = {sid: (draw(st.sampled_from(COUNTIES)), lv) for sid, lv in sorted(levels.items())}
    if draw(st.booleans()):
        case.schools["X9"] = (draw(st.sampled_from(COUNTIES)), "中职")  # a school without programs this year
    for p in case.programs:  # special programs: those ranked by talent, sometimes
        if p.rank_by == "talent" and draw(st.booleans()):
            p.special_type = draw(st.sampled_from(["艺术", "体育"]))
    settings: dict[str, str] = {}
    if draw(st.booleans()):
        settings["admission_range"] = '"required"'
        for p in case.programs:
            p.counties = p.counties or "全市"
    if draw(st.booleans()):
        settings["out_of_range"] = '"refuse"'
        progs = {p.program_id: p for p in case.programs}
        studs = {s.student_id: s for s in case.students}
        case.prefs = [x for x in case.prefs if ref.in_range(studs[x[0]], progs[x[3]])]
    share = draw(st.sampled_from([None, "0.5", "1"]))
    if share is not None:
        settings["special_share"] = share
        for sid in {p.school_id for p in case.programs}:  # keep each school's special seats within the share
            mine = [p for p in case.programs if p.school_id == sid]
            while True:
                special = [p for p in mine if p.special_type and p.capacity > 0]
                plan = sum(p.capacity for p in mine)
                if sum(p.capacity for p in special) * 2 <= plan * (2 if share == "1" else 1):
                    break
                special[0].capacity -= 1
    for key, values in (("special_min_score", [None, "4", "5"]), ("special_min_test_score", [None, "8"])):
        v = draw(st.sampled_from(values))
        if v is not None:
            settings[key] = v
    if supplementary is None:
        supplementary = draw(st.booleans())
    if supplementary:
        settings["supplementary_declined"] = draw(st.sampled_from(["true", "false"]))
    case.settings = settings
    if supplementary:
        add_supplementary(case, draw)
    return case


def add_supplementary(case: Case, draw) -> None:
    """A 补录 round for the case: some first-round seats declined, seats offered (all left or fewer), and new
    choices for the students who may take part."""
    first = ref.run(case)
    admitted = sorted(first.admitted)
    case.declined = draw(st.lists(st.sampled_from(admitted), unique=True)) if admitted else []
    case.seats = None
    left = ref.second_round(case, first).left
    if draw(st.booleans()):
        case.seats = {pid: draw(st.integers(0, n)) for pid, n in left.items() if draw(st.booleans())}
    allowed = case.settings.get("supplementary_declined") == "true"
    declined = set(case.declined)
    progs = {p.program_id: p for p in case.programs}
    studs = {s.student_id: s for s in case.students}
    refuse = case.setting("out_of_range") == "refuse"
    prefs2 = []
    for s in case.students:
        if s.student_id in first.admitted and not (allowed and s.student_id in declined):
            continue
        for b in sorted({p.batch for p in case.programs}):
            mine = [p.program_id for p in case.programs if p.batch == b
                    and (not refuse or ref.in_range(studs[s.student_id], progs[p.program_id]))]
            chosen = draw(st.lists(st.sampled_from(mine), unique=True, max_size=len(mine))) if mine else []
            for k, pid in enumerate(chosen, start=1):
                prefs2.append((s.student_id, b, k, pid))
    case.prefs2 = prefs2
