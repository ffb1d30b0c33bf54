"""Engines are plain Python: no module under gaozhong/*/engine/ (nor gaozhong/common, gaozhong/importer) imports
Django or the Django apps, so the CLI, the web app and the job runner can all reuse them.

Imports are read with ``ast`` (tests/importgraph.py): absolute, relative (``from ..models import X``) and
sibling-app imports are resolved, and the check follows every gaozhong module a pure module reaches, so an engine
that imports a non-engine gaozhong module which imports Django fails too."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.importgraph import REPO, edges_of, graph, module_name

ROOT = REPO / "gaozhong"
PURE = sorted([*ROOT.glob("*/engine/**/*.py"), *ROOT.glob("common/**/*.py"), *ROOT.glob("importer/**/*.py")])
FORBIDDEN = ("django", "django_tasks", "gaozhong.core", "gaozhong.site", "ninja", "csp", "axes")


def _forbidden(name: str) -> bool:
    return any(name == f or name.startswith(f + ".") for f in FORBIDDEN)


def _adjacency(edges) -> dict[str, set[str]]:
    adj: dict[str, set[str]] = {}
    for e in edges:
        if not e.type_only:
            adj.setdefault(e.source, set()).add(e.target)
    return adj


def django_paths(start: str, adj: dict[str, set[str]]) -> list[list[str]]:
    """Every import chain from ``start`` to a forbidden module, through gaozhong modules (shortest first)."""
    found, seen, queue = [], {start}, [[start]]
    while queue:
        path = queue.pop(0)
        for target in sorted(adj.get(path[-1], ())):
            if _forbidden(target):
                found.append([*path, target])
            elif target.startswith("gaozhong") and target not in seen:
                seen.add(target)
                queue.append([*path, target])
    return found


ADJ = _adjacency(graph())


def test_there_are_pure_modules_to_check():
    names = [module_name(p) for p in PURE]
    assert any(".engine." in n for n in names) and "gaozhong.importer.spec" in names


@pytest.mark.parametrize("path", PURE, ids=lambda p: str(p.relative_to(ROOT)))
def test_engine_module_has_no_django_import(path):
    chains = django_paths(module_name(path), ADJ)
    assert not chains, f"{path} reaches Django: " + "; ".join(" → ".join(c) for c in chains[:3])


def _synthetic(modules: dict[str, str]) -> dict[str, set[str]]:
    known = set(modules)
    edges = []
    for name, text in modules.items():
        edges += edges_of(name, text, known, is_package=False)
    return _adjacency(edges)


def test_the_check_catches_a_direct_django_import():
    adj = _synthetic({"gaozhong.x.engine.run": "from django.db import models\nimport gaozhong.core.models\n",
                      "gaozhong.core.models": ""})
    assert django_paths("gaozhong.x.engine.run", adj) == [["gaozhong.x.engine.run", "django.db"],
                                                          ["gaozhong.x.engine.run", "gaozhong.core.models"]]


def test_the_check_catches_a_relative_import_of_a_django_module():
    adj = _synthetic({"gaozhong.x.engine.run": "from ..models import Thing\n",
                      "gaozhong.x.models": "from django.db import models\n"})
    assert django_paths("gaozhong.x.engine.run", adj) == [["gaozhong.x.engine.run", "gaozhong.x.models", "django.db"]]


def test_the_check_catches_a_sibling_app_reached_through_a_helper():
    adj = _synthetic({"gaozhong.x.engine.run": "from . import helper\n",
                      "gaozhong.x.engine.helper": "from ...y.selectors import figures\n",
                      "gaozhong.y.selectors": "def figures():\n    from gaozhong.core.scoping import visible\n"})
    assert django_paths("gaozhong.x.engine.run", adj) == [
        ["gaozhong.x.engine.run", "gaozhong.x.engine.helper", "gaozhong.y.selectors", "gaozhong.core.scoping"]]


def test_a_pure_chain_passes():
    adj = _synthetic({"gaozhong.x.engine.run": "from . import helper\nimport numpy\n",
                      "gaozhong.x.engine.helper": "from gaozhong.common.errors import InputError\n",
                      "gaozhong.common.errors": "import dataclasses\n"})
    assert django_paths("gaozhong.x.engine.run", adj) == []


def test_the_real_check_would_fail_on_a_synthetic_engine(tmp_path: Path):
    """A module written to disk is parsed the same way as the package's own."""
    p = tmp_path / "run.py"
    p.write_text("from ..models import Thing\n", encoding="utf-8")
    adj = dict(ADJ)
    adj.update(_adjacency(edges_of("gaozhong.admissions.engine.fake", p.read_text(encoding="utf-8"),
                                   {"gaozhong.admissions.models"}, is_package=False)))
    chains = django_paths("gaozhong.admissions.engine.fake", adj)
    assert chains and chains[0][:2] == ["gaozhong.admissions.engine.fake", "gaozhong.admissions.models"]
