"""Input problems that name file, line, column and reason, collected so that a user sees all of them at once.

Every engine reads user files (CSV, TOML, Excel) and must refuse bad input with a message a bureau clerk can
act on, and change nothing. An engine collects :class:`Problem` rows while it validates and raises one
:class:`InputError` at the end; the CLI prints ``str(error)`` and exits with status 2.

>>> e = InputError([Problem("programs.csv", 3, "capacity", "“-1” 不是非负整数 (not a non-negative whole number)")])
>>> print(e)
programs.csv:3: column capacity: “-1” 不是非负整数 (not a non-negative whole number)
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["Problem", "InputError", "ProblemList"]


@dataclass(frozen=True, slots=True)
class Problem:
    """One thing wrong with the input. ``line`` counts the header as line 1; ``None`` where it does not apply."""

    file: str
    line: int | None
    column: str | None
    reason: str

    def __str__(self) -> str:
        where = self.file
        if self.line is not None:
            where += f":{self.line}"
        if self.column:
            return f"{where}: column {self.column}: {self.reason}"
        return f"{where}: {self.reason}"


class InputError(Exception):
    """Raised with every problem found; nothing has been written when it is raised."""

    def __init__(self, problems: list[Problem]):
        if not problems:
            raise ValueError("InputError needs at least one problem")
        self.problems = list(problems)
        super().__init__(str(self))

    def __str__(self) -> str:
        return "\n".join(str(p) for p in self.problems)


class ProblemList(list):
    """A list of :class:`Problem` with a shortcut to add one and to raise when not empty.

    ``limit`` caps how many are kept so a wholly wrong 1M-row file does not print a million lines; the count of
    the rest is reported in a last problem, so nothing is hidden.
    """

    def __init__(self, limit: int = 200):
        super().__init__()
        self.limit = limit
        self.dropped = 0

    def add(self, file: str, line: int | None, column: str | None, reason: str) -> None:
        if len(self) < self.limit:
            self.append(Problem(file, line, column, reason))
        else:
            self.dropped += 1

    def raise_if_any(self) -> None:
        if self or self.dropped:
            problems = list(self)
            if self.dropped:
                problems.append(Problem("(all files)", None, None, f"{self.dropped} more problems not listed"))
            raise InputError(problems)
