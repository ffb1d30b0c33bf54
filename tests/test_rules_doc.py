"""docs/rules.md names real code and real tests: every file, function, class, constant and test in the table's
code and test columns exists (read with ``ast``, nothing imported). A renamed function or a moved test makes this
fail until the row is fixed."""

from __future__ import annotations

import ast
import fnmatch
import re
from functools import cache
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
RULES = REPO / "docs" / "rules.md"
IDENT = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)*$")


def rows(text: str) -> list[tuple[int, str, str]]:
    """(line number, code cell, test cell) of every data row of the clause table."""
    out, header = [], None
    for n, line in enumerate(text.splitlines(), 1):
        if not line.startswith("|"):
            header = None
            continue
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if header is None:
            header = [c.lower() for c in cells]
            continue
        if set("".join(cells)) <= set("-: "):
            continue
        if "code" in header and "test" in header:
            out.append((n, cells[header.index("code")], cells[header.index("test")]))
    return out


def tokens(cell: str) -> list[str]:
    """The backticked names of a cell; ``::name`` continues the previous file."""
    found, last_file = [], None
    for tok in re.findall(r"`([^`]+)`", cell):
        tok = tok.strip()
        if tok.startswith("::") and last_file:
            tok = last_file + tok
        if "::" in tok or tok.endswith(".py") or tok.endswith("/"):
            last_file = tok.split("::")[0]
        found.append(tok)
    return found


@cache
def _defined(path: Path) -> frozenset[str]:
    """Names a file defines: functions, classes (and their members as Class.member), assignments."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: set[str] = set()

    def targets(node) -> list[str]:
        if isinstance(node, (ast.Assign,)):
            return [t.id for t in node.targets if isinstance(t, ast.Name)]
        if isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name):
            return [node.target.id]
        return []

    for node in tree.body:
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            names.add(node.name)
        elif isinstance(node, ast.ClassDef):
            names.add(node.name)
            for sub in node.body:
                member = sub.name if isinstance(sub, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)) else None
                for t in ([member] if member else targets(sub)):
                    names.update({t, f"{node.name}.{t}"})
        else:
            names.update(targets(node))
    return frozenset(names)


def _files(root: Path) -> list[Path]:
    return sorted(p for p in root.rglob("*.py") if ".venv" not in p.parts)


def _resolve_path(part: str, kind: str) -> list[Path]:
    """Files or folders a path token names: ``tests/…`` from the repository, code from gaozhong/, a bare file name
    anywhere in its tree."""
    base = REPO if part.startswith(("tests/", "gaozhong/", "bench/")) else REPO / ("tests" if kind == "test" else "gaozhong")
    direct = base / part
    if direct.exists():
        return [direct]
    tree = REPO / ("tests" if kind == "test" else "gaozhong")
    if "/" not in part.rstrip("/"):
        return [p for p in _files(tree) if p.name == part]
    # a path relative to the row's app (``services/runs.py``): any file of the tree that ends with it
    return [p for p in _files(tree) if p.as_posix().endswith("/" + part)]


def problem(token: str, kind: str) -> str | None:
    """Why ``token`` names nothing, or ``None`` when it exists."""
    if " " in token:
        return None  # a command or prose, not a name
    path, _, name = token.partition("::")
    if "/" in path or path.endswith(".py"):
        hits = _resolve_path(path, kind)
        if not hits:
            return f"no file or folder {path}"
        if name and not any(p.is_file() and name in _defined(p) for p in hits):
            return f"{path} defines no {name}"
        return None
    tree = REPO / ("tests" if kind == "test" else "gaozhong")
    if "*" in token:
        return None if any(fnmatch.fnmatch(n, token) for p in _files(tree) for n in _defined(p)) else f"nothing matches {token}"
    if not IDENT.match(token):
        return None
    if "." in token:  # module.name or Class.member
        head, rest = token.split(".", 1)
        if any(p.stem == head and rest in _defined(p) for p in _files(tree)):
            return None
    if any(token in _defined(p) for p in _files(tree)):
        return None
    return f"nothing defines {token}"


def check(text: str) -> list[str]:
    out = []
    for n, code, test in rows(text):
        for kind, cell in (("code", code), ("test", test)):
            for tok in tokens(cell):
                why = problem(tok, kind)
                if why:
                    out.append(f"docs/rules.md:{n} {kind} `{tok}`: {why}")
    return out


def test_rules_table_is_read():
    found = rows(RULES.read_text(encoding="utf-8"))
    assert len(found) > 30
    assert all(code or test for _, code, test in found)


def test_every_code_and_test_named_in_rules_md_exists():
    bad = check(RULES.read_text(encoding="utf-8"))
    assert not bad, "\n".join(bad)


@pytest.mark.parametrize("cell, kind, ok", [
    ("`core/scoping.py::visible`", "code", True),
    ("`core/scoping.py::no_such_function`", "code", False),
    ("`core/nowhere.py`", "code", False),
    ("`services/catalog.py::document_adopt`", "code", True),
    ("`services/catalog.py::document_unadopt_never`", "code", False),
    ("`admissions/engine/`", "code", True),
    ("`verify.is_within_capacity`", "code", True),
    ("`verify.is_never_defined`", "code", False),
    ("`supervision/selectors.py::Pack.governs`", "code", True),
    ("`tests/core/test_scoping.py`", "test", True),
    ("`tests/supervision/test_truth.py::test_each_page_shows_the_facts_layers_figure`, `::test_no_such_test`", "test", False),
    ("`test_rules_table_is_read`", "test", True),
    ("`test_that_was_renamed_away`", "test", False),
])
def test_the_check_finds_a_missing_name(cell, kind, ok):
    text = "| clause | rule | code | test | page |\n| --- | --- | --- | --- | --- |\n"
    text += f"| x | y | {cell if kind == 'code' else ''} | {cell if kind == 'test' else ''} | z |\n"
    assert (check(text) == []) is ok, check(text)
