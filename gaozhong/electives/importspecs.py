"""The columns of the electives app's imports (headers in Chinese and English): students' choices, rooms, the
weekly plan and teachers' limits of a selection window. Read with ``gaozhong.importer`` (all or nothing, every
problem with sheet, row and column) and written by ``gaozhong.electives.services.imports``."""

from __future__ import annotations

from gaozhong.importer.spec import Column, TableSpec

CHOICES = TableSpec(
    name="choices", title_zh="学生选科", sheet_name="选科",
    columns=[
        Column("student_no", "学籍号", "Student number", "identifier", required=True, unique=True, max_length=30, example="G140101200801010011"),
        Column("electives", "选考科目", "Electives", "text", required=True, max_length=40, example="物理;化学;生物",
               help="三门，用分号或顿号分隔：物理、历史选一门，化学、生物、政治、地理选两门；可写科目名或代码 (WL;HX;SW)"),
    ],
)

ROOMS = TableSpec(
    name="rooms", title_zh="教室", sheet_name="教室",
    columns=[
        Column("code", "教室编号", "Room", "identifier", required=True, unique=True, max_length=20, example="A201"),
        Column("room_type", "教室类型", "Room type", "identifier", required=True, max_length=20, example="normal",
               help="normal 普通教室，lab-chem 化学实验室，lab-phy 物理实验室，lab-bio 生物实验室，field 操场 …，须与课时计划的教室类型一致",
               pattern=r"[a-z][a-z0-9-]*", pattern_hint="小写字母、数字和连字符"),
        Column("capacity", "容纳人数", "Capacity", "integer", required=True, min=1, max=500, example=56),
        Column("home_class", "行政班班号", "Home of class", "integer", min=1, max=99, example=1,
               help="本年级第几班的教室；不是行政班教室则留空"),
    ],
)

PLAN = TableSpec(
    name="plan", title_zh="课时计划", sheet_name="课时计划",
    columns=[
        Column("subject", "科目代码", "Subject", "identifier", required=True, unique=True, max_length=12, example="SW"),
        Column("track", "类别", "Track", "choice", required=True, choices=(("core", "必修"), ("elective", "选考")), example="elective",
               help="必修：随行政班上课；选考：物理、历史、化学、生物、政治、地理，分选考班和学考班"),
        Column("periods", "每周节数", "Periods", "integer", required=True, min=1, max=20, example=3),
        Column("xuekao_periods", "学考班每周节数", "Xuekao periods", "integer", min=0, max=20, example=2,
               help="未选该科的学生的学考课，每周节数；0 或留空则不开学考班；必修科目留空"),
        Column("room_type", "教室类型", "Room type", "identifier", required=True, max_length=20, example="lab-bio",
               help="home 表示行政班自己的教室（仅必修科目）", pattern=r"[a-z][a-z0-9-]*", pattern_hint="小写字母、数字和连字符"),
        Column("max_class_size", "班额上限", "Max class size", "integer", required=True, min=1, max=200, example=48),
    ],
)

LIMITS = TableSpec(
    name="limits", title_zh="教师课时限制", sheet_name="教师课时",
    columns=[
        Column("staff_no", "教职工号", "Staff number", "identifier", required=True, unique=True, max_length=30, example="T0199999"),
        Column("max_periods", "每周课时上限", "Max periods", "integer", required=True, min=0, max=60, example=16),
        Column("unavailable", "不可排课时", "Unavailable", "text", max_length=400, example="1:1;1:2",
               help="星期:节次，分号分隔；如 1:1;1:2 表示周一第 1、2 节"),
    ],
)

SPECS = {s.name: s for s in (CHOICES, ROOMS, PLAN, LIMITS)}
