"""Hypothesis strategies: small random admission cases with many ties, every optional rule and rollovers."""

from __future__ import annotations

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
