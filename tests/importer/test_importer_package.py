"""House rules for the package itself: no Django, no core/site import, openpyxl only when needed, doctests."""

from __future__ import annotations

import ast
import io
import doctest
import importlib
import subprocess
import sys
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[2] / "gaozhong" / "importer"
MODULES = sorted(p for p in PACKAGE.glob("*.py"))


def imported_names(path: Path) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(a.name for a in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
    return names


@pytest.mark.parametrize("path", MODULES, ids=lambda p: p.name)
def test_no_django_and_no_platform_layers(path):
    for name in imported_names(path):
        assert not name.startswith("django"), name
        assert not name.startswith(("gaozhong.core", "gaozhong.site")), name


@pytest.mark.parametrize("path", MODULES, ids=lambda p: p.name)
def test_every_module_says_what_it_is_for(path):
    doc = ast.get_docstring(ast.parse(path.read_text(encoding="utf-8")))
    assert doc and len(doc) > 40


def test_importing_the_package_does_not_load_openpyxl():
    code = "import sys, gaozhong.importer; print('openpyxl' in sys.modules, 'django' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.split() == ["False", "False"]


@pytest.mark.parametrize("name", ["spec", "idnumber", "convert", "readers"])
def test_module_examples_run(name):
    module = importlib.import_module(f"gaozhong.importer.{name}")
    result = doctest.testmod(module)
    assert result.attempted > 0 and result.failed == 0


def test_the_recipe_in_the_docs_runs(tmp_path):
    """The 'declaring a new import' block of docs/importer.md is real code: run it on a real upload."""
    import re
    from datetime import date

    from gaozhong.importer import write_xlsx

    text = (PACKAGE.parents[1] / "docs" / "importer.md").read_text(encoding="utf-8")
    block = re.search(r"```python\n(.*?)```", text, re.S).group(1)
    assert len(block.strip().splitlines()) <= 22
    spec_part = block.split("result = ")[0]
    ns: dict = {}
    exec(spec_part, ns)
    teachers = ns["TEACHERS"]
    buf = io.BytesIO()
    rows = [{"staff_no": "T0002", "id_number": "11010519491231002X", "name": "张老师", "subject": "english",
             "hired": date(2020, 9, 1), "hours": 14}]
    write_xlsx(buf, teachers, rows)
    ns = {"upload_bytes": buf.getvalue()}
    exec(block, ns)
    assert [r.values for r in ns["result"].rows] == rows
    assert ns["template"][:2] == b"PK"
