"""Read and validate the 指标到校 split inputs: DIR/schools.csv and DIR/juniors.csv (small files, no Polars).

schools.csv: ``school_id, county, plan, quality, scope``; juniors.csv: ``junior_school_id, county, graduates,
weak``. ``quality`` and ``weak`` are yes/no (是/否 also accepted); ``scope`` is county or city and is required
for quality schools. Every problem is reported with file, line (header = 1), column and reason. The files are
opened by the platform's one CSV reader (:mod:`gaozhong.common.csvfile`): blank records are skipped.
"""

from __future__ import annotations

import re
from pathlib import Path

from gaozhong.common.csvfile import load_csv
from gaozhong.common.errors import InputError, Problem, ProblemList

from .quotas import JuniorSchool, QuotaSchool

__all__ = ["read_quota_inputs", "SCHOOL_COLUMNS", "JUNIOR_COLUMNS"]

SCHOOL_COLUMNS = ["school_id", "county", "plan", "quality", "scope"]
JUNIOR_COLUMNS = ["junior_school_id", "county", "graduates", "weak"]
_YES = {"yes": True, "no": False, "是": True, "否": False}
_INT = re.compile(r"[+]?[0-9]+")


def _rows(path: Path, name: str, columns: list[str], problems: ProblemList) -> list[tuple[int, dict[str, str]]]:
    f = load_csv(path, name)
    header = [h.strip() for h in f.header]
    ok = True
    for c in columns:
        if c not in header:
            problems.add(name, 1, c, "缺少必需的列 (required column is missing)")
            ok = False
    for i, c in enumerate(header):
        if c not in columns:
            problems.add(name, 1, c or None, f"未知的列 (unknown column; expected {', '.join(columns)})")
            ok = False
        elif c in header[:i]:
            problems.add(name, 1, c, "列名重复 (column name appears twice)")
            ok = False
    if not ok:
        return []
    out = []
    try:
        for line, _row, fields in f.records():  # blank records are skipped (the platform's CSV rule)
            if len(fields) != len(header):
                problems.add(name, line, None, f"有 {len(fields)} 个字段，表头有 {len(header)} 个 (row has {len(fields)} fields, the header has {len(header)})")
                continue
            out.append((line, {h: v.strip() for h, v in zip(header, fields)}))
    except InputError as exc:
        problems.extend(exc.problems)
    return out


def _int(name: str, line: int, col: str, text: str, problems: ProblemList) -> int | None:
    if text == "":
        problems.add(name, line, col, "缺少值 (value is missing)")
        return None
    if not _INT.fullmatch(text):
        problems.add(name, line, col, f"“{text}” 不是非负整数 (not a non-negative whole number)")
        return None
    return int(text)


def _yes(name: str, line: int, col: str, text: str, problems: ProblemList) -> bool | None:
    v = _YES.get(text.lower())
    if v is None:
        problems.add(name, line, col, f"“{text}” 须为 yes 或 no (must be yes or no)")
    return v


def read_quota_inputs(directory: str | Path) -> tuple[list[QuotaSchool], list[JuniorSchool]]:
    """Both files of DIR, validated; raises InputError listing every problem."""
    d = Path(directory)
    if not d.is_dir():
        raise InputError([Problem(str(directory), None, None, "不是目录或不存在 (not a directory)")])
    problems = ProblemList()
    schools: list[QuotaSchool] = []
    juniors: list[JuniorSchool] = []
    loaded = {}
    for fname, cols in (("schools.csv", SCHOOL_COLUMNS), ("juniors.csv", JUNIOR_COLUMNS)):
        try:
            loaded[fname] = _rows(d / fname, fname, cols, problems)
        except InputError as e:
            problems.extend(e.problems)
            loaded[fname] = []
    seen: dict[str, int] = {}
    for line, r in loaded["schools.csv"]:
        name = "schools.csv"
        sid = r["school_id"]
        if not sid:
            problems.add(name, line, "school_id", "缺少值 (value is missing)")
        elif sid in seen:
            problems.add(name, line, "school_id", f"高中编号 “{sid}” 重复，首次出现在第 {seen[sid]} 行 (duplicate school_id; first on line {seen[sid]})")
        else:
            seen[sid] = line
        if not r["county"]:
            problems.add(name, line, "county", "缺少值 (value is missing)")
        plan = _int(name, line, "plan", r["plan"], problems)
        quality = _yes(name, line, "quality", r["quality"], problems)
        scope = r["scope"].lower() or None
        if scope is not None and scope not in ("county", "city"):
            problems.add(name, line, "scope", f"“{r['scope']}” 须为 county 或 city (must be county or city)")
        elif scope is None and quality:
            problems.add(name, line, "scope", "优质高中须填写 county 或 city (a quality school needs scope county or city)")
        if plan is not None and quality is not None:
            schools.append(QuotaSchool(sid, r["county"], plan, quality, scope))
    seen = {}
    for line, r in loaded["juniors.csv"]:
        name = "juniors.csv"
        jid = r["junior_school_id"]
        if not jid:
            problems.add(name, line, "junior_school_id", "缺少值 (value is missing)")
        elif jid in seen:
            problems.add(name, line, "junior_school_id", f"初中编号 “{jid}” 重复，首次出现在第 {seen[jid]} 行 (duplicate junior_school_id; first on line {seen[jid]})")
        else:
            seen[jid] = line
        if not r["county"]:
            problems.add(name, line, "county", "缺少值 (value is missing)")
        grads = _int(name, line, "graduates", r["graduates"], problems)
        weak = _yes(name, line, "weak", r["weak"], problems)
        if grads is not None and weak is not None:
            juniors.append(JuniorSchool(jid, r["county"], grads, weak))
    problems.raise_if_any()
    return schools, juniors
