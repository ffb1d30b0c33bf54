"""The house's import layers, read from the source with ``ast``: no circular imports (counting imports inside
functions too, so none can hide a cycle), the foundation (core, importer, common) imports no domain app, and no
gaozhong module is imported inside a function except in ``AppConfig.ready()`` and in the command-line entry
modules (``*cli``), which set Django up before loading models or keep Django and heavy libraries out of a command
that does not need them."""

from __future__ import annotations

import pytest

from tests.importgraph import cycles, edges_of, graph

FOUNDATION = ("gaozhong.core", "gaozhong.importer", "gaozhong.common")
DOMAIN = ("admissions", "electives", "evaluation", "people", "registry", "supervision")

EDGES = [e for e in graph() if e.target == "gaozhong" or e.target.startswith("gaozhong.")]


def _is_entry_module(name: str) -> bool:
    return name.rsplit(".", 1)[-1].endswith("cli")


def _within(name: str, prefixes) -> bool:
    return any(name == p or name.startswith(p + ".") for p in prefixes)


def _back_pointing(edges):
    return [e for e in edges if _within(e.source, FOUNDATION) and e.target.split(".")[1:2] and e.target.split(".")[1] in DOMAIN]


def _hidden(edges):
    return [e for e in edges if e.in_function and not e.in_ready and not _is_entry_module(e.source)]


def test_the_graph_sees_the_whole_package():
    sources = {e.source for e in EDGES}
    assert {"gaozhong.core.services.jobs", "gaozhong.admissions.engine.run", "gaozhong.electives.tasks"} <= sources
    assert len(EDGES) > 500


def test_no_circular_imports():
    found = cycles(EDGES)
    assert not found, "circular imports: " + "; ".join(" ↔ ".join(g) for g in found)


def test_foundation_imports_no_domain_app():
    bad = _back_pointing(EDGES)
    assert not bad, [f"{e.source}:{e.line} imports {e.target}" for e in bad]


def test_no_import_hidden_in_a_function():
    bad = _hidden(EDGES)
    assert not bad, [f"{e.source}:{e.line} ({e.in_function}) imports {e.target}" for e in bad]


# -- the checks can fail: synthetic modules -----------------------------------------------------------------------

KNOWN = {"gaozhong", "gaozhong.x", "gaozhong.x.a", "gaozhong.x.b", "gaozhong.x.apps", "gaozhong.core", "gaozhong.core.m",
         "gaozhong.people", "gaozhong.people.models", "gaozhong.people.services"}


def _edges(source: str, text: str, is_package: bool = False):
    return edges_of(source, text, KNOWN, is_package=is_package)


def test_relative_and_sibling_imports_are_resolved():
    e = _edges("gaozhong.x.a", "from . import b\nfrom .b import thing\nfrom ..people import models\nfrom ..core.m import f\n")
    assert [x.target for x in e] == ["gaozhong.x.b", "gaozhong.x.b", "gaozhong.people.models", "gaozhong.core.m"]
    pkg = _edges("gaozhong.people", "from .services import s\nfrom . import models\n", is_package=True)
    assert [x.target for x in pkg] == ["gaozhong.people.services", "gaozhong.people.models"]


def test_a_cycle_is_found_even_through_a_function_level_import():
    e = _edges("gaozhong.x.a", "from .b import f\n") + _edges("gaozhong.x.b", "def g():\n    from .a import h\n    return h\n")
    assert cycles(e) == [["gaozhong.x.a", "gaozhong.x.b"]]
    assert [x.source for x in _hidden(e)] == ["gaozhong.x.b"]


def test_a_foundation_module_importing_a_domain_app_is_caught():
    e = _edges("gaozhong.core.m", "from ..people.services import hire\nimport gaozhong.x.a\n")
    assert [x.target for x in _back_pointing(e)] == ["gaozhong.people.services"]


@pytest.mark.parametrize("text, hidden", [
    ("from django.apps import AppConfig\nclass C(AppConfig):\n    def ready(self):\n        from . import b\n", 0),
    ("class C:\n    def ready(self):\n        from . import b\n", 1),  # not an AppConfig
    ("from django.apps import AppConfig\nclass C(AppConfig):\n    def other(self):\n        from . import b\n", 1),
    ("from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from . import b\n", 0),
    ("f = lambda: __import__('x')\ndef g():\n    import json\n", 0),  # not a gaozhong import
])
def test_only_ready_may_import_inside_a_function(text, hidden):
    e = [x for x in _edges("gaozhong.x.apps", text) if x.target.startswith("gaozhong")]
    assert len(_hidden(e)) == hidden
