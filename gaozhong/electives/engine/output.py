"""Render a :class:`~.types.Result` as the three output files of issue 7 §1 and summarise it for the command.

classes.csv ``class_id, subject_id, kind, admin_class_id, teacher_id``; enrolments.csv ``student_id,
class_id``; timetable.csv ``class_id, day, period, room_id`` (day and period 1-based). UTF-8, comma-separated,
``\\n`` line ends, rows in a fixed order so that equal results give equal bytes.
"""

from __future__ import annotations

import csv
import io
from collections import defaultdict

from .bounds import lower_bound
from .types import CORE, XUANKE, Result

__all__ = ["render", "summary_lines", "csv_text"]


def csv_text(header: list[str], rows) -> str:
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(header)
    w.writerows(rows)
    return buf.getvalue()


def render(result: Result) -> dict[str, str]:
    cal = result.case.calendar
    classes = csv_text(["class_id", "subject_id", "kind", "admin_class_id", "teacher_id"],
                   [(c.id, c.subject, c.kind, c.admin_class or "", c.teacher) for c in result.classes])
    enrol = csv_text(["student_id", "class_id"], result.enrolments)
    tt = csv_text(["class_id", "day", "period", "room_id"],
              [(les.class_id, *cal.day_period(les.slot), les.room) for les in result.lessons])
    return {"classes.csv": classes, "enrolments.csv": enrol, "timetable.csv": tt}


def summary_lines(result: Result) -> list[str]:
    """Teaching classes against LB, then class sizes per subject and kind."""
    lb = lower_bound(result.case)
    LB = sum(lb.values())
    n = result.teaching_classes
    extra = n - LB
    pct = 100.0 * extra / LB if LB else 0.0
    lines = [f"教学班 (teaching classes): {n}, 下界 LB {LB} (+{extra}, +{pct:.1f}%)"]
    sizes: dict[tuple[str, str], list[int]] = defaultdict(list)
    for c in result.classes:
        if c.kind != CORE:
            sizes[c.subject, c.kind].append(c.size)
    names = {s.id: s.name for s in result.case.subjects}
    spreads = []
    order = {s.id: i for i, s in enumerate(result.case.subjects)}
    for (sid, kind), v in sorted(sizes.items(), key=lambda kv: (kv[0][1] != XUANKE, order[kv[0][0]])):
        word = "选考" if kind == XUANKE else "学考"
        lines.append(f"  {names[sid]} {sid} {word} ({kind}): {len(v)} 班 (classes), LB {lb[sid, kind]}, 班额 (size) {min(v)}–{max(v)}")
        spreads.append(max(v) - min(v))
    if spreads:
        lines.append(f"班额极差 (size spread within a subject): 最大 (max) {max(spreads)}")
    core_n = sum(1 for c in result.classes if c.kind == CORE)
    lines.append(f"必修班 (core classes): {core_n}; 课 (lessons): {len(result.lessons)}")
    return lines
