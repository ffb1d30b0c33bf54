"""The import graph of the gaozhong package, read with ``ast`` (nothing is imported).

Every ``import`` and ``from … import`` is resolved to a gaozhong module: absolute imports, relative imports
(``from . import x``, ``from ..tasks import y``) and imports of a sibling app. Each edge remembers whether it sits
at module level or inside a function (and whether that function is an ``AppConfig.ready()``), so the layer tests
can check cycles, back-pointing imports and imports hidden in functions.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
PACKAGE = "gaozhong"


@dataclass(frozen=True)
class Edge:
    source: str          # importing module, dotted
    target: str          # imported gaozhong module (or external top-level name), dotted
    line: int
    in_function: str     # "" at module level, else the function's name
    in_ready: bool       # inside an AppConfig.ready() method
    type_only: bool      # under ``if TYPE_CHECKING:``


def module_name(path: Path, root: Path = REPO) -> str:
    parts = list(path.relative_to(root).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def discover(root: Path = REPO, package: str = PACKAGE) -> dict[str, Path]:
    """Every module of ``package`` under ``root`` by dotted name."""
    return {module_name(p, root): p for p in sorted((root / package).rglob("*.py"))}


def _is_type_checking(test: ast.expr) -> bool:
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING")


def _is_appconfig(cls: ast.ClassDef) -> bool:
    return any((isinstance(b, ast.Name) and b.id == "AppConfig") or (isinstance(b, ast.Attribute) and b.attr == "AppConfig") for b in cls.bases)


def _resolve(name: str, known: set[str]) -> str:
    """The longest known module that ``name`` starts with (``name`` itself when it is outside the package)."""
    parts = name.split(".")
    for i in range(len(parts), 0, -1):
        cand = ".".join(parts[:i])
        if cand in known:
            return cand
    return name


def edges_of(source: str, text: str, known: set[str], *, is_package: bool) -> list[Edge]:
    """The imports in one module's source, resolved against the known module names."""
    tree = ast.parse(text)
    here = source.split(".") if is_package else source.split(".")[:-1]
    out: list[Edge] = []

    def targets(node) -> list[str]:
        if isinstance(node, ast.Import):
            return [_resolve(a.name, known) for a in node.names]
        if node.level:
            base_parts = here[: len(here) - (node.level - 1)] if node.level > 1 else here
            base = ".".join(base_parts)
            mod = f"{base}.{node.module}" if node.module else base
        else:
            mod = node.module or ""
        found = []
        for a in node.names:
            sub = f"{mod}.{a.name}"
            found.append(sub if sub in known else _resolve(mod, known))
        return found

    def visit(node, func: str, ready: bool, type_only: bool, cls: ast.ClassDef | None) -> None:
        for child in ast.iter_child_nodes(node):
            if isinstance(child, (ast.Import, ast.ImportFrom)):
                for t in targets(child):
                    out.append(Edge(source, t, child.lineno, func, ready, type_only))
            elif isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef)):
                is_ready = ready or (cls is not None and child.name == "ready" and _is_appconfig(cls) and not func)
                visit(child, func or child.name, is_ready, type_only, None)
            elif isinstance(child, ast.Lambda):
                visit(child, func or "<lambda>", ready, type_only, None)
            elif isinstance(child, ast.ClassDef):
                visit(child, func, ready, type_only, child)
            elif isinstance(child, ast.If) and _is_type_checking(child.test):
                for sub in child.body:
                    visit(ast.Module(body=[sub], type_ignores=[]), func, ready, True, cls)
                for sub in child.orelse:
                    visit(ast.Module(body=[sub], type_ignores=[]), func, ready, type_only, cls)
            else:
                visit(child, func, ready, type_only, cls)

    visit(tree, "", False, False, None)
    return out


def graph(root: Path = REPO, package: str = PACKAGE) -> list[Edge]:
    mods = discover(root, package)
    known = set(mods)
    edges: list[Edge] = []
    for name, path in mods.items():
        edges += edges_of(name, path.read_text(encoding="utf-8"), known, is_package=path.name == "__init__.py")
    return edges


def cycles(edges: list[Edge]) -> list[list[str]]:
    """Strongly connected groups of more than one module (or a module importing itself), by Tarjan's algorithm."""
    adj: dict[str, set[str]] = {}
    for e in edges:
        adj.setdefault(e.source, set()).add(e.target)
        adj.setdefault(e.target, set())
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on: set[str] = set()
    found: list[list[str]] = []
    counter = [0]

    def strong(v: str) -> None:  # iterative to stay clear of the recursion limit
        work = [(v, iter(sorted(adj[v])))]
        index[v] = low[v] = counter[0]
        counter[0] += 1
        stack.append(v)
        on.add(v)
        while work:
            node, it = work[-1]
            for w in it:
                if w not in index:
                    index[w] = low[w] = counter[0]
                    counter[0] += 1
                    stack.append(w)
                    on.add(w)
                    work.append((w, iter(sorted(adj[w]))))
                    break
                if w in on:
                    low[node] = min(low[node], index[w])
            else:
                work.pop()
                if work:
                    low[work[-1][0]] = min(low[work[-1][0]], low[node])
                if low[node] == index[node]:
                    group = []
                    while True:
                        w = stack.pop()
                        on.discard(w)
                        group.append(w)
                        if w == node:
                            break
                    if len(group) > 1 or node in adj[node]:
                        found.append(sorted(group))

    for v in sorted(adj):
        if v not in index:
            strong(v)
    return found
