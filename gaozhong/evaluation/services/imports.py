"""Imports of the evaluation app: 高考成绩, 学校年度指标 and value-added data sets in the engine's CSV format.

Gaokao results and school outcomes go through the platform's import pipeline
(:func:`gaozhong.core.services.imports.run_table_import`): the importer reads and type-checks every cell, this
module checks every reference (the student named by 身份证号 or 学籍号 exists and is the actor's; the school
and school year exist), and only a file without a problem is written, with one audit row.

A value-added data set is exactly the CSV ``gaozhong evaluation value-added DATA.csv --outcome Y --group G
[--covariate X]`` reads, read by the engine's own reader so the platform sees the same numbers; its group
column holds school codes, and a code that is not a senior school of the platform is an error.

Plain functions a script can call with a file's bytes and an actor: :func:`gaokao_import`,
:func:`outcomes_import`, :func:`value_added_dataset_import` (each returns an ``ImportOutcome``).
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable, Sequence

from django.core.exceptions import PermissionDenied
from django.db import transaction

from gaozhong.common.errors import InputError, Problem
from gaozhong.core.audit import audit_record
from gaozhong.core.models import Role, School, SchoolYear, Student
from gaozhong.core.scoping import scope_of, visible
from gaozhong.core.roles import BUREAU, STAFF
from gaozhong.core.services.imports import ImportOutcome, run_table_import
from gaozhong.evaluation.engine.reader import read_value_added_bytes
from gaozhong.evaluation.importspecs import GAOKAO, GAOKAO_SUBJECTS, OUTCOMES
from gaozhong.evaluation.models import GaokaoResult, SchoolOutcome, ValueAddedDataset, ValueAddedObservation
from gaozhong.importer.result import ImportResult

Progress = Callable[[float, str], None]

#: Who may import what: gaokao results come from the bureau (考试院 data); school outcomes also from a school's 教务
#: for its own school; value-added data sets from the city bureau, which makes the runs.
IMPORT_ROLES = {
    "gaokao": BUREAU,
    "school_outcomes": STAFF,
    "value_added": {Role.CITY_ADMIN},
}
CHUNK = 900  # values per IN (…) lookup: under SQLite's limit on SQL variables


def may_import(user, kind: str) -> bool:
    return scope_of(user).role in IMPORT_ROLES.get(kind, set())


def _require(actor, kind: str) -> None:
    if not may_import(actor, kind):
        raise PermissionDenied("当前角色不能导入此类数据 (your role may not import this)")


def chunks(values: Sequence, size: int = CHUNK) -> Iterable[Sequence]:
    for i in range(0, len(values), size):
        yield values[i:i + size]


def _lookup(queryset, field: str, values: Iterable) -> list:
    """Rows of ``queryset`` whose ``field`` is one of ``values``, fetched in chunks."""
    wanted = sorted({v for v in values if v is not None})
    out: list = []
    for part in chunks(wanted):
        out.extend(queryset.filter(**{f"{field}__in": part}))
    return out


def gaokao_import(*, actor, data: bytes, filename: str, progress: Progress | None = None) -> ImportOutcome:
    """Check and write a 高考成绩 file (one row per candidate); with problems nothing is written."""
    _require(actor, "gaokao")
    return run_table_import(actor=actor, action="evaluation.gaokao.imported", kind="gaokao", spec=GAOKAO, checker=_gaokao,
                            data=data, filename=filename, progress=progress)


def outcomes_import(*, actor, data: bytes, filename: str, progress: Progress | None = None) -> ImportOutcome:
    """Check and write a 学校年度指标 file (one row per school and school year); with problems nothing is written."""
    _require(actor, "school_outcomes")
    return run_table_import(actor=actor, action="evaluation.school_outcomes.imported", kind="school_outcomes", spec=OUTCOMES,
                            checker=_outcomes, data=data, filename=filename, progress=progress)


def evaluation_import(*, actor, kind: str, data: bytes, filename: str, progress: Progress | None = None) -> ImportOutcome:
    """The table imports by kind (``gaokao``, ``school_outcomes``), for the upload page's job."""
    if kind == "gaokao":
        return gaokao_import(actor=actor, data=data, filename=filename, progress=progress)
    if kind == "school_outcomes":
        return outcomes_import(actor=actor, data=data, filename=filename, progress=progress)
    raise ValueError(f"unknown import {kind!r}")


def _gaokao(actor, table: ImportResult):
    problems: list[Problem] = []
    rows = table.rows
    all_students = Student.objects.only("pk", "student_no", "id_number", "status", "school_id")
    by_no = {s.student_no: s for s in _lookup(all_students, "student_no", (r["student_no"] for r in rows))}
    by_id: dict[str, list[Student]] = {}
    for s in _lookup(all_students, "id_number", (r["id_number"] for r in rows)):
        by_id.setdefault(s.id_number, []).append(s)
    found = {s.pk for s in by_no.values()} | {s.pk for ss in by_id.values() for s in ss}
    mine = {pk for part in chunks(sorted(found)) for pk in visible(Student, actor).filter(pk__in=part).values_list("pk", flat=True)}
    existing = {g.student_id: g for g in _lookup(GaokaoResult.objects.all(), "student_id", found)}
    exam_owner = {(g.year, g.exam_no): g.student_id for g in _lookup(GaokaoResult.objects.exclude(exam_no=""), "exam_no", (r["exam_no"] for r in rows))}
    seen: dict[int, int] = {}
    targets: list[tuple] = []
    for row in rows:
        sid, sno = row["id_number"], row["student_no"]
        st = None
        if sid is None and sno is None:
            problems.append(table.problem(row.line, "id_number", "身份证号和学籍号至少填写一项 (give the ID number or the student number)"))
            continue
        if sno is not None:
            st = by_no.get(sno)
            if st is None:
                problems.append(table.problem(row.line, "student_no", f"学籍号 “{sno}” 不存在 (no such student)"))
                continue
            if sid is not None and st.id_number != sid:
                problems.append(table.problem(row.line, "id_number", f"身份证号与学籍号 “{sno}” 登记的不一致 (does not match the student number)"))
                continue
        else:
            cands = by_id.get(sid, [])
            if not cands:
                problems.append(table.problem(row.line, "id_number", "没有该身份证号的学生 (no student with this ID number)"))
                continue
            active = [s for s in cands if s.status in (Student.Status.ENROLLED, Student.Status.GRADUATED)]
            if len(cands) > 1 and len(active) != 1:
                problems.append(table.problem(row.line, "id_number", f"该身份证号对应 {len(cands)} 个学籍，请填写学籍号 (several registrations; give the student number)"))
                continue
            st = active[0] if len(cands) > 1 else cands[0]
        if st.pk not in mine:
            problems.append(table.problem(row.line, "student_no" if sno else "id_number", "该学生不在您的管辖范围内 (not a student of your schools)"))
            continue
        if st.pk in seen:
            problems.append(table.problem(row.line, "exam_no", f"与第 {seen[st.pk]} 行是同一名学生 (the same student as row {seen[st.pk]})"))
            continue
        seen[st.pk] = row.line
        owner = exam_owner.get((row["year"], row["exam_no"]))
        if owner is not None and owner != st.pk:
            problems.append(table.problem(row.line, "exam_no", f"考生号 “{row['exam_no']}” 在 {row['year']} 年已属于另一名学生 (belongs to another student)"))
            continue
        targets.append((st, row))

    def plan():
        new, changed, unchanged, ids = [], [], 0, []
        for st, row in targets:
            scores = {zh: float(row[key]) for key, zh, _ in GAOKAO_SUBJECTS if row[key] is not None}
            values = {"year": row["year"], "total": row["total"], "exam_no": row["exam_no"], "scores": scores, "batch": row["batch"] or ""}
            old = existing.get(st.pk)
            if old is None:
                new.append(GaokaoResult(student_id=st.pk, **values))
            elif any(getattr(old, k) != v for k, v in values.items()):
                for k, v in values.items():
                    setattr(old, k, v)
                changed.append(old)
            else:
                unchanged += 1
            ids.append(st.pk)
        GaokaoResult.objects.bulk_create(new, batch_size=2000)
        GaokaoResult.objects.bulk_update(changed, ["year", "total", "exam_no", "scores", "batch"], batch_size=500)
        return len(new), len(changed), unchanged, ids

    return plan, problems


def _school_problem(table, line, key, code, mine: dict, all_codes: set) -> Problem | None:
    if code in mine:
        return None
    why = "不在您的管辖范围内 (not a school you manage)" if code in all_codes else "不存在 (no such school)"
    return table.problem(line, key, f"学校代码 “{code}” {why}")


def _outcomes(actor, table: ImportResult):
    problems: list[Problem] = []
    mine = {s.code: s for s in visible(School, actor)}
    all_codes = set(School.objects.values_list("code", flat=True))
    years = {str(y): y for y in SchoolYear.objects.all()}
    targets = []
    for row in table.rows:
        p = _school_problem(table, row.line, "school", row["school"], mine, all_codes)
        if p:
            problems.append(p)
        y = years.get(row["school_year"])
        if y is None:
            problems.append(table.problem(row.line, "school_year", f"平台上没有学年 “{row['school_year']}” (no such school year)"))
        if all(row[k] is None for k in ("xuekao_pass_rate", "fitness_good_rate", "myopia_rate")):
            problems.append(table.problem(row.line, None, "三项指标至少填写一项 (fill at least one rate)"))
        if not p and y is not None:
            targets.append((mine[row["school"]], y, row))

    def plan():
        created = updated = unchanged = 0
        ids = []
        for school, year, row in targets:
            obj = SchoolOutcome.objects.filter(school=school, school_year=year).first()
            # A blank cell leaves the stored figure as it is; a filled one replaces it.
            values = {k: row[k] for k in ("xuekao_pass_rate", "fitness_good_rate", "myopia_rate") if row[k] is not None}
            if obj is None:
                obj = SchoolOutcome.objects.create(school=school, school_year=year, **values)
                created += 1
            elif any(getattr(obj, k) != v for k, v in values.items()):
                for k, v in values.items():
                    setattr(obj, k, v)
                obj.save()
                updated += 1
            else:
                unchanged += 1
            ids.append(obj.pk)
        return created, updated, unchanged, ids

    return plan, problems


def value_added_dataset_import(*, actor, data: bytes, filename: str, entry_year: int, outcome: str, group: str,
                               covariates: Sequence[str] = (), outcome_year: int | None = None,
                               progress: Progress | None = None) -> ImportOutcome:
    """Store one cohort's value-added data, the CSV the engine command reads, with the group column as school
    codes. Every problem (the engine reader's, an unknown school code, a cohort that has data already) is
    returned with file, line and column; with problems nothing is written."""
    _require(actor, "value_added")
    report = progress or (lambda pct, phase: None)
    outcome_ = ImportOutcome(kind="value_added", filename=filename)
    covariates = tuple(covariates)
    names = [group, outcome, *covariates]
    if len(set(names)) != len(names):
        outcome_.problems = [Problem(filename, 1, None, "结果列、分组列和协变量列须各不相同 (outcome, group and covariates must be different columns)")]
        return outcome_
    report(10, "读取并检查文件 (reading and checking the file)")
    try:
        va = read_value_added_bytes(data, name=filename, outcome=outcome, group=group, covariates=covariates)
    except InputError as exc:
        outcome_.problems = exc.problems
        return outcome_
    outcome_.rows = va.n
    report(50, "检查学校代码 (checking school codes)")
    schools = {s.code: s for s in _lookup(School.objects.filter(level=School.Level.SENIOR), "code", va.labels)}
    problems: list[Problem] = []
    first_row = {}
    for i, code in enumerate(va.codes.tolist()):
        first_row.setdefault(code, i)
    for code_index, label in enumerate(va.labels):
        if label not in schools:
            line = int(va.lines[first_row[code_index]])
            problems.append(Problem(filename, line, group, f"学校代码 “{label}” 不是平台上的普通高中 (no senior school with this code)"))
    if ValueAddedDataset.objects.filter(entry_year=entry_year).exists():
        problems.append(Problem(filename, None, None, f"{entry_year} 级已有增值评价数据集，不能重复导入 (this cohort already has a data set)"))
    if problems:
        outcome_.problems = problems
        return outcome_
    report(70, "写入数据库 (writing)")
    digest = hashlib.sha256(data).hexdigest()
    ids = [schools[label].pk for label in va.labels]
    with transaction.atomic():
        ds = ValueAddedDataset.objects.create(
            entry_year=entry_year, outcome_year=outcome_year or entry_year + 3, outcome=outcome, group=group, covariates=list(covariates),
            filename=filename, sha256=digest, n=va.n, groups=va.groups, created_by=actor)
        x = va.x.tolist()
        ValueAddedObservation.objects.bulk_create(
            [ValueAddedObservation(dataset=ds, line=int(line), school_id=ids[c], y=y, x=xs)
             for line, c, y, xs in zip(va.lines.tolist(), va.codes.tolist(), va.y.tolist(), x)], batch_size=2000)
        audit_record(actor=actor, action="evaluation.value_added_dataset.imported", obj=ds, object_repr=str(ds),
                     after={"file": filename, "sha256": digest, "rows": va.n, "groups": va.groups, "entry_year": entry_year,
                            "outcome": outcome, "group": group, "covariates": list(covariates)})
    outcome_.created = va.n
    report(100, "完成 (done)")
    return outcome_
