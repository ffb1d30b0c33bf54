"""The base forms (督导基表) as import specs, generated from the catalog's reported data elements.

One form per level: schools (学校督导基表), counties (县(区)督导基表) and the city (市级督导基表). A row is one
unit: its code, one column per reported element of that level (in catalog order), and 变动说明, the comment a
row needs when a value moved more than 30% from the last approved period. Values the platform already has
(classes, students, teachers) are not in the forms: they are computed. The template and the reader both come
from this spec, so a filled-in template always matches.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from gaozhong.importer.spec import Column, TableSpec

from .models import DataElement

LEVEL_FORMS = {
    "school": ("学校督导基表", "学校基表", ("unit_code", "学校代码", "School code", "G0101")),
    "county": ("县(区)督导基表", "县区基表", ("unit_code", "县(区)代码", "County code", "149901")),
    "city": ("市级督导基表", "市级基表", ("unit_code", "市代码", "City code", "1499")),
}
COMMENT_KEY = "comment"


def _column(e: DataElement) -> Column:
    header = e.name_zh
    if e.value_type == "boolean":
        return Column(e.code, header, e.name_en, "boolean", required=True, example=True, help=e.definition)
    if e.value_type == "decimal":
        return Column(e.code, header, e.name_en, "decimal", required=True, min=Decimal("0"), decimal_places=2,
                      example=Decimal("100"), help=e.definition)
    return Column(e.code, header, e.name_en, "integer", required=True, min=0, max=100_000_000, example=100, help=e.definition)


def intake_spec(level: str) -> TableSpec:
    """The import spec of the ``level`` base form, from the catalog's reported elements of that level."""
    title, sheet, (key, zh, en, example) = LEVEL_FORMS[level]
    cols = [Column(key, zh, en, "identifier", required=True, unique=True, max_length=20, example=example, help="本行所报单位的代码")]
    cols += [_column(e) for e in DataElement.objects.filter(source=DataElement.Source.REPORTED, level=level).order_by("order", "code")]
    cols.append(Column(COMMENT_KEY, "变动说明", "Change note", "text", max_length=500,
                       help="本行有数值较上期已批准数据变动超过30%时必填，说明原因"))
    return TableSpec(name=f"supervision-{level}", title_zh=title, sheet_name=sheet, columns=cols)


TASKS = TableSpec(
    name="supervision-tasks", title_zh="督导台账任务", sheet_name="台账任务",
    columns=[
        Column("title", "任务", "Task", "text", required=True, max_length=200, example="新建晋阳市第四中学"),
        Column("kind", "类型", "Kind", "choice", required=True, choices=[("project", "重点工程项目"), ("policy", "政策任务")], example="project"),
        Column("county", "县(区)代码", "County code", "identifier", max_length=12, example="149901", help="市级任务留空"),
        Column("school", "学校代码", "School code", "identifier", max_length=20, help="学校的任务填写；县(区)按学校所在县(区)确定"),
        Column("responsible_unit", "责任单位", "Responsible unit", "text", required=True, max_length=100, example="城东区教育局"),
        Column("responsible_person", "责任人", "Responsible person", "text", required=True, max_length=60, example="王局长"),
        Column("due_date", "完成时限", "Deadline", "date", required=True, example=dt.date(2025, 12, 31)),
        Column("milestones", "节点", "Milestones", "text", max_length=1000, example="2025-03-01 完成设计；2025-06-30 开工",
               help="“日期 节点名称”，多个用分号分隔"),
        Column("source_clause", "依据", "Source clause", "text", max_length=60, example="002 §三(五)"),
        Column("description", "内容与路线图", "Description", "text", max_length=2000),
    ],
)
