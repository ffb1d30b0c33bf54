"""An admission case directory (the format of ``gaozhong admissions run``: programs.csv, students.csv,
preferences.csv, policy.toml) imported as a year of the platform, so that the platform's run of that year gives
byte for byte the engine's results.

The case is first read by the engine's own reader (every problem with file, line and column); then every school
and county id is checked against the platform's school and county codes. Only a case with no problem is written,
in one transaction with one audit row: the year (with the case's policy.toml), a plan per senior school, the
programs in programs.csv order, the candidates in students.csv order (every extra numeric column kept as a named
score, ``lottery`` as the candidate's lottery number) and their preferences, confirmed.

A 高中阶段 case (docs/admissions.md §12) may add schools.csv — each school's level (普高/中职) and county must be
the platform school's — and programs.csv's ``major`` and ``special_type``: a 中职 school's programs become its
plan by 专业 and batch programs of kind 中职; ``全市`` stays the program's range. A case with supplementary/ is
refused: a 补录 is opened on the platform after the main result is published.

A case carries no names, ID numbers, gender or subject scores: a candidate's name is its 准考证号 and the subject
fields of the 中考 record hold the case's ``chinese``/``math``/``english`` columns where present (else 0); the
run reads the named scores, never those fields, for any column the case has.
"""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal
from pathlib import Path

import numpy as np
from django.core.exceptions import PermissionDenied
from django.db import transaction

from gaozhong.admissions.engine.csvread import load_csv, text_table
from gaozhong.admissions.engine.readcase import STUDENT_COLUMNS, read_case
from gaozhong.admissions.models import CITY_WIDE, AdmissionYear, CandidateScores, Confirmation, Preference, Program, SchoolPlan
from gaozhong.admissions.services.imports import decimal_text
from gaozhong.common.errors import InputError, Problem, ProblemList
from gaozhong.common.textfile import decode_bytes
from gaozhong.core.audit import audit_record
from gaozhong.core.models import Candidate, County, Role, School
from gaozhong.core.scoping import scope_of

#: Columns of students.csv copied into the candidate's 中考 record too (the named score stays what runs read).
RECORD_FIELDS = {"chinese": "chinese", "math": "math", "english": "english", "talent_score": "talent_score"}


def _fits(text: str | None, max_digits: int, places: int = 1) -> bool:
    """Whether a decimal text is held exactly by a DecimalField(max_digits, places)."""
    if text is None:
        return True
    d = Decimal(text)
    exp = d.normalize().as_tuple().exponent
    return (exp >= -places) and abs(d) < Decimal(10) ** (max_digits - places)


def _rows(f, problems):
    df = text_table(f, problems)
    if df is None:
        problems.raise_if_any()
    lines = [int(x) for x in f.lines(np.arange(df.height))]
    return df, lines


def year_case_import(*, actor, year: int, case_dir: str | Path, progress=lambda pct, phase: None) -> dict:
    """Import the case at ``case_dir`` as admission year ``year``; raise InputError (nothing written) on any
    problem, PermissionDenied for anyone but the city bureau."""
    if scope_of(actor).role != Role.CITY_ADMIN:
        raise PermissionDenied("只有市教育局可以导入招生年度 (city bureau only)")
    d = Path(case_dir)
    progress(5, "按录取引擎的格式检查文件 (reading the case as the engine does)")
    read_case(d)  # the engine's checks, with file, line and column
    problems = ProblemList(limit=500)
    if (d / "supplementary").exists():
        raise InputError([Problem("supplementary", None, None, "补录文件不能导入；补录在第一轮结果公布后在平台上开放 (a 补录 round is opened on the platform)")])
    if Candidate.objects.filter(year=year).exists():
        raise InputError([Problem(str(d), None, None, f"{year} 年已有考生，不能再导入招生年度 (the year already has candidates)")])
    ay = AdmissionYear.objects.filter(year=year).first()
    if ay is not None and (ay.plans.exists() or ay.programs.exists()):
        raise InputError([Problem(str(d), None, None, f"{year} 年已有招生计划或招生专业 (the year already has plans or programs)")])
    progress(20, "检查学校与县(区)代码 (checking school and county codes)")
    schools = {s.code: s for s in School.objects.select_related("county")}
    counties = {c.code: c for c in County.objects.all()}

    raw = (d / "policy.toml").read_bytes()
    policy = decode_bytes(raw[3:] if raw.startswith(b"\xef\xbb\xbf") else raw, name="policy.toml")
    progf, studf, preff = (load_csv(d / n, n) for n in ("programs.csv", "students.csv", "preferences.csv"))
    prog, plines = _rows(progf, problems)
    levels: dict[str, str] = {}  # school code → the platform level schools.csv gives it
    if (d / "schools.csv").exists():
        schf = load_csv(d / "schools.csv", "schools.csv")
        sch, slines_ = _rows(schf, problems)
        by_name = {"普高": School.Level.SENIOR, "中职": School.Level.VOCATIONAL}
        for i, r in enumerate(sch.iter_rows(named=True)):
            s = schools.get(r["school_id"])
            level = by_name[r["level"]]
            levels[r["school_id"]] = level
            if s is None:
                problems.add("schools.csv", slines_[i], "school_id", f"学校代码 “{r['school_id']}” 不存在 (no such school on the platform)")
            elif s.level != level:
                problems.add("schools.csv", slines_[i], "level", f"学校 “{s.code}” 在平台上是{s.get_level_display()} (the platform has another level)")
            elif s.county.code != r["county"]:
                problems.add("schools.csv", slines_[i], "county", f"学校 “{s.code}” 在平台上属于 “{s.county.code}” (the platform has another county)")
    stud, slines = _rows(studf, problems)
    pref, rlines = _rows(preff, problems)

    def school(code, line, column, level, file):
        s = schools.get(code)
        if s is None:
            problems.add(file, line, column, f"学校代码 “{code}” 不存在 (no such school on the platform)")
        elif s.level != level:
            problems.add(file, line, column, f"学校 “{code}” 不是{School.Level(level).label} (not a {level} school)")
        return s

    programs = []
    for i, r in enumerate(prog.iter_rows(named=True)):
        line = plines[i]
        pid = r["program_id"]
        if len(pid) > 30:
            problems.add("programs.csv", line, "program_id", "招生专业代码超过 30 个字符 (longer than 30 characters)")
        if levels.get(r["school_id"]) != School.Level.VOCATIONAL:  # a 中职 school was checked with schools.csv
            school(r["school_id"], line, "school_id", School.Level.SENIOR, "programs.csv")
        if r["feeder_school_id"] is not None:
            school(r["feeder_school_id"], line, "feeder_school_id", School.Level.JUNIOR, "programs.csv")
        clist = sorted({x.strip() for x in (r["counties"] or "").split(";") if x.strip()})
        if len(r.get("major") or "") > 60:
            problems.add("programs.csv", line, "major", "专业名称超过 60 个字符 (longer than 60 characters)")
        for c in clist:
            if c != CITY_WIDE and c not in counties:
                problems.add("programs.csv", line, "counties", f"县(区)代码 “{c}” 不存在 (no such county on the platform)")
        min_score = decimal_text(r["min_score"]) if r["min_score"] is not None else None
        if not _fits(min_score, 6):
            problems.add("programs.csv", line, "min_score", f"“{r['min_score']}” 超出平台可存的最低分数线（最多一位小数）(at most one decimal place)")
        programs.append((r, clist, min_score))

    extra_cols = [c for c in studf.header if c not in STUDENT_COLUMNS]
    kept = []
    for col in extra_cols:  # numeric columns are kept as named scores; a text column (a name) is not a score
        cells = [x for x in stud[col].to_list() if x is not None]
        if all(decimal_text(x) is not None for x in cells):
            kept.append(col)
    candidates = []
    for i, r in enumerate(stud.iter_rows(named=True)):
        line = slines[i]
        if len(r["student_id"]) > 20:
            problems.add("students.csv", line, "student_id", "准考证号超过 20 个字符 (longer than 20 characters)")
        school(r["junior_school_id"], line, "junior_school_id", School.Level.JUNIOR, "students.csv")
        if r["county"] not in counties:
            problems.add("students.csv", line, "county", f"县(区)代码 “{r['county']}” 不存在 (no such county on the platform)")
        score = decimal_text(r["score"])
        if not _fits(score, 6):
            problems.add("students.csv", line, "score", f"“{r['score']}” 超出平台可存的总分（最多一位小数）(at most one decimal place)")
        candidates.append((r, score, {c: (decimal_text(r[c]) if r[c] is not None else None) for c in kept}))
    if problems:
        problems.sort(key=lambda p: ({"programs.csv": 0, "students.csv": 1}.get(p.file, 2), p.line or 0))
        problems.raise_if_any()

    progress(50, f"写入 {len(candidates)} 名考生与 {len(pref)} 条志愿 (writing)")
    with transaction.atomic():
        if ay is None:
            ay = AdmissionYear.objects.create(year=year, status=AdmissionYear.Status.CLOSED, policy_toml=policy)
        else:
            ay.status, ay.policy_toml = AdmissionYear.Status.CLOSED, policy
            ay.save(update_fields=["status", "policy_toml"])
        by_code: dict[str, Program] = {}
        seats: dict[str, list[int]] = defaultdict(lambda: [0, 0])
        ranges: dict[str, set[str]] = defaultdict(set)
        majors: dict[str, dict[str, int]] = defaultdict(dict)
        for order, (r, clist, min_score) in enumerate(programs):
            rank_by = r["rank_by"] or "score"
            if levels.get(r["school_id"]) == School.Level.VOCATIONAL:
                kind = Program.Kind.VOCATIONAL
            else:
                kind = Program.Kind.QUOTA if r["feeder_school_id"] else (Program.Kind.TALENT if rank_by != "score" else Program.Kind.UNIFIED)
            p = Program(year=ay, code=r["program_id"], school=schools[r["school_id"]], kind=kind, batch=int(r["batch"]),
                        capacity=int(r["capacity"]), min_score=min_score, counties=";".join(clist), rank_by=rank_by,
                        feeder_school=schools[r["feeder_school_id"]] if r["feeder_school_id"] else None, file_order=order,
                        major=r.get("major") or "", special_type=r.get("special_type") or "")
            by_code[p.code] = p
            seats[r["school_id"]][0] += p.capacity
            if kind == Program.Kind.TALENT:
                seats[r["school_id"]][1] += p.capacity
            if kind == Program.Kind.VOCATIONAL:
                name = p.major or p.code
                majors[r["school_id"]][name] = majors[r["school_id"]].get(name, 0) + p.capacity
            ranges[r["school_id"]].add(p.counties)
        Program.objects.bulk_create(list(by_code.values()))
        rolled = []
        for r, _, _ in programs:
            if r["rollover_to"]:
                p = by_code[r["program_id"]]
                p.rollover_to = by_code[r["rollover_to"]]
                rolled.append(p)
        Program.objects.bulk_update(rolled, ["rollover_to"])
        SchoolPlan.objects.bulk_create([
            SchoolPlan(year=ay, school=schools[code], seats=n, talent_seats=t, approved=True,
                       counties=next(iter(ranges[code])) if len(ranges[code]) == 1 else "",
                       majors=[[m, k] for m, k in majors[code].items()] if code in majors else [])
            for code, (n, t) in sorted(seats.items())])
        progress(65, "写入考生 (writing candidates)")
        rows = []
        for r, score, named in candidates:
            record = {f: Decimal(named[c]) if named.get(c) is not None and _fits(named[c], 5) else None for c, f in RECORD_FIELDS.items()}
            rows.append(Candidate(year=year, exam_no=r["student_id"], name=r["student_id"], id_number="", gender="",
                                  junior_school=schools[r["junior_school_id"]], county=counties[r["county"]], score=Decimal(score),
                                  chinese=record["chinese"] or 0, math=record["math"] or 0, english=record["english"] or 0,
                                  talent_score=record["talent_score"]))
        Candidate.objects.bulk_create(rows, batch_size=2000)
        ids = dict(Candidate.objects.filter(year=year).values_list("exam_no", "pk"))
        CandidateScores.objects.bulk_create([
            CandidateScores(candidate_id=ids[r["student_id"]], scores=named, lottery=int(r["lottery"]), file_order=i)
            for i, (r, _, named) in enumerate(candidates)], batch_size=2000)
        progress(80, "写入志愿 (writing preferences)")
        Preference.objects.bulk_create([
            Preference(year=ay, candidate_id=ids[r["student_id"]], batch=int(r["batch"]), rank=int(r["rank"]), program=by_code[r["program_id"]])
            for r in pref.iter_rows(named=True)], batch_size=5000)
        with_prefs = sorted({ids[s] for s in pref["student_id"].to_list()})
        Confirmation.objects.bulk_create([Confirmation(year=ay, candidate_id=i) for i in with_prefs], batch_size=5000)
        summary = {"programs": len(by_code), "plans": len(seats), "candidates": len(rows), "preferences": len(pref),
                   "confirmed": len(with_prefs), "named_scores": kept}
        audit_record(actor=actor, action="admissions.year.imported", obj=ay, object_repr=f"{year} 年招生年度",
                     after={"case": str(d), **summary})
    progress(100, "完成 (done)")
    return summary
