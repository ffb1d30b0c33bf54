"""Read ``terms.toml``: which terms the check examines and which of them is the current one.

``current = "2025-2"`` and ``terms = ["2025-1", "2025-2"]``; both keys are required, no other key is
allowed (a misspelt key is reported, not ignored), the list is non-empty without repeats and contains
``current``. Attendance and exams of terms not listed are read and validated but take no part in the check.
"""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

from gaozhong.common.errors import InputError, Problem
from gaozhong.common.textfile import read_text

from .model import Terms

__all__ = ["read_terms", "parse_terms"]

NAME = "terms.toml"


def read_terms(path: Path) -> Terms:
    """Parse the file at ``path``; raises :class:`InputError` naming the line where TOML gives one."""
    return parse_terms(read_text(path, name=NAME))


def _line_of(text: str, key: str) -> int | None:
    match = re.search(rf"^\s*{re.escape(key)}\s*=", text, flags=re.MULTILINE)
    return text.count("\n", 0, match.start()) + 1 if match else None


def parse_terms(text: str) -> Terms:
    try:
        doc = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        found = re.search(r"line (\d+)", str(exc))
        line = int(found.group(1)) if found else None
        raise InputError([Problem(NAME, line, None, f"不是有效的 TOML (invalid TOML: {exc})")]) from None
    problems: list[Problem] = []
    for key in sorted(set(doc) - {"current", "terms"}):
        problems.append(Problem(NAME, _line_of(text, key), key, "未知的键，只允许 current 和 terms (unknown key)"))
    current = doc.get("current")
    terms = doc.get("terms")
    if current is None:
        problems.append(Problem(NAME, None, "current", "缺少当前学期 (key missing)"))
    elif not isinstance(current, str) or not current.strip() or current != current.strip():
        problems.append(
            Problem(NAME, _line_of(text, "current"), "current", f"“{current}” 不是学期名称 (not a non-empty term name)")
        )
        current = None
    if terms is None:
        problems.append(Problem(NAME, None, "terms", "缺少学期列表 (key missing)"))
    elif not isinstance(terms, list) or not terms:
        problems.append(Problem(NAME, _line_of(text, "terms"), "terms", "应为非空的学期名称列表 (must be a non-empty list of term names)"))
        terms = None
    else:
        line = _line_of(text, "terms")
        seen: set[str] = set()
        for item in terms:
            if not isinstance(item, str) or not item.strip() or item != item.strip():
                problems.append(Problem(NAME, line, "terms", f"“{item}” 不是学期名称 (not a non-empty term name)"))
                continue
            if item in seen:
                problems.append(Problem(NAME, line, "terms", f"学期 “{item}” 重复 (term listed twice)"))
            seen.add(item)
        if isinstance(current, str) and current not in terms:
            problems.append(
                Problem(NAME, _line_of(text, "current"), "current", f"当前学期 “{current}” 不在 terms 中 (current term not in terms)")
            )
    if problems:
        raise InputError(problems)
    return Terms(current=current, examined=tuple(terms))
