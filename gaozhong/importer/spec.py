"""Declarative table specs: which columns an import has, their Chinese and English headers and their types.

Every import of the platform (schools, students, teachers, and later preferences, course choices, supervision
data, training records) is one :class:`TableSpec`. The same spec drives reading (:mod:`.readers`), the
downloadable template (:mod:`.templates`) and exports (:mod:`.export`), so a file exported or filled in from the
template always imports again.

A spec is checked when it is built: a mistake in a declaration (two columns with the same header, a choice
label that is also another choice's code, an example that its own column would refuse) raises
:class:`SpecError` at import time of the module that declares it, not when a clerk uploads a file.

>>> spec = TableSpec(
...     name="schools", title_zh="学校", sheet_name="学校",
...     columns=(
...         Column("code", "学校代码", "School code", "identifier", required=True, unique=True, example="S01"),
...         Column("kind", "办学性质", "Ownership", "choice", choices={"public": "公办", "private": "民办"},
...                example="public"),
...     ),
... )
>>> spec.match_header(" School Code ").key
'code'
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from .columns import TEMPLATE_HELP_SHEET, Column, ColumnType, SpecError, _SHEET_NAME_FORBIDDEN, normalize_header
from .convert import check_example

__all__ = ["ColumnType", "Column", "TableSpec", "SpecError", "normalize_header", "TEMPLATE_HELP_SHEET"]


@dataclass(frozen=True)
class TableSpec:
    """One importable table: its name, the sheet it lives in and its columns in template order.

    ``allow_extra_columns`` lets a file carry columns the spec does not name; their text is kept in
    ``ParsedRow.extra``. Otherwise an unknown column is an error. ``unique_together`` lists groups of keys whose
    combined values may not repeat (for instance school and class name).
    """

    name: str
    title_zh: str
    columns: Sequence[Column]
    sheet_name: str
    allow_extra_columns: bool = False
    unique_together: Sequence[Sequence[str]] = ()
    _by_header: dict[str, Column] = field(init=False, repr=False, compare=False)
    _by_key: dict[str, Column] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        columns = tuple(self.columns)
        object.__setattr__(self, "columns", columns)
        if not columns:
            raise SpecError(f"table {self.name!r} has no columns")
        name = self.sheet_name
        if not name or len(name) > 31 or _SHEET_NAME_FORBIDDEN.search(name) or name.strip() != name:
            raise SpecError(f"table {self.name!r}: {name!r} is not a valid Excel sheet name")
        if name == TEMPLATE_HELP_SHEET:
            raise SpecError(f"table {self.name!r}: sheet name {name!r} is reserved for the template help sheet")
        by_key: dict[str, Column] = {}
        by_header: dict[str, Column] = {}
        for col in columns:
            if not isinstance(col, Column):
                raise SpecError(f"table {self.name!r}: {col!r} is not a Column")
            if col.key in by_key:
                raise SpecError(f"table {self.name!r}: duplicate column key {col.key!r}")
            by_key[col.key] = col
            for header in {normalize_header(col.header_zh), normalize_header(col.header_en)}:
                if header in by_header:
                    raise SpecError(f"table {self.name!r}: header {header!r} is used by two columns")
                by_header[header] = col
        groups = tuple(tuple(g) for g in self.unique_together)
        for group in groups:
            if len(group) < 2 or any(k not in by_key for k in group) or len(set(group)) != len(group):
                raise SpecError(f"table {self.name!r}: unique_together group {group!r} must name 2+ distinct columns")
        object.__setattr__(self, "unique_together", groups)
        object.__setattr__(self, "_by_key", by_key)
        object.__setattr__(self, "_by_header", by_header)
        # The example row must import: check it with the same converters the readers use.
        for col in columns:
            if col.example is not None:
                check_example(col)

    @property
    def keys(self) -> tuple[str, ...]:
        return tuple(c.key for c in self.columns)

    def column(self, key: str) -> Column:
        """The column with this key; KeyError if there is none."""
        return self._by_key[key]

    def match_header(self, text: str) -> Column | None:
        """The column whose Chinese or English header equals ``text`` (trimmed; English case-insensitive)."""
        return self._by_header.get(normalize_header(text))
