"""Benchmark of ``gaozhong admissions run``: realistic generated cities, timed end to end in a subprocess.

    .venv/bin/python bench/admissions.py [--sizes 20000,200000,1000000] [--seed 7 | --seeds 7,8,9] [--runs 3]
        [--format stage|old] [--no-matching]

For each size it writes a case into bench/out/<size>/case (several counties; quality, ordinary and private
schools; batch 1 特长 programs ranked by talent_score, batch 2 指标到校 programs per junior school from the
quota split with rollover to the school's 统招 program, batch 3 统招; 3–12 choices per student), runs the CLI
on it (CSV in, results out) and prints wall seconds and the child's peak memory. On the 20k case it also
times the ``matching`` package (1.4.3, HospitalResident) on the same admission, one game per batch with the
rollovers applied in between, checks that both give the same admissions and prints the speed ratio.

With ``--format stage`` (the default since issue 17) the case is one of the whole 高中阶段: 普高 and 中职 schools
in schools.csv, a batch 4 of 中职 programs by 专业, a stated 招生范围 on every program (choices outside it refused),
艺术/体育 特长生 rules; after the main run it writes a 补录 round (first round's result, 2 % declined, new choices
of the students without a seat) and times that run too. ``--format old`` is the case format of before.

Goals (issue 6 §5, issue 17): the 1M main run ≤ 4 s and ≤ 2 GiB; 20k students ≥ 100× faster than ``matching``.
"""

from __future__ import annotations

import argparse
import os
import resource
import sys
import time
from fractions import Fraction
from pathlib import Path

import numpy as np
import polars as pl

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from gaozhong.admissions.engine.quotas import JuniorSchool, QuotaSchool, allocate_quotas  # noqa: E402

COUNTIES = ["城区", "泽州县", "高平市", "阳城县", "陵川县", "沁水县", "郊区", "开发区"]
COUNTY_WEIGHT = np.array([0.22, 0.18, 0.16, 0.14, 0.08, 0.08, 0.08, 0.06])


def generate_case(n: int, seed: int, out: Path, *, stage: bool = False) -> dict[str, int]:
    """Write programs.csv, students.csv, preferences.csv, policy.toml for ``n`` students into ``out``.

    ``stage=True`` makes it a case of the whole 高中阶段 (issue 17): schools.csv with 普高 and 中职 schools, a
    batch 4 of 中职 programs by 专业 (major) holding about a third of the students, a stated 招生范围 on every
    program (admission_range = "required", out_of_range = "refuse"), 特长 programs as 艺术/体育 特长生 with the
    city's share and minimums. The 普高 part is drawn exactly as without it (the extra draws use their own
    random stream)."""
    rng = np.random.default_rng(seed)
    out.mkdir(parents=True, exist_ok=True)
    k = len(COUNTIES)

    # Junior schools (~300 graduates each) and their students.
    n_junior = max(20, n // 300)
    j_county = rng.choice(k, size=n_junior, p=COUNTY_WEIGHT)
    j_county[:k] = np.arange(k)
    j_size = rng.gamma(4.0, 1.0, n_junior)
    j_effect = rng.normal(0, 0.35, n_junior)
    junior_of = rng.choice(n_junior, size=n, p=j_size / j_size.sum())
    grads = np.bincount(junior_of, minlength=n_junior)
    ability = rng.normal(0, 1, n) + j_effect[junior_of]
    subj = lambda mean, sd, top: np.clip(np.round(mean + sd * (ability + rng.normal(0, 0.6, n))), 0, top)  # noqa: E731
    chinese, math, english = subj(88, 14, 120), subj(80, 22, 120), subj(84, 18, 120)
    cme = chinese + math + english
    others = np.clip(np.round((260 + 60 * (ability + rng.normal(0, 0.5, n))) * 2) / 2, 0, 390)
    score = cme + others
    talent = np.where(rng.random(n) < 0.06, np.round(rng.uniform(55, 100, n), 1), np.nan)
    lottery = rng.permutation(n)
    student_ids = [f"2025{i:07d}" for i in range(n)]
    junior_ids = [f"J{j:05d}" for j in range(n_junior)]
    pl.DataFrame(
        {
            "student_id": student_ids,
            "junior_school_id": pl.Series(junior_ids).gather(junior_of),
            "county": pl.Series(COUNTIES).gather(j_county[junior_of]),
            "score": score,
            "cme": cme,
            "math": math,
            "chinese": chinese,
            "talent_score": pl.Series(talent).fill_nan(None),
            "lottery": lottery,
        }
    ).write_csv(out / "students.csv", float_precision=None)

    # Senior high schools: quality (15%), ordinary public (65%), private (20%); ~62% of students get a seat.
    n_school = max(16, n // 2000)
    kind = rng.choice(3, size=n_school, p=[0.15, 0.65, 0.20])  # 0 quality, 1 ordinary, 2 private
    kind[:k] = 0  # at least one quality school per county
    s_county = rng.choice(k, size=n_school, p=COUNTY_WEIGHT)
    s_county[:k] = np.arange(k)
    quality = np.where(kind == 0, rng.uniform(0.75, 1.0, n_school),
                       np.where(kind == 1, rng.uniform(0.2, 0.7, n_school), rng.uniform(0.1, 0.8, n_school)))
    weight = np.where(kind == 0, 2.0, 1.0) * rng.uniform(0.7, 1.3, n_school)
    plan = np.maximum(40, np.round(0.62 * n * weight / weight.sum())).astype(int)
    school_ids = [f"H{s:04d}" for s in range(n_school)]

    schools = [QuotaSchool(school_ids[s], COUNTIES[s_county[s]], int(plan[s]), bool(kind[s] == 0), "county")
               for s in range(n_school)]
    juniors = [JuniorSchool(junior_ids[j], COUNTIES[j_county[j]], int(grads[j]), bool(j_effect[j] < -0.3))
               for j in range(n_junior)]
    split = allocate_quotas(schools, juniors, Fraction("0.5"), 1)
    quota_of = {}
    for r in split.rows:
        quota_of.setdefault(r.school_id, []).append((r.junior_school_id, r.seats))

    rows: list[list] = []  # program_id, school_id, batch, capacity, min_score, feeder, counties, rank_by, rollover
    talent_ids: list[str] = []
    for s in range(n_school):
        sid = school_ids[s]
        main_id = f"{sid}-TZ"
        quota_seats = sum(seats for _, seats in quota_of.get(sid, []))
        talent_seats = int(round(plan[s] * 0.03)) if kind[s] != 2 and rng.random() < 0.4 else 0
        if talent_seats:
            talent_ids.append(f"{sid}-TC")
            rows.append([f"{sid}-TC", sid, 1, talent_seats, 450, None, None, "talent_score", main_id])
        for jid, seats in quota_of.get(sid, []):
            rows.append([f"{sid}-ZB-{jid}", sid, 2, seats, 480, jid, None, None, main_id])
        counties = COUNTIES[s_county[s]] if kind[s] == 1 else None
        rows.append([main_id, sid, 3, int(plan[s]) - quota_seats - talent_seats, None, None, counties, None, None])
    programs = pl.DataFrame(
        rows,
        schema=["program_id", "school_id", "batch", "capacity", "min_score", "feeder_school_id", "counties",
                "rank_by", "rollover_to"],
        orient="row",
        infer_schema_length=None,
    ).sort("batch", maintain_order=True)
    if stage:
        programs, voc = _stage_programs(programs, rng_stage := np.random.default_rng([seed, 17]), n, school_ids,
                                        s_county, kind, out)
    programs.write_csv(out / "programs.csv")
    prog_index = {p: i for i, p in enumerate(programs["program_id"].to_list())}
    talent_prog = [prog_index[t] for t in talent_ids]

    # Preferences. Batch 3: 统招 schools scored by quality, own county and how far above the student they are.
    pct = (np.argsort(np.argsort(score)) + 0.5) / n
    n3 = rng.integers(3, 13, n)
    pref_student, pref_batch, pref_rank, pref_prog = [], [], [], []

    def add(students: np.ndarray, batch: int, ranks: np.ndarray, progs: np.ndarray) -> None:
        pref_student.append(students)
        pref_batch.append(np.full(students.size, batch, dtype=np.int64))
        pref_rank.append(ranks)
        pref_prog.append(progs)

    # Batch 1: students with a talent score list 1–2 talent programs.
    if talent_prog:
        t_students = np.flatnonzero(~np.isnan(talent))
        t_count = rng.integers(1, 3, t_students.size)
        t_count = np.minimum(t_count, len(talent_prog))
        st = np.repeat(t_students, t_count)
        rk = (np.arange(st.size) - np.repeat(np.cumsum(t_count) - t_count, t_count) + 1)
        choice = rng.integers(0, len(talent_prog), st.size)
        # distinct programs per student: shift the second choice if it repeats the first
        dup = (rk == 2) & (choice == np.roll(choice, 1))
        choice[dup] = (choice[dup] + 1) % len(talent_prog)
        add(st, 1, rk, np.asarray(talent_prog)[choice])
        n3[t_students] = np.maximum(3, n3[t_students] - t_count)
    # Batch 2: students of junior schools with quota seats list up to 3 of them (best school first), unless weak.
    quota_rows = [(int(r[5][1:]), -quality[int(r[1][1:])], i) for i, r in enumerate(programs.iter_rows()) if r[2] == 2]
    quota_rows.sort()
    table = np.full((n_junior, 3), -1, dtype=np.int64)
    for j, _, i in quota_rows:
        free = np.flatnonzero(table[j] < 0)
        if free.size:
            table[j, free[0]] = i
    q_students = np.flatnonzero(pct > 0.35)
    counts = np.minimum((table >= 0).sum(axis=1)[junior_of[q_students]], rng.integers(1, 4, q_students.size))
    q_students, counts = q_students[counts > 0], counts[counts > 0]
    if q_students.size:
        st = np.repeat(q_students, counts)
        rk = np.arange(st.size) - np.repeat(np.cumsum(counts) - counts, counts) + 1
        add(st, 2, rk, table[junior_of[st], rk - 1])
        n3[q_students] = np.maximum(3, n3[q_students] - counts)
    # Batch 3.
    main_prog = np.array([prog_index[f"{sid}-TZ"] for sid in school_ids])
    for c in range(k):
        studs = np.flatnonzero(j_county[junior_of] == c)
        options = np.flatnonzero((kind != 1) | (s_county == c))
        qual = quality[options]
        home = (s_county[options] == c).astype(float)
        for lo in range(0, studs.size, 50_000):
            chunk = studs[lo:lo + 50_000]
            x = pct[chunk][:, None]
            u = 3.0 * qual[None, :] - 6.0 * np.maximum(0.0, qual[None, :] - x - 0.15) + 0.8 * home[None, :]
            u = u + rng.gumbel(0, 0.35, (chunk.size, options.size))
            top = min(12, options.size)
            best = np.argpartition(-u, top - 1, axis=1)[:, :top]
            best_u = np.take_along_axis(u, best, axis=1)
            order = np.argsort(-best_u, axis=1)
            best = np.take_along_axis(best, order, axis=1)
            m = np.minimum(n3[chunk], top)
            mask = np.arange(top)[None, :] < m[:, None]
            st = np.repeat(chunk, m)
            rk = np.nonzero(mask)[1] + 1
            add(st, 3, rk, main_prog[options[best[mask]]])
    if stage:  # batch 4 中职: students in the lower half list 1–4 中职 programs open to their county
        _stage_preferences(add, voc, rng_stage, pct, j_county[junior_of])
    student = np.concatenate(pref_student)
    order = np.lexsort((np.concatenate(pref_rank), np.concatenate(pref_batch), student))
    prefs = pl.DataFrame(
        {
            "student_id": pl.Series(student_ids).gather(student[order]),
            "batch": np.concatenate(pref_batch)[order],
            "rank": np.concatenate(pref_rank)[order],
            "program_id": programs["program_id"].gather(np.concatenate(pref_prog)[order]),
        }
    )
    prefs.write_csv(out / "preferences.csv")
    policy = 'tiebreak = ["cme", "math", "chinese"]\n'
    if stage:
        policy += STAGE_POLICY
    (out / "policy.toml").write_text(policy, encoding="utf-8")
    return {"students": n, "programs": programs.height, "choices": prefs.height, "schools": n_school,
            "junior_schools": n_junior}


STAGE_POLICY = """admission_range = "required"
out_of_range = "refuse"
special_share = 0.05
special_min_score = 450
special_min_test_score = 60
"""


def _stage_programs(programs: pl.DataFrame, rng: np.random.Generator, n: int, school_ids: list[str],
                    s_county: np.ndarray, kind: np.ndarray, out: Path) -> tuple[pl.DataFrame, dict]:
    """Add 中职 schools and programs (batch 4), 招生范围 and 特长生 types; write schools.csv."""
    k = len(COUNTIES)
    n_voc = max(8, len(school_ids) // 2)
    v_county = rng.choice(k, size=n_voc, p=COUNTY_WEIGHT)
    v_county[:k] = np.arange(k)
    weight = rng.uniform(0.5, 1.5, n_voc)
    plan = np.maximum(30, np.round(0.33 * n * weight / weight.sum())).astype(int)
    majors = ["机电技术应用", "会计事务", "计算机应用", "汽车运用与维修", "护理", "电子商务", "学前教育", "旅游服务与管理"]
    rows = []
    for v in range(n_voc):
        m = int(rng.integers(4, 9))
        share = rng.dirichlet(np.ones(m))
        seats = np.floor(share * plan[v]).astype(int)
        seats[0] += plan[v] - seats.sum()
        for j in range(m):
            city_wide = rng.random() < 0.7
            rows.append([f"V{v:04d}-{j}", f"V{v:04d}", 4, int(seats[j]), None, None,
                         "全市" if city_wide else COUNTIES[v_county[v]], None, None, majors[j % len(majors)], None])
    ids = programs["program_id"].to_list()
    counties = programs["counties"].to_list()
    special = [None] * len(ids)
    for i, pid in enumerate(ids):
        if counties[i] is None:
            counties[i] = "全市"  # quality and private schools, 特长 and 指标到校 seats: the whole city
        if pid.endswith("-TC"):
            special[i] = "艺术" if rng.random() < 0.5 else "体育"
    programs = programs.with_columns(pl.Series("counties", counties, dtype=pl.String),
                                     pl.Series("major", [None] * len(ids), dtype=pl.String),
                                     pl.Series("special_type", special, dtype=pl.String))
    voc = pl.DataFrame(rows, schema=programs.columns, orient="row", infer_schema_length=None)
    programs = pl.concat([programs, voc.cast(programs.schema)])
    pl.DataFrame({
        "school_id": school_ids + [f"V{v:04d}" for v in range(n_voc)],
        "county": [COUNTIES[c] for c in s_county] + [COUNTIES[c] for c in v_county],
        "level": ["普高"] * len(school_ids) + ["中职"] * n_voc,
        "ownership": ["民办" if kind[s] == 2 else "公办" for s in range(len(school_ids))] + ["公办"] * n_voc,
    }).write_csv(out / "schools.csv")
    first = len(ids)
    open_to = []  # per county: the 中职 programs whose 招生范围 includes it
    for c in range(k):
        open_to.append(np.asarray([first + i for i, r in enumerate(rows) if r[6] in ("全市", COUNTIES[c])]))
    return programs, {"open_to": open_to}


def _stage_preferences(add, voc: dict, rng: np.random.Generator, pct: np.ndarray, county: np.ndarray) -> None:
    for c, options in enumerate(voc["open_to"]):
        studs = np.flatnonzero((county == c) & (pct < 0.5))
        if not studs.size or not options.size:
            continue
        m = rng.integers(1, 5, studs.size)
        pick = rng.integers(0, options.size, (studs.size, 4))
        keep = np.arange(4)[None, :] < m[:, None]
        for j in range(1, 4):  # drop a repeated program
            keep[:, j] &= (pick[:, j, None] != pick[:, :j]).all(axis=1)
        count = keep.sum(axis=1)
        st = np.repeat(studs, count)
        rk = np.arange(st.size) - np.repeat(np.cumsum(count) - count, count) + 1
        add(st, 4, rk, options[pick[keep]])


def generate_supplementary(case: Path, out: Path, seed: int) -> dict[str, int]:
    """A 补录 round for a generated case in ``out``: the case's files linked, supplementary/ with the first
    round's result (run in process), 2 % of the admitted declining, and 1–3 new choices (open to their
    county, seats left) for every student without a seat."""
    from gaozhong.admissions.engine.output import results_csv
    from gaozhong.admissions.engine.readcase import read_case
    from gaozhong.admissions.engine.run import run_admission

    rng = np.random.default_rng([seed, 18])
    out.mkdir(parents=True, exist_ok=True)
    for f in case.iterdir():
        if f.is_file():
            target = out / f.name
            target.unlink(missing_ok=True)
            target.symlink_to(f.resolve())
    c = read_case(case)
    first = run_admission(c)
    sd = out / "supplementary"
    sd.mkdir(exist_ok=True)
    (sd / "first_round.csv").write_bytes(results_csv(first))
    admitted = np.flatnonzero(first.program_of >= 0)
    declined = np.sort(rng.choice(admitted, size=admitted.size // 50, replace=False))
    ids = c.students.student_id
    pl.DataFrame({"student_id": ids.gather(declined)}).write_csv(sd / "declined.csv")
    free = np.bincount(first.program_of[declined], minlength=len(c.programs))
    left = first.capacity - first.admitted - first.rolled_out + free
    open_prog = np.flatnonzero(left > 0)
    unplaced = np.flatnonzero(first.program_of < 0)
    pick = open_prog[rng.integers(0, max(open_prog.size, 1), (unplaced.size, 6))] if open_prog.size else \
        np.zeros((unplaced.size, 0), dtype=np.int64)
    ok = c.programs.county_allowed[pick, c.students.county[unplaced][:, None]]
    for j in range(1, pick.shape[1]):  # a program once per student
        ok[:, j] &= (pick[:, j, None] != pick[:, :j]).all(axis=1)
    ok &= np.cumsum(ok, axis=1) <= 3
    batch = c.programs.batch[pick]
    order = np.argsort(np.where(ok, batch, np.iinfo(np.int64).max), axis=1, kind="stable")
    pick, ok, batch = (np.take_along_axis(a, order, axis=1) for a in (pick, ok, batch))
    rows_s = np.repeat(unplaced, ok.sum(axis=1))
    rows_b, rows_p = batch[ok], pick[ok]
    start = np.r_[True, (rows_s[1:] != rows_s[:-1]) | (rows_b[1:] != rows_b[:-1])]
    first_of_group = np.maximum.accumulate(np.where(start, np.arange(rows_s.size), 0))
    rank = np.arange(rows_s.size) - first_of_group + 1
    pl.DataFrame({
        "student_id": ids.gather(rows_s),
        "batch": rows_b,
        "rank": rank,
        "program_id": pl.Series(c.programs.program_id).gather(rows_p),
    }).write_csv(sd / "preferences.csv")
    return {"declined": int(declined.size), "unplaced": int(unplaced.size), "choices": int(rows_s.size),
            "seats_left": int(left.sum())}


def time_cli(case: Path, out: Path) -> tuple[float, float, int, float]:
    """Run the CLI in a child process: (wall seconds, peak RSS in MiB, exit status, CPU seconds user+sys)."""
    exe = ROOT / ".venv" / "bin" / "gaozhong"
    cmd = [str(exe) if exe.exists() else "gaozhong", "admissions", "run", str(case), "--out", str(out)]
    t0 = time.perf_counter()
    pid = os.fork()
    if pid == 0:  # child: exec the command so its rusage is the CLI's own
        os.execvp(cmd[0], cmd)
    _, status, usage = os.wait4(pid, 0)
    wall = time.perf_counter() - t0
    return wall, usage.ru_maxrss / 1024.0, os.waitstatus_to_exitcode(status), usage.ru_utime + usage.ru_stime


def time_matching(case_dir: Path) -> tuple[float, dict[str, str], str]:
    """Solve the same admission with matching's HospitalResident; (seconds, admissions, notes)."""
    from matching.games import HospitalResident

    from gaozhong.admissions.engine.priority import ranking
    from gaozhong.admissions.engine.readcase import read_case
    from gaozhong.admissions.engine.run import eligibility

    case = read_case(case_dir)
    pr, prog = case.preferences, case.programs
    inel = eligibility(case, np.arange(len(pr)))
    position = {c: ranking(case, c).position for c in set(prog.rank_by)}
    key = np.empty(len(pr), dtype=np.int64)
    for c, pos in position.items():
        hit = np.asarray([r == c for r in prog.rank_by])[pr.program]
        key[hit] = pos[pr.student[hit]]
    sid = case.students.student_id.to_list()
    admitted: dict[str, str] = {}
    capacity = prog.capacity.astype(int).copy()
    seconds = 0.0
    for b in case.batches:
        rows = np.flatnonzero((pr.batch == b) & (inel == 0))
        resident_prefs: dict[str, list[str]] = {}
        applicants: dict[str, list[tuple[int, str]]] = {}
        for r in rows:
            s = sid[pr.student[r]]
            if s in admitted:
                continue
            p = prog.program_id[pr.program[r]]
            resident_prefs.setdefault(s, []).append(p)
            applicants.setdefault(p, []).append((int(key[r]), s))
        members = [i for i in range(len(prog)) if prog.batch[i] == b]
        hospital_prefs = {prog.program_id[i]: [s for _, s in sorted(applicants.get(prog.program_id[i], []))]
                          for i in members}
        caps = {prog.program_id[i]: int(capacity[i]) for i in members}
        # matching needs every hospital to rank someone and capacity > 0; leave out the rest (they admit no one)
        used = {h for h, lst in hospital_prefs.items() if lst and caps[h] > 0}
        resident_prefs = {s: [h for h in lst if h in used] for s, lst in resident_prefs.items()}
        resident_prefs = {s: lst for s, lst in resident_prefs.items() if lst}
        t0 = time.perf_counter()
        game = HospitalResident.create_from_dictionaries(
            resident_prefs, {h: hospital_prefs[h] for h in used}, {h: caps[h] for h in used}
        )
        matching = game.solve(optimal="resident")
        seconds += time.perf_counter() - t0
        filled = {}
        for hospital, residents in matching.items():
            filled[hospital.name] = len(residents)
            for r in residents:
                admitted[r.name] = hospital.name
        for i in members:
            if prog.rollover_to[i] >= 0:
                capacity[prog.rollover_to[i]] += capacity[i] - filled.get(prog.program_id[i], 0)
    notes = ("HospitalResident has no batches, eligibility or rollovers: each batch is one game of the students "
             "still without a seat and their eligible choices, hospitals rank applicants by the engine's "
             "(rank_by, tie-break, lottery) order, and rollovers are applied between games")
    return seconds, admitted, notes


def engine_seconds(case_dir: Path) -> float:
    """In-process time of run_admission alone (reading excluded), for the like-for-like ratio."""
    from gaozhong.admissions.engine.readcase import read_case
    from gaozhong.admissions.engine.run import run_admission

    case = read_case(case_dir)
    best = float("inf")
    for _ in range(3):
        t0 = time.perf_counter()
        run_admission(case)
        best = min(best, time.perf_counter() - t0)
    return best


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--sizes", default="20000,200000,1000000")
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--seeds", default="", help="several seeds, e.g. 7,8,9 (overrides --seed): the distribution")
    ap.add_argument("--runs", type=int, default=3, help="timed runs of the command per case")
    ap.add_argument("--format", choices=["stage", "old"], default="stage",
                    help="stage: 普高 and 中职, 招生范围, 特长生 rules, then a 补录 round (default); old: the case "
                         "format of before issue 17")
    ap.add_argument("--no-matching", action="store_true", help="skip the side-by-side run of the matching package")
    ap.add_argument("--out", default=str(ROOT / "bench" / "out"))
    args = ap.parse_args(argv)
    sizes = [int(x) for x in args.sizes.split(",") if x]
    seeds = [int(x) for x in args.seeds.split(",") if x] or [args.seed]
    base = Path(args.out)
    stage = args.format == "stage"
    print(f"machine: {os.cpu_count()} cores; goals: 1M main run ≤ 4 s and ≤ 2048 MiB; 20k ≥ 100× faster than matching")
    for n in sizes:
        walls, cpus = [], []
        for seed in seeds:
            case = base / str(n) / "case"
            t0 = time.perf_counter()
            info = generate_case(n, seed, case, stage=stage)
            gen = time.perf_counter() - t0
            os.sync()  # the generated files (≈ 0.4 GB at 1M) reach the disk now, not while the first run reads them
            load = os.getloadavg()
            runs = [time_cli(case, base / str(n) / "out") for _ in range(args.runs)]
            bad = [r for r in runs if r[2] != 0]
            if bad:
                print(f"n={n}: the CLI failed with exit status {bad[0][2]}")
                return 1
            walls += [r[0] for r in runs]
            cpus += [r[3] for r in runs]
            wall = min(r[0] for r in runs)
            peak = max(r[1] for r in runs)
            print(
                f"n={n:>8} seed {seed}: programs {info['programs']}, choices {info['choices']}, generated in "
                f"{gen:.1f} s | main run end to end: best {wall:.2f} s (all: {', '.join(f'{r[0]:.2f}' for r in runs)}), "
                f"CPU user+sys {min(r[3] for r in runs):.2f} s, peak memory {peak:.0f} MiB, "
                f"load average before {load[0]:.1f} {load[1]:.1f} {load[2]:.1f}"
            )
            if stage:
                bulu = base / str(n) / "supplementary-case"
                t0 = time.perf_counter()
                sinfo = generate_supplementary(case, bulu, seed)
                gen = time.perf_counter() - t0
                os.sync()
                sruns = [time_cli(bulu, base / str(n) / "supplementary-out") for _ in range(max(1, args.runs - 2))]
                if any(r[2] != 0 for r in sruns):
                    print(f"n={n}: the 补录 run failed with exit status {sruns[0][2]}")
                    return 1
                print(
                    f"          补录: {sinfo['declined']} declined, {sinfo['unplaced']} without a seat, "
                    f"{sinfo['seats_left']} seats left, {sinfo['choices']} new choices (generated in {gen:.1f} s) | "
                    f"补录 run (first round again + second round) end to end: best {min(r[0] for r in sruns):.2f} s, "
                    f"CPU {min(r[3] for r in sruns):.2f} s, peak memory {max(r[1] for r in sruns):.0f} MiB"
                )
            if n == sizes[0] and seed == seeds[0] and not args.no_matching and n <= 50_000:
                try:
                    secs, admitted, notes = time_matching(case)
                except ImportError:
                    print("          matching is not installed: side-by-side run skipped")
                    continue
                res = pl.read_csv(base / str(n) / "out" / "results.csv", infer_schema=False)
                ours = {s: p for s, p in zip(res["student_id"].to_list(), res["program_id"].to_list()) if p is not None}
                same = ours == admitted
                eng = engine_seconds(case)
                print(f"          matching 1.4.3 HospitalResident (game build + solve): {secs:.2f} s; "
                      f"same admissions as the engine: {same}")
                print(f"          ratio matching / CLI end to end = {secs / wall:.0f}×; "
                      f"matching / run_admission in process ({eng * 1000:.0f} ms) = {secs / eng:.0f}×")
                print(f"          note: {notes}")
        if len(walls) > 1:
            w, c = np.sort(walls), np.sort(cpus)
            print(f"n={n:>8} main run over {len(seeds)} seeds × {args.runs} runs: wall min {w[0]:.2f} / median "
                  f"{np.median(w):.2f} / max {w[-1]:.2f} s; CPU min {c[0]:.2f} / median {np.median(c):.2f} / max {c[-1]:.2f} s")
    usage = resource.getrusage(resource.RUSAGE_SELF)
    print(f"benchmark process itself: peak {usage.ru_maxrss / 1024:.0f} MiB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
