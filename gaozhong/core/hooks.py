"""Where domain apps plug into the foundation, so that ``core`` never imports a domain app.

A domain registers its hooks in its ``AppConfig.ready()``; the foundation calls whatever is registered.

- :class:`TeacherIntake`: the people app keeps the city's ban list (全行业禁入) and the pre-hire check (准入查询,
  seed 002 §三(二)); the foundation's teacher import asks it which new hires to refuse and tells it which
  teachers it created.
- :class:`HomeItem` providers: each domain puts its 待办 (things to act on), key figures and links on a user's
  首页 (``register_home``); the home page asks every provider with the user and their scope and shows what they
  return, grouped. A provider returns nothing for a role it has nothing for.
- job reaped: a domain whose record follows a job (an admission run) hears which jobs :func:`reap_dead_jobs`
  marked failed, in the reaper's transaction, and marks its record failed too.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class TeacherIntake:
    """``refused(id_numbers)`` returns the 身份证号 among them that may not be hired (with no reason: the import
    decides what it may tell whom); ``created(teachers)`` is called in the import's transaction with the
    teachers it created."""

    refused: Callable[[Iterable[str]], set[str]]
    created: Callable[[list], None]


_teacher_intake: list[TeacherIntake] = []


def register_teacher_intake(hook: TeacherIntake) -> None:
    if hook not in _teacher_intake:
        _teacher_intake.append(hook)


def teacher_intake_hooks() -> tuple[TeacherIntake, ...]:
    return tuple(_teacher_intake)


TODO, FIGURE, LINK = "todo", "figure", "link"


@dataclass(frozen=True)
class HomeItem:
    """One line on a user's 首页.

    - ``kind=TODO``: something to act on. ``count`` says how many (0: nothing to do, shown as done); without a
      count, ``label`` is the whole sentence (a readiness line, "2026 年中考成绩未导入").
    - ``kind=FIGURE``: a key figure, ``value`` (text or number) above ``label``, ``note`` below.
    - ``kind=LINK``: a way to a page the user needs (我的课表), ``note`` says what is there.
    ``order`` sorts the items of one kind (lower first); ``url`` is where the line leads; ``group`` titles a
    group of links ("我的班级"; default 常用).
    """

    label: str
    kind: str = TODO
    count: int | None = None
    value: Any = None
    note: str = ""
    url: str | None = None
    link_label: str = ""
    order: int = 50
    group: str = ""

    @property
    def urgent(self) -> bool:
        return self.kind == TODO and (self.count is None or self.count > 0)


#: ``provider(user, scope)`` returns the items it has for that user (an empty list for roles it has none for)
HomeProvider = Callable[[Any, Any], Iterable[HomeItem]]

_home: list[HomeProvider] = []


def register_home(provider: HomeProvider) -> None:
    if provider not in _home:
        _home.append(provider)


def home_providers() -> tuple[HomeProvider, ...]:
    return tuple(_home)
_job_reaped: list[Callable[[list[int]], None]] = []


def register_job_reaped(hook: Callable[[list[int]], None]) -> None:
    """``hook(job_ids)`` is called with the ids of jobs whose worker died, after they were marked failed."""
    if hook not in _job_reaped:
        _job_reaped.append(hook)


def job_reaped_hooks() -> tuple[Callable[[list[int]], None], ...]:
    return tuple(_job_reaped)
