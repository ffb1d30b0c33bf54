"""Column declarations of import tables: a column's headers, its type, choices and bounds (:class:`Column`), and
the error a wrong declaration raises. :mod:`.convert` builds cell converters from these; :mod:`.spec` groups
columns into a :class:`~.spec.TableSpec`."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from enum import StrEnum
from typing import Any

__all__ = ["ColumnType", "Column", "TableSpec", "SpecError", "normalize_header", "TEMPLATE_HELP_SHEET"]

#: Name of the sheet in every template that explains the columns; a data sheet may not use it.

TEMPLATE_HELP_SHEET = "说明"

_SHEET_NAME_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")


class SpecError(ValueError):
    """A table spec is declared wrongly (a programming error, not bad user input)."""


class ColumnType(StrEnum):
    """What a column holds and how a cell is read.

    ``identifier`` and ``id_number`` are kept as text: an Excel number cell or a number-looking string with a
    decimal point or an exponent is refused, because Excel keeps only 15 significant digits and an 18-digit
    号码 that passed through a number is already wrong.
    """

    TEXT = "text"
    IDENTIFIER = "identifier"
    ID_NUMBER = "id_number"
    INTEGER = "integer"
    DECIMAL = "decimal"
    DATE = "date"
    BOOLEAN = "boolean"
    CHOICE = "choice"


_BOUND_TYPES: dict[ColumnType, tuple[type, ...]] = {
    ColumnType.INTEGER: (int,),
    ColumnType.DECIMAL: (int, Decimal),
    ColumnType.DATE: (date,),
}


def normalize_header(text: str) -> str:
    """The form in which headers are compared: surrounding whitespace removed, case folded (English)."""
    return text.strip().casefold()


@dataclass(frozen=True)
class Column:
    """One column of an import.

    Parameters
    ----------
    key : the name of the value in parsed rows (a Python identifier, e.g. ``id_number``).
    header_zh, header_en : the headers a file may use; either matches, surrounding spaces ignored, English
        case-insensitively. Templates and exports write ``header_zh``.
    type : a :class:`ColumnType` or its value (``"text"``, ``"identifier"``, ...).
    required : a blank cell is an error.
    choices : for ``choice`` columns, code → Chinese label (a mapping or (code, label) pairs). A cell may hold
        the label (exactly) or the code (case-insensitively); the parsed value is the code.
    max_length : longest text in characters (text, identifier).
    min, max : inclusive bounds for integer, decimal and date columns, in the column's own type.
    unique : no two rows of a file may hold the same value (blank cells are not compared).
    example : the value (parsed form: a code for choices, a ``date`` for dates) written in the template's
        example row; it must pass the column's own checks.
    help : one sentence for the template's 说明 sheet.
    pattern : a regular expression the whole text must match (text, identifier), for instance a school-code
        format; ``pattern_hint`` says in words what it asks for.
    decimal_places : most digits after the point a decimal may have (more is an error, never rounded).
    """

    key: str
    header_zh: str
    header_en: str
    type: ColumnType | str = ColumnType.TEXT
    required: bool = False
    choices: Mapping[str, str] | Sequence[tuple[str, str]] = ()
    max_length: int | None = None
    min: Any = None
    max: Any = None
    unique: bool = False
    example: Any = None
    help: str = ""
    pattern: str | None = None
    pattern_hint: str = ""
    decimal_places: int | None = None

    def __post_init__(self) -> None:
        if not self.key.isidentifier():
            raise SpecError(f"column key {self.key!r} is not a Python identifier")
        if not self.header_zh.strip() or not self.header_en.strip():
            raise SpecError(f"column {self.key!r}: both headers are needed")
        try:
            kind = ColumnType(self.type)
        except ValueError:
            raise SpecError(f"column {self.key!r}: unknown type {self.type!r}") from None
        object.__setattr__(self, "type", kind)
        choices = self.choices
        pairs = tuple(choices.items()) if isinstance(choices, Mapping) else tuple(tuple(p) for p in choices)
        object.__setattr__(self, "choices", pairs)
        self._check_choices(kind, pairs)
        if self.max_length is not None:
            if kind not in (ColumnType.TEXT, ColumnType.IDENTIFIER):
                raise SpecError(f"column {self.key!r}: max_length applies to text and identifier columns only")
            if self.max_length < 1:
                raise SpecError(f"column {self.key!r}: max_length must be at least 1")
        if self.pattern is not None:
            if kind not in (ColumnType.TEXT, ColumnType.IDENTIFIER):
                raise SpecError(f"column {self.key!r}: pattern applies to text and identifier columns only")
            try:
                re.compile(self.pattern)
            except re.error as exc:
                raise SpecError(f"column {self.key!r}: bad pattern: {exc}") from None
        if self.decimal_places is not None and (kind is not ColumnType.DECIMAL or self.decimal_places < 0):
            raise SpecError(f"column {self.key!r}: decimal_places applies to decimal columns, and is >= 0")
        self._check_bounds(kind)

    def _check_choices(self, kind: ColumnType, pairs: tuple[tuple[str, str], ...]) -> None:
        if kind is not ColumnType.CHOICE:
            if pairs:
                raise SpecError(f"column {self.key!r}: choices apply to choice columns only")
            return
        if not pairs:
            raise SpecError(f"column {self.key!r}: a choice column needs choices")
        seen: dict[str, str] = {}
        for pair in pairs:
            if len(pair) != 2 or not all(isinstance(x, str) and x.strip() == x and x for x in pair):
                raise SpecError(f"column {self.key!r}: each choice is (code, label), non-empty and trimmed: {pair!r}")
            code, label = pair
            # A cell is matched against labels exactly and codes case-insensitively; no text may mean two things
            # (compared case-folded, which is stricter than either match).
            for text, what in ((label.casefold(), "label"), (code.casefold(), "code")):
                if text in seen and seen[text] != code:
                    raise SpecError(f"column {self.key!r}: choice {what} {text!r} is ambiguous")
                seen[text] = code
        codes = [c for c, _ in pairs]
        if len(set(codes)) != len(codes):
            raise SpecError(f"column {self.key!r}: duplicate choice code")

    def _check_bounds(self, kind: ColumnType) -> None:
        for name in ("min", "max"):
            bound = getattr(self, name)
            if bound is None:
                continue
            allowed = _BOUND_TYPES.get(kind)
            if allowed is None:
                raise SpecError(f"column {self.key!r}: {name} applies to integer, decimal and date columns only")
            if isinstance(bound, bool) or not isinstance(bound, allowed):
                raise SpecError(f"column {self.key!r}: {name} must be of the column's type, got {bound!r}")
            if kind is ColumnType.DATE and type(bound) is not date:
                raise SpecError(f"column {self.key!r}: {name} must be a date, not a datetime")
        if self.min is not None and self.max is not None and self.min > self.max:
            raise SpecError(f"column {self.key!r}: min is greater than max")

    @property
    def is_text_kept(self) -> bool:
        """True for columns whose cells must be text in Excel (identifiers), formatted ``@`` in templates."""
        return self.type in (ColumnType.IDENTIFIER, ColumnType.ID_NUMBER)

    def label_for(self, code: str) -> str:
        """The Chinese label of a choice code; KeyError if the code is not one of the choices."""
        for c, label in self.choices:  # type: ignore[misc]
            if c == code:
                return label
        raise KeyError(code)
