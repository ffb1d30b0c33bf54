"""The columns of the people app's imports: training records and moves (headers in Chinese and English).

Read with ``gaozhong.importer`` (all or nothing, sheet/row/column problems) and written by
``gaozhong.people.services.imports``; the downloadable templates are built from these specs.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from gaozhong.importer.spec import Column, TableSpec

from .engine.training import LEVELS

TRAINING = TableSpec(
    name="training", title_zh="教师培训记录", sheet_name="培训",
    unique_together=[("staff_no", "course_code")],
    columns=[
        Column("staff_no", "教职工号", "Staff number", "identifier", required=True, max_length=30, example="T0199999"),
        Column("course_code", "课程编号", "Course code", "identifier", required=True, max_length=30, example="GP2025-017",
               help="同一课程各行须填写相同的名称、层级和课时"),
        Column("course_name", "课程名称", "Course name", "text", required=True, max_length=100, example="新课程新教材实施专题培训"),
        Column("level", "培训层级", "Level", "choice", required=True, choices=LEVELS, example="provincial",
               help="五级培训：国家级、省级、市级、县级、校级"),
        Column("hours", "课时", "Hours", "decimal", required=True, min=Decimal("0.5"), max=Decimal("500"), decimal_places=1, example=Decimal("24"),
               help="该课程的课时数，结业即计入当年学时"),
        Column("completed_on", "结业日期", "Completed on", "date", required=True, min=dt.date(2000, 1, 1), max=dt.date(2100, 12, 31),
               example=dt.date(2025, 7, 15)),
        Column("certificate_no", "证书编号", "Certificate number", "text", max_length=40, example="PX-2025-0001"),
    ],
)

MOVES = TableSpec(
    name="moves", title_zh="教师交流调动", sheet_name="调动",
    columns=[
        Column("staff_no", "教职工号", "Staff number", "identifier", required=True, max_length=30, example="T0199999"),
        Column("from_school", "调出学校代码", "From school", "identifier", required=True, max_length=20, example="G0101",
               help="教师调动前所在学校，须与平台记录一致"),
        Column("to_school", "调入学校代码", "To school", "identifier", required=True, max_length=20, example="G0103"),
        Column("moved_on", "调动日期", "Date", "date", required=True, min=dt.date(1990, 1, 1), max=dt.date(2100, 12, 31),
               example=dt.date(2025, 8, 25)),
        Column("kind", "类型", "Kind", "choice", required=True, choices=(("rotation", "交流轮岗"), ("transfer", "调动")), example="rotation",
               help="交流轮岗计入交流比例；一般调动不计入"),
        Column("note", "备注", "Note", "text", max_length=200, example="县管校聘交流"),
    ],
)

SPECS = {s.name: s for s in (TRAINING, MOVES)}
