"""Background tasks of the electives app: the timetable solve and the re-solve after a leave (progress, phase and
classes-vs-bound on the job; the stop button ends the search and keeps the best valid timetable found), the
solve of an uploaded FET file (written back with every activity locked, for the scoped download), and the
window imports."""

from __future__ import annotations

import re
import threading
import time
from pathlib import Path

from django.db import DatabaseError, close_old_connections, connection, transaction
from django.urls import reverse
from django_tasks import task

from gaozhong.core.models import Job, Teacher
from gaozhong.common.errors import InputError
from gaozhong.core.services.jobs import JobReporter, finish_import, run_job
from gaozhong.electives.engine.fet.check import check_timetable
from gaozhong.electives.engine.fet.parse import parse_fet_text
from gaozhong.electives.engine.fet.solve import FetInfeasible, FetNoSolution, solve_fet
from gaozhong.electives.engine.fet.write import locked_fet_text
from gaozhong.electives.engine.adjust import changed_lessons
from gaozhong.electives.engine.moves import resolve_unavailable
from gaozhong.electives.engine.pipeline import solve
from gaozhong.electives.engine.types import Infeasible, NoTimetableFound

from .casebuild import build_case, parse_slots
from .fetfiles import input_path, solved_path, write_atomic
from .models import Timetable, Window
from .results import result_of
from .services.common import Refused
from .services.imports import electives_import
from .services.store import timetable_store
from .slots import stored_slots_label

PHASES = {"check": (5, "计数检查 (counting checks)"), "formation": (15, "组建教学班 (forming teaching classes)"),
          "teachers": (35, "分配教师 (assigning teachers)"), "placement": (45, "排课 (placing lessons)"),
          "rooms": (90, "分配教室 (assigning rooms)"), "done": (95, "保存 (saving)")}


class _StopWatch:
    """Sets ``event`` when the job's stop button is pressed (checked once a second)."""

    def __init__(self, rep: JobReporter):
        self.event = threading.Event()
        self._done = threading.Event()
        self._rep = rep
        self._thread = threading.Thread(target=self._watch, daemon=True)

    def _watch(self) -> None:
        try:
            while not self._done.wait(1.0):
                try:
                    asked = self._rep.stop_requested()
                except Exception:  # the database is busy or gone: stop watching, the solve goes on
                    return
                if asked:
                    self.event.set()
                    return
        finally:
            close_old_connections()

    def __enter__(self):
        if self._rep.stop_requested():  # pressed before the search began
            self.event.set()
        else:
            self._thread.start()
        return self.event

    def __exit__(self, *exc):
        self._done.set()
        if self._thread.is_alive():
            self._thread.join()


def _say(rep: JobReporter):
    def say(phase: str, info: dict) -> None:
        pct, label = PHASES.get(phase, (None, phase))
        facts = []
        if "classes" in info:
            facts.append(f"教学班 {info['classes']} / 下界 {info['lower_bound']} (classes vs lower bound)")
        if "attempt" in info and info["attempt"] > 1:
            facts.append(f"第 {info['attempt']} 次尝试 (attempt)")
        text = label + ("：" + "，".join(facts) if facts else "")
        rep.progress(pct if pct is not None else 50, text)
        rep.log(text)
    return say


@task()
def run_solve_job(job_id: int) -> None:
    """Solve a window's timetable; the stop button ends the search and keeps the best valid timetable found."""
    run_job(job_id, _solve_body, phase="准备排课数据 (building the case)")


def _solve_body(job: Job, rep: JobReporter) -> None:
    window = Window.objects.select_related("school").get(pk=job.params["window_id"])
    try:
        with transaction.atomic():  # one consistent read of the case; the search runs outside any transaction
            built = build_case(window)
        if built.problems:
            rep.finish(Job.Status.FAILED, {"diagnosis": built.problems, "link": reverse("electives_window", args=[window.pk]),
                                           "link_label": "返回选课窗口 (back to the window)"}, phase="数据不完整 (incomplete data)")
            return
        rep.log(f"随机种子 {job.params['seed']} (re-run: gaozhong timetable solve --seed {job.params['seed']})")
        with _StopWatch(rep) as stop:
            result = solve(built.case, time_limit=float(job.params["time_limit"]), seed=int(job.params["seed"]), progress=_say(rep), stop=stop)
        stopped = stop.is_set()
        tt = timetable_store(actor=job.created_by, window=window, result=result, job=job,
                             note="手动停止时的最好结果 (best result when stopped)" if stopped else "")
    except Refused as exc:
        rep.log("；".join(exc.reasons))
        rep.finish(Job.Status.FAILED, {"diagnosis": exc.reasons, "link": reverse("electives_window", args=[window.pk]),
                                       "link_label": "返回选课窗口 (back to the window)"}, phase="结果未保存 (nothing stored)")
        return
    except Infeasible as exc:
        rep.log("无法排课 (infeasible)")
        rep.finish(Job.Status.FAILED, {"diagnosis": exc.reasons, "link": reverse("electives_window", args=[window.pk]),
                                       "link_label": "返回选课窗口 (back to the window)"}, phase="无法排课 (infeasible)")
        return
    except NoTimetableFound as exc:
        rep.log(str(exc))
        status = Job.Status.CANCELLED if rep.stop_requested() else Job.Status.FAILED
        rep.finish(status, {"diagnosis": [str(exc), "当前课表保持不变 (the current timetable is unchanged)"],
                            "link": reverse("electives_window", args=[window.pk]), "link_label": "返回选课窗口 (back to the window)"})
        return
    for line in tt.summary:  # the engine's lines as the command prints them, with its "LB" said as 下界
        rep.log(re.sub(r"\bLB\b", "下界", line.replace("下界 LB", "下界")))
    rep.finish(Job.Status.SUCCEEDED, {"summary": {"教学班 (teaching classes)": tt.teaching_classes, "下界 (lower bound)": tt.lower_bound,
                                                  "课 (lessons)": sum(1 for _ in result.lessons)},
                                      "link": reverse("electives_timetable", args=[tt.pk]), "link_label": "查看课表 (view the timetable)"})


@task()
def run_leave_job(job_id: int) -> None:
    """Re-solve a timetable around a teacher's leave with the fewest moves."""
    run_job(job_id, _leave_body, phase="读取课表 (reading the timetable)")


def _leave_body(job: Job, rep: JobReporter) -> None:
    p = job.params
    tt = Timetable.objects.select_related("window__school").get(pk=p["timetable_id"])
    teacher = Teacher.objects.get(pk=p["teacher_id"])
    back = {"link": reverse("electives_timetable", args=[tt.pk]), "link_label": "返回课表 (back to the timetable)"}
    try:
        with transaction.atomic():  # one consistent read of the timetable
            result = result_of(tt)
        cal = result.case.calendar
        slots, _ = parse_slots(p["slots"], cal)
        leave = stored_slots_label(cal.day_period(t) for t in slots)
        rep.progress(20, "最少调动重排 (re-solving with fewest moves)")
        rep.log(f"{teacher.name} {teacher.staff_no} 请假：{leave}")
        with _StopWatch(rep) as stop:
            new, moved = resolve_unavailable(result, teacher.staff_no, slots, time_limit=float(p["time_limit"]), seed=tt.seed, stop=stop)
        rep.progress(90, "保存 (saving)")
        new_tt = timetable_store(actor=job.created_by, window=tt.window, result=new, job=job, parent=tt, moved=moved,
                                 note=f"{teacher.name} {teacher.staff_no} 请假 {leave}，调动 {moved} 节", started_from=result)
    except (Infeasible, NoTimetableFound, Refused) as exc:
        reasons = exc.reasons if isinstance(exc, (Infeasible, Refused)) else [str(exc)]
        rep.log("；".join(reasons))
        rep.finish(Job.Status.FAILED, {"diagnosis": reasons + ["原课表保持不变 (the timetable is unchanged)"], **back}, phase="未能重排 (no re-solve)")
        return
    rep.log(f"调动 {moved} 节课：")
    names = {c.id: f"{c.id} {result.case.subject_by_id[c.subject].name}" for c in new.classes}
    for ch in changed_lessons(result.lessons, new.lessons):
        if ch.moved:
            rep.log(f"  {names[ch.class_id]}：{stored_slots_label([cal.day_period(ch.before)])} → {stored_slots_label([cal.day_period(ch.after)])}")
    rep.finish(Job.Status.SUCCEEDED, {"summary": {"调动课时 (lessons moved)": moved, "课 (lessons)": len(new.lessons)},
                                      "link": reverse("electives_changes", args=[new_tt.pk]), "link_label": "查看调动清单（可打印）"})


@task()
def run_electives_import(job_id: int) -> None:
    """Run an uploaded window file and record the outcome (counts, or every problem) on its job."""
    run_job(job_id, _import_body, phase="开始导入 (starting)")


def _import_body(job: Job, rep: JobReporter) -> None:
    params = job.params
    window = Window.objects.select_related("school").get(pk=params["window_id"])
    outcome = electives_import(actor=job.created_by, window=window, kind=params["kind"], data=Path(params["path"]).read_bytes(),
                               filename=params["filename"], progress=lambda pct, phase: (rep.progress(pct, phase), rep.log(phase)))
    finish_import(rep, outcome, link=reverse("electives_window", args=[window.pk]), link_label="返回选课窗口 (back to the window)")


class _SolveClock(_StopWatch):
    """The stop watch, also moving the job's progress bar with the clock from ``lo`` to ``hi`` % over ``seconds``
    (the FET search says nothing until it ends). A task run inside its caller's transaction (the immediate
    backend of the tests) gets no side thread: a second connection could not see its row."""

    def __init__(self, rep: JobReporter, seconds: float, lo: int, hi: int):
        super().__init__(rep)
        self._seconds, self._lo, self._hi = max(seconds, 1.0), lo, hi

    def _watch(self) -> None:
        t0 = time.monotonic()
        try:
            while not self._done.wait(1.0):
                spent = time.monotonic() - t0
                try:
                    self._rep.progress(self._lo + (self._hi - self._lo) * min(1.0, spent / self._seconds),
                                       f"求解中 (solving)：{spent:.0f} / {self._seconds:g} 秒")
                    asked = self._rep.stop_requested()
                except DatabaseError:  # a busy database skips a tick; the solve goes on
                    continue
                if asked:
                    self.event.set()
                    return
        finally:
            close_old_connections()

    def __enter__(self):
        if self._rep.stop_requested():
            self.event.set()
        elif not connection.in_atomic_block:
            self._thread.start()
        return self.event


@task()
def run_fet_job(job_id: int) -> None:
    """Solve an uploaded FET file and keep it, every activity locked, for the scoped download."""
    run_job(job_id, _fet_body, phase="读取 FET 文件 (reading the file)")


def _fet_body(job: Job, rep: JobReporter) -> None:
    p = job.params
    back = {"link": reverse("electives_index"), "link_label": "返回选课排课 (back to timetabling)"}
    try:
        fet = parse_fet_text(input_path(job).read_bytes(), p["filename"])
    except InputError as exc:  # checked at upload; only a changed engine gets here
        rep.finish(Job.Status.REJECTED, {"problems": [{"file": x.file, "line": x.line, "column": x.column, "reason": x.reason}
                                                      for x in exc.problems]})
        return
    rep.log(f"活动 {len(fet.activities)} 个，教师 {len(fet.teachers)}，学生集合 {len(fet.sets)}，教室 {len(fet.rooms)}，"
            f"约束 {len(fet.constraints)} 条 (activities, teachers, students sets, rooms, constraints)")
    limit = float(p["time_limit"])
    rep.progress(5, "求解 (solving)")
    try:
        with _SolveClock(rep, limit, 5, 90) as stop:
            placement = solve_fet(fet, time_limit=limit, seed=int(p["seed"]), stop=stop)
    except FetInfeasible as exc:
        rep.log("无法排课 (infeasible)：" + "；".join(exc.reasons))
        rep.finish(Job.Status.FAILED, {"diagnosis": exc.reasons, **back}, phase="无法排课 (infeasible)")
        return
    except FetNoSolution as exc:
        rep.log(str(exc))
        status = Job.Status.CANCELLED if rep.stop_requested() else Job.Status.FAILED
        rep.finish(status, {"diagnosis": [str(exc)], **back}, phase="未找到课表 (no timetable)")
        return
    rep.progress(92, "检查硬约束 (checking every hard constraint)")
    bad = check_timetable(fet, placement)
    if bad:  # never hand out a timetable that breaks a hard constraint
        rep.log("课表违反硬约束 (the timetable breaks hard constraints)")
        rep.finish(Job.Status.FAILED, {"diagnosis": ["内部错误：课表违反硬约束，未生成文件 (internal error: no file written)"] + bad[:20], **back})
        return
    rep.log(f"找到课表，{placement.seconds:.1f} 秒；硬约束全部满足 (a timetable meeting every hard constraint)")
    rep.progress(96, "保存 (saving)")
    data = locked_fet_text(fet, placement).encode("utf-8")
    write_atomic(solved_path(job), data)
    stopped = stop.is_set()
    rep.log(f"已锁定 {len(fet.activities)} 个活动 (every activity locked)，{len(data)} 字节" + ("；手动停止时的最好结果 (best result when stopped)" if stopped else ""))
    rep.finish(Job.Status.SUCCEEDED, {
        "summary": {"活动 (activities)": len(fet.activities), "教室 (rooms given)": len(placement.room),
                    "软约束罚分 (soft penalty)": f"{placement.objective:g}", "求解用时 (solve time)": f"{placement.seconds:.1f} 秒",
                    **({"说明 (note)": "手动停止时的最好结果 (best result when stopped)"} if stopped else {})},
        "link": reverse("electives_fet_solved", args=[job.pk]), "link_label": "下载排好的 FET 文件 (download the solved file)"})
