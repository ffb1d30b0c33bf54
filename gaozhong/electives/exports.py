"""Timetables as Excel workbooks in the usual 课表 layout (days across, periods down), one sheet per grid, a
stored timetable's case and result as the files of ``gaozhong timetable solve`` (to re-run or check it), and
the same as a FET file with every lesson locked (what ``gaozhong timetable export-fet CASE OUT.fet --solution
DIR`` writes from those files).

In the case files a student is named by the masked 学籍号 (``G1499**********0112``; a second student whose masked
number is the same gets ``#2``), the same name in students.csv and enrolments.csv, so the files re-run and check
as they are without carrying anyone's 身份证号 (docs/personal_data.md)."""

from __future__ import annotations

import io
import re
import zipfile

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side

from gaozhong.common.csvfile import csv_from_bytes
from gaozhong.core.masking import mask_student_no
from gaozhong.electives.engine.fet.export import Solution, case_to_fet
from gaozhong.electives.engine.output import csv_text, render

from .models import Timetable
from .results import result_of
from .selectors import Grid

__all__ = ["grids_xlsx", "case_zip", "cell_text", "timetable_fet"]

THIN = Side(style="thin", color="999999")


def cell_text(lessons: list[dict], kind: str) -> str:
    parts = []
    for les in lessons:
        bits = [les["subject"] + ("" if les["kind"] == "core" else ("选" if les["kind"] == "xuanke" else "学"))]
        if kind != "class":
            bits.append(les["code"])
        if kind != "teacher":
            bits.append(les["teacher"])
        if kind != "room":
            bits.append(les["room"])
        parts.append(" ".join(bits))
    return "\n".join(parts)


def _sheet_name(title: str, used: set[str]) -> str:
    base = re.sub(r"[\[\]:*?/\\]", "", title)[:28] or "课表"
    name, k = base, 2
    while name in used:
        name = f"{base[:25]}({k})"
        k += 1
    used.add(name)
    return name


def grids_xlsx(grids: list[Grid], kind: str) -> bytes:
    wb = Workbook()
    wb.remove(wb.active)
    used: set[str] = set()
    for g in grids:
        ws = wb.create_sheet(_sheet_name(g.title.replace(" 课表", "").replace("课表", ""), used))
        ws.cell(1, 1, g.title).font = Font(bold=True, size=13)
        ws.cell(2, 1, "节次").font = Font(bold=True)
        for d, name in enumerate(g.days, start=2):
            c = ws.cell(2, d, name)
            c.font = Font(bold=True)
            c.alignment = Alignment(horizontal="center")
            ws.column_dimensions[c.column_letter].width = 24
        ws.column_dimensions["A"].width = 8
        for p_idx, p in enumerate(g.periods):
            r = 3 + p_idx
            ws.cell(r, 1, f"第{p}节").font = Font(bold=True)
            for d in range(len(g.days)):
                c = ws.cell(r, d + 2, cell_text(g.rows[p_idx][d], kind))
                c.alignment = Alignment(wrap_text=True, vertical="top")
                c.border = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
                if (d + 1, p) in g.blocked:
                    c.value = "（停课）"
                    c.fill = PatternFill("solid", fgColor="EEEEEE")
            ws.row_dimensions[r].height = 15 * max(2, max((len(g.rows[p_idx][d]) for d in range(len(g.days))), default=1))
        ws.print_options.gridLines = True
        ws.page_setup.orientation = "landscape"
        ws.page_setup.fitToWidth = 1
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def case_zip(tt: Timetable) -> bytes:
    """case/ (the six input files) and out/ (classes.csv, enrolments.csv, timetable.csv as stored now), students
    under their masked 学籍号."""
    case, out = dict(tt.case_files), render(result_of(tt))
    names = _pseudonyms(row[0] for row in _rows(case["students.csv"])[1:])
    case["students.csv"], out["enrolments.csv"] = _renamed(case["students.csv"], names), _renamed(out["enrolments.csv"], names)
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        for name, text in case.items():
            z.writestr(f"case/{name}", text)
        for name, text in out.items():
            z.writestr(f"out/{name}", text)
    return buf.getvalue()


def timetable_fet(tt: Timetable) -> str:
    """The stored timetable (lessons as they stand now, after any manual moves) as a FET 6 file: admin classes as
    years, teaching classes as groups, every lesson an activity locked in time and room."""
    result = result_of(tt)
    solution = Solution([(c.id, c.subject, c.kind, c.admin_class, c.teacher) for c in result.classes], list(result.enrolments),
                        [(les.class_id, les.slot, les.room) for les in result.lessons])
    return case_to_fet(result.case, solution, name=f"{tt.window.school.name} {tt.window.title} 课表#{tt.pk}")


def _rows(text: str) -> list[list[str]]:
    """The engine's own CSV text as rows, header first, read by the one CSV reader."""
    f = csv_from_bytes(text.encode("utf-8"), "students.csv")
    return [f.header, *(r.fields for r in f.records())]


def _pseudonyms(student_nos) -> dict[str, str]:
    """学籍号 → its masked form, made unique in the order given."""
    out: dict[str, str] = {}
    used: dict[str, int] = {}
    for no in student_nos:
        name = mask_student_no(no)
        used[name] = used.get(name, 0) + 1
        out[no] = name if used[name] == 1 else f"{name}#{used[name]}"
    return out


def _renamed(text: str, names: dict[str, str]) -> str:
    """A CSV whose first column is student_id, written again with each student's masked name."""
    header, *rows = _rows(text)
    return csv_text(header, [[names[r[0]], *r[1:]] for r in rows])
