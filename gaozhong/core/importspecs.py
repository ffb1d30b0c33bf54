"""The columns of the foundation's imports: counties (read by ``setup_city``), schools, students and teachers
(headers in Chinese and English).

Every spec here is read with ``gaozhong.importer`` (all-or-nothing, sheet/row/column errors) and written by
``gaozhong.core.services.imports``. Templates are generated from these specs, so a template always matches.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from gaozhong.importer.spec import Column, TableSpec

from .models import School, Student, Teacher

# 县级行政区划代码 (GB/T 2260): six digits.
COUNTY_CODE_PATTERN = r"[0-9]{6}"

COUNTIES = TableSpec(
    name="counties", title_zh="县(区)名册", sheet_name="县区",
    columns=[
        Column("code", "县(区)代码", "code", "identifier", required=True, unique=True, max_length=12, example="149999",
               pattern=COUNTY_CODE_PATTERN, pattern_hint="6 位数字的县级行政区划代码 (six digits)", help="县级行政区划代码，全市唯一"),
        Column("name", "县(区)名称", "name", "text", required=True, unique=True, max_length=50, example="示例区"),
    ],
)

SCHOOLS = TableSpec(
    name="schools", title_zh="学校名册", sheet_name="学校",
    columns=[
        Column("code", "学校代码", "School code", "identifier", required=True, unique=True, max_length=20, example="G0199", help="全市唯一的学校代码"),
        Column("name", "学校名称", "School name", "text", required=True, max_length=80, example="晋阳市第九中学"),
        Column("county", "县(区)代码", "County code", "identifier", required=True, max_length=12, example="149901", help="学校所在县(区)的代码"),
        Column("level", "学段", "Level", "choice", required=True, choices=School.Level.choices, example="senior"),
        Column("ownership", "办学性质", "Ownership", "choice", required=True, choices=School.Ownership.choices, example="public"),
        Column("quality", "办学等级", "Quality level", "choice", required=True, choices=School.Quality.choices, example="ordinary"),
        Column("founded_year", "建校年份", "Founded", "integer", min=1800, max=2100, example=1998),
        Column("address", "地址", "Address", "text", max_length=200, example="城东区建设路1号"),
    ],
)

STUDENTS = TableSpec(
    name="students", title_zh="学生名册", sheet_name="学生",
    columns=[
        Column("student_no", "学籍号", "Student number", "identifier", required=True, unique=True, max_length=30, example="G140105200801011231", help="全国学籍号，按文本填写"),
        Column("id_number", "身份证号", "ID number", "id_number", required=True, unique=True, example="140105200801011231", help="18 位居民身份证号，按文本填写"),
        Column("name", "姓名", "Name", "text", required=True, max_length=40, example="王小明"),
        Column("gender", "性别", "Gender", "choice", required=True, choices=Student.Gender.choices, example="男"),
        Column("birth_date", "出生日期", "Birth date", "date", min=dt.date(1990, 1, 1), max=dt.date(2030, 12, 31), example=dt.date(2008, 1, 1)),
        Column("school", "学校代码", "School code", "identifier", required=True, max_length=20, example="G0101"),
        Column("entry_year", "入学年份", "Entry year", "integer", required=True, min=2000, max=2100, example=2025),
        Column("grade", "年级", "Grade", "integer", min=1, max=3, example=1, help="1 高一，2 高二，3 高三；与班号一起填写，编入本学年该班"),
        Column("class_number", "班号", "Class number", "integer", min=1, max=99, example=1),
        Column("status", "学籍状态", "Status", "choice", required=True, choices=Student.Status.choices, example="在籍"),
        Column("exam_no", "中考准考证号", "Exam number", "identifier", max_length=20, example="25010001"),
        Column("entry_score", "中考成绩", "Entry score", "decimal", min=0, max=1000, decimal_places=1, example=Decimal("612.5")),
    ],
)

TEACHERS = TableSpec(
    name="teachers", title_zh="教师名册", sheet_name="教师",
    columns=[
        Column("staff_no", "教职工号", "Staff number", "identifier", required=True, unique=True, max_length=30, example="T0199999"),
        Column("id_number", "身份证号", "ID number", "id_number", required=True, unique=True, example="14010519850101123X"),
        Column("name", "姓名", "Name", "text", required=True, max_length=40, example="李老师"),
        Column("gender", "性别", "Gender", "choice", required=True, choices=Student.Gender.choices, example="女"),
        Column("county", "县(区)代码", "County code", "identifier", required=True, max_length=12, example="149901"),
        Column("school", "学校代码", "School code", "identifier", max_length=20, example="G0101", help="教研员等不在学校任职的可留空"),
        Column("subjects", "任教科目", "Subjects", "text", max_length=100, example="数学;物理", help="科目名称，多个用分号分隔"),
        Column("title", "职称", "Title", "choice", required=True, choices=Teacher.Title.choices, example="一级"),
        Column("post", "岗位", "Post", "choice", required=True, choices=Teacher.Post.choices, example="专任教师"),
        Column("hire_date", "入职日期", "Hire date", "date", required=True, min=dt.date(1950, 1, 1), max=dt.date(2100, 1, 1), example=dt.date(2010, 9, 1)),
        Column("is_bianzhi", "在编", "Established post", "boolean", required=True, example=True),
    ],
)

SPECS = {s.name: s for s in (SCHOOLS, STUDENTS, TEACHERS)}
