"""Hypothesis strategies: small random admission cases with many ties, every optional rule and rollovers."""

from __future__ import annotations

import random

from hypothesis import strategies as st

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
