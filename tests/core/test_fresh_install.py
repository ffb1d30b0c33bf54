"""A fresh install, the way a bureau does it: an empty database, ``setup_city``, then the bureau's own .xlsx files
through the import commands, and the city administrator sees the city in the pages.

The install is a list of steps (``STEPS``), each a command run on files written here plus what it must have
changed. The workflows' imports (中考 candidates, plans, preferences, 高考 results, registry evidence) and the
bureau's clicks up to a published admission, a value-added run and a registry worklist are tests/test_fresh_city.py,
which starts from these steps' helpers.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import openpyxl
import pytest
from django.contrib.auth.models import User
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from gaozhong.core.models import AuditEvent, City, County, Role, School, Student, Subject, Teacher
from gaozhong.importer.idnumber import check_character

pytestmark = pytest.mark.django_db

ADMIN, PASSWORD = "bureau_admin", "Shi-jiaoyuju-2026"


def idn(region: str, birth: str, serial: int) -> str:
    first = f"{region}{birth}{serial:03d}"
    return first + check_character(first)


@dataclass
class Install:
    folder: Path
    done: list[str] = field(default_factory=list)

    def xlsx(self, name: str, sheet: str, headers: list[str], rows: list[list]) -> Path:
        """A workbook as a bureau's clerk saves it: Chinese headers, identifiers typed as text."""
        wb = openpyxl.Workbook()
        ws = wb.active
        ws.title = sheet
        ws.append(headers)
        for r in rows:
            ws.append(r)
        for row in ws.iter_rows(min_row=2):
            for cell in row:
                if isinstance(cell.value, str):
                    cell.number_format = "@"
        path = self.folder / name
        wb.save(path)
        return path


def step_setup_city(inst: Install) -> None:
    counties = inst.folder / "counties.csv"
    counties.write_bytes("\ufeffcode,name\r\n140105,小店区\r\n140106,迎泽区\r\n".encode("utf-8"))
    pw = inst.folder / "password.txt"
    pw.write_text(PASSWORD + "\n", encoding="utf-8")
    call_command("setup_city", name="太原市", code="1401", counties=str(counties), admin=ADMIN, password_file=str(pw))
    assert City.objects.get().name == "太原市" and County.objects.count() == 2
    assert Subject.objects.filter(name="数学").exists()


def step_schools(inst: Install) -> None:
    path = inst.xlsx("学校名册.xlsx", "学校", ["学校代码", "学校名称", "县(区)代码", "学段", "办学性质", "办学等级", "建校年份", "地址"], [
        ["G0501", "太原市第五中学", "140105", "普通高中", "公办", "省级示范", 1906, "小店区五中路1号"],
        ["G0601", "迎泽高级中学", "140106", "普通高中", "民办", "普通", 2001, None],
        ["J0501", "小店区第一初级中学", "140105", "初级中学", "公办", "普通", None, None],
    ])
    call_command("import_schools", str(path), user=ADMIN)
    assert School.objects.count() == 3 and School.objects.get(code="G0501").quality == School.Quality.PROVINCIAL_MODEL


def step_students(inst: Install) -> None:
    headers = ["学籍号", "身份证号", "姓名", "性别", "出生日期", "学校代码", "入学年份", "年级", "班号", "学籍状态", "中考准考证号", "中考成绩"]
    rows = []
    for k, (school, name) in enumerate([("G0501", "赵一鸣"), ("G0501", "钱思远"), ("G0601", "孙晓雨"), ("G0601", "李嘉怡")]):
        i = idn("140105", "20090301", 10 + k)
        rows.append([f"G{i}", i, name, "男" if k % 2 else "女", dt.date(2009, 3, 1), school, 2025, None, None, "在籍", f"25050{k:03d}", 600 + k])
    call_command("import_students", str(inst.xlsx("学生名册.xlsx", "学生", headers, rows)), user=ADMIN)
    assert Student.objects.count() == 4 and Student.objects.filter(school__code="G0601").count() == 2


def step_teachers(inst: Install) -> None:
    headers = ["教职工号", "身份证号", "姓名", "性别", "县(区)代码", "学校代码", "任教科目", "职称", "岗位", "入职日期", "在编"]
    rows = [
        ["T050001", idn("140105", "19850101", 21), "周老师", "女", "140105", "G0501", "数学;物理", "一级教师", "专任教师", dt.date(2010, 9, 1), "是"],
        ["T060001", idn("140106", "19900202", 31), "吴老师", "男", "140106", "G0601", "语文", "二级教师", "专任教师", dt.date(2015, 9, 1), "否"],
        ["T050002", idn("140105", "19780303", 41), "郑老师", "男", "140105", None, "化学", "高级教师", "教研员", dt.date(2001, 9, 1), "是"],
    ]
    call_command("import_teachers", str(inst.xlsx("教师名册.xlsx", "教师", headers, rows)), user=ADMIN)
    assert Teacher.objects.count() == 3
    assert set(Teacher.objects.get(staff_no="T050001").subjects.values_list("name", flat=True)) == {"数学", "物理"}


# The install, in order. The workflows' imports and clicks up to their first results are tests/test_fresh_city.py.
STEPS: list[Callable[[Install], None]] = [step_setup_city, step_schools, step_students, step_teachers]


def test_a_fresh_install_reaches_a_city_the_admin_sees(tmp_path):
    assert City.objects.count() == School.objects.count() == User.objects.count() == 0  # an empty database
    inst = Install(tmp_path)
    for step in STEPS:
        step(inst)
        inst.done.append(step.__name__)
    # One audit row per command, each naming what it did.
    assert list(AuditEvent.objects.order_by("id").values_list("action", flat=True)) == [
        "core.city.set_up", "core.schools.imported", "core.students.imported", "core.teachers.imported"]

    c = Client()
    r = c.post(reverse("login"), {"username": ADMIN, "password": PASSWORD})
    assert r.status_code == 302
    admin = User.objects.get(username=ADMIN)
    assert admin.membership.role == Role.CITY_ADMIN
    page = c.get(reverse("school_list")).content.decode()
    assert all(name in page for name in ("太原市第五中学", "迎泽高级中学"))
    page = c.get(reverse("student_list")).content.decode()
    assert all(name in page for name in ("赵一鸣", "钱思远", "孙晓雨", "李嘉怡"))
    page = c.get(reverse("teacher_list")).content.decode()
    assert all(name in page for name in ("周老师", "吴老师"))
    teacher = Teacher.objects.get(staff_no="T050001")
    assert c.get(reverse("teacher_detail", args=[teacher.pk])).status_code == 200
    assert c.get(reverse("home")).status_code == 200
