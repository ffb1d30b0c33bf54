"""The columns of the evaluation imports: 高考成绩 (gaokao results) and 学校年度指标 (school-year outcomes).

Headers are the Chinese ones the 考试院 and schools write; English headers are accepted too. Read with
``gaozhong.importer`` (all or nothing, sheet/row/column problems) and written by
``gaozhong.evaluation.services.imports``; the downloadable templates are built from these specs.
"""

from __future__ import annotations

from decimal import Decimal

from gaozhong.importer.spec import Column, TableSpec

from .models import GaokaoResult

#: Gaokao subjects (新高考 3+1+2 and the older 文理 papers) whose scores a results file may carry: key → header.
GAOKAO_SUBJECTS: tuple[tuple[str, str, str], ...] = (
    ("chinese", "语文", "Chinese"), ("math", "数学", "Mathematics"), ("foreign", "外语", "Foreign language"),
    ("physics", "物理", "Physics"), ("history", "历史", "History"), ("chemistry", "化学", "Chemistry"),
    ("biology", "生物", "Biology"), ("politics", "政治", "Politics"), ("geography", "地理", "Geography"),
    ("wenzong", "文综", "Liberal arts combined"), ("lizong", "理综", "Sciences combined"),
)

GAOKAO = TableSpec(
    name="gaokao", title_zh="高考成绩", sheet_name="高考成绩",
    columns=[
        Column("year", "高考年份", "Year", "integer", required=True, min=2000, max=2100, example=2025),
        Column("exam_no", "考生号", "Candidate number", "identifier", required=True, unique=True, max_length=20, example="25140105150001",
               help="省考试院的高考考生号，按文本填写"),
        Column("id_number", "身份证号", "ID number", "id_number", unique=True, example="140105200801011231",
               help="身份证号与学籍号至少填写一项，用于找到平台上的学生"),
        Column("student_no", "学籍号", "Student number", "identifier", unique=True, max_length=30, example="G140105200801011231"),
        Column("name", "姓名", "Name", "text", max_length=40, example="王小明", help="仅供核对，不写入"),
        Column("total", "总分", "Total", "decimal", required=True, min=Decimal("0"), max=Decimal("900"), decimal_places=1, example=Decimal("563")),
        *[Column(key, zh, en, "decimal", min=Decimal("0"), max=Decimal("300"), decimal_places=1, example=Decimal("112") if key == "chinese" else None)
          for key, zh, en in GAOKAO_SUBJECTS],
        Column("batch", "达线批次", "Batch line", "choice", choices=GaokaoResult.Batch.choices, example="benke",
               help="考生达到的最高批次控制线；未达任何批次填“未达线”"),
    ],
)

OUTCOMES = TableSpec(
    name="school_outcomes", title_zh="学校年度指标", sheet_name="学校年度指标",
    unique_together=[("school", "school_year")],
    columns=[
        Column("school", "学校代码", "School code", "identifier", required=True, max_length=20, example="G0101"),
        Column("school_year", "学年", "School year", "text", required=True, pattern=r"\d{4}-\d{4}", pattern_hint="如 2025-2026",
               example="2025-2026", help="平台上已有的学年，写作 2025-2026"),
        Column("xuekao_pass_rate", "学考合格率(%)", "Xuekao pass rate (%)", "decimal", min=Decimal("0"), max=Decimal("100"), decimal_places=1,
               example=Decimal("95.2"), help="普通高中学业水平合格性考试合格率"),
        Column("fitness_good_rate", "体质健康达标优良率(%)", "Fitness good-or-better rate (%)", "decimal", min=Decimal("0"), max=Decimal("100"),
               decimal_places=1, example=Decimal("24.6"), help="《国家学生体质健康标准》测试良好及以上的比例"),
        Column("myopia_rate", "近视率(%)", "Myopia rate (%)", "decimal", min=Decimal("0"), max=Decimal("100"), decimal_places=1,
               example=Decimal("76.3"), help="视力筛查中近视学生的比例"),
    ],
)

SPECS = {s.name: s for s in (GAOKAO, OUTCOMES)}
