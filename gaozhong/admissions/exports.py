"""The Excel exports of admissions (published admissions, the 指标到校 split), declared like every table of the
platform."""

from __future__ import annotations

from decimal import Decimal

from gaozhong.importer.spec import Column, TableSpec

ADMITTED = TableSpec(
    name="admitted", title_zh="录取名单", sheet_name="录取名单",
    columns=[
        Column("school_code", "学校代码", "School code", "identifier", required=True, example="G0101"),
        Column("school", "录取学校", "School", "text", required=True, example="晋阳市第一中学"),
        Column("program", "录取专业", "Program", "identifier", required=True, example="G0101-TZ"),
        Column("kind", "类别", "Kind", "text", required=True, example="统招"),
        Column("exam_no", "准考证号", "Exam number", "identifier", required=True, example="26010001"),
        Column("name", "姓名", "Name", "text", required=True, example="王小明"),
        Column("id_number", "身份证号", "ID number", "id_number", required=True, example="140105201001011238"),
        Column("junior", "毕业学校", "Junior school", "text", required=True, example="城东区第一初级中学"),
        Column("score", "中考总分", "Score", "decimal", required=True, decimal_places=1, example=Decimal("612.5")),
        Column("batch", "批次", "Batch", "integer", required=True, example=3),
        Column("choice_rank", "志愿序号", "Choice", "integer", required=True, example=1),
        Column("major", "专业", "Major", "text", example="机电技术应用", help="中职学校的专业"),
        Column("round", "录取轮次", "Round", "text", required=True, example="第一轮", help="第一轮或补录"),
    ],
)


def admitted_rows(admissions) -> list[dict]:
    return [{
        "school_code": a.program.school.code, "school": a.program.school.name, "program": a.program.code, "kind": a.program.get_kind_display(),
        "exam_no": a.candidate.exam_no, "name": a.candidate.name, "id_number": a.candidate.id_number, "junior": a.candidate.junior_school.name,
        "score": a.candidate.score, "batch": a.batch, "choice_rank": a.choice_rank, "major": a.program.major or None,
        "round": "补录" if a.round == 2 else "第一轮",
    } for a in admissions]


QUOTA_SPLIT = TableSpec(
    name="quota_split", title_zh="指标到校分配", sheet_name="指标到校分配",
    columns=[
        Column("county", "县(区)", "County", "text", required=True, example="城东区"),
        Column("junior_code", "初中代码", "Junior school code", "identifier", required=True, example="J0101"),
        Column("junior", "初中", "Junior school", "text", required=True, example="城东区第一初级中学"),
        Column("candidates", "本年考生数", "Candidates", "integer", required=True, example=320),
        Column("school_code", "高中代码", "School code", "identifier", required=True, example="G0101"),
        Column("school", "高中", "School", "text", required=True, example="晋阳市第一中学"),
        Column("program", "招生专业代码", "Program", "identifier", required=True, example="G0101-ZB-J0101"),
        Column("seats", "指标到校名额", "Seats", "integer", required=True, example=12),
    ],
)


def quota_split_rows(split: list[dict]) -> list[dict]:
    """One row per junior school and senior school, as the 指标到校分配 page lists them."""
    return [{
        "county": r["county"].name, "junior_code": r["junior"].code, "junior": r["junior"].name, "candidates": r["candidates"],
        "school_code": s["school"].code, "school": s["school"].name, "program": s["program"], "seats": s["seats"],
    } for r in split for s in r["schools"]]
