"""Imports of an admission year: 中考考生与成绩, 招生计划 and 志愿 (from a city's other preference system).

Each is the platform's one import pipeline (``gaozhong.core.services.imports.run_table_import``): the whole file
is read and type-checked, then every reference is checked against the database and the actor's scope (a school,
county, candidate or program that does not exist is an error on its row, never skipped), and only a file with no
problem is written, in one transaction with one audit row.

Plain entry points for scripts and the demo builder: :func:`zhongkao_import`, :func:`plans_import`,
:func:`preferences_import` (bytes and a file name, an actor, a year), and :func:`admissions_import` that routes
by kind (the web job and the management commands use it).

Rule: seed 002 §三(一) — every student admitted through the platform, from the examination authority's scores;
plans per school (招生计划, 招生范围); preferences confirmed by the candidate.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from decimal import Decimal

from django.core.exceptions import PermissionDenied

from gaozhong.admissions.importspecs import OTHER_SUBJECTS, RESERVED_SCORE_NAMES, SPECS
from gaozhong.admissions.models import CITY_WIDE, AdmissionYear, CandidateScores, Confirmation, Preference, Program, SchoolPlan
from gaozhong.common.errors import Problem
from gaozhong.core.models import Candidate, County, Role, School
from gaozhong.core.scoping import scope_of, visible
from gaozhong.core.roles import BUREAU
from gaozhong.core.services.imports import ImportOutcome, run_table_import
from gaozhong.importer.result import ImportResult

Progress = Callable[[float, str], None]

#: Who may import what: the city for the whole city; county staff for their own county's candidates and schools.
IMPORT_ROLES = {
    "zhongkao": BUREAU,
    "plans": BUREAU,
    "preferences": BUREAU,
}

_NUMBER = re.compile(r"^[+-]?[0-9]+(\.[0-9]+)?$")
MAX_DIGITS = 15


def may_import(user, kind: str) -> bool:
    return scope_of(user).role in IMPORT_ROLES.get(kind, set())


def decimal_text(text: str) -> str | None:
    """The exact decimal written in ``text`` as its shortest form (``"118.50"`` → ``"118.5"``), or None if it is
    not a plain non-negative decimal of at most 15 significant digits (the admission files' number rule)."""
    t = text.strip()
    if not _NUMBER.match(t) or t.startswith("-"):
        return None
    d = Decimal(t)
    if len(d.normalize().as_tuple().digits) > MAX_DIGITS:
        return None
    out = format(d.normalize(), "f")
    return "0" if out in ("-0", "0") else out


def admissions_import(*, actor, kind: str, year: int, data: bytes, filename: str, progress: Progress | None = None) -> ImportOutcome:
    """Check and write one admissions import file of ``kind`` (zhongkao, plans, preferences) for ``year``."""
    fn = {"zhongkao": zhongkao_import, "plans": plans_import, "preferences": preferences_import}.get(kind)
    if fn is None:
        raise ValueError(f"unknown import {kind!r}")
    return fn(actor=actor, year=year, data=data, filename=filename, progress=progress)


def _require(actor, kind: str) -> None:
    if not may_import(actor, kind):
        raise PermissionDenied("当前角色不能导入此类数据 (your role may not import this)")


def _my_counties(actor) -> dict[str, County]:
    return {c.code: c for c in visible(County, actor)} if scope_of(actor).role == Role.CITY_ADMIN else (
        {c.code: c for c in County.objects.filter(pk=scope_of(actor).county_id)})


def _file_problem(table: ImportResult, reason: str) -> Problem:
    return Problem(table.source, None, None, reason)


# ------------------------------------------------------------------------------------------ 中考考生与成绩


def zhongkao_import(*, actor, year: int, data: bytes, filename: str, progress: Progress | None = None) -> ImportOutcome:
    """中考考生与成绩 of ``year``: creates the year's candidates or updates those with the same 准考证号; every
    subject score and every further numeric column is kept as a named score (the tie-break rule can use it)."""
    _require(actor, "zhongkao")
    return run_table_import(actor=actor, action="admissions.zhongkao.imported", kind="zhongkao", spec=SPECS["zhongkao"],
                            checker=lambda a, table: _zhongkao(a, table, year), data=data, filename=filename, progress=progress)


def _extra_scores(table: ImportResult, problems: list[Problem]) -> list[str]:
    """The extra columns kept as named scores: those whose filled cells are all numbers. A column mixing numbers
    and text is a mistake (each text cell is reported); a column of text only (备注, …) is not a score."""
    kept = []
    for header in table.extra_headers:
        if header in RESERVED_SCORE_NAMES:
            problems.append(Problem(table.source, 1, header, f"列名 “{header}” 是录取输入的保留列名，不能作为成绩名 (reserved column name)"))
            continue
        numbers, texts = 0, []
        for row in table.rows:
            cell = row.extra.get(header, "")
            if cell == "":
                continue
            if decimal_text(cell) is None:
                texts.append((row.line, cell))
            else:
                numbers += 1
        if numbers and texts:
            for line, cell in texts:
                problems.append(Problem(table.source, line, header, f"“{cell}” 不是非负数字，而本列其他行是成绩 (not a number in a score column)"))
        elif numbers:
            kept.append(header)
    return kept


def _zhongkao(actor, table: ImportResult, year: int):
    problems: list[Problem] = []
    ay = AdmissionYear.objects.filter(year=year).first()
    if ay is not None and ay.status == AdmissionYear.Status.PUBLISHED:
        problems.append(_file_problem(table, f"{year} 年录取结果已公布，不能再导入考生成绩 (results are published)"))
        return None, problems
    counties = _my_counties(actor)
    all_counties = set(County.objects.values_list("code", flat=True))
    schools = {s.code: s for s in School.objects.all()}
    existing = {c.exam_no: c for c in Candidate.objects.filter(year=year).select_related("county")}
    id_owner = dict(Candidate.objects.filter(year=year).values_list("id_number", "exam_no"))
    extras = _extra_scores(table, problems)
    subjects = [(key, zh) for key, zh, _ in OTHER_SUBJECTS if key in table.present]
    for row in table.rows:
        c = row["county"]
        if c not in counties:
            why = "不在您的管辖范围内 (not your county)" if c in all_counties else "不存在 (no such county)"
            problems.append(table.problem(row.line, "county", f"县(区)代码 “{c}” {why}"))
        s = schools.get(row["junior_school"])
        if s is None:
            problems.append(table.problem(row.line, "junior_school", f"学校代码 “{row['junior_school']}” 不存在 (no such school)"))
        elif s.level != School.Level.JUNIOR:
            problems.append(table.problem(row.line, "junior_school", f"学校 “{s.code}” 不是初中 (not a junior school)"))
        old = existing.get(row["exam_no"])
        if old is not None and old.county.code not in counties:
            problems.append(table.problem(row.line, "exam_no", f"准考证号 “{row['exam_no']}” 是其他县(区)的考生 (a candidate outside your scope)"))
        owner = id_owner.get(row["id_number"])
        if owner is not None and owner != row["exam_no"]:
            problems.append(table.problem(row.line, "id_number", f"身份证号已登记在本年度准考证号 {owner} 下 (already registered under another exam number)"))

    def plan():
        created = updated = unchanged = 0
        new, changed = [], []
        fields = ("name", "gender", "id_number", "junior_school_id", "county_id", "score", "chinese", "math", "english", "talent_score")
        for row in table.rows:
            v = row.values
            values = {"name": v["name"], "gender": v["gender"], "id_number": v["id_number"], "junior_school_id": schools[v["junior_school"]].pk,
                      "county_id": counties[v["county"]].pk, "score": v["score"], "chinese": v["chinese"], "math": v["math"],
                      "english": v["english"], "talent_score": v["talent_score"]}
            c = existing.get(v["exam_no"])
            if c is None:
                new.append(Candidate(year=year, exam_no=v["exam_no"], **values))
                continue
            diff = False
            for k, val in values.items():
                if getattr(c, k) != val:
                    setattr(c, k, val)
                    diff = True
            if diff:
                changed.append(c)
        Candidate.objects.bulk_create(new, batch_size=2000)
        Candidate.objects.bulk_update(changed, fields, batch_size=2000)
        created, updated = len(new), len(changed)
        unchanged = len(table.rows) - created - updated
        ids = dict(Candidate.objects.filter(year=year).values_list("exam_no", "pk"))
        scores = []
        for row in table.rows:
            named = {zh: (None if row[key] is None else decimal_text(str(row[key]))) for key, zh in subjects}
            named.update({h: decimal_text(row.extra[h]) if row.extra.get(h) else None for h in extras})
            scores.append((ids[row["exam_no"]], named))
        old_scores = {cs.candidate_id: cs for cs in CandidateScores.objects.filter(candidate__year=year)}
        add, upd = [], []
        for cid, named in scores:
            cs = old_scores.get(cid)
            if cs is None:
                add.append(CandidateScores(candidate_id=cid, scores=named))
            elif cs.scores != named:
                cs.scores = named
                upd.append(cs)
        CandidateScores.objects.bulk_create(add, batch_size=2000)
        CandidateScores.objects.bulk_update(upd, ["scores"], batch_size=2000)
        return created, updated, unchanged, [ids[r["exam_no"]] for r in table.rows]

    return plan, problems


# ------------------------------------------------------------------------------------------------- 招生计划


def plans_import(*, actor, year: int, data: bytes, filename: str, progress: Progress | None = None) -> ImportOutcome:
    """招生计划 of ``year``: a senior school's seats, 特长生 seats and 招生范围; a changed plan needs approval again."""
    _require(actor, "plans")
    return run_table_import(actor=actor, action="admissions.plans.imported", kind="plans", spec=SPECS["plans"],
                            checker=lambda a, table: _plans(a, table, year), data=data, filename=filename, progress=progress)


def county_list(text: str | None) -> list[str]:
    """The county codes of a 招生范围 cell (``;``, ``；`` or ``、`` between them), sorted and without repeats."""
    if not text:
        return []
    return sorted({p.strip() for p in re.split(r"[;；、]", text) if p.strip()})


def major_list(text: str | None) -> list[list]:
    """The 专业计划 cell of a 中职 plan (``专业:计划数`` separated by ``;``, ``；`` or ``、``) as [[name, seats], …];
    ValueError naming the first entry that is not ``name:positive integer``."""
    out = []
    for part in re.split(r"[;；、]", text or ""):
        part = part.strip()
        if not part:
            continue
        name, sep, seats = part.replace("：", ":").rpartition(":")
        if not sep or not name.strip() or not seats.strip().isdigit() or int(seats) < 1:
            raise ValueError(f"“{part}” 不是“专业:计划数” (not major:seats)")
        out.append([name.strip(), int(seats)])
    return out


def plan_range(text: str | None) -> str:
    """A 招生范围 cell as stored: ``全市``, or the county codes ``;``-separated (empty: the whole city)."""
    codes = county_list(text)
    return CITY_WIDE if codes == [CITY_WIDE] else ";".join(codes)


def _plans(actor, table: ImportResult, year: int):
    problems: list[Problem] = []
    ay = AdmissionYear.objects.filter(year=year).first()
    if ay is None:
        return None, [_file_problem(table, f"{year} 年招生年度尚未设立 (no admission year {year}; set it up first)")]
    if ay.status != AdmissionYear.Status.SETUP:
        return None, [_file_problem(table, "招生计划只能在筹备阶段导入 (plans change only before the window opens)")]
    schools = {s.code: s for s in School.objects.all()}
    mine = set(visible(School, actor).values_list("code", flat=True))
    counties = set(County.objects.values_list("code", flat=True))
    majors: dict[int, list[list]] = {}
    for row in table.rows:
        s = schools.get(row["school"])
        if s is None:
            problems.append(table.problem(row.line, "school", f"学校代码 “{row['school']}” 不存在 (no such school)"))
        elif s.level not in (School.Level.SENIOR, School.Level.VOCATIONAL):
            problems.append(table.problem(row.line, "school", f"学校 “{s.code}” 不是普通高中或中职学校 (not a senior high or vocational school)"))
        elif s.code not in mine:
            problems.append(table.problem(row.line, "school", f"学校 “{s.code}” 不在您的管辖范围内 (not a school you manage)"))
        if (row["talent_seats"] or 0) > row["seats"]:
            problems.append(table.problem(row.line, "talent_seats", "特长生计划不能超过总计划 (talent seats exceed the plan)"))
        codes = county_list(row["counties"])
        if CITY_WIDE in codes and len(codes) > 1:
            problems.append(table.problem(row.line, "counties", "写“全市”时不能再写县(区) (全市 beside a county)"))
        for c in codes:
            if c != CITY_WIDE and c not in counties:
                problems.append(table.problem(row.line, "counties", f"县(区)代码 “{c}” 不存在 (no such county)"))
        try:
            m = major_list(row["majors"])
        except ValueError as exc:
            problems.append(table.problem(row.line, "majors", str(exc)))
            continue
        majors[row.line] = m
        if s is None:
            continue
        if s.level == School.Level.VOCATIONAL:
            names = [n for n, _ in m]
            if not m:
                problems.append(table.problem(row.line, "majors", "中职学校须按专业填写计划 (a vocational school's plan is by major)"))
            elif len(set(names)) != len(names) or any(len(n) > 60 for n in names):
                problems.append(table.problem(row.line, "majors", "专业名称重复或超过 60 个字 (a major twice or too long)"))
            elif sum(k for _, k in m) != row["seats"]:
                problems.append(table.problem(row.line, "majors", f"各专业计划合计 {sum(k for _, k in m)} 不等于计划数 {row['seats']} (majors do not add up)"))
            if row["talent_seats"]:
                problems.append(table.problem(row.line, "talent_seats", "中职学校不设特长生计划 (no talent seats at a vocational school)"))
        elif m:
            problems.append(table.problem(row.line, "majors", "只有中职学校按专业填写计划 (majors only for a vocational school)"))
    # 报到时间 and 报到地点 are optional columns (files written before them stay valid): absent, the plans' 报到
    # arrangements are left as they are; present, they are set (both, or neither: the school announces them later)
    report_columns = [k for k in ("report_time", "report_place") if k in table.present]
    for row in table.rows if report_columns else ():
        t, pl = (row["report_time"] or "").strip(), (row["report_place"] or "").strip()
        if len(report_columns) == 2 and bool(t) != bool(pl):
            problems.append(table.problem(row.line, "report_place" if t else "report_time",
                                          "报到时间和报到地点须同时填写或同时留空 (reporting time and place go together)"))
    if len(report_columns) == 1:
        problems.append(_file_problem(table, "报到时间和报到地点两列须同时提供 (reporting time and place columns go together)"))

    def plan():
        created = updated = unchanged = 0
        ids = []
        existing = {p.school_id: p for p in SchoolPlan.objects.filter(year=ay)}
        for row in table.rows:
            s = schools[row["school"]]
            values = {"seats": row["seats"], "talent_seats": row["talent_seats"] or 0, "counties": plan_range(row["counties"]),
                      "majors": majors[row.line], "talent_type": row["talent_type"] or "艺术"}
            report = {k: " ".join((row[k] or "").split()) for k in report_columns}
            p = existing.get(s.pk)
            if p is None:
                p = SchoolPlan.objects.create(year=ay, school=s, **values, **report)
                created += 1
            elif any(getattr(p, k) != v for k, v in values.items()):
                for k, v in (values | report).items():
                    setattr(p, k, v)
                p.approved = False  # the 报到 arrangement alone is not part of the approval
                p.save()
                updated += 1
            elif any(getattr(p, k) != v for k, v in report.items()):
                for k, v in report.items():
                    setattr(p, k, v)
                p.save(update_fields=list(report))
                updated += 1
            else:
                unchanged += 1
            ids.append(p.pk)
        return created, updated, unchanged, ids

    return plan, problems


# ----------------------------------------------------------------------------------------------------- 志愿


def preferences_import(*, actor, year: int, data: bytes, filename: str, progress: Progress | None = None) -> ImportOutcome:
    """志愿 filed in another system: for every candidate in the file, the file's rows replace the candidate's
    preferences of the year, recorded as confirmed."""
    _require(actor, "preferences")
    return run_table_import(actor=actor, action="admissions.preferences.imported", kind="preferences", spec=SPECS["preferences"],
                            checker=lambda a, table: _preferences(a, table, year), data=data, filename=filename, progress=progress)


def _preferences(actor, table: ImportResult, year: int):
    problems: list[Problem] = []
    ay = AdmissionYear.objects.filter(year=year).first()
    if ay is None:
        return None, [_file_problem(table, f"{year} 年招生年度尚未设立 (no admission year {year})")]
    if ay.status == AdmissionYear.Status.PUBLISHED:
        return None, [_file_problem(table, f"{year} 年录取结果已公布，不能再导入志愿 (results are published)")]
    programs = {p.code: p for p in Program.objects.filter(year=ay).select_related("feeder_school")}
    if not programs:
        return None, [_file_problem(table, "本年度还没有招生专业，请先生成招生专业 (no programs yet)")]
    counties = _my_counties(actor)
    cands = {c.exam_no: c for c in Candidate.objects.filter(year=year).select_related("county")}
    per_batch: dict[tuple[str, int], int] = {}
    for row in table.rows:
        c = cands.get(row["exam_no"])
        if c is None:
            problems.append(table.problem(row.line, "exam_no", f"准考证号 “{row['exam_no']}” 不是 {year} 年的考生 (no such candidate)"))
        elif c.county.code not in counties:
            problems.append(table.problem(row.line, "exam_no", f"准考证号 “{row['exam_no']}” 是其他县(区)的考生 (a candidate outside your scope)"))
        p = programs.get(row["program"])
        if p is None:
            problems.append(table.problem(row.line, "program", f"招生专业 “{row['program']}” 不存在于 {year} 年 (no such program)"))
            continue
        if p.batch != row["batch"]:
            problems.append(table.problem(row.line, "batch", f"招生专业 “{p.code}” 属于第 {p.batch} 批，不是第 {row['batch']} 批 (wrong batch)"))
        if c is not None and p.feeder_school_id is not None and p.feeder_school_id != c.junior_school_id:
            problems.append(table.problem(row.line, "program", f"指标到校专业 “{p.code}” 只能由 {p.feeder_school.name if p.feeder_school else ''} 的毕业生填报 (quota seats of another junior school)"))
        elif c is not None and ay.range_required and not p.admits_from(c.county.code):
            problems.append(table.problem(row.line, "program", f"考生所在县(区) “{c.county.code}” 不在招生专业 “{p.code}” 的招生范围（{p.counties}）内 (outside the program's 招生范围)"))
        key = (row["exam_no"], row["batch"])
        per_batch[key] = per_batch.get(key, 0) + 1
        if per_batch[key] == ay.max_unified_choices + 1:
            problems.append(table.problem(row.line, "rank", f"每批次最多填报 {ay.max_unified_choices} 个志愿 (too many choices in the batch)"))

    def plan():
        ids = sorted({cands[r["exam_no"]].pk for r in table.rows})
        had = set(Preference.objects.filter(year=ay, candidate_id__in=ids).values_list("candidate_id", flat=True).distinct())
        Preference.objects.filter(year=ay, candidate_id__in=ids).delete()
        Confirmation.objects.filter(year=ay, candidate_id__in=ids).delete()
        Preference.objects.bulk_create([Preference(year_id=ay.pk, candidate_id=cands[r["exam_no"]].pk, batch=r["batch"], rank=r["rank"],
                                                   program_id=programs[r["program"]].pk) for r in table.rows], batch_size=5000)
        Confirmation.objects.bulk_create([Confirmation(year=ay, candidate_id=i) for i in ids], batch_size=5000)
        updated = len(had)
        return len(ids) - updated, updated, 0, ids

    return plan, problems
