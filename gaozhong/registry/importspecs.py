"""The columns of the registry imports: 学籍系统名册 (the national registry's rows), 考勤 (attendance), 考试参加
(exam participation), 转学 (transfers).

Each column's Chinese header is what a school's or bureau's system writes; its English header is the column
name of the engine's case directory (``gaozhong registry check DIR``: registry.csv, attendance.csv, exams.csv,
transfers.csv), so one spec reads both. ``REGISTRY`` is compared with the platform's own students (who come in
through the student import); its other rows are kept as the national registry's registrations.
"""

from __future__ import annotations

import datetime as dt

from gaozhong.importer.spec import Column, TableSpec
from gaozhong.registry.engine.model import STATUSES

_TERM = dict(pattern=r"\d{4}-[12]", pattern_hint="学年起始年份-学期，如 2025-1（秋季）、2025-2（春季）", max_length=10)

ATTENDANCE = TableSpec(
    name="attendance", title_zh="考勤记录", sheet_name="考勤",
    unique_together=[("student_no", "school", "term")],
    columns=[
        Column("student_no", "学籍号", "student_id", "identifier", required=True, max_length=30, example="G140105200801011231"),
        Column("school", "出勤学校代码", "school_id", "identifier", required=True, max_length=20, example="G0101",
               help="学生实际上课的学校，不一定是在籍学校"),
        Column("term", "学期", "term", "text", required=True, example="2025-1", **_TERM),
        Column("days_present", "出勤天数", "days_present", "integer", required=True, min=0, max=366, example=86),
    ],
)

EXAMS = TableSpec(
    name="exam_sittings", title_zh="考试参加记录", sheet_name="考试参加",
    unique_together=[("student_no", "school", "exam_id", "term")],
    columns=[
        Column("student_no", "学籍号", "student_id", "identifier", required=True, max_length=30, example="G140105200801011231"),
        Column("school", "考点学校代码", "school_id", "identifier", required=True, max_length=20, example="G0101",
               help="学生参加统考所在的学校"),
        Column("exam_id", "考试编号", "exam_id", "text", required=True, max_length=30, example="2025-1-期末统考"),
        Column("term", "学期", "term", "text", required=True, example="2025-1", **_TERM),
    ],
)

TRANSFERS = TableSpec(
    name="transfers", title_zh="转学记录", sheet_name="转学",
    unique_together=[("student_no", "from_school", "to_school", "date")],
    columns=[
        Column("student_no", "学籍号", "student_id", "identifier", required=True, max_length=30, example="G140105200801011231"),
        Column("from_school", "转出学校代码", "from_school_id", "identifier", required=True, max_length=20, example="G0101"),
        Column("to_school", "转入学校代码", "to_school_id", "identifier", required=True, max_length=20, example="G0103"),
        Column("date", "转学日期", "date", "date", required=True, min=dt.date(2000, 1, 1), max=dt.date(2100, 12, 31), example=dt.date(2025, 9, 1)),
    ],
)

REGISTRY = TableSpec(
    name="registry", title_zh="学籍系统名册", sheet_name="学籍",
    allow_extra_columns=True,
    columns=[
        Column("student_no", "学籍号", "student_id", "identifier", required=True, unique=True, max_length=30, example="G140105200801011231"),
        Column("id_number", "身份证号", "id_number", "text", max_length=30, example="140105200801011231"),
        Column("name", "姓名", "name", "text", max_length=40, example="王小明"),
        Column("school", "学校代码", "school_id", "identifier", required=True, max_length=20, example="G0101"),
        Column("grade", "年级", "grade", "text", max_length=10, example="1"),
        Column("status", "学籍状态", "status", "choice", required=True, choices=[(s, s) for s in STATUSES], example="在籍"),
    ],
)

SPECS = {s.name: s for s in (REGISTRY, ATTENDANCE, EXAMS, TRANSFERS)}
