"""The indicator catalog file (``gaozhong/supervision/data/catalog.toml``): policy documents, data elements,
indicators (each a target of one document) and validation rules, read and checked as a whole.

A **document** is a policy text with its title, short title, 文号, issuing body, the level of its jurisdiction
(city, county) and date. Every indicator is a target of one document: its ``source_clause`` is
``<document code> §<section>`` (``002 §三(七)``), and a target the document sets for one named school carries
``school`` (the school's name in the document; a deployment binds it to a school code when it adopts the
document). Which documents are judged is the deployment's choice (``supervision.models.Adoption``).

An indicator is numerator / denominator × factor over named data elements (the DHIS2 model), with a direction,
a target (or the key of a standard in ``gaozhong.common.standards``, whose value it then takes), a **kind**
(``KINDS``) and a deadline: the year of the document's "到 YYYY 年" (none = in force every year), judged on
school year (YYYY−1)–YYYY (``engine.compliance.judged_year``). Every mistake in the file is reported at once,
naming the entry (``indicator[7] (SS-01): …``), and nothing is loaded.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from gaozhong.common import standards
from gaozhong.common.errors import InputError, Problem

__all__ = [
    "LEVELS", "SCOPES", "DIRECTIONS", "APPLIES_TO", "AGGREGATES", "KINDS", "DOC_LEVELS", "DocumentDef", "ElementDef",
    "IndicatorDef", "RuleDef", "Catalog", "load_catalog", "parse_catalog", "scope_level", "split_clause", "DEFAULT_CATALOG",
]

DEFAULT_CATALOG = Path(__file__).resolve().parent.parent / "data" / "catalog.toml"

LEVELS = ("school", "county", "city")
SCOPES = ("class", "school", "county", "city")
DIRECTIONS = {"le": "≤", "lt": "<", "ge": "≥", "gt": ">", "eq": "=", "drop": "每年下降≥"}
APPLIES_TO = {
    "all": "全部普通高中", "quality": "优质高中（省级、市级示范）", "provincial": "省级示范高中", "city_model": "市级示范高中",
    "ordinary": "普通（非示范）高中", "public": "公办高中", "private": "民办高中",
}
AGGREGATES = {"sum": "分子分母分别汇总", "units": "下级单位达标比例"}
#: Kinds of target. threshold: the value against the target; non_decreasing (不降低): the threshold, and not
#: below the unit's own value of the year before (已达到的不得降低); annual_drop (逐年下降 ≥ N): the value falls
#: by at least the target each year (direction ``drop``); count: a number of units (学校数) against the target;
#: presence (建成): a yes/no element, met when present (1).
KINDS = {"threshold": "达到目标值", "non_decreasing": "达到目标值且不降低", "annual_drop": "逐年下降", "count": "单位数量",
         "presence": "建成"}
DOC_LEVELS = {"city": "市级", "county": "县级"}
_CLAUSE = re.compile(r"^(\d{3}) §(\S.*)$")
VALUE_TYPES = ("integer", "decimal", "boolean")
RULE_KINDS = ("le", "ge", "eq", "change")
_RANK = {"school": 0, "county": 1, "city": 2}


def split_clause(source_clause: str) -> tuple[str, str] | None:
    """``"002 §三(七)"`` → ``("002", "三(七)")``; None when the text is not a document code and a section."""
    m = _CLAUSE.match(source_clause.strip())
    return (m.group(1), m.group(2)) if m else None


@dataclass(frozen=True)
class DocumentDef:
    code: str
    short_title: str
    title: str
    number: str  # 文号 ("" when the text has none, e.g. a draft)
    issuer: str
    level: str  # city | county: the jurisdiction the document governs
    jurisdiction: str  # the place named by the document (晋城市, 阳城县 …)
    date: str  # as printed (YYYY-MM-DD, YYYY-MM, or "")
    schools: tuple[str, ...] = ()  # schools the document names with targets of their own


def scope_level(scope: str) -> str:
    """The unit level an indicator of this scope is first evaluated at: class targets are judged per school."""
    return "school" if scope in ("class", "school") else scope


@dataclass(frozen=True)
class ElementDef:
    code: str
    name_zh: str
    name_en: str
    level: str  # school | county | city: where the value is reported or first computed
    source: str  # computed | reported
    value_type: str = "integer"
    unit: str = ""
    definition: str = ""


@dataclass(frozen=True)
class IndicatorDef:
    code: str
    name_zh: str
    name_en: str
    source_clause: str
    scope: str
    numerator: str
    denominator: str | None
    factor: float
    unit: str
    direction: str
    target: float | None
    deadline: int | None
    applies_to: str
    definition: str
    aggregate: str = "sum"
    kind: str = "threshold"
    school: str = ""  # a target the document sets for one named school

    @property
    def document(self) -> str:
        parts = split_clause(self.source_clause)
        return parts[0] if parts else ""

    def content(self) -> dict:
        """The fields a version records; two definitions with equal content are the same version."""
        return {
            "name_zh": self.name_zh, "name_en": self.name_en, "source_clause": self.source_clause, "scope": self.scope,
            "numerator": self.numerator, "denominator": self.denominator, "factor": float(self.factor), "unit": self.unit,
            "direction": self.direction, "target": None if self.target is None else float(self.target),
            "deadline": self.deadline, "applies_to": self.applies_to, "definition": self.definition, "aggregate": self.aggregate,
            "kind": self.kind, "named_school": self.school,
        }


@dataclass(frozen=True)
class RuleDef:
    code: str
    kind: str  # le | ge | eq | change
    left: str | None = None
    right: tuple[str, ...] = ()
    report_on: str | None = None
    threshold: float | None = None  # percent, for change
    message: str = ""


@dataclass(frozen=True)
class Catalog:
    version: str
    elements: dict[str, ElementDef]
    indicators: dict[str, IndicatorDef]
    rules: tuple[RuleDef, ...] = field(default_factory=tuple)
    documents: dict[str, DocumentDef] = field(default_factory=dict)

    def reported(self, level: str) -> list[ElementDef]:
        return [e for e in self.elements.values() if e.source == "reported" and e.level == level]


def load_catalog(path: str | Path = DEFAULT_CATALOG) -> Catalog:
    """Read and check the catalog file; raise InputError listing every problem."""
    p = Path(path)
    return parse_catalog(p.read_text(encoding="utf-8"), name=p.name)


def parse_catalog(text: str, *, name: str = "catalog.toml") -> Catalog:
    problems: list[Problem] = []

    def bad(where: str, reason: str) -> None:
        problems.append(Problem(name, None, where, reason))

    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise InputError([Problem(name, getattr(exc, "lineno", None), None, f"不是有效的 TOML：{exc} (not valid TOML)")]) from None
    version = str(data.get("catalog_version") or "")
    if not version:
        bad("catalog_version", "缺少目录版本号 (catalog_version missing)")

    documents: dict[str, DocumentDef] = {}
    for i, raw in enumerate(data.get("document", [])):
        code = str(raw.get("code", ""))
        where = f"document[{i}] ({code or '?'})"
        if not re.fullmatch(r"\d{3}", code) or code in documents:
            bad(where, "文件代码须为三位数字且不重复 (code: three digits, unique)")
            continue
        for key in ("short_title", "title", "issuer", "jurisdiction"):
            if not str(raw.get(key, "")).strip():
                bad(where, f"缺少 {key} ({key} required)")
        if raw.get("level") not in DOC_LEVELS:
            bad(where, f"level 须为 {'/'.join(DOC_LEVELS)} (bad level {raw.get('level')!r})")
        documents[code] = DocumentDef(code, str(raw.get("short_title", "")), str(raw.get("title", "")), str(raw.get("number", "")),
                                      str(raw.get("issuer", "")), str(raw.get("level", "")), str(raw.get("jurisdiction", "")),
                                      str(raw.get("date", "")), tuple(str(s) for s in raw.get("schools", ())))

    elements: dict[str, ElementDef] = {}
    for i, raw in enumerate(data.get("element", [])):
        where = f"element[{i}] ({raw.get('code', '?')})"
        code = str(raw.get("code", ""))
        if not code.isidentifier():
            bad(where, "代码须为字母、数字和下划线 (code must be an identifier)")
            continue
        if code in elements:
            bad(where, "代码重复 (duplicate code)")
            continue
        level, source = raw.get("level"), raw.get("source")
        vtype = raw.get("value_type", "integer")
        if level not in LEVELS:
            bad(where, f"level 须为 {'/'.join(LEVELS)} (bad level {level!r})")
        if source not in ("computed", "reported"):
            bad(where, f"source 须为 computed 或 reported (bad source {source!r})")
        if vtype not in VALUE_TYPES:
            bad(where, f"value_type 须为 {'/'.join(VALUE_TYPES)} (bad value_type {vtype!r})")
        if not raw.get("name_zh") or not raw.get("name_en"):
            bad(where, "须有中文和英文名称 (name_zh and name_en required)")
        elements[code] = ElementDef(code, str(raw.get("name_zh", "")), str(raw.get("name_en", "")), str(level), str(source),
                                    str(vtype), str(raw.get("unit", "")), str(raw.get("definition", "")))

    indicators: dict[str, IndicatorDef] = {}
    for i, raw in enumerate(data.get("indicator", [])):
        code = str(raw.get("code", ""))
        where = f"indicator[{i}] ({code or '?'})"
        if not code or len(code) > 20:
            bad(where, "缺少代码或代码过长 (code missing or longer than 20)")
            continue
        if code in indicators:
            bad(where, "代码重复 (duplicate code)")
            continue
        for key in ("name_zh", "name_en", "source_clause", "definition"):
            if not str(raw.get(key, "")).strip():
                bad(where, f"缺少 {key} ({key} required)")
        scope = raw.get("scope")
        if scope not in SCOPES:
            bad(where, f"scope 须为 {'/'.join(SCOPES)} (bad scope {scope!r})")
            continue
        direction = raw.get("direction")
        if direction not in DIRECTIONS:
            bad(where, f"direction 须为 {'/'.join(DIRECTIONS)} (bad direction {direction!r})")
        applies = raw.get("applies_to", "all")
        if applies not in APPLIES_TO:
            bad(where, f"applies_to 须为 {'/'.join(APPLIES_TO)} (bad applies_to {applies!r})")
        elif applies != "all" and scope_level(scope) != "school":
            bad(where, "applies_to 只适用于班级或学校指标 (applies_to is for class and school indicators)")
        num, den = raw.get("numerator"), raw.get("denominator")
        level = scope_level(scope)
        for role, el in (("numerator", num), ("denominator", den)):
            if el is None:
                if role == "numerator":
                    bad(where, "缺少分子 (numerator required)")
                continue
            e = elements.get(el)
            if e is None:
                bad(where, f"{role} “{el}” 不是已定义的数据项 (unknown element)")
            elif _RANK[e.level] > _RANK[level]:
                bad(where, f"{role} “{el}” 是{e.level}级数据项，不能用于{scope}级指标 (element above the indicator's level)")
            elif e.source == "reported" and _RANK[e.level] < _RANK[level]:
                bad(where, f"{role} “{el}” 由下级单位填报，不能直接用于{scope}级指标 (reported element below the indicator's level)")
        factor = raw.get("factor", 1)
        if not isinstance(factor, (int, float)) or isinstance(factor, bool) or factor <= 0:
            bad(where, f"factor 须为正数 (bad factor {factor!r})")
            factor = 1
        target = raw.get("target")
        if target is not None and (not isinstance(target, (int, float)) or isinstance(target, bool)):
            bad(where, f"target 须为数字 (bad target {target!r})")
            target = None
        std = raw.get("standard")
        if std is not None:
            if std not in standards.STANDARDS:
                bad(where, f"standard “{std}” 不在标准表中 (unknown standard)")
            elif target is not None and abs(float(target) - standards.standard(std)) > 1e-9:
                bad(where, f"target {target} 与标准表 {std} = {standards.standard(std)} 不一致 (target differs from the standards table)")
            else:
                target = standards.standard(std)
        parts = split_clause(str(raw.get("source_clause", "")))
        doc = documents.get(parts[0]) if parts else None
        if doc is None:
            bad(where, "source_clause 须为“文件代码 §条款”，且文件已在 [[document]] 中登记 (source_clause must name a listed document)")
        kind = raw.get("kind", "annual_drop" if direction == "drop" else "threshold")
        if kind not in KINDS:
            bad(where, f"kind 须为 {'/'.join(KINDS)} (bad kind {kind!r})")
        elif (kind == "annual_drop") != (direction == "drop"):
            bad(where, "逐年下降 (annual_drop) 与方向 drop 须同时使用 (annual_drop goes with direction drop)")
        elif kind == "non_decreasing" and direction not in ("ge", "gt"):
            bad(where, "不降低 (non_decreasing) 只用于 ge/gt 目标 (non_decreasing needs ge or gt)")
        elif kind == "presence" and (raw.get("denominator") is not None or direction != "ge" or target != 1):
            bad(where, "建成 (presence) 指标只有分子（是/否），目标 ≥ 1 (presence: a yes/no numerator, target ≥ 1)")
        named = str(raw.get("school", ""))
        if named:
            if scope_level(str(scope)) != "school":
                bad(where, "school 只用于学校指标 (a named school needs a school indicator)")
            elif doc is not None and named not in doc.schools:
                bad(where, f"学校“{named}”不在文件 {doc.code} 的 schools 中 (the document does not name this school)")
        if direction == "drop" and (target is None or target <= 0):
            bad(where, "drop 方向须给出每年下降的正数幅度 (drop needs a positive target)")
        aggregate = raw.get("aggregate", "sum")
        if aggregate not in AGGREGATES:
            bad(where, f"aggregate 须为 {'/'.join(AGGREGATES)} (bad aggregate {aggregate!r})")
        elif aggregate == "units" and scope == "city":
            bad(where, "市级指标没有下级单位可计达标比例 (a city indicator has no units to count)")
        deadline = raw.get("deadline")
        if deadline is not None and (not isinstance(deadline, int) or not 2000 <= deadline <= 2100):
            bad(where, f"deadline 须为学年起始年份 (bad deadline {deadline!r})")
            deadline = None
        indicators[code] = IndicatorDef(
            code=code, name_zh=str(raw.get("name_zh", "")), name_en=str(raw.get("name_en", "")),
            source_clause=str(raw.get("source_clause", "")), scope=str(scope), numerator=str(num), denominator=den,
            factor=float(factor), unit=str(raw.get("unit", "")), direction=str(direction),
            target=None if target is None else float(target), deadline=deadline, applies_to=str(applies),
            definition=str(raw.get("definition", "")), aggregate=str(aggregate), kind=str(kind), school=named,
        )

    rules: list[RuleDef] = []
    seen_rules: set[str] = set()
    for i, raw in enumerate(data.get("rule", [])):
        code = str(raw.get("code", ""))
        where = f"rule[{i}] ({code or '?'})"
        if not code or code in seen_rules:
            bad(where, "缺少代码或代码重复 (code missing or duplicate)")
            continue
        seen_rules.add(code)
        kind = raw.get("kind")
        if kind not in RULE_KINDS:
            bad(where, f"kind 须为 {'/'.join(RULE_KINDS)} (bad kind {kind!r})")
            continue
        if kind == "change":
            threshold = raw.get("threshold")
            if not isinstance(threshold, (int, float)) or threshold <= 0:
                bad(where, "change 规则须给出正数阈值（百分比） (threshold required)")
                continue
            rules.append(RuleDef(code, kind, threshold=float(threshold), message=str(raw.get("message", ""))))
            continue
        left, right = raw.get("left"), tuple(raw.get("right", ()))
        names = [left, *right]
        unknown = [n for n in names if n not in elements]
        if unknown or not right:
            bad(where, f"未知数据项或缺少 right：{unknown} (unknown elements or empty right side)")
            continue
        report_on = raw.get("report_on") or next((n for n in names if elements[n].source == "reported"), None)
        if report_on is None or report_on not in elements or elements[report_on].source != "reported":
            bad(where, "规则须涉及至少一个填报数据项，并在其上报告 (a rule must name a reported element to report on)")
            continue
        levels = {elements[n].level for n in names if elements[n].source == "reported"}
        if len(levels) > 1:
            bad(where, "一条规则的填报数据项须属于同一级 (reported elements of one rule must share a level)")
            continue
        rules.append(RuleDef(code, kind, left=left, right=right, report_on=report_on, message=str(raw.get("message", ""))))

    if problems:
        raise InputError(problems)
    return Catalog(version=version, elements=elements, indicators=indicators, rules=tuple(rules), documents=documents)
