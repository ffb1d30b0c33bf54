"""Shared test material: a students spec like the platform's, independent ID-number maths, file builders.

The ID-number check character here is computed with the recursive form of ISO 7064 MOD 11-2, not with the
weight table the importer uses, so the two implementations check each other.
"""

from __future__ import annotations

import random
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

from openpyxl import Workbook

from gaozhong.importer import Column, TableSpec

STUDENTS = TableSpec(
    name="students",
    title_zh="学生",
    sheet_name="学生",
    columns=(
        Column("student_no", "学籍号", "Student number", "identifier", required=True, unique=True, max_length=19,
               example="G110105200803150010", help="全国学籍号，G 加身份证号"),
        Column("id_number", "身份证号", "ID number", "id_number", required=True, unique=True,
               example="110105200803150010", help="18 位公民身份号码"),
        Column("name", "姓名", "Name", "text", required=True, max_length=20, example="王小明"),
        Column("gender", "性别", "Gender", "choice", required=True, choices={"M": "男", "F": "女"}, example="M"),
        Column("birth_date", "出生日期", "Birth date", "date", required=True, min=date(1990, 1, 1),
               max=date(2020, 12, 31), example=date(2008, 3, 15)),
        Column("school_code", "学校代码", "School code", "identifier", required=True, example="S01",
               pattern=r"S\d{2}", pattern_hint="S 加两位数字 (S and two digits)"),
        Column("class_name", "班级", "Class", "text", max_length=20, example="高一(3)班"),
        Column("entry_year", "入学年份", "Entry year", "integer", required=True, min=2000, max=2100, example=2023),
        Column("boarding", "住校", "Boarding", "boolean", example=True),
        Column("score", "中考成绩", "Entrance score", "decimal", min=Decimal(0), max=Decimal(800), decimal_places=1,
               example=Decimal("612.5")),
    ),
    unique_together=(("school_code", "class_name", "name"),),
)

HEADERS = [c.header_zh for c in STUDENTS.columns]


def mod11_2_check(first17: str) -> str:
    """ISO 7064 MOD 11-2, recursive form: p = 2·(p + digit) mod 11, check c with (p + c) ≡ 1 (mod 11)."""
    p = 0
    for ch in first17:
        p = (p + int(ch)) * 2 % 11
    c = (1 - p) % 11
    return "X" if c == 10 else str(c)


def make_id(rng: random.Random, born: date) -> str:
    first = f"{rng.choice(['140522', '140525', '110105', '510802'])}{born:%Y%m%d}{rng.randrange(1000):03d}"
    return first + mod11_2_check(first)


def student(rng: random.Random, i: int) -> dict[str, Any]:
    """A valid student (typed values as the importer should return them); i makes the row unique."""
    # (region, birth date, sequence) is different for every i below 3,000,000, so ID numbers never repeat.
    born = date(2006, 1, 1) + timedelta(days=(i // 2000) * 29 % 1500)
    idn = f"{['140522', '140525'][(i // 1000) % 2]}{born:%Y%m%d}{i % 1000:03d}"
    idn = idn + mod11_2_check(idn)
    return {
        "student_no": f"G{i:08d}{idn[-4:]}",
        "id_number": idn,
        "name": rng.choice("王李张刘陈杨赵黄") + rng.choice(["小明", "芳", "伟", "静", "强", "丽华"]) + str(i),
        "gender": rng.choice("MF"),
        "birth_date": born,
        "school_code": f"S{i % 30:02d}",
        "class_name": f"高一({i % 12 + 1})班",
        "entry_year": 2023,
        "boarding": rng.random() < 0.5,
        "score": Decimal(rng.randrange(3000, 7500)) / 10,
    }


def as_cells(values: dict[str, Any]) -> list[Any]:
    """How a clerk's well-made workbook holds a student: text, a date cell, number cells, 是/否, labels."""
    return [
        values["student_no"],
        values["id_number"],
        values["name"],
        {"M": "男", "F": "女"}[values["gender"]],
        values["birth_date"],
        values["school_code"],
        values["class_name"],
        values["entry_year"],
        None if values["boarding"] is None else ("是" if values["boarding"] else "否"),
        None if values["score"] is None else float(values["score"]),
    ]


def as_text(values: dict[str, Any]) -> list[str]:
    """The same student as CSV text."""
    cells = as_cells(values)
    out = []
    for c in cells:
        if c is None:
            out.append("")
        elif isinstance(c, date):
            out.append(f"{c.year}/{c.month}/{c.day}")
        else:
            out.append(str(c))
    return out


def write_book(path: Path, rows: list[list[Any]], *, sheet: str = "学生", merged: list[str] = (),
               text_columns: tuple[int, ...] = ()) -> Path:
    """An .xlsx written cell by cell with openpyxl: Python str → text cell, int/float → number, date → date."""
    wb = Workbook()
    ws = wb.active
    ws.title = sheet
    for r, row in enumerate(rows, start=1):
        for c, value in enumerate(row, start=1):
            if value is None:
                continue
            cell = ws.cell(row=r, column=c, value=value)
            if isinstance(value, date):
                cell.number_format = "yyyy-mm-dd"
            if c - 1 in text_columns:
                cell.number_format = "@"
    for rng in merged:
        ws.merge_cells(rng)
    wb.save(path)
    return path


def students(n: int, seed: int = 7) -> list[dict[str, Any]]:
    rng = random.Random(seed)
    return [student(rng, i) for i in range(n)]
