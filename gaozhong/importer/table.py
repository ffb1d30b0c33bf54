"""Check a table's header and rows against its spec, cell by cell and across rows, collecting every problem.

The readers (:mod:`.readers`) feed rows of raw cells here, whatever the file format; this module decides what
each cell means. Rules applied, in the words of issue 3 item 9 and the importer brief:

* Row 1 is the header. A header matches a column's Chinese or English header (trimmed). An unknown header is an
  error unless the spec allows extra columns; a missing required column is one error naming it; the same
  column twice is an error naming both.
* A row whose cells are all blank is skipped (and reported in the result); any other row is checked in full,
  so a half-filled row gives "required value missing" errors, never a silent skip.
* A value under a column without a header is an error (it would otherwise be dropped).
* Values of unique columns (and ``unique_together`` groups) may not repeat; the error names both rows.
* A row equal to the template's example row is refused: it is sample data left in by mistake.
"""

from __future__ import annotations

from typing import Any

from gaozhong.common.errors import ProblemList

from .convert import CellError, is_blank, make_converter, show
from .result import ImportResult, ParsedRow
from .spec import Column, TableSpec

__all__ = ["TableChecker", "column_letter"]


def column_letter(index: int) -> str:
    """Excel's letter for a 0-based column index: 0 → A, 25 → Z, 26 → AA."""
    letters = ""
    n = index + 1
    while n:
        n, rem = divmod(n - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


def _header_text(raw: Any) -> str:
    if raw is None:
        return ""
    if isinstance(raw, str):
        return raw.strip()
    return show(raw)


class TableChecker:
    """Feed it the header row, then every other row with its number; :meth:`finish` returns or raises.

    ``letters`` says whether columns have Excel letters (``身份证号 (C)``) or are named by header only (CSV).
    ``max_rows`` bounds the number of data rows; more is an error (nothing is cut off silently).
    """

    def __init__(self, spec: TableSpec, source: str, *, letters: bool, max_problems: int = 1000,
                 max_rows: int | None = None):
        self.spec = spec
        self.source = source
        self.letters = letters
        self.max_rows = max_rows
        self.problems = ProblemList(limit=max_problems)
        self.stopped = False  # True once reading further rows is pointless
        self._plan: list[tuple[int, Column, Any, str]] = []
        self._labels: dict[str, str] = {}
        self._present: list[str] = []
        self._extra: list[tuple[int, str]] = []
        self._header_width = 0
        self._headerless: set[int] = set()
        self._stray: dict[int, list[int]] = {}  # column index -> [first line, count] of values without a header
        self._rows: list[ParsedRow] = []
        self._seen: dict[str, dict[Any, int]] = {}
        self._seen_groups: list[tuple[tuple[str, ...], dict[tuple, int]]] = []
        self._example: dict[str, Any] = {}
        self._blank_lines: list[int] = []
        self._pending_blank: list[int] = []
        self._blank_cut = 0  # blank rows at the end that the reader did not feed
        self._data_rows = 0
        self._unreadable: dict[tuple[int, int], str] = {}  # (line, column index) -> why the blank is not blank
        self._unreadable_lines: set[int] = set()

    # -- labels -------------------------------------------------------------------------------------------------
    def _label(self, index: int, text: str) -> str:
        return f"{text} ({column_letter(index)})" if self.letters else text

    def _bare_label(self, index: int) -> str:
        if self.letters:
            return f"{column_letter(index)} 列 (column {column_letter(index)})"
        return f"第 {index + 1} 列 (column {index + 1})"

    # -- header -------------------------------------------------------------------------------------------------
    def header(self, cells: Any) -> None:
        """Match row 1 against the spec; afterwards ``stopped`` is True if no data row can be checked."""
        spec, add, src = self.spec, self.problems.add, self.source
        texts = [_header_text(c) for c in cells]
        while texts and not texts[-1]:
            texts.pop()
        self._header_width = len(texts)
        if not texts:
            add(src, 1, None, "第 1 行应为表头，但是空的 (row 1 must be the header row; it is empty)")
            self.stopped = True
            return
        found: dict[str, str] = {}
        extra_seen: dict[str, str] = {}
        for i, text in enumerate(texts):
            if not text:
                self._headerless.add(i)
                continue
            label = self._label(i, text)
            col = spec.match_header(text)
            if col is None:
                if spec.allow_extra_columns:
                    key = text.casefold()
                    if key in extra_seen:
                        add(src, 1, label, f"与 {extra_seen[key]} 列名重复 (same header as {extra_seen[key]})")
                    else:
                        extra_seen[key] = label
                        self._extra.append((i, text))
                else:
                    known = "、".join(c.header_zh for c in spec.columns)
                    add(src, 1, label, f"未知的列 “{text}” (unknown column); 可用的列 (known columns): {known}")
                continue
            if col.key in found:
                add(src, 1, label, f"与 {found[col.key]} 是同一列 (the same column as {found[col.key]})")
                continue
            found[col.key] = label
            self._labels[col.key] = label
            self._present.append(col.key)
            self._plan.append((i, col, make_converter(col), label))
        for col in spec.columns:
            if col.required and col.key not in found:
                add(src, 1, col.header_zh, f"缺少必填列 “{col.header_zh}” (missing required column {col.header_en})")
        if not found:
            add(src, 1, None, "第 1 行没有可识别的列名；第 1 行必须是表头 (no known header in row 1; row 1 must be the header row)")
            self.stopped = True
            return
        for key in self._present:
            if spec.column(key).unique:
                self._seen[key] = {}
        for group in spec.unique_together:
            if all(k in found for k in group):
                self._seen_groups.append((group, {}))
        self._example = {k: spec.column(k).example for k in self._present if spec.column(k).example is not None}

    def mark_unreadable(self, line: int, index: int, reason: str) -> None:
        """Say that a cell that will read as blank is not empty in the file (a formula without a result)."""
        self._unreadable[(line, index)] = reason
        self._unreadable_lines.add(line)

    # -- rows ---------------------------------------------------------------------------------------------------
    def row(self, line: int, cells: Any) -> None:
        """Check one row (``line`` counts the header as 1)."""
        if all(c is None or (type(c) is str and not c.strip()) for c in cells) and line not in self._unreadable_lines:
            self._pending_blank.append(line)
            return
        if self._pending_blank:
            self._blank_lines.extend(self._pending_blank)
            self._pending_blank.clear()
        self._data_rows += 1
        src, add = self.source, self.problems.add
        if self.max_rows is not None and self._data_rows > self.max_rows:
            add(src, line, None, f"超过 {self.max_rows} 行数据的上限 (more than {self.max_rows} data rows; split the file)")
            self.stopped = True
            return
        n = len(cells)
        values: dict[str, Any] = dict.fromkeys(self.spec.keys)
        ok = True
        for i, col, convert, label in self._plan:
            raw = cells[i] if i < n else None
            if raw is None or (type(raw) is str and not raw.strip()):
                if self._unreadable and (line, i) in self._unreadable:
                    add(src, line, label, self._unreadable.pop((line, i)))
                    ok = False
                elif col.required:
                    add(src, line, label, "必填，不能为空 (required value is missing)")
                    ok = False
                continue
            try:
                value = convert(raw)
            except CellError as exc:
                add(src, line, label, exc.reason)
                ok = False
                continue
            values[col.key] = value
            seen = self._seen.get(col.key)
            if seen is not None:
                first = seen.setdefault(value, line)
                if first != line:
                    add(src, line, label, f"“{show(value)}” 与第 {first} 行重复 (same value as row {first}; must be unique)")
                    ok = False
        for group, seen_group in self._seen_groups:
            combo = tuple(values[k] for k in group)
            if None in combo:
                continue
            first = seen_group.setdefault(combo, line)
            if first != line:
                names = " + ".join(self._labels[k] for k in group)
                shown = " + ".join(show(v) for v in combo)
                add(src, line, names, f"“{shown}” 与第 {first} 行重复 (same combination as row {first}; must be unique)")
                ok = False
        extra: dict[str, str] = {}
        for i, text in self._extra:
            raw = cells[i] if i < n else None
            extra[text] = "" if is_blank(raw) else _header_text(raw)
        for i in range(self._header_width, n):
            if not is_blank(cells[i]):
                self._note_stray(i, line)
                ok = False
        for i in self._headerless:
            if i < n and not is_blank(cells[i]):
                self._note_stray(i, line)
                ok = False
        if ok and self._example and all(values[k] == v for k, v in self._example.items()):
            add(src, line, None, "这是模板中的示例行，请删除或改为真实数据 (this is the template's example row; "
                                 "delete it or replace it with real data)")
            ok = False
        if ok:
            self._rows.append(ParsedRow(line, values, extra))

    def _note_stray(self, index: int, line: int) -> None:
        entry = self._stray.get(index)
        if entry is None:
            self._stray[index] = [line, 1]
        else:
            entry[1] += 1

    def trailing_blank(self, count: int) -> None:
        """Count ``count`` blank rows after the last one fed (a CSV reader cuts blank lines at the end)."""
        self._blank_cut += count

    # -- end ----------------------------------------------------------------------------------------------------
    def finish(self) -> ImportResult:
        """Return the result, or raise InputError with every problem (sorted by row)."""
        for index, (first, count) in sorted(self._stray.items()):
            self.problems.add(
                self.source, first, self._bare_label(index),
                f"此列没有表头，但有 {count} 行填了值，第一处在第 {first} 行 (values in a column without a header: "
                f"{count} rows, first at row {first}; add the header or delete the values)",
            )
        labels = {i: label for i, _, _, label in self._plan}
        for (line, index), reason in sorted(self._unreadable.items()):
            if line == 1 or not self.stopped:  # rows after a stop were not read; they are not reported either
                self.problems.add(self.source, line, labels.get(index) or self._bare_label(index), reason)
        if not self.problems and not self.problems.dropped and not self._rows:
            self.problems.add(self.source, None, None, "没有数据行 (the file has a header but no data rows)")
        self.problems.sort(key=lambda p: p.line or 0)
        self.problems.raise_if_any()
        return ImportResult(
            spec=self.spec,
            source=self.source,
            rows=self._rows,
            present=tuple(self._present),
            labels=dict(self._labels),
            extra_headers=tuple(text for _, text in self._extra),
            blank_lines=tuple(self._blank_lines),
            trailing_blank_rows=len(self._pending_blank) + self._blank_cut,
        )
