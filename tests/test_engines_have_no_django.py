"""Engines are plain Python: no module under gaozhong/*/engine/ (nor gaozhong/common, gaozhong/importer) imports
Django or the Django apps, so the CLI, the web app and the job runner can all reuse them."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent / "gaozhong"
PURE = sorted([*ROOT.glob("*/engine/**/*.py"), *ROOT.glob("common/**/*.py"), *ROOT.glob("importer/**/*.py")])
FORBIDDEN = ("django", "gaozhong.core", "gaozhong.site", "ninja", "csp", "axes")


def _imports(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    names = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names += [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.append(node.module)
    return names


def test_there_are_pure_modules_to_check():
    assert any("engine" in p.parts for p in PURE) or PURE, "no engine modules found"


@pytest.mark.parametrize("path", PURE, ids=lambda p: str(p.relative_to(ROOT)))
def test_engine_module_has_no_django_import(path):
    bad = [n for n in _imports(path) if any(n == f or n.startswith(f + ".") for f in FORBIDDEN)]
    assert not bad, f"{path} imports {bad}"


def test_the_check_catches_a_django_import(tmp_path):
    p = tmp_path / "x.py"
    p.write_text("from django.db import models\nimport gaozhong.core.models\n", encoding="utf-8")
    assert _imports(p) == ["django.db", "gaozhong.core.models"]
