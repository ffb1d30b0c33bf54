"""The task ledger (台账, 挂账销号): creating and importing tasks, the audited workflow, milestones, evidence files,
rectification tasks (整改) for targets missed after their deadline, and the deadline rule for planned tasks.

Workflow (Rule: 003 §四(四) 重点工程项目任务台账，明确时间表、路线图、责任人，实行挂账销号; 000 §四(二)):
未开始/已退回 → 推进中 (the responsible unit starts) → 已申请销号 (with at least one evidence file) → 已销号 (the
city closes it) or 已退回 (the city returns it with a reason). A rectification task becomes 待销号 when a later
approved value of its own unit meets its own indicator (:func:`rectifications_verify`, run when that unit's
figures are approved), and is closed only by the city.

挂账销号 keeps its word: when approved figures show a target met, only the open rectification tasks of *that unit
and that indicator* become 待销号 (:func:`rectifications_verify`), with the figure as their evidence; a city user
then closes (销号) or returns them, and the audit row names who. A planned task (project or policy) citing a
clause whose adopted target has a deadline may not be due after it unless the city records why
(``Task.late_reason``, audited; listed by :func:`late_exceptions`). Rectification tasks exist because a deadline
passed, so they are due after it by construction and are not exceptions.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from gaozhong.common.errors import InputError, Problem
from gaozhong.core.audit import audit_record
from gaozhong.core.models import County, Role, School
from gaozhong.core.scoping import can_write, scope_of, visible
from gaozhong.core.roles import BUREAU, STAFF
from gaozhong.importer.readers import read_table

from ..engine.catalog import scope_level
from ..engine.compliance import deadline_day
from ..importspecs import TASKS
from ..models import Adoption, Evidence, Indicator, Milestone, Task
from ..selectors import Unit, build_pack, city_unit, county_unit, school_unit, visible_units

EVIDENCE_MAX_BYTES = 10 * 1024 * 1024
# extension -> (content type, how the file starts); the content is checked, not only the name.
EVIDENCE_TYPES = {
    ".pdf": ("application/pdf", (b"%PDF-",)),
    ".png": ("image/png", (b"\x89PNG\r\n\x1a\n",)),
    ".jpg": ("image/jpeg", (b"\xff\xd8\xff",)),
    ".jpeg": ("image/jpeg", (b"\xff\xd8\xff",)),
    ".xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", (b"PK\x03\x04",)),
    ".docx": ("application/vnd.openxmlformats-officedocument.wordprocessingml.document", (b"PK\x03\x04",)),
}
CREATE_ROLES = BUREAU
WORK_ROLES = STAFF


def evidence_dir() -> Path:
    return Path(settings.UPLOAD_DIR) / "supervision" / "evidence"


def _snap(task: Task) -> dict:
    return {"status": task.status}


def _work(actor, task: Task) -> None:
    if scope_of(actor).role not in WORK_ROLES or not can_write(actor, task):
        raise PermissionDenied("无权处理此任务 (you may not work on this task)")


def _city(actor) -> None:
    if scope_of(actor).role != Role.CITY_ADMIN:
        raise PermissionDenied("只有市教育局可以销号或退回 (only the city bureau closes or returns tasks)")


def _state(task: Task, allowed: tuple[str, ...], verb: str) -> None:
    if task.status not in allowed:
        raise ValidationError(f"当前状态“{task.get_status_display()}”下不能{verb} (not possible in this state)")


def _place(actor, county: County | None, school: School | None) -> tuple[County | None, School | None]:
    """Check the actor may file a task for this place; a school's task belongs to the school's county."""
    scope = scope_of(actor)
    if scope.role not in CREATE_ROLES:
        raise PermissionDenied("只有市、县(区)教育局可以建立台账任务 (only a bureau opens tasks)")
    if school is not None:
        county = school.county
        if not visible(School, actor).filter(pk=school.pk).exists():
            raise PermissionDenied("不能为管辖范围外的学校建立任务 (a school outside your scope)")
    if county is None and scope.role != Role.CITY_ADMIN:
        raise PermissionDenied("县(区)只能建立本县(区)的任务 (a county files tasks for itself)")
    if county is not None and not visible(County, actor).filter(pk=county.pk).exists():
        raise PermissionDenied("不能为其他县(区)建立任务 (another county)")
    return county, school


@dataclass
class TaskData:
    kind: str
    title: str
    responsible_unit: str
    responsible_person: str
    due_date: dt.date
    county: County | None = None
    school: School | None = None
    description: str = ""
    source_clause: str = ""
    milestones: list[tuple[str, dt.date]] = field(default_factory=list)
    late_reason: str = ""  # the city's reason for a due date after the clause's deadline


def _validate(d: TaskData) -> None:
    if d.kind not in Task.Kind.values or d.kind == Task.Kind.RECTIFICATION:
        raise ValidationError("任务类型须为重点工程项目或政策任务；整改任务由系统按未达标指标生成 (bad kind)")
    if not d.title.strip() or not d.responsible_unit.strip() or not d.responsible_person.strip():
        raise ValidationError("任务、责任单位和责任人必填 (title, unit and person are required)")
    for title, day in d.milestones:
        if not title.strip():
            raise ValidationError("节点名称不能为空 (a milestone needs a title)")
        if day > d.due_date:
            raise ValidationError(f"节点“{title}”晚于任务完成时限 (a milestone after the deadline)")


def _create(actor, d: TaskData) -> Task:
    task = Task.objects.create(
        kind=d.kind, title=d.title.strip()[:200], description=d.description, source_clause=d.source_clause[:60], county=d.county,
        school=d.school, responsible_unit=d.responsible_unit.strip()[:100], responsible_person=d.responsible_person.strip()[:60],
        due_date=d.due_date, created_by=actor, late_reason=d.late_reason.strip()[:300], late_approved_by=actor if d.late_reason.strip() else None,
    )
    Milestone.objects.bulk_create([Milestone(task=task, title=t.strip()[:200], due_date=day) for t, day in d.milestones])
    return task


@transaction.atomic
def task_create(*, actor, data: TaskData) -> Task:
    """File a key project or policy task for a place the actor manages."""
    data.county, data.school = _place(actor, data.county, data.school)
    _validate(data)
    _check_deadline(actor, data)
    task = _create(actor, data)
    audit_record(actor=actor, action="supervision.task.created", obj=task, county_id=task.county_id, school_id=task.school_id,
                 after={"kind": task.kind, "title": task.title, "due_date": task.due_date, "milestones": len(data.milestones),
                        "late_reason": task.late_reason})
    return task


@transaction.atomic
def task_start(*, actor, task: Task) -> None:
    t = Task.objects.select_for_update().get(pk=task.pk)
    _work(actor, t)
    _state(t, (Task.Status.OPEN, Task.Status.RETURNED), "开始推进")
    before = _snap(t)
    t.status = Task.Status.IN_PROGRESS
    t.save(update_fields=["status"])
    audit_record(actor=actor, action="supervision.task.started", obj=t, county_id=t.county_id, school_id=t.school_id, before=before, after=_snap(t))


@transaction.atomic
def task_submit(*, actor, task: Task) -> None:
    """The unit applies for close-out (申请销号); it needs at least one evidence file."""
    t = Task.objects.select_for_update().get(pk=task.pk)
    _work(actor, t)
    _state(t, (Task.Status.OPEN, Task.Status.IN_PROGRESS, Task.Status.RETURNED), "申请销号")
    if not t.evidence.exists():
        raise ValidationError("申请销号须先上传佐证材料 (upload evidence first)")
    before = _snap(t)
    t.status, t.submitted_at = Task.Status.SUBMITTED, timezone.now()
    t.save(update_fields=["status", "submitted_at"])
    audit_record(actor=actor, action="supervision.task.submitted", obj=t, county_id=t.county_id, school_id=t.school_id, before=before,
                 after={**_snap(t), "evidence": t.evidence.count()})


@transaction.atomic
def task_close(*, actor, task: Task, reason: str) -> None:
    """The city closes a task applied for (销号), or a rectification task the approved data show met (待销号).
    A rectification task closed on an application, not on the data, is a city decision and needs its reason."""
    t = Task.objects.select_for_update().get(pk=task.pk)
    _city(actor)
    _work(actor, t)
    _state(t, (Task.Status.SUBMITTED, Task.Status.VERIFIED), "销号")
    if t.status == Task.Status.VERIFIED and not reason.strip():
        reason = "已批准数据显示达到目标，核验后销号"
    if t.kind == Task.Kind.RECTIFICATION and not reason.strip():
        raise ValidationError("整改任务由市教育局决定销号时须写明理由 (a city decision needs its reason)")
    before = _snap(t)
    t.status, t.closed_at, t.closed_by = Task.Status.CLOSED, timezone.now(), actor
    t.close_reason = (reason.strip() or "验收通过")[:300]
    t.save(update_fields=["status", "closed_at", "closed_by", "close_reason"])
    audit_record(actor=actor, action="supervision.task.closed", obj=t, county_id=t.county_id, school_id=t.school_id, before=before,
                 after={**_snap(t), "reason": t.close_reason})


@transaction.atomic
def task_return(*, actor, task: Task, reason: str) -> None:
    t = Task.objects.select_for_update().get(pk=task.pk)
    _city(actor)
    _work(actor, t)
    _state(t, (Task.Status.SUBMITTED, Task.Status.VERIFIED), "退回")
    if not reason.strip():
        raise ValidationError("请填写退回原因 (give a reason)")
    before = _snap(t)
    t.status, t.return_reason = Task.Status.RETURNED, reason.strip()[:300]
    t.save(update_fields=["status", "return_reason"])
    audit_record(actor=actor, action="supervision.task.returned", obj=t, county_id=t.county_id, school_id=t.school_id, before=before,
                 after={**_snap(t), "reason": t.return_reason})


@transaction.atomic
def milestone_done(*, actor, milestone: Milestone, done_on: dt.date) -> None:
    m = Milestone.objects.select_related("task").select_for_update().get(pk=milestone.pk)
    _work(actor, m.task)
    if m.task.status == Task.Status.CLOSED:
        raise ValidationError("任务已销号 (the task is closed)")
    if done_on > timezone.localdate():
        raise ValidationError("完成日期不能晚于今天 (a completion date in the future)")
    before = {"done_on": m.done_on}
    m.done_on = done_on
    m.save(update_fields=["done_on"])
    audit_record(actor=actor, action="supervision.milestone.done", obj=m, object_repr=f"{m.task.title}：{m.title}",
                 county_id=m.task.county_id, school_id=m.task.school_id, before=before, after={"done_on": done_on})


def check_evidence(name: str, data: bytes) -> str:
    """The content type of an acceptable evidence file; ValidationError when its type or size is not allowed."""
    ext = Path(name).suffix.lower()
    if ext not in EVIDENCE_TYPES:
        raise ValidationError(f"不接受 {ext or '无扩展名'} 文件；可上传 {'、'.join(sorted(EVIDENCE_TYPES))} (file type not allowed)")
    if not data:
        raise ValidationError("文件是空的 (empty file)")
    if len(data) > EVIDENCE_MAX_BYTES:
        raise ValidationError(f"文件超过 {EVIDENCE_MAX_BYTES // 1024 // 1024} MB (file too large)")
    ctype, magics = EVIDENCE_TYPES[ext]
    if not any(data.startswith(m) for m in magics):
        raise ValidationError(f"文件内容不是 {ext} 格式 (the content does not match the file type)")
    return ctype


@transaction.atomic
def evidence_add(*, actor, task: Task, name: str, data: bytes, note: str = "") -> Evidence:
    """Store an evidence file for a task, outside the web root under a random name."""
    t = Task.objects.select_for_update().get(pk=task.pk)
    _work(actor, t)
    if t.status in (Task.Status.CLOSED, Task.Status.SUBMITTED):
        raise ValidationError("任务已申请销号或已销号，不能再上传 (the task is awaiting close-out or closed)")
    ctype = check_evidence(name, data)
    folder = evidence_dir()
    folder.mkdir(parents=True, exist_ok=True)
    stored = f"{uuid.uuid4().hex}{Path(name).suffix.lower()}"
    path = folder / stored
    path.write_bytes(data)
    try:
        ev = Evidence.objects.create(task=t, original_name=Path(name).name[:200], stored_name=stored, content_type=ctype, size=len(data),
                                     sha256=hashlib.sha256(data).hexdigest(), note=note[:200], uploaded_by=actor)
        audit_record(actor=actor, action="supervision.evidence.added", obj=ev, object_repr=f"{t.title}：{ev.original_name}",
                     county_id=t.county_id, school_id=t.school_id, after={"task": t.pk, "file": ev.original_name, "size": ev.size, "sha256": ev.sha256})
    except Exception:
        path.unlink(missing_ok=True)
        raise
    return ev


def evidence_path(ev: Evidence) -> Path:
    return evidence_dir() / ev.stored_name


# ---------------------------------------------------------------------------------------------------------
# Rectification (整改)
# ---------------------------------------------------------------------------------------------------------

def _unit_place(unit) -> tuple[County | None, School | None]:
    if unit.level == "school":
        s = School.objects.select_related("county").get(pk=unit.pk)
        return s.county, s
    if unit.level == "county":
        return County.objects.get(pk=unit.pk), None
    return None, None


@transaction.atomic
def rectifications_open(*, actor, year: int) -> list[int]:
    """Open a rectification task for every unit and indicator missed after its deadline in ``year``, unless one
    is already open for that unit and indicator (Rule: 000 §四(五) 对推进不力、落实整改不到位的单位问责). The
    task is due at the end of the school year after the one reported on (the 通报 of ``year`` comes out in
    the autumn of ``year + 1``)."""
    if actor is not None:
        _city(actor)
    pack = build_pack()
    units = visible_units(actor) if actor is not None else [pack.city, *pack.counties, *pack.schools]
    open_keys = {(t.indicator_id, t.county_id, t.school_id) for t in Task.objects.filter(kind=Task.Kind.RECTIFICATION).exclude(status=Task.Status.CLOSED)}
    created = []
    for unit in units:
        for r in pack.unit_rows(unit, year):
            # The unit answerable for a target is the one it is set for: schools for school targets, and so on.
            if r.status != "missed" or scope_level(r.version.scope) != unit.level:
                continue
            county, school = _unit_place(unit)
            if unit.level == "city":
                county = None
            key = (r.indicator.pk, county.pk if county else None, school.pk if school else None)
            if key in open_keys:
                continue
            open_keys.add(key)
            v = r.version
            resp = school.name if school else (f"{county.name}教育局" if county else "市教育局")
            task = Task.objects.create(
                kind=Task.Kind.RECTIFICATION, title=f"整改：{v.name_zh}（{unit.name}）", source_clause=v.source_clause,
                description=f"{year}-{year + 1} 学年 {v.name_zh} 为 {_fmt(r.evaluation.value)}{v.unit}，目标 {v.target_text}，完成时限 {v.deadline or '每年'}，逾期未达标。",
                county=county, school=school, responsible_unit=resp, responsible_person="主要负责人", due_date=dt.date(year + 2, 8, 31),
                indicator=r.indicator, indicator_year=year, created_by=actor,
            )
            created.append(task.pk)
    if created:
        audit_record(actor=actor, action="supervision.rectifications.opened", object_type="supervision.task", object_repr=f"{year} 学年整改任务",
                     after={"year": year, "tasks": created})
    return created


def _fmt(v) -> str:
    if v is None:
        return "—"
    return f"{v:.1f}" if abs(v - round(v)) > 1e-9 else f"{v:.0f}"


def rectifications_verify(*, actor, units: list[Unit] | None = None, elements: set[str] | None = None, note: str) -> list[int]:
    """Mark 待销号 the open rectification tasks whose own unit now meets the task's own indicator in a year after
    the one missed, recording the figure as the task's data evidence. ``units`` limits the check to those units
    (the unit whose figures were just approved); ``elements`` to indicators that read one of those elements. Only
    these tasks change; a person closes (销号) or returns them afterwards.

    Called inside the transaction of the service that approved the figures (which writes the one audit row
    listing the tasks marked), or by :func:`rectifications_review`; not a service of its own."""
    tasks = (Task.objects.filter(kind=Task.Kind.RECTIFICATION, indicator__isnull=False)
             .filter(status__in=[Task.Status.OPEN, Task.Status.IN_PROGRESS, Task.Status.RETURNED])
             .select_related("school", "county", "indicator"))
    if units is not None:
        keys = {u.key for u in units}
        tasks = [t for t in tasks if _task_unit(t).key in keys]
    tasks = list(tasks)
    if not tasks:
        return []
    pack = build_pack()
    marked = []
    now = timezone.now()
    for t in tasks:
        unit = _task_unit(t)
        ind = pack.indicator_by_code.get(t.indicator.code)
        if ind is None:
            continue
        if elements is not None:
            used = {v.numerator.code for v in ind.versions.all()} | {v.denominator.code for v in ind.versions.all() if v.denominator_id}
            if not used & elements:
                continue
        for y in [y for y in pack.years if y > (t.indicator_year or 0)]:
            r = pack.indicator_row(ind, unit, y)
            if r is not None and r.status == "met":
                t.status, t.verified_at = Task.Status.VERIFIED, now
                t.verification = (f"{y}-{y + 1} 学年 {r.name} 为 {_fmt(r.evaluation.value)}{r.unit}，达到目标 {r.target_text}"
                                  f"（{r.version.source_clause}）。{note}")[:2000]
                t.save(update_fields=["status", "verified_at", "verification"])
                marked.append(t.pk)
                break
    return marked


def _task_unit(t: Task) -> Unit:
    return school_unit(t.school) if t.school_id else county_unit(t.county) if t.county_id else city_unit()


@transaction.atomic
def rectifications_review(*, actor) -> list[int]:
    """The city re-checks every open rectification task against the latest data (computed values included): the
    tasks whose unit now meets the indicator become 待销号; none is closed without a person's 销号."""
    _city(actor)
    marked = rectifications_verify(actor=actor, note="市教育局复核。")
    if marked:
        audit_record(actor=actor, action="supervision.rectifications.reviewed", object_type="supervision.task", object_repr="整改任务复核",
                     after={"verified": marked})
    return marked


# ---------------------------------------------------------------------------------------------------------
# Deadlines of clauses, and the exceptions the city records
# ---------------------------------------------------------------------------------------------------------

def clause_deadline(source_clause: str) -> dt.date | None:
    """The last day a task citing ``source_clause`` may be due: the end of the school year of the latest "到 YYYY
    年" deadline among the adopted targets of that clause (31 August of YYYY); None when no adopted target of the
    clause has a deadline."""
    clause = source_clause.strip()
    if not clause:
        return None
    adopted = set(Adoption.objects.values_list("document__code", flat=True))
    deadlines = [v.deadline for ind in Indicator.objects.prefetch_related("versions")
                 if (v := ind.current) is not None and v.source_clause == clause and v.deadline and v.document_code in adopted]
    return dt.date(*deadline_day(max(deadlines))) if deadlines else None


def _check_deadline(actor, d: TaskData) -> None:
    """A task due after its clause's deadline is refused unless the city records why (an audited exception)."""
    limit = clause_deadline(d.source_clause)
    if limit is None or d.due_date <= limit:
        d.late_reason = ""
        return
    if not d.late_reason.strip():
        raise ValidationError(f"完成时限 {d.due_date} 晚于{d.source_clause}的时限（{limit}）；须由市教育局写明理由后方可建立 "
                              "(due after the clause's deadline: the city must record why)")
    if scope_of(actor).role != Role.CITY_ADMIN:
        raise PermissionDenied("晚于条款时限的任务须由市教育局同意并写明理由 (only the city may accept a later due date)")


def late_exceptions(user) -> list[Task]:
    """Visible tasks due after their clause's deadline, with the city's recorded reason."""
    return list(visible(Task, user).exclude(late_reason="").select_related("late_approved_by", "county", "school").order_by("due_date", "pk"))


# ---------------------------------------------------------------------------------------------------------
# Import of tasks from Excel
# ---------------------------------------------------------------------------------------------------------

@dataclass
class TaskImportOutcome:
    filename: str
    rows: int = 0
    created: list[int] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)


def parse_milestones(text: str | None) -> list[tuple[str, dt.date]]:
    """``2025-03-01 完成设计；2025-06-30 开工`` → [(title, date)], ValueError naming the bad part."""
    out = []
    if not text:
        return out
    for part in text.replace("；", ";").split(";"):
        part = part.strip()
        if not part:
            continue
        day, _, title = part.partition(" ")
        try:
            when = dt.date.fromisoformat(day.strip())
        except ValueError:
            raise ValueError(f"“{part}” 应为“日期 节点名称”，如 2025-06-30 开工 (expected 'YYYY-MM-DD title')") from None
        if not title.strip():
            raise ValueError(f"“{part}” 缺少节点名称 (a milestone needs a title)")
        out.append((title.strip(), when))
    return out


def tasks_import(*, actor, data: bytes, filename: str, progress: Callable[[float, str], None] | None = None) -> TaskImportOutcome:
    """Import ledger tasks: every row checked (place in scope, milestones readable and before the deadline, due
    no later than the clause's deadline), then all created in one transaction with one audit row, or none. An
    import cannot record a late-deadline exception: such a task is filed on the page by the city with its reason."""
    if scope_of(actor).role not in CREATE_ROLES:
        raise PermissionDenied("只有市、县(区)教育局可以导入台账任务 (only a bureau imports tasks)")
    report = progress or (lambda pct, phase: None)
    out = TaskImportOutcome(filename)
    report(5, "读取并检查文件 (reading and checking the file)")
    try:
        table = read_table(data, TASKS, name=filename)
    except InputError as exc:
        out.problems = exc.problems
        return out
    out.rows = len(table.rows)
    counties = {c.code: c for c in visible(County, actor)}
    schools = {s.code: s for s in visible(School, actor).select_related("county")}
    plan = []
    for row in table.rows:
        county = school = None
        ok = True
        if row["school"]:
            school = schools.get(row["school"])
            if school is None:
                out.problems.append(table.problem(row.line, "school", f"学校代码 “{row['school']}” 不存在或不在您的管辖范围内 (not a school you manage)"))
                ok = False
        if row["county"]:
            county = counties.get(row["county"])
            if county is None:
                out.problems.append(table.problem(row.line, "county", f"县(区)代码 “{row['county']}” 不存在或不在您的管辖范围内 (not your county)"))
                ok = False
            elif school is not None and school.county_id != county.pk:
                out.problems.append(table.problem(row.line, "school", "学校不属于所填县(区) (the school is in another county)"))
                ok = False
        if not row["county"] and not row["school"] and scope_of(actor).role != Role.CITY_ADMIN:
            out.problems.append(table.problem(row.line, "county", "县(区)只能建立本县(区)的任务，请填写县(区)代码 (fill in your county)"))
            ok = False
        try:
            milestones = parse_milestones(row["milestones"])
        except ValueError as exc:
            out.problems.append(table.problem(row.line, "milestones", str(exc)))
            milestones, ok = [], False
        late = [t for t, d in milestones if d > row["due_date"]]
        if late:
            out.problems.append(table.problem(row.line, "milestones", f"节点“{late[0]}”晚于完成时限 (a milestone after the deadline)"))
            ok = False
        limit = clause_deadline(row["source_clause"] or "")
        if limit is not None and row["due_date"] > limit:
            out.problems.append(table.problem(row.line, "due_date", f"完成时限晚于{row['source_clause']}的时限（{limit}）；此类任务须由市教育局在页面上写明理由后建立 "
                                                                    "(due after the clause's deadline)"))
            ok = False
        if ok:
            plan.append(TaskData(kind=row["kind"], title=row["title"], responsible_unit=row["responsible_unit"], responsible_person=row["responsible_person"],
                                 due_date=row["due_date"], county=school.county if school else county, school=school,
                                 description=row["description"] or "", source_clause=row["source_clause"] or "", milestones=milestones))
    if out.problems:
        return out
    report(60, "写入任务 (writing tasks)")
    with transaction.atomic():
        for d in plan:
            _validate(d)
            out.created.append(_create(actor, d).pk)
        scope = scope_of(actor)
        audit_record(actor=actor, action="supervision.tasks.imported", object_type="import.supervision.tasks", object_id=hashlib.sha256(data).hexdigest()[:16],
                     object_repr=filename[:200], county_id=scope.county_id, school_id=scope.school_id,
                     after={"file": filename, "rows": len(plan), "tasks": out.created})
    report(100, "完成 (done)")
    return out
