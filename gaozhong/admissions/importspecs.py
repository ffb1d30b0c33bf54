"""The columns of the admissions imports: 中考考生与成绩, 招生计划 and 志愿, with the headers the examination
authority's and the bureau's systems write.

Every spec is read with ``gaozhong.importer`` (all-or-nothing, sheet/row/column errors) and written by
``gaozhong.admissions.services.imports``; the downloadable templates are generated from these specs.
The 中考 file may carry further numeric columns (a city's 语数外总分, 理化实验, …): each is kept as a named score
that the year's tie-break rule (policy.toml) can name.
"""

from __future__ import annotations

from decimal import Decimal

from gaozhong.core.models import Student
from gaozhong.importer.spec import Column, TableSpec

#: Subjects of the 中考 besides 语文, 数学 and 英语: (key, header as written, English header). Each score is kept
#: under its Chinese header as a named score.
OTHER_SUBJECTS = (
    ("physics", "物理", "Physics"),
    ("chemistry", "化学", "Chemistry"),
    ("biology", "生物", "Biology"),
    ("geography", "地理", "Geography"),
    ("politics", "道德与法治", "Morality and law"),
    ("history", "历史", "History"),
    ("pe", "体育", "Physical education"),
    ("it", "信息技术", "Information technology"),
)

#: Column names that the admission input (students.csv) uses for its own fields; no named score may take them.
RESERVED_SCORE_NAMES = frozenset({"student_id", "junior_school_id", "county", "score", "lottery"})


def _score(key: str, zh: str, en: str, *, required: bool = False, example=None, help: str = "") -> Column:
    return Column(key, zh, en, "decimal", required=required, min=0, max=1000, decimal_places=1, example=example, help=help)


ZHONGKAO = TableSpec(
    name="zhongkao", title_zh="中考考生与成绩", sheet_name="中考成绩", allow_extra_columns=True,
    columns=[
        Column("exam_no", "准考证号", "Exam number", "identifier", required=True, unique=True, max_length=20, example="2026010001",
               help="本年度唯一，按文本填写"),
        Column("name", "姓名", "Name", "text", required=True, max_length=40, example="张小明"),
        Column("gender", "性别", "Gender", "choice", required=True, choices=Student.Gender.choices, example="男"),
        Column("id_number", "身份证号", "ID number", "id_number", required=True, unique=True, example="140105201001011238",
               help="18 位居民身份证号，按文本填写"),
        Column("junior_school", "毕业学校代码", "Junior school code", "identifier", required=True, max_length=20, example="J0101",
               help="平台上的初中学校代码"),
        Column("county", "户籍县(区)代码", "County code", "identifier", required=True, max_length=12, example="149901",
               help="平台上的县(区)代码"),
        _score("score", "总分", "Total score", required=True, example=Decimal("612.5")),
        _score("chinese", "语文", "Chinese", required=True, example=Decimal("105")),
        _score("math", "数学", "Mathematics", required=True, example=Decimal("112")),
        _score("english", "英语", "English", required=True, example=Decimal("108.5")),
        *[_score(key, zh, en) for key, zh, en in OTHER_SUBJECTS],
        _score("talent_score", "特长成绩", "Talent score", help="特长生测试成绩，没有可留空"),
    ],
)

PLANS = TableSpec(
    name="plans", title_zh="招生计划", sheet_name="招生计划",
    columns=[
        Column("school", "学校代码", "School code", "identifier", required=True, unique=True, max_length=20, example="G0101",
               help="平台上的普通高中或中职学校代码"),
        Column("seats", "计划数", "Seats", "integer", required=True, min=1, max=10000, example=600, help="含特长生和指标到校名额的总计划"),
        Column("talent_seats", "特长生计划", "Talent seats", "integer", min=0, max=10000, example=12, help="没有可留空（0）"),
        Column("counties", "招生范围", "Counties", "text", max_length=200, example="149901;149902",
               help="可招生的县(区)代码，多个用分号分隔；全市招生写“全市”（留空亦为全市）"),
        Column("majors", "专业计划", "Majors", "text", max_length=1000, example="",
               help="中职学校按专业填写：专业:计划数，多个用分号分隔（如 机电技术应用:60;会计事务:40），合计等于计划数；普通高中留空"),
        Column("talent_type", "特长类别", "Talent type", "choice", choices=[("艺术", "艺术"), ("体育", "体育")], example="艺术",
               help="特长生计划的类别（艺术或体育）；没有特长生计划可留空"),
        Column("report_time", "报到时间", "Reporting time", "text", max_length=100, example="2026年8月25日 8:00—11:30",
               help="新生报到时间，印在录取通知书上；可留空（通知书写“报到安排由录取学校另行通知”），也可在录取后由学校填写。没有此列时不修改已填的报到安排"),
        Column("report_place", "报到地点", "Reporting place", "text", max_length=200, example="本校体育馆",
               help="新生报到地点；与报到时间同时填写或同时留空"),
    ],
)

PREFERENCES = TableSpec(
    name="preferences", title_zh="志愿", sheet_name="志愿",
    unique_together=[("exam_no", "batch", "rank"), ("exam_no", "program")],
    columns=[
        Column("exam_no", "准考证号", "Exam number", "identifier", required=True, max_length=20, example="2026010001"),
        Column("batch", "批次", "Batch", "integer", required=True, min=0, max=99, example=3, help="1 特长生，2 指标到校，3 统招（以本年度招生专业为准）"),
        Column("rank", "志愿序号", "Rank", "integer", required=True, min=1, max=99, example=1),
        Column("program", "招生专业代码", "Program code", "identifier", required=True, max_length=30, example="G0101-TZ",
               help="本年度招生专业的代码（见招生录取页面）"),
    ],
)

SPECS = {s.name: s for s in (ZHONGKAO, PLANS, PREFERENCES)}
