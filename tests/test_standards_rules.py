"""The rules of 班额 and 师生比 themselves (002 §三(七), §三(三)), on both sides of each boundary: the standards
table's bands and the facts layer's ratio, checked against the document's numbers written out here; and that no
template, message or demo writes a standard itself (they read gaozhong/common/standards.py)."""

from __future__ import annotations

import ast
import io
import re
import tokenize
from dataclasses import replace
from pathlib import Path

import pytest

from django.template import Context, Template
from django.utils import translation

from gaozhong.common.standards import CLASS_LARGE_MAX, CLASS_MAX, STUDENTS_PER_TEACHER, class_band
from gaozhong.core.context import STANDARDS_SHOWN
from gaozhong.core.facts import SchoolFacts, ratio_text


@pytest.mark.parametrize("size, band", [(1, "ok"), (55, "ok"), (56, "large"), (65, "large"), (66, "huge"), (90, "huge")])
def test_class_size_bands_follow_002_three_seven(size, band):
    assert (CLASS_MAX, CLASS_LARGE_MAX) == (55, 65)
    assert class_band(size) == band


def _facts(*, students: int, teachers_fulltime: int) -> SchoolFacts:
    return SchoolFacts(school_id=1, year=2025, students=students, fulltime_ids=frozenset(range(teachers_fulltime)))


@pytest.mark.parametrize("students, teachers, meets", [(125, 10, True), (126, 10, False), (1250, 100, True), (1251, 100, False)])
def test_students_per_teacher_is_enrolled_over_fulltime_against_12_5(students, teachers, meets):
    assert float(STUDENTS_PER_TEACHER) == 12.5
    f = _facts(students=students, teachers_fulltime=teachers)
    assert f.students_per_teacher == students / teachers
    assert (f.students_per_teacher <= STUDENTS_PER_TEACHER) is meets
    assert ratio_text(f) == f"1 : {students / teachers:.2f}"


def test_no_fulltime_teacher_has_no_ratio():
    f = _facts(students=100, teachers_fulltime=0)
    assert f.students_per_teacher is None and ratio_text(f) == "无专任教师"
    assert replace(f, fulltime_ids=frozenset(range(8))).students_per_teacher == 12.5


# -- No page, message or demo writes a standard itself ----------------------------------------------------------
# A standard is written once, in gaozhong/common/standards.py. Templates quote it through the ``std`` context
# (gaozhong/core/context.py::STANDARDS_SHOWN), Python text through the constants.

ROOT = Path(__file__).resolve().parents[1] / "gaozhong"
#: How a standard shows up when written out: class sizes with 人, 72 课时, 1:12.5 and 12.5, school sizes with 人,
#: the percentages 15 % / 50 % / 96 %, 1000 元, and a comparison with 55 or 72 in a template.
LITERAL = re.compile(
    r"(?<![\d.])(?:55|56|65|66)\s*人|(?<![\d.])72\s*课时|(?<![\d.])12\.5(?!\d)|(?<![\d.])(?:5000|3000)\s*人"
    r"|(?<![\d.])(?:15|50|96)\s*%|(?<![\d.])1000\s*元|[<>]=?\s*(?:55|72)(?!\d)"
)
#: Number literals equal to a standard; a line may say ``# not a standard: …`` when the number means something else.
NUMBERS = ("55", "12.5", "72", "5000", "3000")
NOT_STANDARD = ("batch_size", "LIMIT", "max_value", "ids[:", "not a standard")


def _texts(path: Path) -> list[tuple[int, str]]:
    """(line, text) of a file's strings that a user can read: template lines, or Python string constants that
    are not docstrings."""
    if path.suffix != ".py":
        return list(enumerate(path.read_text(encoding="utf-8").splitlines(), start=1))
    tree = ast.parse(path.read_text(encoding="utf-8"))
    docstrings = set()
    for node in ast.walk(tree):
        if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)) and node.body:
            first = node.body[0]
            if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant) and isinstance(first.value.value, str):
                docstrings.add(id(first.value))
    return [(n.lineno, n.value) for n in ast.walk(tree)
            if isinstance(n, ast.Constant) and isinstance(n.value, str) and id(n) not in docstrings]


def _sources(*suffixes: str) -> list[Path]:
    return [p for p in ROOT.rglob("*") if p.suffix in suffixes and not {"migrations", "locale", "vendor"} & set(p.parts)
            and p != ROOT / "common" / "standards.py"]


def _literals(paths: list[Path]) -> list[str]:
    return [f"{_name(p)}:{line} {m.group(0)!r}" for p in paths for line, text in _texts(p) for m in LITERAL.finditer(text)]


def _name(path: Path) -> str:
    return str(path.relative_to(ROOT)) if path.is_relative_to(ROOT) else path.name


def test_the_scanner_sees_a_written_standard_and_nothing_else(tmp_path):
    bad = tmp_path / "bad.html"
    bad.write_text('{% translate "≤55 人" %}\n{% if v.0 < 72 %}\n师生比 1:12.5\n目标 15%\n', encoding="utf-8")
    assert len(_literals([bad])) == 4
    fine = tmp_path / "fine.py"
    fine.write_text('"""班额 ≤ 55 人 (a docstring may cite the clause)."""\nA = "95% 区间"\nB = f"≤{CLASS_MAX}人"\n', encoding="utf-8")
    assert _literals([fine]) == []


def test_no_template_writes_a_standard():
    assert _literals(_sources(".html", ".txt", ".js")) == []


def test_no_python_text_writes_a_standard():
    """Messages, labels and demo data (task titles, chart legends) take the numbers from the standards table."""
    assert _literals(_sources(".py")) == []


def test_no_python_number_literal_is_a_standard_demo_generators_included():
    found = []
    for path in _sources(".py"):
        for tok in tokenize.generate_tokens(io.StringIO(path.read_text(encoding="utf-8")).readline):
            if tok.type == tokenize.NUMBER and tok.string in NUMBERS and not any(s in tok.line for s in NOT_STANDARD):
                previous = path.read_text(encoding="utf-8").splitlines()[tok.start[0] - 2] if tok.start[0] > 1 else ""
                if "not a standard" not in previous:
                    found.append(f"{_name(path)}:{tok.start[0]} {tok.string}")
    assert found == []


@pytest.mark.parametrize("language, source, expected", [
    ("zh-hans", "{% blocktranslate with n=std.class_max %}仅显示超过 {{ n }} 人{% endblocktranslate %}", "仅显示超过 55 人"),
    ("en", "{% blocktranslate with n=std.class_max %}仅显示超过 {{ n }} 人{% endblocktranslate %}", "Only classes over 55"),
    ("en", "{% blocktranslate with p=std.rotation_min_percent %}目标 {{ p }}%{% endblocktranslate %}", "Target 15%"),
    ("zh-hans", "{% blocktranslate with p=std.rotation_min_percent %}达到 {{ p }}% 以上还需交流人数{% endblocktranslate %}", "达到 15% 以上还需交流人数"),
    ("en", "{% blocktranslate with ratio=std.students_per_teacher %}现有专任教师 / 按师生比 1:{{ ratio }} 需{% endblocktranslate %}",
     "Full-time teachers / needed at 1:12.5"),
    ("en", "{% blocktranslate with hours=std.researcher_min_hours %}不足 {{ hours }} 课时{% endblocktranslate %}", "Under 72 hours"),
])
def test_pages_quote_the_table_in_both_languages(language, source, expected):
    assert STANDARDS_SHOWN["class_max"] == CLASS_MAX and STANDARDS_SHOWN["students_per_teacher"] == float(STUDENTS_PER_TEACHER)
    with translation.override(language):
        assert Template("{% load i18n %}" + source).render(Context({"std": STANDARDS_SHOWN})) == expected
